"""NIST sclite's word alignment of a reference and a hypothesis sentence, with its weights and tie-breaking.

Why not jiwer or rapidfuzz: they minimise the *number* of edits (every edit costs 1), while sclite minimises a
weighted cost (a correct word 0, an insertion or a deletion 3, a substitution 4; SCTK ``src/sclite/word.c``,
``wwd_WORD``) and breaks ties its own way. Both give the same total of errors for most sentences but not the
same split into substitutions, deletions and insertions, and the PHOENIX numbers are sclite's. So this module
is sclite's dynamic programme itself (``src/sclite/net_dp.c``, ``calculate_margin_cells``,
``calculate_internal_cells`` and ``extract_NET_ALIGN_result`` on two linear word networks), small enough to
read, and the tests compare its counts with the real ``sclite`` binary.

The programme, reference word ``a`` (1..n) against hypothesis word ``b`` (1..m):

- ``D[0][0] = 0``, ``D[0][b] = D[0][b-1] + 3`` (insertions), ``D[a][0] = D[a-1][0] + 3`` (deletions);
- ``sub = D[a-1][b-1] + (0 if the words are equal else 4)``, ``del = D[a-1][b] + 3``, ``ins = D[a][b-1] + 3``;
  the cell takes ``sub`` when it is no larger than both others, else ``del`` when it is smaller than ``ins``,
  else ``ins``;
- the back-trace starts at ``D[n][m]`` and follows the pointer each cell stored.

Words are compared as sclite does by default (no ``-s``): ASCII letters without regard to case (sclite lowers
its input with ``TEXT_str_to_low``), every other character exactly.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

CORRECT_COST = 0
SUBSTITUTION_COST = 4
INSERTION_COST = 3
DELETION_COST = 3

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


class Edit(StrEnum):
    """What the alignment did with a pair of words."""

    CORRECT = "C"
    SUBSTITUTION = "S"
    DELETION = "D"
    INSERTION = "I"


@dataclass(frozen=True)
class AlignedPair:
    """One step of an alignment: a reference word, a hypothesis word, or both."""

    edit: Edit
    reference: str | None
    hypothesis: str | None


@dataclass(frozen=True)
class ErrorCounts:
    """Substitutions, deletions, insertions and reference words, summed over one or more sentences."""

    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0
    reference_words: int = 0

    @property
    def errors(self) -> int:
        """Substitutions + deletions + insertions."""
        return self.substitutions + self.deletions + self.insertions

    @property
    def wer(self) -> float | None:
        """Word error rate in percent, or None without reference words."""
        return 100.0 * self.errors / self.reference_words if self.reference_words else None

    def __add__(self, other: ErrorCounts) -> ErrorCounts:
        return ErrorCounts(
            self.substitutions + other.substitutions,
            self.deletions + other.deletions,
            self.insertions + other.insertions,
            self.reference_words + other.reference_words,
        )


def sclite_key(word: str) -> str:
    """The form sclite compares: ASCII letters lowered, everything else as it is."""
    return word.translate(_ASCII_LOWER)


def align(reference: Sequence[str], hypothesis: Sequence[str]) -> list[AlignedPair]:
    """sclite's minimum-cost alignment of two word sequences, in sentence order."""
    ref_keys = [sclite_key(word) for word in reference]
    hyp_keys = [sclite_key(word) for word in hypothesis]
    n, m = len(ref_keys), len(hyp_keys)
    # cost[a][b] and back[a][b] = the cell (a', b') it came from; row 0 and column 0 are the margins
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(-1, -1)] * (m + 1) for _ in range(n + 1)]
    for b in range(1, m + 1):
        cost[0][b], back[0][b] = cost[0][b - 1] + INSERTION_COST, (0, b - 1)
    for a in range(1, n + 1):
        cost[a][0], back[a][0] = cost[a - 1][0] + DELETION_COST, (a - 1, 0)
        previous, row, ref_key = cost[a - 1], cost[a], ref_keys[a - 1]
        for b in range(1, m + 1):
            sub = previous[b - 1] + (CORRECT_COST if ref_key == hyp_keys[b - 1] else SUBSTITUTION_COST)
            dele = previous[b] + DELETION_COST
            ins = row[b - 1] + INSERTION_COST
            if sub <= dele and sub <= ins:
                row[b], back[a][b] = sub, (a - 1, b - 1)
            elif dele < ins:
                row[b], back[a][b] = dele, (a - 1, b)
            else:
                row[b], back[a][b] = ins, (a, b - 1)
    pairs: list[AlignedPair] = []
    a, b = n, m
    while a > 0 or b > 0:
        back_a, back_b = back[a][b]
        if back_a == a:
            pairs.append(AlignedPair(Edit.INSERTION, None, hypothesis[b - 1]))
        elif back_b == b:
            pairs.append(AlignedPair(Edit.DELETION, reference[a - 1], None))
        else:
            same = ref_keys[a - 1] == hyp_keys[b - 1]
            edit = Edit.CORRECT if same else Edit.SUBSTITUTION
            pairs.append(AlignedPair(edit, reference[a - 1], hypothesis[b - 1]))
        a, b = back_a, back_b
    pairs.reverse()
    return pairs


def count_errors(pairs: Sequence[AlignedPair]) -> ErrorCounts:
    """The substitutions, deletions, insertions and reference words of an alignment."""
    edits = [pair.edit for pair in pairs]
    return ErrorCounts(
        substitutions=edits.count(Edit.SUBSTITUTION),
        deletions=edits.count(Edit.DELETION),
        insertions=edits.count(Edit.INSERTION),
        reference_words=sum(1 for pair in pairs if pair.reference is not None),
    )
