"""Segmentation agreement in the manner of Staccato (Thomann's nuclei against Monte Carlo chance), for two tiers.

Sources: Thomann, B. (2001). Observation and judgment in psychology: Assessing agreement among markings of behavioral
events. Behavior Research Methods, Instruments, & Computers, 33(3), 339-348; Lücking, A., Ptock, S., & Bergmann, K.
(2011). Staccato: Segmentation Agreement Calculator according to Thomann. Proceedings of the 9th International Gesture
Workshop, 50-53 (the tool ELAN runs for its "Staccato" method).

Thomann calls a set of markings a *nucleus* when each overlaps each other and all of them overlap the same other
markings. For two annotators, whose own segments do not overlap, that is a segment of A and a segment of B that
overlap each other and nothing else on the other tier. The number of nuclei is compared with random segmentations of
the same material: each annotator's segments keep their number and lengths but take a random order and random gaps
over the material (from 0 to the last end of either tier).

What this module adds, because the published descriptions do not give Staccato's exact statistic: the degree of
organisation is chance-corrected like kappa, (observed - mean chance) / (most possible - mean chance), where the most
possible is the smaller number of segments; the p value is the share of random configurations with at least as many
nuclei ((k + 1) / (n + 1)). The numbers are therefore Staccato-style, not Staccato's own output; a seed makes them
repeatable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kslars.corpus.segments import Segment

DEFAULT_ITERATIONS = 1000


@dataclass(frozen=True)
class StaccatoResult:
    """Nuclei observed and under chance, the chance-corrected degree of organisation and its p value."""

    nuclei: int
    possible: int
    chance_mean: float
    chance_sd: float
    degree_of_organisation: float | None
    p_value: float
    iterations: int
    seed: int


def count_nuclei(a: np.ndarray, b: np.ndarray) -> int:
    """Pairs of a segment of ``a`` and one of ``b`` that overlap each other and nothing else on the other tier.

    ``a`` and ``b`` are (n, 2) arrays of [start, end], sorted, each without overlaps of its own."""
    if len(a) == 0 or len(b) == 0:
        return 0
    first_b, count_b = _overlapped(a, b)
    _, count_a = _overlapped(b, a)
    sole = count_b == 1
    partner = first_b[sole]
    return int(np.sum(count_a[partner] == 1))


def staccato(a: list[Segment], b: list[Segment], iterations: int = DEFAULT_ITERATIONS, seed: int = 0) -> StaccatoResult:
    """Thomann's nuclei of two segmentations against ``iterations`` random ones drawn with ``seed``."""
    spans_a = _spans(a)
    spans_b = _spans(b)
    observed = count_nuclei(spans_a, spans_b)
    length = max(int(spans_a[:, 1].max(initial=0)), int(spans_b[:, 1].max(initial=0)))
    rng = np.random.default_rng(seed)
    chance = np.array(
        [
            count_nuclei(_random_layout(spans_a, length, rng), _random_layout(spans_b, length, rng))
            for _ in range(iterations)
        ]
    )
    possible = min(len(a), len(b))
    mean = float(chance.mean()) if iterations else math.nan
    degree = (observed - mean) / (possible - mean) if possible - mean > 0 else None
    return StaccatoResult(
        nuclei=observed,
        possible=possible,
        chance_mean=mean,
        chance_sd=float(chance.std()) if iterations else math.nan,
        degree_of_organisation=degree,
        p_value=(int(np.sum(chance >= observed)) + 1) / (iterations + 1),
        iterations=iterations,
        seed=seed,
    )


def _spans(segments: list[Segment]) -> np.ndarray:
    return np.array([[s.start_ms, s.end_ms] for s in segments], dtype=np.int64).reshape(-1, 2)


def _overlapped(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each span of ``x``: the first span of ``y`` it overlaps and how many it overlaps (``y`` sorted, disjoint)."""
    first = np.searchsorted(y[:, 1], x[:, 0], side="right")  # first y ending after x starts
    after_last = np.searchsorted(y[:, 0], x[:, 1], side="left")  # y starting before x ends
    return np.minimum(first, len(y) - 1), np.maximum(after_last - first, 0)


def _random_layout(spans: np.ndarray, length: int, rng: np.random.Generator) -> np.ndarray:
    """The same segment lengths in random order with random gaps, over 0..``length``."""
    durations = rng.permutation(spans[:, 1] - spans[:, 0])
    free = max(length - int(durations.sum()), 0)
    cuts = np.sort(rng.uniform(0, free, size=len(durations)))
    starts = cuts + np.concatenate(([0], np.cumsum(durations)[:-1]))
    return np.stack([starts, starts + durations], axis=1)
