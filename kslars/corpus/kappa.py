"""ELAN's modified Cohen's kappa (Holle & Rein's EasyDIAg) and plain Cohen's kappa over an agreement matrix.

Sources: Holle, H., & Rein, R. (2015). EasyDIAg: A tool for easy determination of interrater agreement. Behavior
Research Methods, 47(3), 837-847. doi:10.3758/s13428-014-0506-7; and its re-implementation in ELAN, classes
``CompareAnnotationModKappaCommand``, ``AgreementTable``, ``GlobalCKappa``, ``CKappa`` and ``IPFUtil`` in
``mpi.eudico.client.annotator.interannotator.modkappa``, which this module follows step by step:

1. The labels are all values of both tiers (sorted as Java sorts strings) and a last one, "Unmatched".
2. A linked pair adds 1 to cell (value of A, value of B); these cells are then doubled, so that every annotation
   counts once. A segment of A that is not linked adds 1 to (its value, Unmatched); one of B to (Unmatched, its value).
3. Including the unlinked segments, the chance agreement comes from iterative proportional fitting (IPF): a seed of
   ones with a structural zero in (Unmatched, Unmatched) (ELAN replaces zeros by 0.001) is fitted to the matrix's row
   and column totals (zero totals also become 0.001) in 20 rounds of rows then columns; chance agreement = the
   fitted diagonal without the Unmatched cell / N, and kappa_ipf = (p_o - p_e) / (1 - p_e) with p_o = diagonal / N.
   kappa_max uses the ordinary chance agreement: (sum of min(row, column total) / N - p_e) / (1 - p_e).
4. Excluding them (the matrix without the Unmatched row and column), kappa is plain Cohen's kappa, the same as over
   the linked pairs without doubling.
5. Per value, a 2x2 table of that value against all others (Unmatched included) gives kappa, kappa_max and raw
   agreement.

ELAN writes negative kappas as 0 and undefined ones (chance agreement 1) as NaN; :func:`as_reported` does the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

UNMATCHED = "Unmatched"
IPF_ROUNDS = 20
IPF_ZERO = 0.001


@dataclass(frozen=True)
class KappaScores:
    """Kappa, maximum kappa given the margins, and raw (observed) agreement; NaN where undefined."""

    kappa: float
    kappa_max: float
    raw_agreement: float


def java_sorted(values: set[str]) -> list[str]:
    """``values`` in Java's String order (UTF-16 code units), as ELAN's TreeSet keeps them."""
    return sorted(values, key=lambda v: v.encode("utf-16-be"))


def agreement_matrix(
    pairs: list[tuple[str, str]], unmatched_a: list[str], unmatched_b: list[str]
) -> tuple[list[str], np.ndarray]:
    """ELAN's agreement matrix (steps 1-2): labels with Unmatched last, rows annotator A, columns annotator B."""
    values = {v for pair in pairs for v in pair} | set(unmatched_a) | set(unmatched_b)
    labels = java_sorted(values) + [UNMATCHED]
    index = {label: k for k, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for value_a, value_b in pairs:
        matrix[index[value_a], index[value_b]] += 2
    for value in unmatched_a:
        matrix[index[value], -1] += 1
    for value in unmatched_b:
        matrix[-1, index[value]] += 1
    return labels, matrix


def cohen_kappa(matrix: np.ndarray) -> KappaScores:
    """Cohen's kappa of a square contingency table (rows one rater, columns the other)."""
    return _scores(matrix, with_ipf=False)


def ipf_kappa(matrix: np.ndarray) -> KappaScores:
    """Step 3: kappa_ipf, kappa_max and raw agreement of the whole matrix, Unmatched row and column included."""
    return _scores(matrix, with_ipf=True)


def per_value_tables(labels: list[str], matrix: np.ndarray) -> dict[str, np.ndarray]:
    """Step 5: for each value (not Unmatched) the 2x2 table [[both, B only], [A only, neither]] as ELAN builds it."""
    total = matrix.sum()
    tables = {}
    for k, label in enumerate(labels[:-1]):
        both = matrix[k, k]
        a_only = matrix[k].sum() - both
        b_only = matrix[:, k].sum() - both
        tables[label] = np.array([[both, b_only], [a_only, total - both - a_only - b_only]])
    return tables


def as_reported(value: float) -> float | None:
    """A kappa as ELAN writes it: None for NaN, 0 for a negative value, else rounded to 4 decimals."""
    if math.isnan(value):
        return None
    return round(max(value, 0.0), 4)


def _scores(matrix: np.ndarray, with_ipf: bool) -> KappaScores:
    """Kappa (chance from the margins, or from IPF when ``with_ipf``), kappa_max and raw agreement."""
    total = matrix.sum()
    if total == 0:
        return KappaScores(math.nan, math.nan, math.nan)
    rows, cols = matrix.sum(axis=1), matrix.sum(axis=0)
    observed = np.trace(matrix) / total
    chance = float((rows * cols).sum()) / total**2
    kappa_max = _kappa(np.minimum(rows, cols).sum() / total, chance)
    if with_ipf:
        seed = np.ones(matrix.shape)
        seed[-1, -1] = IPF_ZERO
        fitted = _fit(seed, np.where(rows == 0, IPF_ZERO, rows), np.where(cols == 0, IPF_ZERO, cols))
        chance = np.trace(fitted[:-1, :-1]) / total
    return KappaScores(_kappa(observed, chance), kappa_max, float(observed))


def _kappa(observed: float, chance: float) -> float:
    if math.isnan(chance) or chance == 1:
        return math.nan
    return float((observed - chance) / (1 - chance))


def _fit(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Iterative proportional fitting of ``seed`` to the row and column totals, ELAN's fixed number of rounds."""
    fitted = seed.copy()
    for _ in range(IPF_ROUNDS):
        fitted *= (rows / fitted.sum(axis=1))[:, None]
        fitted *= (cols / fitted.sum(axis=0))[None, :]
    return fitted
