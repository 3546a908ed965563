"""Write an automatic tool's result (the engine's tiers, recognised glosses, a fingerspelled word) into a project,
all or nothing, never losing manual work.

In one transaction that locks the project: the project's document is loaded once (every tier, and the annotations
of the tiers the merge reads: ``kslars.proposals.tiers_read`` and their families), ``kslars.proposals`` merges the
result into it (new tiers and versions, untouched predictions replaced, the annotator's edits kept: the rules are
written there), and what the merge changed is stored once: new vocabularies, tier types and tiers, the removed
predictions and the added annotations, at positions among the kept ones. Tiers the engine adds are named in the
project's language and keep their role (tier_names.py); annotation ids continue the project's counter, so none is
ever reused. The revision is counted once.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from kslars.document import Document
from kslars.proposals import NEW_VERSION, MergeSummary, check_existing, merge_proposals, tiers_read
from kslars.web.annotation import models as m
from kslars.web.annotation.attribution import ENGINE, attribute
from kslars.web.annotation.editing import family_of, lock_project, plan_positions
from kslars.web.annotation.services import COUNTER_KEY, next_key_number
from kslars.web.annotation.store import (
    annotation_row,
    load_document,
    tier_row,
    tier_type_row,
    vocabulary_row,
)
from kslars.web.annotation.tier_names import ROLE, localised
from kslars.web.projects.models import Project


def write_result(
    project: Project,
    result: Document,
    existing: str = NEW_VERSION,
    start_ms: int | None = None,
    end_ms: int | None = None,
    annotator: str = ENGINE,
) -> MergeSummary:
    """Merge the tool's ``result`` into ``project`` in one transaction (``existing``: how, kslars.proposals).

    ``start_ms``/``end_ms`` bound the processed range (None: the whole video): replacing only ever removes
    predictions that lie inside it. Counts one revision. The tool's annotations are recorded as made by
    ``annotator``.
    """
    check_existing(existing)
    result.validate()
    attribute(result, annotator)
    with transaction.atomic():
        project = lock_project(project)
        rows = {row.id: row for row in project.tiers.all()}
        roles = {row.name: row.extra[ROLE] for row in rows.values() if row.extra.get(ROLE)}
        read = tiers_read(result, {row.name: roles.get(row.name) for row in rows.values()})
        before = load_document(project, family_of(rows, [i for i, row in rows.items() if row.name in read]))
        first = next_key_number(project)
        merged = merge_proposals(
            before,
            result,
            existing,
            start_ms,
            end_ms,
            roles=roles,
            name_tier=lambda name: localised(name, project.language),
            first_number=first,
        )
        store_changes(project, before, merged.document, merged.roles)
        if merged.next_number > first:
            project.document_meta[COUNTER_KEY] = merged.next_number - 1
        project.count_change(also=["document_meta"])
    return merged.summary


def store_changes(project: Project, before: Document, after: Document, roles: dict[str, str]) -> None:
    """Write what turned the project's document ``before`` into ``after``: the vocabularies, tier types and tiers
    it added (new tiers at the end, playing ``roles``), the annotations it removed and those it added (placed among
    the kept ones, which keep their positions where they can). Kept annotations are not written again."""
    vocabularies = {v.name: v for v in project.vocabularies.all()}
    for v in after.vocabularies:
        if v.id not in vocabularies:
            vocabularies[v.id] = vocabulary_row(project, v)
            vocabularies[v.id].save()
    types = {t.name: t for t in project.tier_types.all()}
    for tt in after.tier_types:
        if tt.id not in types:
            types[tt.id] = tier_type_row(project, tt, vocabularies.get(tt.vocabulary) if tt.vocabulary else None)
            types[tt.id].save()
    tiers = {t.name: t for t in project.tiers.all()}
    top = project.tiers.aggregate(top=Max("position"))["top"] or 0
    for t in after.tiers:
        if t.id not in tiers:
            top += 1
            tiers[t.id] = tier_row(project, t, types[t.type], top, tiers.get(t.parent), roles.get(t.id))
            tiers[t.id].save()
    kept = {a.id for _, a in after.annotations()}
    gone = [a.id for _, a in before.annotations() if a.id not in kept]
    if gone:
        m.Annotation.objects.filter(project=project, key__in=gone).delete()
    had = {t.id: {a.id for a in t.annotations} for t in before.tiers}
    for t in after.tiers:
        new = [a for a in t.annotations if a.id not in had.get(t.id, ())]
        if new:
            _add_annotations(project, tiers[t.id], [a.id for a in t.annotations], new)


def _add_annotations(project: Project, tier: m.Tier, order: list[str], new: list) -> None:
    """Insert the ``new`` annotations of ``tier`` so that the tier reads in ``order``, moving as few stored
    annotations as possible."""
    rows = {key: (pk, position) for key, pk, position in tier.annotations.values_list("key", "pk", "position")}
    stored = {key: position for key, (_, position) in rows.items()}
    positions = plan_positions(order, {**stored, **{a.id: None for a in new}})
    moved = [
        m.Annotation(pk=pk, position=positions[key])
        for key, (pk, position) in rows.items()
        if positions[key] != position
    ]
    m.Annotation.objects.bulk_update(moved, ["position"])
    m.Annotation.objects.bulk_create([annotation_row(project, tier, a, positions[a.id]) for a in new])
