"""The one mapping between the annotation tables (models.py) and kslars.document: rows to document objects and
back, the whole document loaded or saved in one transaction, and the changes between two documents written."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from typing import Any

from django.db import transaction

from kslars.document import (
    Annotation,
    Constraint,
    Document,
    LocalizedValue,
    Tier,
    TierType,
    Vocabulary,
    VocabularyEntry,
)
from kslars.web.annotation import models as m
from kslars.web.annotation.tier_names import ROLE
from kslars.web.projects.models import Project

# Keys of Document.to_dict() that live in Project.document_meta rather than in tables of their own.
META_KEYS = (
    "media",
    "languages",
    "locales",
    "licenses",
    "external_refs",
    "linked_files",
    "lexicons",
    "properties",
    "author",
    "date",
)


def load_document(project: Project, tier_ids: Collection[int] | None = None) -> Document:
    """The project's whole annotation document, read with a fixed number of queries; with ``tier_ids``, every tier,
    tier type and vocabulary but only the annotations of those tiers (the others' lists stay empty)."""
    vocabularies = list(project.vocabularies.all())
    types = list(project.tier_types.select_related("vocabulary"))
    tiers = list(project.tiers.select_related("tier_type", "parent"))
    by_tier: dict[int, list[Annotation]] = {t.id: [] for t in tiers}
    rows = project.annotations if tier_ids is None else project.annotations.filter(tier_id__in=list(tier_ids))
    for values in rows.order_by("tier_id", "position", "start_ms", "id").values_list(*ANNOTATION_COLUMNS):
        by_tier[values[-2]].append(annotation_from_values(values))
    doc = Document.from_dict({k: v for k, v in project.document_meta.items() if k in META_KEYS})
    doc.vocabularies = [vocabulary_from_row(v) for v in vocabularies]
    doc.tier_types = [tier_type_from_row(t) for t in types]
    doc.tiers = [tier_from_row(t, t.tier_type.name, t.parent.name if t.parent else None, by_tier[t.id]) for t in tiers]
    return doc


def tier_from_row(row: m.Tier, type_name: str, parent: str | None, annotations: list[Annotation] | None = None) -> Tier:
    """The document tier stored in ``row`` (of type ``type_name``, under the tier named ``parent``)."""
    return Tier(
        id=row.name,
        type=type_name,
        parent=parent,
        participant=row.participant,
        annotator=row.annotator,
        language=row.language,
        default_locale=row.extra.get("default_locale"),
        ext_ref=row.extra.get("ext_ref"),
        hidden=row.hidden,
        annotations=annotations if annotations is not None else [],
    )


# The columns read from annotation rows without model instances (large tiers load fast), in the order
# ``annotation_from_values`` takes them; the last three say where the row is stored.
ANNOTATION_COLUMNS = (
    "key",
    "value",
    "start_ms",
    "end_ms",
    "parent_key",
    "previous_key",
    "cv_entry",
    "ext_ref",
    "attributes",
    "version",
    "start_slot",
    "end_slot",
    "language",
    "annotator",
    "id",
    "tier_id",
    "position",
)


def annotation_from_values(values: tuple) -> Annotation:
    """The document annotation for a row read as ``ANNOTATION_COLUMNS``."""
    key, value, start, end, parent, previous, cv_entry, ext_ref, attributes, version, start_slot, end_slot, language = (
        values[:13]
    )
    annotator = values[13]
    return Annotation(
        id=key,
        value=value,
        start_ms=start,
        end_ms=end,
        parent=parent,
        previous=previous,
        cv_entry=cv_entry,
        ext_ref=ext_ref,
        attributes=attributes,
        version=version,
        start_slot=start_slot,
        end_slot=end_slot,
        language=language,
        annotator=annotator,
    )


def tier_type_from_row(row: m.TierType) -> TierType:
    """The document tier type stored in ``row``."""
    return TierType(
        id=row.name,
        constraint=Constraint(row.constraint),
        vocabulary=row.vocabulary.name if row.vocabulary else None,
        graphic_references=bool(row.extra.get("graphic_references", False)),
        ext_ref=row.extra.get("ext_ref"),
        lexicon_ref=row.extra.get("lexicon_ref"),
    )


def vocabulary_from_row(row: m.Vocabulary) -> Vocabulary:
    """The document vocabulary stored in ``row``."""
    return Vocabulary(
        id=row.name,
        entries=[
            VocabularyEntry(**{**e, "values": [LocalizedValue(**v) for v in e.get("values", [])]}) for e in row.entries
        ],
        descriptions=[LocalizedValue(**d) for d in row.descriptions],
        ext_ref=row.ext_ref,
    )


@transaction.atomic
def save_document(project: Project, doc: Document) -> None:
    """Replace the project's whole document with ``doc`` (validated first), all or nothing.

    Counts one revision (editors polling for changes reload) and keeps document_meta's own keys, such as
    the highest annotation id ever given out, so that ids of replaced annotations are never reused.
    """
    doc.validate()
    locked = Project.objects.select_for_update().get(pk=project.pk)
    project.annotations.all().delete()
    project.tiers.all().delete()
    project.tier_types.all().delete()
    project.vocabularies.all().delete()
    add_to_project(project, doc)
    meta = doc.to_dict()
    kept = {k: v for k, v in locked.document_meta.items() if k not in META_KEYS}
    project.document_meta = {**kept, **{k: meta[k] for k in META_KEYS}}
    project.count_change(also=["document_meta"])


def add_to_project(project: Project, doc: Document) -> None:
    """Insert ``doc``'s vocabularies, tier types, tiers and annotations into ``project``.

    Names must not clash with what the project already has (the caller renames or chooses first).
    """
    vocab_rows = {}
    for v in doc.vocabularies:
        vocab_rows[v.id] = vocabulary_row(project, v)
        vocab_rows[v.id].save()
    type_rows = {}
    for tt in doc.tier_types:
        type_rows[tt.id] = tier_type_row(project, tt, vocab_rows.get(tt.vocabulary) if tt.vocabulary else None)
        type_rows[tt.id].save()
    start = project.tiers.count()
    tier_rows: dict[str, m.Tier] = {}
    for position, t in enumerate(doc.tiers, start=start):
        tier_type = type_rows.get(t.type) or project.tier_types.get(name=t.type)
        tier_rows[t.id] = tier_row(project, t, tier_type, position)
        tier_rows[t.id].save()
    for t in doc.tiers:
        if t.parent is not None:
            row = tier_rows[t.id]
            row.parent = tier_rows.get(t.parent) or project.tiers.get(name=t.parent)
            row.save(update_fields=["parent"])
    m.Annotation.objects.bulk_create(
        [
            annotation_row(project, tier_rows[t.id], a, (i + 1) * m.POSITION_GAP)
            for t in doc.tiers
            for i, a in enumerate(t.annotations)
        ],
        batch_size=1000,
    )


def vocabulary_row(project: Project, v: Vocabulary) -> m.Vocabulary:
    """The (unsaved) row that stores the document vocabulary ``v`` in ``project``."""
    return m.Vocabulary(
        project=project,
        name=v.id,
        entries=[asdict(e) for e in v.entries],
        descriptions=[asdict(d) for d in v.descriptions],
        ext_ref=v.ext_ref,
    )


def tier_type_row(project: Project, tt: TierType, vocabulary: m.Vocabulary | None) -> m.TierType:
    """The (unsaved) row that stores the document tier type ``tt`` (using ``vocabulary``) in ``project``."""
    return m.TierType(
        project=project,
        name=tt.id,
        constraint=tt.constraint.value,
        vocabulary=vocabulary,
        extra={"graphic_references": tt.graphic_references, "ext_ref": tt.ext_ref, "lexicon_ref": tt.lexicon_ref},
    )


def tier_row(
    project: Project,
    t: Tier,
    tier_type: m.TierType,
    position: int,
    parent: m.Tier | None = None,
    role: str | None = None,
) -> m.Tier:
    """The (unsaved) row that stores the document tier ``t`` in ``project`` (``role``: the part it plays,
    tier_names.py)."""
    extra = {"default_locale": t.default_locale, "ext_ref": t.ext_ref, **({ROLE: role} if role else {})}
    return m.Tier(
        project=project,
        name=t.id,
        tier_type=tier_type,
        position=position,
        parent=parent,
        hidden=t.hidden,
        participant=t.participant,
        annotator=t.annotator,
        language=t.language,
        extra=extra,
    )


def annotation_columns(a: Annotation) -> dict[str, Any]:
    """The columns of an annotation row that hold the document annotation ``a`` (all but where it is stored:
    project, tier and position)."""
    return {
        "key": a.id,
        "value": a.value,
        "start_ms": a.start_ms,
        "end_ms": a.end_ms,
        "parent_key": a.parent,
        "previous_key": a.previous,
        "cv_entry": a.cv_entry,
        "ext_ref": a.ext_ref,
        "language": a.language,
        "start_slot": a.start_slot,
        "end_slot": a.end_slot,
        "attributes": a.attributes,
        "annotator": a.annotator,
        "version": a.version,
    }


def annotation_row(project: Project, tier: m.Tier, a: Annotation, position: int) -> m.Annotation:
    """The (unsaved) row that stores the document annotation ``a`` on ``tier`` at ``position``."""
    return m.Annotation(project=project, tier=tier, position=position, **annotation_columns(a))
