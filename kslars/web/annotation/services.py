"""Annotation edits: create, update, delete and all-or-nothing batches, with constraint and version checks.

Each edit locks the project (see kslars.web.annotation.editing), loads what its operations can reach as a
kslars.document view (the annotations named, their neighbours on their tiers, their parents and everything
below them, found by time and parent: a few indexed queries, whatever the tiers' sizes), applies every
operation there, checks the annotations it touched against kslars.document_rules and the rules below, and only
then writes the changed rows and bumps the project's revision, in one transaction. Any error leaves the stored
document as it was.

What edits add to the document rules:

- Versions: an update or delete names the version the editor last saw; if the stored one differs (or the
  annotation is gone) nothing is changed and StaleVersion carries the current state (HTTP 409). An id the
  project never gave out (none of its ``a<N>`` up to the highest ever used) is not found (HTTP 404).
- Parents and children: changing a parent annotation's times never moves its children. If an Included_In or
  Time_Subdivision child would end up outside its parent, the edit is refused with a message naming the child
  (the editor moves or resizes the children in the same batch). Symbolic children follow their parent's times.
- Deleting an annotation deletes every annotation that depends on it (symbolic and time-aligned, on all child
  tiers below) in the same transaction; the result names every deleted id.
- Time_Subdivision: the tiling rule is checked after all operations of a request (a split is update + create;
  a merge is update + delete). As in ELAN, the first piece created in a parent spans the whole parent: its times
  only pick the parent.
- Symbolic_Subdivision: a new piece names its ``parent`` and optionally ``previous`` (the piece it follows;
  left out: after the last piece; null: first). Deleting a piece links its successor to its predecessor.
- Vocabularies: a value on a vocabulary tier gets the ``cv_entry`` of the entry it is a value of.
- Batches: a create may name itself with a ``ref`` of the client's choosing, and a later create's ``parent`` or
  ``previous`` may be that ref, so that parents and their symbolic children are created in one request (Undo).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.http import Http404
from django.utils import timezone

from kslars.document import Annotation, Constraint, DocumentError, Tier
from kslars.document_rules import DocumentIndex
from kslars.document_tree import descendants_of, pieces_of
from kslars.web.annotation import models as m
from kslars.web.annotation.editing import (
    DocumentView,
    StaleVersion,
    StoredRow,
    edit_reach,
    edit_transaction,
    in_document_order,
    load_view,
    lock_project,
    place_by_time,
    plan_positions,
    renumbers,
    set_value,
    subdivision_chain,
)
from kslars.web.annotation.output import annotation_out
from kslars.web.annotation.store import annotation_columns, annotation_row
from kslars.web.projects.models import Project

TIME_FIELDS = ("start_ms", "end_ms")
# The columns (store.annotation_columns) an edit may change in a stored annotation; its id, parent, time slots,
# language and external reference stay as they were
EDITED_COLUMNS = ("value", "start_ms", "end_ms", "previous_key", "cv_entry", "attributes", "annotator", "version")
Span = tuple[int | None, int | None]  # new times an operation gives (None: not given)
KEY_PATTERN = re.compile(r"^a([0-9]{1,18})$")  # bounded: int() of any such id is cheap and never refused
# The highest a<N> number ever given out, kept with the project so that the id of a deleted annotation is never
# reused: an editor still holding the old annotation must get a conflict, not edit a newcomer with the same id.
COUNTER_KEY = "last_annotation_number"


def next_key_number(project: Project) -> int:
    """The first ``a<N>`` number never given out in ``project`` (locked by the caller); after using numbers up to
    M, store M in ``project.document_meta[COUNTER_KEY]``."""
    keys = project.annotations.filter(key__regex=r"^a[0-9]{1,18}$").values_list("key", flat=True)
    numbers = [int(match.group(1)) for k in keys if (match := KEY_PATTERN.match(k))]  # all match: see the filter
    numbers.append(int(project.document_meta.get(COUNTER_KEY, 0)))
    return max(numbers) + 1


class AnnotationEdit:
    """One request's annotation operations on a locked project, applied in memory and then written at once."""

    def __init__(
        self, project: Project, tier_ids: set[int], keys: set[str], spans: list[Span], annotator: str | None = None
    ) -> None:
        self.project = lock_project(project)
        self.annotator = annotator  # who makes the edit: recorded on every annotation it creates or changes
        key_tiers, window = edit_reach(self.project, keys, spans)
        self.view: DocumentView = load_view(self.project, tier_ids | key_tiers, window=window)
        self.doc = self.view.doc
        self.index: dict[str, tuple[Tier, Annotation]] = {a.id: (t, a) for t, a in self.doc.annotations()}
        self.created: list[str] = []
        self.changed: set[str] = set()
        self.deleted: list[str] = []
        self.moved_parents: dict[str, list[str]] = {}  # parent id -> ids of time-aligned children to recheck
        self.tiling: set[str] = set()  # parents whose Time_Subdivision pieces must be checked
        self.reordered: set[str] = set()  # tiers where annotations were placed
        self.placed: set[str] = set()  # annotations that need a (new) stored position
        self._next_key: int | None = None

    # ---- operations ------------------------------------------------------------------------------
    def create(self, data: dict[str, Any], fields_set: set[str]) -> str:
        """Add a new annotation described by ``data``; returns its id."""
        tier = self.view.doc_tier(data["tier_id"])
        constraint = self.doc.constraint_of(tier)
        a = Annotation(id=self.new_key(), attributes=data.get("attributes") or {})
        where = f"tier {tier.id!r} ({constraint.value})"
        if constraint.time_alignable:
            if data.get("start_ms") is None or data.get("end_ms") is None:
                raise DocumentError(f"{where}: a new annotation needs start_ms and end_ms")
            if data.get("parent") is not None or data.get("previous") is not None:
                raise DocumentError(f"{where}: time-aligned annotations find their parent by time; leave out parent")
            a.start_ms, a.end_ms = data["start_ms"], data["end_ms"]
            if constraint is Constraint.TIME_SUBDIVISION:
                self._snap_first_piece(tier, a)
        else:
            if data.get("start_ms") is not None or data.get("end_ms") is not None:
                raise DocumentError(f"{where}: annotations take their times from the parent; leave out start_ms/end_ms")
            if data.get("parent") is None:
                raise DocumentError(f"{where}: a new annotation needs the id of its parent annotation")
            a.parent = data["parent"]
            if constraint is Constraint.SYMBOLIC_SUBDIVISION:
                self._link_piece(tier, a, data.get("previous"), "previous" in fields_set)
            elif data.get("previous") is not None:
                raise DocumentError(f"{where}: only Symbolic_Subdivision annotations have a previous annotation")
        set_value(self.view, tier, a, data.get("value") or "", data.get("cv_entry"))
        if constraint.time_alignable:
            place_by_time(tier.annotations, a)
        else:
            tier.annotations.append(a)
        self.index[a.id] = (tier, a)
        self.created.append(a.id)
        self.reordered.add(tier.id)
        self.placed.add(a.id)
        self._touched(tier, a)
        return a.id

    def update(self, key: str, version: int, data: dict[str, Any]) -> str:
        """Change the fields in ``data`` of annotation ``key``, whose version the caller saw is ``version``."""
        tier, a = self.current(key, version)
        constraint = self.doc.constraint_of(tier)
        if any(f in data for f in TIME_FIELDS):
            if not constraint.time_alignable:
                raise DocumentError(
                    f"annotation {key!r} on tier {tier.id!r} ({constraint.value}) takes its times from its parent"
                )
            if any(f in data and data[f] is None for f in TIME_FIELDS):
                raise DocumentError(f"annotation {key!r}: start_ms and end_ms must be whole milliseconds, not null")
            self._note_children(tier, a)
            self._touched(tier, a)  # the parent it leaves must stay filled too
            a.start_ms = data.get("start_ms", a.start_ms)
            a.end_ms = data.get("end_ms", a.end_ms)
            place_by_time(tier.annotations, a)
            self.reordered.add(tier.id)
            self.placed.add(a.id)
        if "value" in data or "cv_entry" in data:
            value = data.get("value")
            if value is None:  # only cv_entry sent: the value follows the entry (or stays, when cv_entry is null)
                value = "" if data.get("cv_entry") is not None else a.value
            set_value(self.view, tier, a, value, data.get("cv_entry"))
        if "attributes" in data:
            a.attributes = data["attributes"] or {}
        if key not in self.created:
            self.changed.add(key)
        self._touched(tier, a)
        return key

    def delete(self, key: str, version: int) -> list[str]:
        """Delete annotation ``key`` and everything that depends on it; returns the deleted ids."""
        tier, a = self.current(key, version)
        victims = [(tier, a)] + descendants_of(self.doc, tier, a)
        for t, x in victims:
            if self.doc.constraint_of(t) is Constraint.TIME_SUBDIVISION:
                parent = self.doc.parent_annotation(t, x)
                if parent is not None:
                    self.tiling.add(parent.id)
        for t, x in victims:
            if self.doc.constraint_of(t) is Constraint.SYMBOLIC_SUBDIVISION:
                for sibling in t.annotations:
                    if sibling.previous == x.id and sibling.parent == x.parent:
                        sibling.previous = x.previous
                        self._mark_changed(sibling.id)
            t.annotations.remove(x)
            del self.index[x.id]
        ids = [x.id for _, x in victims]
        for i in ids:
            self.changed.discard(i)
            self.tiling.discard(i)
            self.moved_parents.pop(i, None)
            if i in self.created:
                self.created.remove(i)
            else:
                self.deleted.append(i)
        return ids

    # ---- helpers ---------------------------------------------------------------------------------
    def current(self, key: str, version: int) -> tuple[Tier, Annotation]:
        """The annotation ``key`` if its stored version is ``version``; StaleVersion (409) if it changed or was deleted,
        Http404 for an id the project never gave out."""
        if key not in self.index:
            number = KEY_PATTERN.match(key)
            if number is None or int(number.group(1)) >= next_key_number(self.project):
                raise Http404("No such annotation")
            raise StaleVersion(f"annotation {key!r} was deleted by someone else", None)
        tier, a = self.index[key]
        if a.version != version:
            raise StaleVersion(
                f"annotation {key!r} was changed by someone else (version {a.version}, you edited version {version})",
                annotation_out(a),
            )
        return tier, a

    def new_key(self) -> str:
        """A project-wide unused annotation id in ELAN's ``a<N>`` style."""
        if self._next_key is None:
            self._next_key = next_key_number(self.project)
        key = f"a{self._next_key}"
        self._next_key += 1
        return key

    def _link_piece(self, tier: Tier, a: Annotation, previous: str | None, previous_given: bool) -> None:
        """Place the new Symbolic_Subdivision piece ``a`` after ``previous`` among its parent's pieces."""
        pieces = subdivision_chain([x for x in tier.annotations if x.parent == a.parent])
        if not previous_given:
            previous = pieces[-1].id if pieces else None
        if previous is not None and all(p.id != previous for p in pieces):
            raise DocumentError(
                f"tier {tier.id!r}: previous annotation {previous!r} is not a piece of parent {a.parent!r}"
            )
        for p in pieces:
            if p.previous == previous:
                p.previous = a.id
                self._mark_changed(p.id)
        a.previous = previous

    def _snap_first_piece(self, tier: Tier, a: Annotation) -> None:
        """The first piece of a parent on a Time_Subdivision tier spans the whole parent, as in ELAN."""
        parent = self.doc.parent_annotation(tier, a)
        if parent is not None and not pieces_of(self.doc, tier, parent):
            a.start_ms, a.end_ms = self.doc.times_of(parent)

    def _note_children(self, tier: Tier, a: Annotation) -> None:
        """Before ``a``'s times change: remember its time-aligned descendants to check they still fit."""
        if a.id in self.moved_parents:
            return
        self.moved_parents[a.id] = [
            x.id for t, x in descendants_of(self.doc, tier, a) if self.doc.constraint_of(t).time_alignable
        ]

    def _mark_changed(self, key: str) -> None:
        if key not in self.created:
            self.changed.add(key)

    def _touched(self, tier: Tier, a: Annotation) -> None:
        if self.doc.constraint_of(tier) is Constraint.TIME_SUBDIVISION:
            parent = self.doc.parent_annotation(tier, a)
            if parent is not None:
                self.tiling.add(parent.id)
        self.tiling.add(a.id)

    # ---- checking and writing ----------------------------------------------------------------------
    def check(self) -> None:
        """Raise DocumentError at the first rule of kslars.document_rules that the touched annotations break."""
        rules = DocumentIndex(self.doc)
        for key in [*self.created, *sorted(self.changed)]:
            rules.check_annotation(*self.index[key])
        for parent_key, child_keys in self.moved_parents.items():
            parent_tier, parent = self.index[parent_key]
            ps, pe = self.doc.times_of(parent)
            for child_key in child_keys:
                if child_key not in self.index:
                    continue
                tier, child = self.index[child_key]
                cs, ce = self.doc.times_of(child)
                if cs is not None and ps is not None and cs < ps or ce is not None and pe is not None and ce > pe:
                    raise DocumentError(
                        f"annotation {parent_key!r} on tier {parent_tier.id!r} would end at {ps}-{pe} ms, leaving "
                        f"its annotation {child_key!r} on tier {tier.id!r} ({cs}-{ce} ms) outside it: move, "
                        f"resize or delete that annotation first (or in the same batch)"
                    )
                rules.check_annotation(tier, child)
        for key in sorted(self.tiling):
            if key in self.index:
                rules.check_tiling(*self.index[key])

    def save(self) -> int:
        """Write deletions, changes and new annotations, keep the stored order, bump the revision."""
        rows, now = self.view.rows, timezone.now()
        if self.deleted:
            if self._next_key is None:  # the counter keeps the deleted ids as given out (a later edit: 409, not 404)
                self._next_key = next_key_number(self.project)
            m.Annotation.objects.filter(project=self.project, key__in=self.deleted).delete()
        for key in sorted(self.changed):
            _, a = self.index[key]
            a.version = rows[key].version + 1
            a.annotator = self.annotator or a.annotator
            columns = annotation_columns(a)
            m.Annotation.objects.filter(pk=rows[key].pk).update(
                **{column: columns[column] for column in EDITED_COLUMNS}, updated_at=now
            )
        for key in self.created:
            tier, a = self.index[key]
            a.annotator = self.annotator
            rows[key] = StoredRow(None, self.view.tier_row_named(tier.id).id, -1, a.version)
        positions = self._assign_positions()
        m.Annotation.objects.bulk_create(
            annotation_row(self.project, self.view.tier_row(rows[k].tier_id), self.index[k][1], positions[k])
            for k in self.created
        )
        if self._next_key is not None:
            self.project.document_meta[COUNTER_KEY] = self._next_key - 1
            return self.project.count_change(also=["document_meta"], locked=True)
        return self.project.count_change(locked=True)

    def _assign_positions(self) -> dict[str, int]:
        """Give placed annotations positions between their neighbours' (renumbering a tier only when there is no
        room left), write the stored rows whose position changed; returns the positions of the placed ones."""
        moved, positions = [], {}
        rows = self.view.rows
        for name in self.reordered:
            tier = self.doc.tier(name)
            tier.annotations = in_document_order(self.doc, tier)
            order = [a.id for a in tier.annotations]
            stored = {key: None if key in self.placed else rows[key].position for key in order}
            planned = plan_positions(order, stored)
            if renumbers(planned, stored):  # no room left between two neighbours: the whole tier, not the window
                whole = self.view.whole_order(tier, order)
                planned = plan_positions(whole, {key: None for key in whole})
            for key, position in planned.items():
                positions[key] = position
                if rows[key].pk is not None and rows[key].position != position:
                    moved.append(m.Annotation(pk=rows[key].pk, position=position))
        if moved:
            m.Annotation.objects.bulk_update(moved, ["position"], batch_size=500)
        return positions

    def result(self, key: str) -> dict:
        """The saved state of ``key``, or a deletion marker."""
        if key in self.index:
            return annotation_out(self.index[key][1])
        return {"id": key, "deleted": True}


