"""BLEU-1..4 and chrF through sacrebleu, on the real FluentSigners-50 Russian translations."""

from __future__ import annotations

import csv
import math

import pytest
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

from kslars.recognition.scoring.translation import bleu_scores, chrf_score
from tests.conftest import shared_file

TRANSLATIONS = "krslproject__FluentSigners-50/russian_translation.csv"


@pytest.fixture(scope="module")
def russian() -> list[str]:
    """The 173 Russian translations of FluentSigners-50."""
    with shared_file(TRANSLATIONS).open(encoding="utf-8", newline="") as handle:
        return [row["Translation"] for row in csv.DictReader(handle)]


def test_identical_translations_score_100(russian: list[str]) -> None:
    assert len(russian) == 173
    assert bleu_scores(russian, russian) == pytest.approx(dict.fromkeys(["bleu1", "bleu2", "bleu3", "bleu4"], 100.0))
    assert chrf_score(russian, russian) == pytest.approx(100.0)


def test_truncated_translations_lose_the_brevity_penalty(russian: list[str]) -> None:
    """Each hypothesis is a prefix of its reference, so every n-gram precision is 1 and BLEU-1..4 are exactly the
    brevity penalty exp(1 - r/c), r and c counted with sacrebleu's 13a tokeniser."""
    truncated = [" ".join(sentence.split()[:-1]) or sentence for sentence in russian]
    tokenize = Tokenizer13a()
    reference_length = sum(len(tokenize(sentence).split()) for sentence in russian)
    hypothesis_length = sum(len(tokenize(sentence).split()) for sentence in truncated)
    scores = bleu_scores(russian, truncated)
    brevity_penalty = 100 * math.exp(1 - reference_length / hypothesis_length)
    assert scores == pytest.approx(dict.fromkeys(["bleu1", "bleu2", "bleu3", "bleu4"], brevity_penalty), abs=1e-6)
    assert 0 < chrf_score(russian, truncated) < 100


def test_reversed_word_order_keeps_bleu1_and_loses_the_longer_ngrams(russian: list[str]) -> None:
    reversed_order = [" ".join(reversed(sentence.split())) for sentence in russian]
    scores = bleu_scores(russian, reversed_order)
    assert scores["bleu1"] == pytest.approx(100.0)
    assert scores["bleu1"] > scores["bleu2"] > scores["bleu3"] > scores["bleu4"]


def test_mismatched_or_empty_inputs_are_refused(russian: list[str]) -> None:
    with pytest.raises(ValueError, match="172 hypotheses for 173 references"):
        bleu_scores(russian, russian[1:])
    with pytest.raises(ValueError, match="no reference translations"):
        chrf_score([], [])
