"""Agreement between two annotators' versions of a tier: linked segments, ELAN's modified Cohen's kappa, plain Cohen's
kappa and percentage agreement over the linked pairs, boundary differences, a confusion table of values and a
Staccato-style segmentation agreement.

The methods and their sources are in matching.py (linking), kappa.py (kappas) and staccato.py; docs/corpus.md
explains the numbers for researchers.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kslars import formats
from kslars.corpus.kappa import (
    KappaScores,
    agreement_matrix,
    as_reported,
    cohen_kappa,
    ipf_kappa,
    per_value_tables,
)
from kslars.corpus.matching import DEFAULT_MIN_OVERLAP, Match, match_segments, overlapping_pairs
from kslars.corpus.segments import Segment, tier_segments
from kslars.corpus.staccato import DEFAULT_ITERATIONS, StaccatoResult, staccato


class AgreementError(ValueError):
    """Two tiers that cannot be compared; the message says which and why."""


@dataclass(frozen=True)
class TierSource:
    """Where a compared tier comes from: a file and a tier name."""

    path: str
    tier: str

    def __str__(self) -> str:
        return f"tier {self.tier!r} of {Path(self.path).name}"


@dataclass(frozen=True)
class Agreement:
    """The comparison of tier A with tier B (see :func:`compare`)."""

    a: list[Segment]
    b: list[Segment]
    matches: list[Match]
    min_overlap: float
    labels: list[str]
    matrix: np.ndarray  # ELAN's agreement matrix (linked cells doubled), rows A, columns B, Unmatched last
    staccato: StaccatoResult

    @property
    def unmatched_a(self) -> list[Segment]:
        """Segments of A linked to none of B."""
        linked = {m.a for m in self.matches}
        return [s for i, s in enumerate(self.a) if i not in linked]

    @property
    def unmatched_b(self) -> list[Segment]:
        """Segments of B linked to none of A."""
        linked = {m.b for m in self.matches}
        return [s for j, s in enumerate(self.b) if j not in linked]

    @property
    def pairs(self) -> list[tuple[Segment, Segment]]:
        """The linked segments, in the order of A."""
        return [(self.a[m.a], self.b[m.b]) for m in self.matches]

    @property
    def percent_agreement(self) -> float | None:
        """Percentage of linked pairs whose values are equal (None without pairs)."""
        if not self.matches:
            return None
        return 100.0 * sum(x.value == y.value for x, y in self.pairs) / len(self.matches)

    @property
    def modified_kappa(self) -> KappaScores:
        """ELAN's kappa_ipf, kappa_max and raw agreement, unlinked segments included."""
        return ipf_kappa(self.matrix)

    @property
    def matched_kappa(self) -> KappaScores:
        """Plain Cohen's kappa over the linked pairs (ELAN's "kappa (excl.)")."""
        return cohen_kappa(self.matrix[:-1, :-1])

    def confusion(self) -> list[tuple[str | None, str | None, int]]:
        """(value of A, value of B, count) for linked pairs and, with None on the other side, unlinked segments;
        most frequent first."""
        counts: Counter[tuple[str | None, str | None]] = Counter((x.value, y.value) for x, y in self.pairs)
        counts.update((s.value, None) for s in self.unmatched_a)
        counts.update((None, s.value) for s in self.unmatched_b)
        return [(va, vb, n) for (va, vb), n in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))]

    def to_dict(self, a: TierSource, b: TierSource) -> dict[str, Any]:
        """Everything as JSON-ready data (the shape ``kslars agreement --json`` prints, described in docs/corpus.md)."""
        modified, matched = self.modified_kappa, self.matched_kappa
        return {
            "a": {"file": a.path, "tier": a.tier, "segments": len(self.a)},
            "b": {"file": b.path, "tier": b.tier, "segments": len(self.b)},
            "min_overlap": self.min_overlap,
            "matched": len(self.matches),
            "unmatched_a": len(self.unmatched_a),
            "unmatched_b": len(self.unmatched_b),
            "kappa": as_reported(modified.kappa),
            "kappa_max": as_reported(modified.kappa_max),
            "raw_agreement": as_reported(modified.raw_agreement),
            "kappa_excluding_unmatched": as_reported(matched.kappa),
            "kappa_max_excluding_unmatched": as_reported(matched.kappa_max),
            "raw_agreement_excluding_unmatched": as_reported(matched.raw_agreement),
            "cohen_kappa": _number(matched.kappa),
            "percent_agreement": self.percent_agreement,
            "per_value": {
                value: _scores(cohen_kappa(table))
                for value, table in per_value_tables(self.labels, self.matrix).items()
            },
            "boundaries": {
                "start_ms": _differences([y.start_ms - x.start_ms for x, y in self.pairs]),
                "end_ms": _differences([y.end_ms - x.end_ms for x, y in self.pairs]),
                "pairs": [
                    {"a": [x.start_ms, x.end_ms, x.value], "b": [y.start_ms, y.end_ms, y.value]} for x, y in self.pairs
                ],
            },
            "confusion": [{"a": va, "b": vb, "count": n} for va, vb, n in self.confusion()],
            "staccato": {
                "nuclei": self.staccato.nuclei,
                "possible": self.staccato.possible,
                "chance_mean": round(self.staccato.chance_mean, 3),
                "chance_sd": round(self.staccato.chance_sd, 3),
                "degree_of_organisation": _number(self.staccato.degree_of_organisation),
                "p_value": round(self.staccato.p_value, 4),
                "iterations": self.staccato.iterations,
                "seed": self.staccato.seed,
            },
        }


