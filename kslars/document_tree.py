"""Which annotations belong to which: the pieces of a parent annotation on a child tier, and everything that
depends on an annotation (children, their children, ...). Pure functions over a kslars.document.Document."""

from __future__ import annotations

from kslars.document import Annotation, Document, Tier


def pieces_of(doc: Document, child_tier: Tier, parent: Annotation) -> list[Annotation]:
    """The annotations of ``child_tier`` that belong to ``parent``, in stored order.

    Symbolic ones name their parent. Time-aligned ones belong by time, like ``Document.parent_annotation``;
    a piece with no times at all (an ELAN unaligned slot, as in Time_Subdivision chains read from EAF files)
    belongs with the piece stored before it.
    """
    if not doc.constraint_of(child_tier).time_alignable:
        return [a for a in child_tier.annotations if a.parent == parent.id]
    ps, pe = doc.times_of(parent)
    found, inside = [], False
    for a in child_tier.annotations:
        if a.parent is not None:
            inside = a.parent == parent.id
        elif a.start_ms is not None:
            inside = ps is not None and pe is not None and ps <= a.start_ms < pe
        elif a.end_ms is not None:
            inside = ps is not None and pe is not None and ps < a.end_ms <= pe
        if inside:
            found.append(a)
    return found


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
