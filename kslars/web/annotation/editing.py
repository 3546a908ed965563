"""What every document edit shares: locking the project, loading the affected tiers as a kslars.document view,
setting a value on a vocabulary tier, and keeping the stored order. The rules an edit must keep are those of
kslars.document_rules, checked on the loaded view.

An edit runs inside ``transaction.atomic``: it locks the project row first (``select_for_update``; SQLite runs
IMMEDIATE transactions, which serialise writers the same way), so two editors' changes to one project are applied
one after the other and each sees the other's result. The project row carries ``revision``, bumped once per edit
(``Project.count_change``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import Http404

from kslars.document import Annotation, Constraint, Document, DocumentError, Tier, Vocabulary
from kslars.document_rules import vocabulary_entry_for
from kslars.web.annotation import models as m
from kslars.web.annotation.store import (
    ANNOTATION_COLUMNS,
    annotation_from_values,
    tier_from_row,
    tier_type_from_row,
    vocabulary_from_row,
)
from kslars.web.projects.models import Project


class StaleVersion(Exception):
    """The caller edited an old version of something (HTTP 409); ``current`` is its state now, or None."""

    def __init__(self, message: str, current: dict | None) -> None:
        super().__init__(message)
        self.current = current


def lock_project(project: Project) -> Project:
    """The project row again, locked until the transaction ends (call inside ``transaction.atomic``); Http404 when
    it was deleted since the caller loaded it."""
    try:
        return Project.objects.select_for_update().get(pk=project.pk)
    except Project.DoesNotExist:
        raise Http404("No such project") from None


@dataclass
class StoredRow:
    """Where a loaded annotation lives in the table: what an edit needs to write it back."""

    pk: int | None
    tier_id: int
    position: int
    version: int


@dataclass
class DocumentView:
    """The rows of one project's structure and a kslars.document view of some of its tiers.

    ``doc`` holds every tier type and vocabulary but only the tiers loaded (whole families: a tier's root and
    everything below it), so that constraint checks see parents and children. ``rows`` says where each loaded
    annotation (locked) is stored, by document id.
    """

    project: Project
    doc: Document
    tier_rows: dict[int, m.Tier]
    type_rows: dict[int, m.TierType]
    vocabulary_rows: dict[int, m.Vocabulary]
    rows: dict[str, StoredRow] = field(default_factory=dict)

    def tier_row(self, tier_id: int) -> m.Tier:
        """The project's tier with ``tier_id``; 404 when the project has none (other projects' ids look missing)."""
        row = self.tier_rows.get(tier_id)
        if row is None:
            raise Http404("No such tier")
        return row

    def tier_row_named(self, name: str) -> m.Tier:
        """The tier row whose name is ``name`` (the document's tier id)."""
        return next(r for r in self.tier_rows.values() if r.name == name)

    def doc_tier(self, tier_id: int) -> Tier:
        """The loaded document tier for the tier row ``tier_id``."""
        return self.doc.tier(self.tier_row(tier_id).name)

    def vocabulary_of(self, tier: Tier) -> Vocabulary | None:
        """The controlled vocabulary of ``tier``'s type, if it has one."""
        name = self.doc.tier_type(tier.type).vocabulary
        return self.doc.vocabulary(name) if name else None


def family_of(tier_rows: dict[int, m.Tier], tier_ids: Iterable[int]) -> set[int]:
    """The ids of every tier related to ``tier_ids``: their root tiers and everything below those roots."""
    roots = set()
    for tier_id in tier_ids:
        row = tier_rows[tier_id]
        seen = {row.id}
        while row.parent_id is not None and row.parent_id not in seen:
            seen.add(row.parent_id)
            row = tier_rows[row.parent_id]
        roots.add(row.id)
    children: dict[int | None, list[int]] = {}
    for row in tier_rows.values():
        children.setdefault(row.parent_id, []).append(row.id)
    family, todo = set(), list(roots)
    while todo:
        tier_id = todo.pop()
        if tier_id not in family:
            family.add(tier_id)
            todo.extend(children.get(tier_id, []))
    return family


def load_view(project: Project, tier_ids: Iterable[int], lock_annotations: bool = True) -> DocumentView:
    """Load the project's structure and the annotations of the families of ``tier_ids`` (locked for update)."""
    vocabulary_rows = {v.id: v for v in project.vocabularies.all()}
    type_rows = {t.id: t for t in project.tier_types.all()}
    tier_rows = {t.id: t for t in project.tiers.all()}
    for t in type_rows.values():
        t.vocabulary = vocabulary_rows.get(t.vocabulary_id)
    wanted = [i for i in tier_ids if i in tier_rows]
    family = family_of(tier_rows, wanted) if wanted else set()
    doc = Document(
        vocabularies=[vocabulary_from_row(v) for v in vocabulary_rows.values()],
        tier_types=[tier_type_from_row(t) for t in type_rows.values()],
    )
    by_tier: dict[int, Tier] = {}
    for row in sorted((tier_rows[i] for i in family), key=lambda r: (r.position, r.id)):
        parent = tier_rows[row.parent_id].name if row.parent_id else None
        by_tier[row.id] = tier_from_row(row, type_rows[row.tier_type_id].name, parent)
        doc.tiers.append(by_tier[row.id])
    view = DocumentView(project, doc, tier_rows, type_rows, vocabulary_rows)
    if family:
        query = m.Annotation.objects.filter(project=project, tier_id__in=family)
        if lock_annotations:
            query = query.select_for_update()
        for values in query.order_by("tier_id", "position", "start_ms", "id").values_list(*ANNOTATION_COLUMNS):
            pk, tier_id, position = values[-3:]
            by_tier[tier_id].annotations.append(annotation_from_values(values))
            view.rows[values[0]] = StoredRow(pk, tier_id, position, values[9])
    return view


def set_value(view: DocumentView, tier: Tier, annotation: Annotation, value: str, cv_entry: str | None) -> None:
    """Give ``annotation`` ``value`` (and its vocabulary entry when ``tier``'s type has a vocabulary)."""
    vocabulary = view.vocabulary_of(tier)
    if vocabulary is None:
        if cv_entry is not None:
            raise DocumentError(f"tier {tier.id!r} has no controlled vocabulary: leave out cv_entry")
        annotation.value, annotation.cv_entry = value, None
        return
    entry = vocabulary_entry_for(vocabulary, tier, value, cv_entry)
    annotation.value = (value or entry.value) if entry else ""
    annotation.cv_entry = entry.id if entry else None


def subdivision_chain(pieces: list[Annotation]) -> list[Annotation]:
    """The pieces of one parent on a Symbolic_Subdivision tier in order, following their ``previous`` links."""
    after = {a.previous: a for a in pieces}
    chain, current = [], after.get(None)
    while current is not None and current not in chain:
        chain.append(current)
        current = after.get(current.id)
    return chain + [a for a in pieces if a not in chain]  # pieces off the chain keep their stored order


def place_by_time(annotations: list[Annotation], a: Annotation) -> None:
    """Put time-aligned ``a`` before the first annotation of the list that starts after it; annotations without
    times keep their places, so unaligned pieces stay next to the pieces they follow."""
    if a in annotations:
        annotations.remove(a)
    for i, x in enumerate(annotations):
        if x.start_ms is not None and (x.start_ms, x.end_ms or 0) > (a.start_ms, a.end_ms or 0):
            annotations.insert(i, a)
            return
    annotations.append(a)


def in_document_order(doc: Document, tier: Tier) -> list[Annotation]:
    """``tier``'s annotations in stored order: time-aligned tiers keep theirs (edits place annotations by time),
    symbolic tiers are grouped by parent, Symbolic_Subdivision pieces in the order of their ``previous`` links."""
    constraint = doc.constraint_of(tier)
    if constraint.time_alignable:
        return list(tier.annotations)
    by_parent: dict[str | None, list[Annotation]] = {}
    for a in tier.annotations:
        by_parent.setdefault(a.parent, []).append(a)
    if constraint is Constraint.SYMBOLIC_SUBDIVISION:
        return [a for pieces in by_parent.values() for a in subdivision_chain(pieces)]
    return [a for pieces in by_parent.values() for a in pieces]


def plan_positions(order: list[str], stored: dict[str, int | None]) -> dict[str, int]:
    """Stored positions for the annotations ``order`` lists (the tier's new order), changing as few as possible.

    ``stored`` has each annotation's current position, or None for one that needs a place (new or moved).
    Positions that still increase along ``order`` stay; the others go evenly between their neighbours. Only
    when two neighbours leave too little room is the whole tier renumbered, ``POSITION_GAP`` apart.
    """
    kept, last = {}, None
    for key in order:
        p = stored.get(key)
        if p is not None and (last is None or p > last):
            kept[key], last = p, p
    planned, run, low = dict(kept), [], None
    for key in [*order, None]:  # None closes the last run
        if key is not None and key not in kept:
            run.append(key)
            continue
        high = kept.get(key) if key is not None else None
        if run:
            k = len(run)
            if low is not None and high is not None and high - low <= k:
                return {key: (i + 1) * m.POSITION_GAP for i, key in enumerate(order)}
            for j, pending in enumerate(run):
                if low is None and high is None:
                    planned[pending] = (j + 1) * m.POSITION_GAP
                elif high is None:
                    planned[pending] = low + (j + 1) * m.POSITION_GAP
                elif low is None:
                    planned[pending] = high - (k - j) * m.POSITION_GAP
                else:
                    planned[pending] = low + (high - low) * (j + 1) // (k + 1)
        run, low = [], high
    return planned