def compare(
    a: list[Segment],
    b: list[Segment],
    min_overlap: float = DEFAULT_MIN_OVERLAP,
    iterations: int = DEFAULT_ITERATIONS,
    seed: int = 0,
) -> Agreement:
    """Compare two tiers' segments (each sorted by time): link them, count agreement and run Staccato-style chance."""
    if not 0 < min_overlap <= 1:
        raise AgreementError(f"the minimal overlap must be above 0 and at most 1 (100 %), not {min_overlap}")
    matches = match_segments(a, b, min_overlap)
    linked_a, linked_b = {m.a for m in matches}, {m.b for m in matches}
    labels, matrix = agreement_matrix(
        [(a[m.a].value, b[m.b].value) for m in matches],
        [s.value for i, s in enumerate(a) if i not in linked_a],
        [s.value for j, s in enumerate(b) if j not in linked_b],
    )
    return Agreement(a, b, matches, min_overlap, labels, matrix, staccato(a, b, iterations, seed))


def load_tier(source: TierSource) -> list[Segment]:
    """The timed segments of ``source`` (any format kslars.formats reads); AgreementError when the file has no such
    tier, FormatError when it cannot be read."""
    doc = formats.read(source.path)
    if not doc.has_tier(source.tier):
        names = ", ".join(repr(t.id) for t in doc.tiers) or "none"
        raise AgreementError(f"{Path(source.path).name} has no tier {source.tier!r} (its tiers: {names})")
    return tier_segments(doc, source.tier)


def compare_sources(a: TierSource, b: TierSource, **options: Any) -> Agreement:
    """Load and compare two tiers (see :func:`compare_checked`)."""
    return compare_checked(load_tier(a), load_tier(b), str(a), str(b), **options)


def compare_checked(
    segments_a: list[Segment], segments_b: list[Segment], name_a: str, name_b: str, **options: Any
) -> Agreement:
    """:func:`compare` after the checks that the two tiers can be compared: AgreementError, naming the tiers by
    ``name_a`` and ``name_b``, when one has no annotation with times or none of one overlaps any of the other."""
    for segments, name in ((segments_a, name_a), (segments_b, name_b)):
        if not segments:
            raise AgreementError(f"{name} has no annotations with times")
    if not overlapping_pairs(segments_a, segments_b):
        raise AgreementError(
            f"{name_a} ({_extent(segments_a)}) and {name_b} ({_extent(segments_b)}) do not overlap anywhere: "
            "check that both annotate the same video and that the right tiers are named"
        )
    return compare(segments_a, segments_b, **options)


def _extent(segments: list[Segment]) -> str:
    return f"{len(segments)} segments, {segments[0].start_ms}-{max(s.end_ms for s in segments)} ms"


def _differences(values: list[int]) -> dict[str, float | int | None]:
    """Signed mean (B minus A) and mean, median and largest absolute difference in ms."""
    if not values:
        return {"mean": None, "mean_abs": None, "median_abs": None, "max_abs": None}
    magnitudes = [abs(v) for v in values]
    return {
        "mean": round(statistics.fmean(values), 1),
        "mean_abs": round(statistics.fmean(magnitudes), 1),
        "median_abs": statistics.median(magnitudes),
        "max_abs": max(magnitudes),
    }


def _scores(scores: KappaScores) -> dict[str, float | None]:
    return {
        "kappa": as_reported(scores.kappa),
        "kappa_max": as_reported(scores.kappa_max),
        "raw_agreement": as_reported(scores.raw_agreement),
    }


def _number(value: float | None) -> float | None:
    """A float for JSON: None for missing or NaN."""
    return None if value is None or value != value else round(value, 4)
