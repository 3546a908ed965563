"""A gloss n-gram language model for CTC beam search: interpolated absolute discounting over gloss counts.

P(w | h) = max(c(h w) - D, 0) / c(h) + D * N(h) / c(h) * P(w | h minus its first gloss), where N(h) is the number of
different glosses seen after h; the recursion ends in add-one unigrams over the vocabulary and the sentence end.
It is trained on the training split's gloss sequences and saved inside the recognition checkpoint.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

START, END = "<s>", "</s>"
DISCOUNT = 0.75


class GlossLanguageModel:
    """An n-gram model of gloss sequences (``order`` 1 = unigrams)."""

    def __init__(self, order: int, counts: dict[tuple[str, ...], int], vocabulary: Iterable[str]) -> None:
        if order < 1:
            raise ValueError("a language model's order is at least 1")
        self.order = order
        self.counts = counts
        self.vocabulary = sorted(set(vocabulary) | {END})
        self._context_totals: Counter[tuple[str, ...]] = Counter()
        self._context_types: Counter[tuple[str, ...]] = Counter()
        for gram, count in counts.items():
            self._context_totals[gram[:-1]] += count
            self._context_types[gram[:-1]] += 1
        self._cache: dict[tuple[str, ...], float] = {}

    @classmethod
    def train(cls, sentences: Iterable[Sequence[str]], order: int) -> GlossLanguageModel:
        """Count all n-grams up to ``order`` of the gloss ``sentences``."""
        counts: Counter[tuple[str, ...]] = Counter()
        vocabulary: set[str] = set()
        for sentence in sentences:
            vocabulary.update(sentence)
            padded = [START] * (order - 1) + list(sentence) + [END]
            for i in range(order - 1, len(padded)):
                for n in range(1, order + 1):
                    counts[tuple(padded[i - n + 1 : i + 1])] += 1
        return cls(order, dict(counts), vocabulary)

    def log_probability(self, history: Sequence[str], gloss: str) -> float:
        """Natural log of P(gloss | the last order-1 glosses of ``history``), sentence start padded."""
        context = tuple(([START] * (self.order - 1) + list(history))[len(history) :]) if self.order > 1 else ()
        key = context + (gloss,)
        if key not in self._cache:
            self._cache[key] = math.log(self._probability(context, gloss))
        return self._cache[key]

    def _probability(self, context: tuple[str, ...], gloss: str) -> float:
        if not context:
            unigram_total = self._context_totals[()]
            return (self.counts.get((gloss,), 0) + 1) / (unigram_total + len(self.vocabulary))
        lower = self._probability(context[1:], gloss)
        total = self._context_totals.get(context, 0)
        if total == 0:
            return lower
        seen = max(self.counts.get(context + (gloss,), 0) - DISCOUNT, 0.0) / total
        return seen + DISCOUNT * self._context_types[context] / total * lower

    def to_dict(self) -> dict:
        """Plain values for a checkpoint."""
        return {
            "order": self.order,
            "vocabulary": [v for v in self.vocabulary if v != END],
            "counts": [[list(gram), count] for gram, count in sorted(self.counts.items())],
        }

    @classmethod
    def from_dict(cls, data: dict) -> GlossLanguageModel:
        """The model saved by :meth:`to_dict`."""
        return cls(int(data["order"]), {tuple(g): int(c) for g, c in data["counts"]}, data["vocabulary"])
