"""Edits to a document's structure: tiers (add, rename, hide, retype, reparent, reorder, delete), tier types
and controlled vocabularies. Like annotation edits, each locks the project, checks the result against the
document rules before writing anything, and bumps the project's revision.

- Tier names, tier type names and vocabulary names are unique within a project.
- A tier's new type or parent must suit the tier's place (constrained types need a parent tier, free ones none)
  and every annotation on it and on the tiers below it; otherwise nothing changes and the message says why.
- Deleting a tier deletes its annotations and its child tiers. A tier type still used by tiers, or a vocabulary
  still used by a tier type, cannot be deleted.
- Giving a type a vocabulary, or changing a vocabulary's entries, needs every non-empty value on the tiers
  concerned to be an entry value; their ``cv_entry`` is updated to match. Entries keep their identity by id:
  renaming an entry (same id, new value) renames the annotations that refer to it, as ELAN does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from kslars.document import Constraint, DocumentError, LocalizedValue, Tier, Vocabulary, VocabularyEntry
from kslars.document_rules import DocumentIndex, check_tier_structure, vocabulary_entry_for
from kslars.web.annotation import models as m
from kslars.web.annotation import services
from kslars.web.annotation.editing import (
    DocumentView,
    StaleVersion,
    StoredRow,
    edit_transaction,
    load_view,
    lock_project,
)
from kslars.web.annotation.output import tier_out, tiers_out
from kslars.web.projects.models import Project


def _name(value: str | None, what: str) -> str:
    name = (value or "").strip()
    if not name:
        raise DocumentError(f"a {what} needs a name")
    if len(name) > 200:
        raise DocumentError(f"a {what} name can have at most 200 characters")
    return name


def _unique(rows: Any, name: str, what: str, exclude: int | None = None) -> None:
    if any(r.name == name and r.id != exclude for r in rows):
        raise DocumentError(f"this project already has a {what} named {name!r}: choose another name")


def _row(rows: dict[int, Any], row_id: int | None, what: str) -> Any:
    if row_id not in rows:
        raise Http404(f"No such {what}")
    return rows[row_id]


def _check_tiers(view: DocumentView, tiers: list[Tier], reason: str) -> list[tuple[StoredRow, dict[str, Any]]]:
    """Give the annotations of ``tiers`` and the tiers below them the vocabulary entries their values stand for,
    then check those tiers against every rule of kslars.document_rules; returns the rows whose cv_entry changed,
    with the change (for :func:`_save_annotations`)."""
    doc, changed = view.doc, []
    below = list(tiers)
    for t in below:
        below.extend(c for c in doc.children(t) if c not in below)
    try:
        for t in below:
            check_tier_structure(doc, t)
            vocabulary = view.vocabulary_of(t)
            for a in t.annotations:
                entry = vocabulary_entry_for(vocabulary, t, a.value, None) if vocabulary else None
                if (entry.id if entry else None) != a.cv_entry:
                    a.cv_entry = entry.id if entry else None
                    changed.append((view.rows[a.id], {"cv_entry": a.cv_entry}))
        DocumentIndex(doc).check_tiers(below)
    except DocumentError as exc:
        raise DocumentError(f"{reason}: {exc}") from None
    return changed


def _save_checked(project: Project, view: DocumentView, tier_ids: list[int], reason: str, save) -> None:
    """Check the tiers ``tier_ids`` of the changed ``view``, then ``save()`` the change, move the annotations'
    vocabulary entries along and count the revision."""
    changed_cv = _check_tiers(view, [view.doc_tier(i) for i in tier_ids], reason)
    save()
    _save_annotations(changed_cv)
    project.count_change()


def _delete_unused(project: Project, row: Any, used_by: str, users: list[str], advice: str) -> None:
    """Delete ``row`` unless ``users`` still need it (DocumentError naming them)."""
    if users:
        raise DocumentError(f"{used_by} {', '.join(map(repr, users))}: {advice}")
    row.delete()
    project.count_change()


def _save_annotations(changes: list[tuple[StoredRow, dict[str, Any]]]) -> None:
    """Write changed fields of stored annotations, each as its next version."""
    now = timezone.now()
    for row, fields in changes:
        m.Annotation.objects.filter(pk=row.pk).update(**fields, version=row.version + 1, updated_at=now)


# ---- tiers ------------------------------------------------------------------------------------------
@transaction.atomic
def create_tier(project: Project, data: dict[str, Any]) -> dict:
    """Add a tier after the others; returns it."""
    project = lock_project(project)
    view = load_view(project, [data["parent_id"]] if data.get("parent_id") is not None else [])
    name = _name(data.get("name"), "tier")
    _unique(view.tier_rows.values(), name, "tier")
    type_row = _row(view.type_rows, data["type_id"], "tier type")
    parent_row = _row(view.tier_rows, data["parent_id"], "parent tier") if data.get("parent_id") is not None else None
    tier = Tier(id=name, type=type_row.name, parent=parent_row.name if parent_row else None)
    view.doc.tiers.append(tier)
    check_tier_structure(view.doc, tier)
    row = m.Tier.objects.create(
        project=project,
        name=name,
        tier_type=type_row,
        parent=parent_row,
        position=max((r.position for r in view.tier_rows.values()), default=-1) + 1,
        hidden=bool(data.get("hidden")),
        participant=data.get("participant"),
        annotator=data.get("annotator"),
        language=data.get("language"),
    )
    project.count_change()
    return tier_out(row, [])


@transaction.atomic
def update_tier(project: Project, tier_id: int, data: dict[str, Any]) -> dict:
    """Rename, hide/show, retype or reparent a tier; ``data`` holds only the fields to change."""
    project = lock_project(project)
    rows = {t.id: t for t in project.tiers.all()}
    row = _row(rows, tier_id, "tier")
    if data.get("version") is not None and data["version"] != row.version:
        current = tiers_out(project, [row])[0]
        raise StaleVersion(f"tier {row.name!r} was changed by someone else", current)
    structural = data.get("type_id") is not None or "parent_id" in data
    new_parent = data.get("parent_id", row.parent_id)
    view = load_view(project, [tier_id] + ([new_parent] if new_parent is not None else []))
    tier = view.doc_tier(tier_id)
    if data.get("name") is not None:
        name = _name(data["name"], "tier")
        _unique(view.tier_rows.values(), name, "tier", exclude=tier_id)
        row.name = name
    for f in ("hidden", "participant", "annotator", "language"):
        if f in data and (f != "hidden" or data[f] is not None):
            setattr(row, f, data[f])
    changed_cv = []
    if structural:
        if data.get("type_id") is not None:
            row.tier_type = _row(view.type_rows, data["type_id"], "tier type")
            tier.type = row.tier_type.name
        if "parent_id" in data:
            parent = _row(view.tier_rows, new_parent, "parent tier") if new_parent is not None else None
            ancestor = parent
            while ancestor is not None:
                if ancestor.id == tier_id:
                    raise DocumentError(f"tier {tier.id!r} cannot be placed below itself or one of its own tiers")
                ancestor = view.tier_rows.get(ancestor.parent_id)
            row.parent = parent
            tier.parent = parent.name if parent else None
        changed_cv = _check_tiers(view, [tier], f"tier {tier.id!r} cannot change like this")
    row.version += 1
    row.save()
    _save_annotations(changed_cv)
    project.count_change()
    return tiers_out(project, [row])[0]


@transaction.atomic
def delete_tier(project: Project, tier_id: int) -> None:
    """Delete a tier with its annotations and every tier below it."""
    project = lock_project(project)
    rows = {t.id: t for t in project.tiers.all()}
    doomed = [_row(rows, tier_id, "tier").id]
    for t in doomed:
        doomed.extend(r.id for r in rows.values() if r.parent_id == t)
    m.Annotation.objects.filter(project=project, tier_id__in=doomed).delete()
    m.Tier.objects.filter(project=project, id__in=doomed).delete()
    project.count_change()


@transaction.atomic
def reorder_tiers(project: Project, tier_ids: list[int]) -> list[dict]:
    """Put the project's tiers in the order of ``tier_ids`` (every tier exactly once)."""
    project = lock_project(project)
    rows = {t.id: t for t in project.tiers.all()}
    if sorted(tier_ids) != sorted(rows):
        missing = sorted(set(rows) - set(tier_ids))
        unknown = sorted(set(tier_ids) - set(rows))
        raise DocumentError(
            "the new order must list every tier of the project exactly once"
            + (f"; missing: {missing}" if missing else "")
            + (f"; not tiers of this project: {unknown}" if unknown else "")
            + ("; some are listed twice" if len(set(tier_ids)) != len(tier_ids) else "")
        )
    for position, tier_id in enumerate(tier_ids):
        rows[tier_id].position = position
    m.Tier.objects.bulk_update(rows.values(), ["position"])
    project.count_change()
    return tiers_out(project, [rows[i] for i in tier_ids])


