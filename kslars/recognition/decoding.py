"""CTC decoding: log-probabilities over (blank, glosses) per step -> gloss indices.

Greedy decoding takes the best class per step, merges repeats and drops blanks. Beam search is the CTC prefix
beam search (Hannun et al. 2014) in the log domain, optionally scoring each new gloss with a gloss n-gram model
(``lm_weight`` times its log-probability, plus ``insertion_bonus``) and the sentence end once at the last step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kslars.recognition.config import DecodingConfig
from kslars.recognition.language_model import END, GlossLanguageModel

NEG_INF = -math.inf


@dataclass(frozen=True)
class DecodedGloss:
    """One recognised gloss with the steps it covers (first and last, inclusive) in the model's output."""

    index: int
    first_step: int
    last_step: int


def greedy_path(log_probs: np.ndarray) -> list[DecodedGloss]:
    """Best class per step of (T', V) log-probabilities, repeats merged, blanks dropped, with their steps."""
    best = log_probs.argmax(axis=1)
    glosses: list[DecodedGloss] = []
    previous = 0
    for step, label in enumerate(best.tolist()):
        if label != 0 and label == previous:
            last = glosses[-1]
            glosses[-1] = DecodedGloss(last.index, last.first_step, step)
        elif label != 0:
            glosses.append(DecodedGloss(label, step, step))
        previous = label
    return glosses


def _logsumexp(a: float, b: float) -> float:
    if a == NEG_INF:
        return b
    if b == NEG_INF:
        return a
    high = max(a, b)
    return high + math.log1p(math.exp(-abs(a - b)))


def _add_path(
    beams: dict[tuple[int, ...], list[float]], prefix: tuple[int, ...], to_blank: float, to_gloss: float
) -> None:
    """Add the log-probabilities of one more way to reach ``prefix`` (ending in a blank, ending in its gloss)."""
    entry = beams.setdefault(prefix, [NEG_INF, NEG_INF])
    entry[0] = _logsumexp(entry[0], to_blank)
    entry[1] = _logsumexp(entry[1], to_gloss)


def beam_search(
    log_probs: np.ndarray,
    beam: int,
    glosses: list[str] | None = None,
    lm: GlossLanguageModel | None = None,
    lm_weight: float = 0.5,
    insertion_bonus: float = 0.0,
    prune: float = 12.0,
) -> list[int]:
    """Best gloss indices for (T', V) log-probabilities by CTC prefix beam search.

    ``glosses`` names the indices for the language model (``glosses[i]`` for index i). At each step only the
    ``beam`` most probable glosses are tried, and none more than ``prune`` nats below the step's best.
    """
    if lm is not None and glosses is None:
        raise ValueError("beam search with a language model needs the gloss names")
    names = glosses or []  # the check above: every index has its name when there is a language model
    # prefix -> (log P ending in blank, log P ending in a gloss); scores without the language model
    beams: dict[tuple[int, ...], tuple[float, float]] = {(): (0.0, NEG_INF)}
    lm_scores: dict[tuple[int, ...], float] = {(): 0.0}

    def lm_score(prefix: tuple[int, ...]) -> float:
        if prefix not in lm_scores:
            parent = lm_scores[prefix[:-1]] if prefix[:-1] in lm_scores else lm_score(prefix[:-1])
            added = insertion_bonus
            if lm is not None:
                added += lm_weight * lm.log_probability([names[i] for i in prefix[:-1]], names[prefix[-1]])
            lm_scores[prefix] = parent + added
        return lm_scores[prefix]

    for frame in log_probs:
        likely = np.argsort(frame[1:])[::-1][:beam] + 1  # the beam's worth of the most probable glosses
        candidates = likely[frame[likely] >= frame.max() - prune].tolist()
        blank = float(frame[0])
        next_beams: dict[tuple[int, ...], list[float]] = {}
        for prefix, (p_blank, p_gloss) in beams.items():
            total = _logsumexp(p_blank, p_gloss)
            _add_path(next_beams, prefix, total + blank, NEG_INF)
            for label in candidates:
                p = float(frame[label])
                if prefix and prefix[-1] == label:
                    _add_path(next_beams, prefix, NEG_INF, p_gloss + p)  # the same gloss continues
                    _add_path(next_beams, prefix + (label,), NEG_INF, p_blank + p)  # a repeat needs a blank between
                else:
                    _add_path(next_beams, prefix + (label,), NEG_INF, total + p)
        ranked = sorted(next_beams.items(), key=lambda item: _logsumexp(*item[1]) + lm_score(item[0]), reverse=True)
        beams = {prefix: (scores[0], scores[1]) for prefix, scores in ranked[:beam]}

    def final(prefix: tuple[int, ...]) -> float:
        score = _logsumexp(*beams[prefix]) + lm_score(prefix)
        if lm is not None:
            score += lm_weight * lm.log_probability([names[i] for i in prefix], END)
        return score

    best = max(beams, key=final)
    return list(best)


def decode(
    log_probs: np.ndarray, options: DecodingConfig, glosses: list[str], lm: GlossLanguageModel | None = None
) -> list[int]:
    """Gloss indices of one sequence's (T', V) log-probabilities, greedy or by beam search as ``options`` say."""
    if options.beam <= 1 and lm is None:
        return [g.index for g in greedy_path(log_probs)]
    return beam_search(log_probs, max(1, options.beam), glosses, lm, options.lm_weight, options.insertion_bonus)
