"""BLEU-1..4 and chrF of translations (e.g. sign language video -> Russian text) through sacrebleu.

BLEU-n is sacrebleu's corpus BLEU with n-grams up to order n (uniform weights, brevity penalty, the default
``13a`` tokeniser), the BLEU-1..4 that sign language translation papers report; chrF is sacrebleu's default
(character 6-grams, beta 2). Scores are on sacrebleu's 0-100 scale.
"""

from __future__ import annotations

from collections.abc import Sequence

from sacrebleu.metrics import BLEU, CHRF


def _checked(references: Sequence[str], hypotheses: Sequence[str]) -> None:
    """Refuse empty or unequal sequences with a message that says which."""
    if not references:
        raise ValueError("no reference translations to score against")
    if len(references) != len(hypotheses):
        raise ValueError(f"{len(hypotheses)} hypotheses for {len(references)} references; give one per reference")


def bleu_scores(references: Sequence[str], hypotheses: Sequence[str]) -> dict[str, float]:
    """Corpus BLEU-1, BLEU-2, BLEU-3 and BLEU-4 (keys ``bleu1``..``bleu4``) of one hypothesis per reference."""
    _checked(references, hypotheses)
    return {
        f"bleu{order}": BLEU(max_ngram_order=order).corpus_score(list(hypotheses), [list(references)]).score
        for order in range(1, 5)
    }


def chrf_score(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """Corpus chrF of one hypothesis per reference."""
    _checked(references, hypotheses)
    return CHRF().corpus_score(list(hypotheses), [list(references)]).score