def restore_tiers(
    project: Project,
    tiers: list[dict[str, Any]],
    annotations: list[dict[str, Any]],
    order: list[int],
    annotator: str | None = None,
) -> dict:
    """Create deleted tiers again (parents first) with their annotations and put them in their place in ``order``,
    all together or not at all: Undo of a tier's deletion. Each tier and annotation gives the ``id`` it had; a
    tier's ``parent_id``, an annotation's ``tier_id``, ``parent`` and ``previous`` and the ids in ``order`` may be
    old ids of what is restored with them. Tiers left out of ``order`` follow in their present order, and ids no
    longer in the project are passed over."""
    with edit_transaction():
        tier_ids: dict[int, int] = {}
        for data in tiers:
            parent: int | None = data.get("parent_id")
            if parent in tier_ids:
                parent = tier_ids[parent]
            tier_ids[data["id"]] = create_tier(project, {**data, "parent_id": parent})["id"]
        for a in annotations:
            if a["tier_id"] not in tier_ids:
                raise DocumentError(f"annotation {a['id']!r}: tier {a['tier_id']} is not one of the tiers restored")
        recreated = [{**a, "tier_id": tier_ids[a["tier_id"]]} for a in annotations]
        annotation_ids, _ = services.recreate_annotations(project, recreated, annotator) if recreated else ({}, 0)
        present = list(m.Tier.objects.filter(project=project).order_by("position", "id").values_list("id", flat=True))
        wanted = [i for i in dict.fromkeys(tier_ids.get(i, i) for i in order) if i in present]
        final = wanted + [i for i in present if i not in wanted]
        reorder_tiers(project, final)
        rows = {r.id: r for r in m.Tier.objects.filter(project=project, id__in=tier_ids.values())}
        return {
            "tiers": tiers_out(project, [rows[i] for i in tier_ids.values()]),
            "tier_ids": {str(old): new for old, new in tier_ids.items()},
            "annotation_ids": annotation_ids,
            "order": final,
            "revision": lock_project(project).revision,
        }


