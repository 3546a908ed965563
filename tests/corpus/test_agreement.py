"""Annotator agreement: a worked example computed by hand, linking rules, and real parallel tiers (the right- and
left-hand gloss tiers of the DGS transcripts) checked against independent computations: scikit-learn's Cohen's
kappa, pympi-ling's reading with brute-force linking, EasyDIAg's IPF run to convergence and brute-force nuclei."""

from __future__ import annotations

import numpy as np
import pympi
import pytest
from sklearn.metrics import accuracy_score, cohen_kappa_score

from kslars import formats
from kslars.corpus.agreement import TierSource, compare
from kslars.corpus.matching import match_segments
from kslars.corpus.segments import Segment, tier_segments
from kslars.corpus.staccato import count_nuclei, staccato
from tests.corpus.helpers import DGS_FILES, LEFT, RIGHT, dgs_file

# Annotator A and B: two linked pairs agree on "x", one on "y", one pair differs (A "y", B "x"); A's last segment
# and B's last segment are linked to nothing.
A = [
    Segment(0, 1000, "x"),
    Segment(2000, 3000, "x"),
    Segment(4000, 5000, "y"),
    Segment(6000, 7000, "y"),
    Segment(8000, 9000, "y"),
]
B = [
    Segment(0, 1000, "x"),
    Segment(2100, 3000, "x"),
    Segment(4000, 4800, "y"),
    Segment(6200, 7000, "x"),
    Segment(10000, 11000, "x"),
]


def dgs_hand_pairs() -> list[tuple[str, list[Segment], list[Segment]]]:
    """(label, right-hand glosses, left-hand glosses) for every signer of the five DGS transcripts."""
    pairs = []
    for name in DGS_FILES:
        doc = formats.read(dgs_file(name))
        for signer in "AB":
            if doc.has_tier(RIGHT.format(signer)):
                pairs.append(
                    (
                        f"{name} {signer}",
                        tier_segments(doc, RIGHT.format(signer)),
                        tier_segments(doc, LEFT.format(signer)),
                    )
                )
    return pairs


def test_worked_example_by_hand() -> None:
    result = compare(A, B, iterations=200)
    assert [(m.a, m.b) for m in result.matches] == [(0, 0), (1, 1), (2, 2), (3, 3)]
    # ELAN's matrix, labels x, y, Unmatched; linked cells doubled: [[4, 0, 0], [2, 2, 1], [1, 0, 0]], N = 10
    assert result.labels == ["x", "y", "Unmatched"]
    assert result.matrix.tolist() == [[4, 0, 0], [2, 2, 1], [1, 0, 0]]
    modified = result.modified_kappa
    # raw agreement 6/10; with the structural zero the fitted diagonal is 28*8/81 + 10*8/81 = 304/81, so
    # p_e = 304/810 and kappa = (486 - 304) / (810 - 304) = 182/506; ELAN's 0.001 for the zero moves it by < 1e-4
    assert modified.raw_agreement == pytest.approx(0.6)
    assert modified.kappa == pytest.approx(182 / 506, abs=1e-4)
    # kappa_max: margins rows (4, 5, 1), columns (7, 2, 1): p_e = 39/100, p_max = 7/10 -> 31/61
    assert modified.kappa_max == pytest.approx(31 / 61)
    # without the unlinked: pairs [[2, 0], [1, 1]]: p_o = 3/4, p_e = 1/2 -> 1/2
    assert result.matched_kappa.kappa == pytest.approx(0.5)
    assert result.matched_kappa.raw_agreement == pytest.approx(0.75)
    assert result.percent_agreement == 75.0