def _run(
    project: Project, operations: list[tuple[str, dict[str, Any]]], apply, annotator: str | None = None
) -> tuple[AnnotationEdit, Any, int]:
    """Apply ``apply`` to an AnnotationEdit that loaded what the (op, data) ``operations`` can reach, check the
    result and save it, in one transaction; what it creates or changes is recorded as ``annotator``'s."""
    tier_ids = {data["tier_id"] for op, data in operations if op == "create"}
    keys = {data["id"] for op, data in operations if op != "create"}
    keys |= {data["parent"] for op, data in operations if op == "create" and data.get("parent") is not None}
    spans = [(data.get("start_ms"), data.get("end_ms")) for op, data in operations if op != "delete"]
    with edit_transaction():
        edit = AnnotationEdit(project, tier_ids, keys, spans, annotator)
        outcome = apply(edit)
        edit.check()
        revision = edit.save()
    return edit, outcome, revision


def create_annotation(
    project: Project, data: dict[str, Any], fields_set: set[str], annotator: str | None = None
) -> dict:
    """Create one annotation, made by ``annotator``; returns it."""
    edit, key, _ = _run(project, [("create", data)], lambda e: e.create(data, fields_set), annotator)
    return edit.result(key)


def update_annotation(
    project: Project, key: str, version: int, data: dict[str, Any], annotator: str | None = None
) -> dict:
    """Update annotation ``key`` (``version`` as the caller saw it) with the fields in ``data``, changed by
    ``annotator``; returns it."""
    edit, _, _ = _run(project, [("update", {**data, "id": key})], lambda e: e.update(key, version, data), annotator)
    return edit.result(key)


