"""Which annotations belong to which: the pieces of a parent annotation on a child tier, and everything that
depends on an annotation (children, their children, ...). Pure functions over a kslars.document.Document."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kslars.document import Annotation, Document, Tier


def group_pieces(
    child_annotations: Iterable[Annotation], time_aligned: bool, parent_at: Callable[[Annotation], str | None]
) -> dict[str, list[Annotation]]:
    """A child tier's annotations by the id of the parent annotation they belong to, in stored order.

    Symbolic ones name their parent. Time-aligned ones belong by time: ``parent_at`` gives the parent annotation
    their start lies in (or, without a start, their end), like ``Document.parent_annotation``; a piece with no times
    at all (an ELAN unaligned slot, as in Time_Subdivision chains read from EAF files) belongs with the piece
    stored before it. One pass, so a whole tier is grouped in linear time.
    """
    found: dict[str, list[Annotation]] = {}
    current: str | None = None
    for a in child_annotations:
        if not time_aligned or a.parent is not None:
            current = a.parent
        elif a.start_ms is not None or a.end_ms is not None:
            current = parent_at(a)
        if current is not None:
            found.setdefault(current, []).append(a)
    return found


def pieces_of(doc: Document, child_tier: Tier, parent: Annotation) -> list[Annotation]:
    """The annotations of ``child_tier`` that belong to ``parent``, in stored order (see :func:`group_pieces`)."""
    ps, pe = doc.times_of(parent)

    def inside(a: Annotation) -> str | None:
        if ps is None or pe is None:
            return None
        if a.start_ms is not None:
            return parent.id if ps <= a.start_ms < pe else None
        return parent.id if ps < a.end_ms <= pe else None  # type: ignore[operator]

    aligned = doc.constraint_of(child_tier).time_alignable
    return group_pieces(child_tier.annotations, aligned, inside).get(parent.id, [])


def children_of(doc: Document, tier: Tier, annotation: Annotation) -> list[tuple[Tier, Annotation]]:
    """The annotations on ``tier``'s child tiers that belong to ``annotation``."""
    return [(child_tier, a) for child_tier in doc.children(tier) for a in pieces_of(doc, child_tier, annotation)]


def descendants_of(doc: Document, tier: Tier, annotation: Annotation) -> list[tuple[Tier, Annotation]]:
    """Every annotation that depends on ``annotation``, children first, then their children, and so on."""
    found, todo = [], [(tier, annotation)]
    while todo:
        for pair in children_of(doc, *todo.pop()):
            found.append(pair)
            todo.append(pair)
    return found


def with_ancestor_tiers(doc: Document, names: Iterable[str]) -> list[Tier]:
    """The tiers ``names`` plus every parent tier they need, in the document's order.

    Raises KeyError with the first name the document has no tier of.
    """
    by_id = {t.id: t for t in doc.tiers}
    keep: set[str] = set()
    for name in names:
        if name not in by_id:
            raise KeyError(name)
        t: Tier | None = by_id[name]
        while t is not None and t.id not in keep:
            keep.add(t.id)
            t = by_id.get(t.parent) if t.parent is not None else None
    return [t for t in doc.tiers if t.id in keep]