def test_worked_example_report() -> None:
    report = compare(A, B, iterations=200).to_dict(*_sources())
    assert (report["matched"], report["unmatched_a"], report["unmatched_b"]) == (4, 1, 1)
    assert report["kappa"] == 0.3597 and report["kappa_max"] == 0.5082 and report["raw_agreement"] == 0.6
    assert report["kappa_excluding_unmatched"] == 0.5 and report["percent_agreement"] == 75.0
    # per value, 2x2 tables from the doubled matrix: x [[4, 3], [0, 3]] -> 0.24/0.54; y [[2, 0], [3, 5]] -> 0.4
    assert report["per_value"]["x"]["kappa"] == pytest.approx(0.4444)
    assert report["per_value"]["y"]["kappa"] == pytest.approx(0.4)
    # boundaries of the linked pairs, B minus A: starts 0, 100, 0, 200; ends 0, 0, -200, 0
    assert report["boundaries"]["start_ms"] == {"mean": 75.0, "mean_abs": 75.0, "median_abs": 50.0, "max_abs": 200}
    assert report["boundaries"]["end_ms"] == {"mean": -50.0, "mean_abs": 50.0, "median_abs": 0.0, "max_abs": 200}
    assert {(c["a"], c["b"]): c["count"] for c in report["confusion"]} == {
        ("x", "x"): 2,
        ("y", "y"): 1,
        ("y", "x"): 1,
        ("y", None): 1,
        (None, "x"): 1,
    }
    assert report["staccato"]["nuclei"] == 4 and report["staccato"]["possible"] == 5


def _sources() -> tuple[TierSource, TierSource]:
    return TierSource("a.eaf", "Gloss"), TierSource("b.eaf", "Gloss")


def test_linking_needs_the_minimal_overlap_of_the_longer_segment() -> None:
    a = [Segment(0, 1000, "x")]
    assert match_segments(a, [Segment(400, 1000, "x")]) == match_segments(a, [Segment(0, 600, "x")])
    assert len(match_segments(a, [Segment(0, 600, "x")])) == 1  # 600 of 1000 = 60 %
    assert match_segments(a, [Segment(0, 590, "x")]) == []
    assert len(match_segments(a, [Segment(0, 590, "x")], min_overlap=0.5)) == 1


def test_linking_prefers_the_largest_relative_overlap() -> None:
    a = [Segment(0, 1000, "x"), Segment(1000, 1500, "y")]
    b = [Segment(0, 450, "x"), Segment(450, 1000, "x"), Segment(1000, 1500, "y")]
    matches = match_segments(a, b, min_overlap=0.3)
    assert [(m.a, m.b) for m in matches] == [(0, 1), (1, 2)]


def test_cohen_kappa_of_real_parallel_tiers_equals_scikit_learn() -> None:
    checked = 0
    for label, right, left in dgs_hand_pairs():
        result = compare(right, left, iterations=0)
        values_a = [x.value for x, _ in result.pairs]
        values_b = [y.value for _, y in result.pairs]
        if not values_a:
            continue
        assert result.percent_agreement == pytest.approx(100 * accuracy_score(values_a, values_b)), label
        if len(set(values_a) | set(values_b)) > 1:
            assert result.matched_kappa.kappa == pytest.approx(cohen_kappa_score(values_a, values_b)), label
            checked += 1
    assert checked >= 3


