"""Times and parents of every annotation as ELAN shows them, computed for the whole document at once.

Formats without symbolic tiers or unaligned boundaries (CSV, subtitles, TextGrid) need each annotation's
times: unaligned boundaries on a tier are spread evenly between their known neighbours, a
Symbolic_Association annotation takes its parent's times, and the annotations of a Symbolic_Subdivision
split their parent's interval into equal parts, as ELAN displays them.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from itertools import pairwise

from kslars.document import Annotation, Constraint, Document, Tier

Times = tuple[int | None, int | None]


def tiers_parents_first(doc: Document) -> list[Tier]:
    """The document's tiers ordered so that every parent tier comes before its children."""
    by_id = {t.id: t for t in doc.tiers}
    ordered: list[Tier] = []
    done: set[str] = set()

    def visit(t: Tier, seen: frozenset[str]) -> None:
        if t.id in done:
            return
        parent = by_id.get(t.parent) if t.parent is not None else None
        if parent is not None and parent.id not in seen:
            visit(parent, seen | {t.id})
        done.add(t.id)
        ordered.append(t)

    for t in doc.tiers:
        visit(t, frozenset())
    return ordered


def tier_constraints(doc: Document) -> dict[str, Constraint]:
    """Tier id -> its type's constraint (NONE for a tier whose type is missing)."""
    types = {tt.id: tt.constraint for tt in doc.tier_types}
    return {t.id: types.get(t.type, Constraint.NONE) for t in doc.tiers}


def _interpolate(points: list[int | None]) -> list[int | None]:
    """Fill runs of None between known values evenly; leading/trailing runs copy the nearest known value."""
    known = [i for i, p in enumerate(points) if p is not None]
    if not known:
        return points
    out = list(points)
    for i in range(known[0]):
        out[i] = points[known[0]]
    for i in range(known[-1] + 1, len(points)):
        out[i] = points[known[-1]]
    for lo, hi in pairwise(known):
        if hi - lo > 1:
            a, b = points[lo], points[hi]
            for k in range(lo + 1, hi):
                out[k] = round(a + (b - a) * (k - lo) / (hi - lo))  # type: ignore[operator]
    return out


def _aligned_tier_times(tier: Tier) -> dict[str, Times]:
    # boundary points in tier order; an unaligned end followed by an unaligned start is one point
    points: list[int | None] = []
    index: list[tuple[int, int]] = []
    previous_end_slot: str | None = None
    for a in tier.annotations:
        shared = (
            points
            and points[-1] is None
            and a.start_ms is None
            and (a.start_slot is None or a.start_slot == previous_end_slot)
        )
        if not shared:
            points.append(a.start_ms)
        start_i = len(points) - 1
        points.append(a.end_ms)
        index.append((start_i, len(points) - 1))
        previous_end_slot = a.end_slot
    filled = _interpolate(points)
    return {a.id: (filled[s], filled[e]) for a, (s, e) in zip(tier.annotations, index, strict=True)}


def effective_times(doc: Document) -> dict[str, Times]:
    """Annotation id -> (start_ms, end_ms) as ELAN shows it; (None, None) where nothing is known."""
    constraints = tier_constraints(doc)
    times: dict[str, Times] = {}
    for tier in tiers_parents_first(doc):
        constraint = constraints[tier.id]
        if constraint.time_alignable:
            times.update(_aligned_tier_times(tier))
            continue
        children: dict[str | None, list[Annotation]] = defaultdict(list)
        for a in tier.annotations:
            children[a.parent].append(a)
        for parent_id, group in children.items():
            ps, pe = times.get(parent_id, (None, None)) if parent_id is not None else (None, None)
            if constraint is Constraint.SYMBOLIC_SUBDIVISION and ps is not None and pe is not None and len(group) > 1:
                n = len(group)
                for k, a in enumerate(_in_previous_order(group)):
                    times[a.id] = (ps + (pe - ps) * k // n, ps + (pe - ps) * (k + 1) // n)
            else:
                for a in group:
                    times[a.id] = (ps, pe)
    return times


def _in_previous_order(group: list[Annotation]) -> list[Annotation]:
    """Siblings of a Symbolic_Subdivision in the order of their ``previous`` links (list order if broken)."""
    by_previous = {a.previous: a for a in group}
    first = by_previous.get(None)
    ordered: list[Annotation] = []
    seen: set[str] = set()
    while first is not None and first.id not in seen:
        ordered.append(first)
        seen.add(first.id)
        first = by_previous.get(first.id)
    return ordered if len(ordered) == len(group) else group


def parent_ids(doc: Document, times: dict[str, Times]) -> dict[str, str | None]:
    """Annotation id -> its parent annotation's id: by reference, or by time for time-aligned children."""
    constraints = tier_constraints(doc)
    by_id = {t.id: t for t in doc.tiers}
    result: dict[str, str | None] = {}
    for tier in doc.tiers:
        parent_tier = by_id.get(tier.parent) if tier.parent is not None else None
        if parent_tier is None:
            result.update((a.id, a.parent) for a in tier.annotations)
            continue
        if not constraints[tier.id].time_alignable:
            result.update((a.id, a.parent) for a in tier.annotations)
            continue
        spans = sorted(
            (s, e, p.id)
            for p in parent_tier.annotations
            for s, e in [times.get(p.id, (None, None))]
            if s is not None and e is not None
        )
        starts = [s for s, _, _ in spans]
        for a in tier.annotations:
            if a.parent is not None:
                result[a.id] = a.parent
                continue
            s, e = times.get(a.id, (None, None))
            result[a.id] = _containing(spans, starts, s, e)
    return result


def _containing(spans: list[tuple[int, int, str]], starts: list[int], s: int | None, e: int | None) -> str | None:
    if s is None:
        return None
    i = bisect.bisect_right(starts, s) - 1
    while i >= 0:
        ps, pe, pid = spans[i]
        if ps <= s and (s < pe or (e is not None and e <= pe and s == pe == e)):
            return pid
        if pe <= s:
            break
        i -= 1
    return None
