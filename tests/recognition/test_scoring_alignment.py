"""sclite's weighted alignment: costs, tie-breaking, case, empty sides; and the WER built on it."""

from __future__ import annotations

import pytest

from kslars.recognition.scoring.sclite_alignment import Edit, ErrorCounts, align, count_errors
from kslars.recognition.scoring.wer import EMPTY_HYPOTHESIS, score_glosses


def counts(reference: str, hypothesis: str) -> tuple[int, int, int, int]:
    """(S, D, I, N) of two space-separated sentences."""
    result = count_errors(align(reference.split(), hypothesis.split()))
    return result.substitutions, result.deletions, result.insertions, result.reference_words


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ("A B C", "A B C", (0, 0, 0, 3)),
        ("A B C", "A X C", (1, 0, 0, 3)),
        ("A B C", "A C", (0, 1, 0, 3)),
        ("A B C", "A B Y C", (0, 0, 1, 3)),
        ("A B C", "A C C E", (1, 0, 1, 3)),
        # unit-cost Levenshtein calls this two substitutions; sclite's 3+3 < 4+4 keeps B correct
        ("A B", "B C", (0, 1, 1, 2)),
        # a tie of 12 = 12 between keeping X (2 deletions, 2 insertions) and three substitutions: sclite substitutes
        ("X A B", "C D X", (3, 0, 0, 3)),
        # keeping X Y costs 18 < 20 for five substitutions: 6 errors where unit-cost Levenshtein counts 5
        ("X Y A B C", "D E F X Y", (0, 3, 3, 5)),
        ("A B C D", EMPTY_HYPOTHESIS, (1, 3, 0, 4)),
        ("A B", "", (0, 2, 0, 2)),
        ("", "A B", (0, 0, 2, 0)),
        ("", "", (0, 0, 0, 0)),
    ],
)
def test_counts_follow_sclite(reference: str, hypothesis: str, expected: tuple[int, int, int, int]) -> None:
    assert counts(reference, hypothesis) == expected


def test_an_empty_hypothesis_substitutes_the_last_word_and_deletes_the_rest() -> None:
    pairs = align(["A", "B", "C", "D"], [EMPTY_HYPOTHESIS])
    assert [pair.edit for pair in pairs] == [Edit.DELETION] * 3 + [Edit.SUBSTITUTION]
    assert pairs[-1].hypothesis == EMPTY_HYPOTHESIS


def test_ascii_letters_are_compared_without_case_other_letters_exactly() -> None:
    assert counts("neg-HABEN REGEN", "NEG-haben regen") == (0, 0, 0, 2)
    assert counts("ЖЁЛТЫЙ", "жёлтый") == (1, 0, 0, 1)


def test_pairs_keep_the_words_as_written_in_order() -> None:
    pairs = align(["A", "B", "C"], ["a", "X", "C", "D"])
    assert [(p.edit.value, p.reference, p.hypothesis) for p in pairs] == [
        ("C", "A", "a"),
        ("S", "B", "X"),
        ("C", "C", "C"),
        ("I", None, "D"),
    ]


def test_error_counts_add_up_and_give_the_rate() -> None:
    total = ErrorCounts(1, 2, 3, 10) + ErrorCounts(0, 1, 0, 10)
    assert total == ErrorCounts(1, 3, 3, 20)
    assert total.errors == 7
    assert total.wer == pytest.approx(35.0)
    assert ErrorCounts().wer is None


def test_score_glosses_cleans_both_sides_and_fills_missing_hypotheses() -> None:
    references = {"b": ["loc-REGION", "REGEN", "REGEN"], "a": ["S", "H", "WIND", "NORD"]}
    hypotheses = {"b": ["REGION", "REGEN"]}
    result = score_glosses(references, hypotheses)
    assert [s.id for s in result.sentences] == ["a", "b"]
    assert result.references[0].glosses == ("S+H", "WIND", "NORD")
    assert result.hypotheses[0].glosses == (EMPTY_HYPOTHESIS,)
    assert result.missing_hypotheses == ["a"]
    assert result.sentences[1].counts == ErrorCounts(0, 0, 0, 2)
    assert result.counts == ErrorCounts(1, 2, 0, 5)
    assert score_glosses(references, hypotheses, rules="none").counts.reference_words == 7


def test_score_glosses_refuses_a_hypothesis_for_an_unknown_id() -> None:
    with pytest.raises(ValueError, match="'z' is not in the reference"):
        score_glosses({"a": ["A"]}, {"z": ["A"]})