def tier_batch(
    project: Project,
    restore: dict[str, Any] | None,
    operations: Sequence[tuple[str, dict[str, Any], set[str]]],
    delete_tiers: list[int],
    annotator: str | None = None,
) -> dict:
    """One undo or redo step of a background job's result, all together or not at all: create deleted tiers again
    with their annotations (``restore``: restore_tiers' arguments), apply the annotation ``operations`` (as
    services.apply_batch, with its version checks), then delete the tiers in ``delete_tiers`` with what is below them
    (as delete_tier). Any refusal leaves the project as it was."""
    with edit_transaction():
        restored = restore_tiers(project, annotator=annotator, **restore) if restore else None
        results, _ = services.apply_batch(project, operations, annotator) if operations else ([], 0)
        for tier_id in delete_tiers:
            delete_tier(project, tier_id)
        return {"restored": restored, "results": results, "revision": lock_project(project).revision}


# ---- tier types -------------------------------------------------------------------------------------
@transaction.atomic
def create_tier_type(project: Project, data: dict[str, Any]) -> m.TierType:
    """Add a tier type."""
    project = lock_project(project)
    view = load_view(project, [])
    name = _name(data.get("name"), "tier type")
    _unique(view.type_rows.values(), name, "tier type")
    vocabulary = _row(view.vocabulary_rows, data["vocabulary_id"], "vocabulary") if data.get("vocabulary_id") else None
    row = m.TierType.objects.create(
        project=project, name=name, constraint=Constraint(data.get("constraint") or "None").value, vocabulary=vocabulary
    )
    project.count_change()
    return row


@transaction.atomic
def update_tier_type(project: Project, type_id: int, data: dict[str, Any]) -> m.TierType:
    """Rename a tier type or change its constraint or vocabulary, if every tier of the type still fits."""
    project = lock_project(project)
    types = {t.id: t for t in project.tier_types.all()}
    row = _row(types, type_id, "tier type")
    used_by = list(project.tiers.filter(tier_type_id=type_id).values_list("id", flat=True))
    view = load_view(project, used_by)
    doc_type = next(tt for tt in view.doc.tier_types if tt.id == row.name)
    if data.get("name") is not None:
        name = _name(data["name"], "tier type")
        _unique(types.values(), name, "tier type", exclude=type_id)
        for tier in view.doc.tiers:
            if tier.type == row.name:
                tier.type = name
        row.name = doc_type.id = name
    if data.get("constraint") is not None:
        row.constraint = data["constraint"]
        doc_type.constraint = Constraint(data["constraint"])
    if "vocabulary_id" in data:
        vocabulary = _row(view.vocabulary_rows, data["vocabulary_id"], "vocabulary") if data["vocabulary_id"] else None
        row.vocabulary = vocabulary
        doc_type.vocabulary = vocabulary.name if vocabulary else None
    _save_checked(project, view, used_by, f"tier type {row.name!r} cannot change like this", row.save)
    return row


@transaction.atomic
def delete_tier_type(project: Project, type_id: int) -> None:
    """Delete a tier type no tier uses."""
    project = lock_project(project)
    row = _row({t.id: t for t in project.tier_types.all()}, type_id, "tier type")
    users = list(project.tiers.filter(tier_type=row).values_list("name", flat=True))
    _delete_unused(
        project, row, f"tier type {row.name!r} is used by tiers", users, "give them another type or delete them first"
    )