def _brute_force_links(a: list[tuple[int, int, str]], b: list[tuple[int, int, str]], threshold: float) -> int:
    """Linked pairs by the published rule, every pair compared: largest relative overlap first, each segment once."""
    candidates = []
    for i, (sa, ea, _) in enumerate(a):
        for j, (sb, eb, _) in enumerate(b):
            shared = min(ea, eb) - max(sa, sb)
            if shared > 0 and shared / max(ea - sa, eb - sb) >= threshold:
                candidates.append((shared / max(ea - sa, eb - sb), shared, i, j))
    used_a, used_b = set(), set()
    for _, _, i, j in sorted(candidates, reverse=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


@pytest.mark.parametrize("name", DGS_FILES)
def test_links_of_real_tiers_match_an_independent_reading(name: str) -> None:
    path = dgs_file(name)
    eaf = pympi.Elan.Eaf(str(path))
    doc = formats.read(path)
    for signer in "AB":
        right, left = RIGHT.format(signer), LEFT.format(signer)
        if right not in eaf.tiers:
            continue
        expected = _brute_force_links(
            eaf.get_annotation_data_for_tier(right), eaf.get_annotation_data_for_tier(left), 0.6
        )
        result = compare(tier_segments(doc, right), tier_segments(doc, left), iterations=0)
        assert len(result.matches) == expected
        assert len(result.unmatched_a) == len(eaf.get_annotation_data_for_tier(right)) - expected
        assert len(result.unmatched_b) == len(eaf.get_annotation_data_for_tier(left)) - expected


def _easydiag_kappa(matrix: np.ndarray) -> float:
    """EasyDIAg's ckappa.m: chance from IPF with an exact structural zero, iterated until it fits."""
    total = matrix.sum()
    rows, cols = matrix.sum(axis=1).astype(float), matrix.sum(axis=0).astype(float)
    fitted = np.ones(matrix.shape)
    fitted[-1, -1] = 0
    for _ in range(1000):  # the fit may only approach a boundary (tiers without links), so the rounds are bounded
        if np.allclose(fitted.sum(axis=1), rows, rtol=1e-6, atol=1e-6):
            break
        sums = fitted.sum(axis=1)
        fitted *= np.divide(rows, sums, out=np.zeros_like(rows), where=sums > 0)[:, None]
        sums = fitted.sum(axis=0)
        fitted *= np.divide(cols, sums, out=np.zeros_like(cols), where=sums > 0)[None, :]
    observed, chance = np.trace(matrix) / total, np.trace(fitted) / total
    return (observed - chance) / (1 - chance)


def test_modified_kappa_follows_easydiag_on_real_tiers() -> None:
    for label, right, left in dgs_hand_pairs():
        result = compare(right, left, iterations=0)
        assert result.matrix.sum() == len(right) + len(left), label  # every annotation counted once
        assert result.modified_kappa.kappa == pytest.approx(_easydiag_kappa(result.matrix), abs=1e-3), label


def test_a_tier_against_its_own_referring_tier_links_everything() -> None:
    doc = formats.read(dgs_file("1413703.eaf"))
    lexemes, signs = tier_segments(doc, "Lexem_Gebärde_r_B"), tier_segments(doc, "Gebärde_r_B")
    result = compare(lexemes, signs, iterations=50)
    report = result.to_dict(*_sources())
    assert report["matched"] == len(lexemes) == 1297 and report["unmatched_a"] == report["unmatched_b"] == 0
    assert report["boundaries"]["start_ms"]["max_abs"] == report["boundaries"]["end_ms"]["max_abs"] == 0
    values = [x.value for x, _ in result.pairs], [y.value for _, y in result.pairs]
    assert result.matched_kappa.kappa == pytest.approx(cohen_kappa_score(*values))
    assert report["staccato"]["nuclei"] == 1297 and report["staccato"]["degree_of_organisation"] == 1.0


def _brute_force_nuclei(a: list[Segment], b: list[Segment]) -> int:
    def overlapping(x: Segment, others: list[Segment]) -> list[Segment]:
        return [y for y in others if min(x.end_ms, y.end_ms) > max(x.start_ms, y.start_ms)]

    return sum(1 for x in a if len(overlapping(x, b)) == 1 and len(overlapping(overlapping(x, b)[0], a)) == 1)


def test_nuclei_of_real_tiers_match_a_brute_force_count() -> None:
    for label, right, left in dgs_hand_pairs():
        spans = [np.array([[s.start_ms, s.end_ms] for s in segs]).reshape(-1, 2) for segs in (right, left)]
        assert count_nuclei(*spans) == _brute_force_nuclei(right, left), label


def test_staccato_is_repeatable_with_a_seed() -> None:
    _, right, left = dgs_hand_pairs()[0]
    first, again, other = (staccato(right, left, 200, seed=seed) for seed in (7, 7, 8))
    assert first == again
    assert first.chance_mean != other.chance_mean
    assert 0 < first.p_value <= 1
