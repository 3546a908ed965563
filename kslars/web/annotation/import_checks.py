"""The rules of ``Document.validate`` for tiers arriving from a file, in O(n log n) instead of O(n²).

``Document.validate`` compares every annotation with every other on its tier and looks parents up by scanning the
parent tier: fine for edits, unbounded for a file of a hundred thousand annotations. An import checks the references
of the whole merged document in linear time (kslars.formats.checks) and the rules below for the imported tiers only
(the project's other tiers are unchanged, and replaced tiers go with every tier below them):

- time-aligned annotations: start >= 0, end after start, both times on top-level tiers, no overlap on the tier;
- Included_In / Time_Subdivision: inside one annotation of the parent tier (found by time, as the editor does);
- Symbolic_Association: at most one annotation per parent annotation.
The messages are those of ``Document.check_annotation``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from kslars.document import Annotation, Constraint, Document, DocumentError, Tier
from kslars.formats.checks import check_document

Times = dict[str, tuple[int | None, int | None]]


def own_or_inherited_times(doc: Document) -> Times:
    """Every annotation's times, inherited through its parent chain when it has none (``Document.times_of``)."""
    by_id = {a.id: a for _, a in doc.annotations()}
    times: Times = {}
    for a in by_id.values():
        chain, current = [], a
        while (
            current.id not in times
            and current.start_ms is None
            and current.end_ms is None
            and current.parent is not None
            and current.parent in by_id
            and current not in chain
        ):
            chain.append(current)
            current = by_id[current.parent]
        found = times.get(current.id, (current.start_ms, current.end_ms))
        for x in [*chain, current]:
            times[x.id] = found
    return times


class _ParentIndex:
    """The annotations of a parent tier sorted by start, to find the one an annotation lies in."""

    def __init__(self, annotations: list[Annotation], times: Times) -> None:
        spans = sorted(
            (times[a.id][0], times[a.id][1], i, a)
            for i, a in enumerate(annotations)
            if times[a.id][0] is not None and times[a.id][1] is not None
        )
        self.starts = [s for s, _, _, _ in spans]
        self.spans = spans

    def containing(self, start: int | None, end: int | None) -> tuple[Annotation, int, int] | None:
        """The parent annotation with start <= ``start`` < end (or, without a start, start < ``end`` <= end)."""
        if start is not None:
            i = bisect_right(self.starts, start) - 1
            ok = lambda s, e: s <= start < e  # noqa: E731
        else:
            i = bisect_left(self.starts, end) - 1
            ok = lambda s, e: s < end <= e  # noqa: E731
        if i >= 0:
            s, e, _, a = self.spans[i]
            if ok(s, e):
                return a, s, e
        return None


def check_imported(doc: Document, tier_names: list[str]) -> None:
    """Raise DocumentError at the first broken reference in ``doc`` or broken rule on the tiers ``tier_names``."""
    check_document(doc)
    times = own_or_inherited_times(doc)
    for name in tier_names:
        tier = doc.tier(name)
        constraint = doc.constraint_of(tier)
        if constraint.time_alignable:
            _check_aligned(doc, tier, constraint, times)
        elif constraint is Constraint.SYMBOLIC_ASSOCIATION:
            seen: dict[str, str] = {}
            for a in tier.annotations:
                if a.parent in seen:
                    raise DocumentError(
                        f"annotation {a.id!r} on tier {tier.id!r}: parent {a.parent!r} already has "
                        f"associated annotation {seen[a.parent]!r}"
                    )
                seen[a.parent] = a.id


def _check_aligned(doc: Document, tier: Tier, constraint: Constraint, times: Times) -> None:
    spans = []
    for a in tier.annotations:
        where = f"annotation {a.id!r} on tier {tier.id!r}"
        s, e = a.start_ms, a.end_ms
        if constraint is Constraint.NONE and (s is None or e is None):
            raise DocumentError(f"{where}: a time-aligned annotation needs a start and an end")
        if s is not None and s < 0:
            raise DocumentError(f"{where}: start {s} ms is negative")
        if s is not None and e is not None:
            if e <= s:
                raise DocumentError(f"{where}: end {e} ms is not after start {s} ms")
            spans.append((s, e, a))
    spans.sort(key=lambda span: (span[0], span[1]))
    latest = None
    for s, e, a in spans:
        if latest is not None and s < latest[1]:
            first = min((latest[2], a), key=tier.annotations.index)
            other = a if first is latest[2] else latest[2]
            raise DocumentError(
                f"annotation {first.id!r} on tier {tier.id!r}: {first.start_ms}-{first.end_ms} ms "
                f"overlaps annotation "
                f"{other.id!r} ({other.start_ms}-{other.end_ms} ms)"
            )
        if latest is None or e > latest[1]:
            latest = (s, e, a)
    if constraint not in (Constraint.INCLUDED_IN, Constraint.TIME_SUBDIVISION):
        return
    parents = _ParentIndex(doc.tier(tier.parent).annotations, times)
    for a in tier.annotations:
        s, e = a.start_ms, a.end_ms
        if s is None and e is None:
            continue
        where = f"annotation {a.id!r} on tier {tier.id!r}"
        found = parents.containing(s, e)
        if found is None:
            raise DocumentError(f"{where}: not within any annotation of parent tier {tier.parent!r}")
        parent, ps, pe = found
        if s is not None and s < ps or e is not None and e > pe:
            raise DocumentError(f"{where}: {s}-{e} ms goes outside its parent annotation {parent.id!r} ({ps}-{pe} ms)")