def delete_annotation(project: Project, key: str, version: int) -> tuple[list[str], int]:
    """Delete annotation ``key`` and its dependants; returns the deleted ids and the new revision."""
    _, deleted, revision = _run(project, [("delete", {"id": key})], lambda e: e.delete(key, version))
    return deleted, revision


def batch_refs(operations: Sequence[tuple[str, dict[str, Any], set[str]]]) -> set[str]:
    """The refs the creates of a batch give themselves; DocumentError if one is given twice or looks like an
    annotation id, or if a create names the ref of an operation after it."""
    refs: set[str] = set()
    later = {data["ref"] for op, data, _ in operations if op == "create" and data.get("ref") is not None}
    for op, data, _ in operations:
        if op != "create":
            continue
        for key in ("parent", "previous"):
            if data.get(key) in later - refs:
                raise DocumentError(
                    f"{key} {data[key]!r} names the ref {data[key]!r} of an operation after it: create it first"
                )
        ref = data.get("ref")
        if ref is None:
            continue
        if KEY_PATTERN.match(ref):
            raise DocumentError(f"ref {ref!r} looks like an annotation id: choose another name")
        if ref in refs:
            raise DocumentError(f"ref {ref!r} is given to more than one operation")
        refs.add(ref)
    return refs


def recreate_annotations(
    project: Project, annotations: Sequence[dict[str, Any]], annotator: str | None = None
) -> tuple[dict[str, str], int]:
    """Create ``annotations`` (AnnotationCreate fields given, plus the ``id`` each had) again, all together or not
    at all; ``parent`` and ``previous`` may name the old ids of others in the list, which are created first. Returns
    the new ids by old id, and the revision.

    One batch (:func:`apply_batch`) in which each annotation's ref is made from its old id."""
    old = {a["id"] for a in annotations}
    if len(old) != len(annotations):
        raise DocumentError("each annotation to create again must have an id of its own")

    def ref(key: str) -> str:
        return f"restored:{key}"

    ordered = _parents_first(annotations, old)
    operations = []
    for a in ordered:
        data = {k: v for k, v in a.items() if k != "id"} | {"ref": ref(a["id"])}
        data |= {k: ref(a[k]) for k in ("parent", "previous") if a.get(k) in old}
        operations.append(("create", data, set(data)))
    results, revision = apply_batch(project, operations, annotator)
    return {a["id"]: r["id"] for a, r in zip(ordered, results, strict=True)}, revision


