"""Linking the segments of two annotators by overlap, as ELAN's inter-annotator reliability does.

Source: ELAN (The Language Archive, MPI for Psycholinguistics), class
``mpi.eudico.client.annotator.interannotator.AnnotatorCompareUtil2.matchAnnotations``, which implements the linking
step of Holle & Rein's EasyDIAg (Holle, H., & Rein, R. (2015). EasyDIAg: A tool for easy determination of interrater
agreement. Behavior Research Methods, 47(3), 837-847. doi:10.3758/s13428-014-0506-7).

Two segments are candidates when they overlap and the overlap is at least ``min_overlap`` of the longer of the two
(ELAN's default 60 %). Candidates are linked greedily from the largest relative overlap down (ties: the larger overlap
in ms, then the pair ELAN meets last), each segment at most once. Unlike ELAN's scan, which skips ahead in the second
tier for speed, every overlapping pair is considered.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from kslars.corpus.segments import Segment

DEFAULT_MIN_OVERLAP = 0.6


@dataclass(frozen=True, slots=True)
class Match:
    """A linked pair: indices into the two segment lists."""

    a: int
    b: int


def overlap_ms(x: Segment, y: Segment) -> int:
    """How many milliseconds ``x`` and ``y`` share (0 when they do not overlap)."""
    return max(0, min(x.end_ms, y.end_ms) - max(x.start_ms, y.start_ms))


def overlapping_pairs(a: list[Segment], b: list[Segment]) -> list[tuple[int, int]]:
    """Every (i, j) with ``a[i]`` and ``b[j]`` overlapping, in order of i then j; both lists sorted by start."""
    ends_b = [s.end_ms for s in b]
    # b's ends rise with its starts unless its own segments overlap; then every earlier segment may still reach x
    ends_rise = all(x <= y for x, y in pairwise(ends_b))
    pairs: list[tuple[int, int]] = []
    for i, x in enumerate(a):
        for j in range(bisect_right(ends_b, x.start_ms) if ends_rise else 0, len(b)):
            if b[j].start_ms >= x.end_ms:
                break
            if overlap_ms(x, b[j]) > 0:
                pairs.append((i, j))
    return pairs


def match_segments(a: list[Segment], b: list[Segment], min_overlap: float = DEFAULT_MIN_OVERLAP) -> list[Match]:
    """The segments of ``a`` and ``b`` linked one to one by relative overlap (ELAN's algorithm), sorted by ``a``."""
    candidates = []
    for i, j in overlapping_pairs(a, b):
        shared = overlap_ms(a[i], b[j])
        longest = max(a[i].duration_ms, b[j].duration_ms)
        if shared / longest >= min_overlap:
            candidates.append((shared / longest, shared, i, j))
    # stable sort by (relative, absolute overlap), then taken from the end, as ELAN does
    candidates.sort(key=lambda c: (c[0], c[1]))
    linked_a: set[int] = set()
    linked_b: set[int] = set()
    matches: list[Match] = []
    for _, _, i, j in reversed(candidates):
        if i not in linked_a and j not in linked_b:
            linked_a.add(i)
            linked_b.add(j)
            matches.append(Match(i, j))
    return sorted(matches, key=lambda m: m.a)
