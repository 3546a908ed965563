"""The time span of every annotation of a document, as ELAN shows it, and a tier as a list of timed segments.

Time-aligned annotations carry their own times. The others get them the way ELAN computes them:
- Symbolic_Association: the times of the annotation it refers to;
- Symbolic_Subdivision: the parent's span divided evenly among its children, in their ``previous`` order;
- Time_Subdivision pieces whose boundaries are unaligned (ELAN's time slots without a time): the boundaries between
  the nearest aligned ones spaced evenly, following the chain of shared time slots.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from kslars.document import Annotation, Constraint, Document, Tier

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Segment:
    """One annotation with known times: ``start_ms`` <= ``end_ms``, and its value."""

    start_ms: int
    end_ms: int
    value: str

    @property
    def duration_ms(self) -> int:
        """End minus start."""
        return self.end_ms - self.start_ms


def resolved_spans(doc: Document) -> dict[str, Span]:
    """Annotation id -> (start_ms, end_ms) for every annotation whose span is known or can be derived."""
    spans: dict[str, Span] = {}
    for tier in _parents_first(doc):
        constraint = doc.constraint_of(tier)
        if constraint is Constraint.SYMBOLIC_ASSOCIATION:
            for a in tier.annotations:
                if a.parent in spans:
                    spans[a.id] = spans[a.parent]
        elif constraint is Constraint.SYMBOLIC_SUBDIVISION:
            _divide_parents(tier.annotations, spans)
        elif constraint is Constraint.TIME_SUBDIVISION:
            _interpolate_slot_chains(tier.annotations, spans)
        else:
            spans.update((a.id, span) for a in tier.annotations if (span := _span(a)) is not None)
    return spans


def tier_segments(doc: Document, tier_id: str, spans: dict[str, Span] | None = None) -> list[Segment]:
    """The annotations of ``tier_id`` with known spans, sorted by time; DocumentError if there is no such tier."""
    tier = doc.tier(tier_id)
    spans = resolved_spans(doc) if spans is None else spans
    segments = [Segment(*spans[a.id], a.value) for a in tier.annotations if a.id in spans]
    return sorted(segments, key=lambda s: (s.start_ms, s.end_ms))


def _span(a: Annotation) -> Span | None:
    """``a``'s (start_ms, end_ms) when it has both times, else None."""
    return (a.start_ms, a.end_ms) if a.start_ms is not None and a.end_ms is not None else None


def _parents_first(doc: Document) -> list[Tier]:
    """The tiers ordered so that each comes after its parent tier."""
    by_id = {t.id: t for t in doc.tiers}
    ordered: list[Tier] = []
    placed: set[str] = set()

    def place(tier: Tier, seen: frozenset[str]) -> None:
        if tier.id in placed or tier.id in seen:
            return
        if tier.parent in by_id:
            place(by_id[tier.parent], seen | {tier.id})
        placed.add(tier.id)
        ordered.append(tier)

    for t in doc.tiers:
        place(t, frozenset())
    return ordered


def _divide_parents(children: list[Annotation], spans: dict[str, Span]) -> None:
    """Symbolic_Subdivision: each parent's span split evenly among its children, in ``previous`` order."""
    by_parent: dict[str, list[Annotation]] = defaultdict(list)
    for a in children:
        if a.parent in spans:
            by_parent[a.parent].append(a)
    for parent_id, siblings in by_parent.items():
        start, end = spans[parent_id]
        ordered = _previous_order(siblings)
        n = len(ordered)
        for k, a in enumerate(ordered):
            spans[a.id] = (start + (end - start) * k // n, start + (end - start) * (k + 1) // n)


def _previous_order(siblings: list[Annotation]) -> list[Annotation]:
    """Siblings in the order of their ``previous`` links, or as stored when the links do not form one chain."""
    after = {a.previous: a for a in siblings}
    chain: list[Annotation] = []
    current = after.get(None)
    while current is not None and len(chain) < len(siblings):
        chain.append(current)
        current = after.get(current.id)
    return chain if len(chain) == len(siblings) else siblings


def _interpolate_slot_chains(pieces: list[Annotation], spans: dict[str, Span]) -> None:
    """Time_Subdivision: aligned pieces keep their times; unaligned boundaries are spaced evenly along each chain
    of pieces that share time slots (one piece's end slot is the next one's start slot)."""
    by_start_slot = {a.start_slot: a for a in pieces if a.start_slot is not None}
    end_slots = {a.end_slot for a in pieces if a.end_slot is not None}
    for a in pieces:
        if (span := _span(a)) is not None and (a.start_slot is None or a.end_slot is None):
            spans[a.id] = span
    for head in pieces:
        if head.start_slot is None or head.start_slot in end_slots:
            continue
        chain = [head]
        while chain[-1].end_slot in by_start_slot and len(chain) <= len(pieces):
            chain.append(by_start_slot[chain[-1].end_slot])
        boundaries = _fill_between([head.start_ms] + [p.end_ms for p in chain])
        for piece, (start, end) in zip(chain, pairwise(boundaries), strict=True):
            if start is not None and end is not None:
                spans[piece.id] = (start, end)


def _fill_between(times: list[int | None]) -> list[int | None]:
    """Each run of unknown times between two known ones spaced evenly; unknown ends stay unknown."""
    filled = list(times)
    known = [(i, t) for i, t in enumerate(times) if t is not None]
    for (i, start), (j, end) in pairwise(known):
        for k in range(i + 1, j):
            filled[k] = start + (end - start) * (k - i) // (j - i)
    return filled