# ---- vocabularies -----------------------------------------------------------------------------------
def _vocabulary(name: str, data: dict[str, Any], old: m.Vocabulary | None) -> Vocabulary:
    """The document vocabulary ``data`` describes (entries without an id get a new one)."""
    entries_data = data["entries"] if data.get("entries") is not None else (old.entries if old else [])
    descriptions = data["descriptions"] if data.get("descriptions") is not None else (old.descriptions if old else [])
    used = {e.get("id") for e in entries_data if e.get("id")}
    entries, n = [], 0
    for i, e in enumerate(entries_data):
        values = [LocalizedValue(**v) for v in e.get("values", []) if v.get("value", "").strip()]
        if not values:
            raise DocumentError(f"vocabulary {name!r}: entry {i + 1} needs at least one non-empty value")
        entry_id = e.get("id")
        while not entry_id:
            n += 1
            entry_id = f"cve_{n}" if f"cve_{n}" not in used else None
        used.add(entry_id)
        entries.append(
            VocabularyEntry(id=entry_id, values=values, attributes=e.get("attributes") or {}, ext_ref=e.get("ext_ref"))
        )
    ids = [e.id for e in entries]
    if len(set(ids)) != len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise DocumentError(f"vocabulary {name!r}: two entries have the id {twice!r}")
    return Vocabulary(id=name, entries=entries, descriptions=[LocalizedValue(**d) for d in descriptions])


def _store_vocabulary(row: m.Vocabulary, vocabulary: Vocabulary) -> None:
    row.name = vocabulary.id
    row.entries = [asdict(e) for e in vocabulary.entries]
    row.descriptions = [asdict(d) for d in vocabulary.descriptions]
    row.save()


@transaction.atomic
def create_vocabulary(project: Project, data: dict[str, Any]) -> m.Vocabulary:
    """Add a controlled vocabulary."""
    project = lock_project(project)
    name = _name(data.get("name"), "vocabulary")
    _unique(project.vocabularies.all(), name, "vocabulary")
    row = m.Vocabulary(project=project)
    _store_vocabulary(row, _vocabulary(name, data, None))
    project.count_change()
    return row


@transaction.atomic
def update_vocabulary(project: Project, vocabulary_id: int, data: dict[str, Any]) -> m.Vocabulary:
    """Rename a vocabulary or replace its entries/descriptions, if the values on tiers using it still fit."""
    project = lock_project(project)
    rows = {v.id: v for v in project.vocabularies.all()}
    row = _row(rows, vocabulary_id, "vocabulary")
    name = _name(data["name"], "vocabulary") if data.get("name") is not None else row.name
    _unique(rows.values(), name, "vocabulary", exclude=vocabulary_id)
    vocabulary = _vocabulary(name, data, row)
    used_by = list(project.tiers.filter(tier_type__vocabulary_id=vocabulary_id).values_list("id", flat=True))
    view = load_view(project, used_by)
    renamed = _follow_renamed_entries(view, used_by, view.doc.vocabulary(row.name), vocabulary)
    view.doc.vocabularies = [v for v in view.doc.vocabularies if v.id != row.name] + [vocabulary]
    for tt in view.doc.tier_types:
        if tt.vocabulary == row.name:
            tt.vocabulary = name

    def save() -> None:
        _store_vocabulary(row, vocabulary)
        _save_annotations([(stored, {"value": value}) for stored, value in renamed])

    _save_checked(project, view, used_by, f"vocabulary {name!r} cannot change like this", save)
    return row


def _follow_renamed_entries(
    view: DocumentView, tier_ids: list[int], old: Vocabulary, new: Vocabulary
) -> list[tuple[StoredRow, str]]:
    """Give the annotations on ``tier_ids`` whose entry (``cv_entry``) is still in ``new`` but no longer has their
    value that entry's new value, in the same language where it has one; returns the rows and their new values."""
    renamed = []
    for tier_id in tier_ids:
        for a in view.doc_tier(tier_id).annotations:
            if not a.cv_entry or not a.value:
                continue
            entry = new.entry(a.cv_entry)
            if entry is None or any(v.value == a.value for v in entry.values):
                continue
            before = old.entry(a.cv_entry)
            lang = next((v.lang for v in before.values if v.value == a.value), None) if before else None
            a.value = next((v.value for v in entry.values if v.lang == lang), entry.values[0].value)
            renamed.append((view.rows[a.id], a.value))
    return renamed


@transaction.atomic
def delete_vocabulary(project: Project, vocabulary_id: int) -> None:
    """Delete a vocabulary no tier type uses."""
    project = lock_project(project)
    row = _row({v.id: v for v in project.vocabularies.all()}, vocabulary_id, "vocabulary")
    users = list(project.tier_types.filter(vocabulary=row).values_list("name", flat=True))
    _delete_unused(project, row, f"vocabulary {row.name!r} is used by tier types", users, "detach it from them first")