def _parents_first(annotations: Sequence[dict[str, Any]], old: set[str]) -> list[dict[str, Any]]:
    """``annotations`` with each after those of them it names as ``parent`` or ``previous`` (ids in ``old``)."""
    done: set[str] = set()
    out: list[dict[str, Any]] = []
    pending = list(annotations)
    while pending:
        now = [a for a in pending if all(a.get(k) not in old or a[k] in done for k in ("parent", "previous"))]
        if not now:
            raise DocumentError(f"annotations {sorted(a['id'] for a in pending)} refer to each other in a circle")
        out += now
        done |= {a["id"] for a in now}
        pending = [a for a in pending if a["id"] not in done]
    return out


def apply_batch(
    project: Project, operations: Sequence[tuple[str, dict[str, Any], set[str]]], annotator: str | None = None
) -> tuple[list[dict], int]:
    """Apply (op, data, fields given) operations all together or not at all, made by ``annotator``; returns their
    results and the revision.

    Results follow the operations, then list the annotations deleted along with a deleted parent. A create's
    ``parent`` or ``previous`` may be the ``ref`` of a create before it (see batch_refs).
    """
    refs = batch_refs(operations)

    def apply(edit: AnnotationEdit) -> tuple[list[str], list[str]]:
        order: list[str] = []
        extra: list[str] = []
        new: dict[str, str] = {}  # new id by ref
        for op, data, fields_set in operations:
            if op == "create":
                named = {k: new[data[k]] for k in ("parent", "previous") if data.get(k) in new}
                order.append(edit.create({**data, **named}, fields_set))
                if data.get("ref") is not None:
                    new[data["ref"]] = order[-1]
            elif op == "update":
                fields = {k: data[k] for k in fields_set if k not in ("op", "id", "version")}
                order.append(edit.update(data["id"], data["version"], fields))
            else:
                deleted = edit.delete(data["id"], data["version"])
                order.append(deleted[0])
                extra.extend(deleted[1:])
        return order, extra

    loads = [(op, {**data, "parent": None} if data.get("parent") in refs else data) for op, data, _ in operations]
    edit, (order, extra), revision = _run(project, loads, apply, annotator)
    results = [edit.result(k) for k in order]
    results += [{"id": k, "deleted": True} for k in extra if k not in order]
    return results, revision
