"""CTC decoding and forced alignment checked against exhaustive enumeration of every path on small cases."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from kslars.recognition.alignment import corrected_unit_labels, forced_align
from kslars.recognition.config import DecodingConfig
from kslars.recognition.decoding import beam_search, decode, greedy_path
from kslars.recognition.language_model import END, GlossLanguageModel


def collapse(path: tuple[int, ...]) -> tuple[int, ...]:
    """The labelling of a CTC path: repeats merged, blanks dropped."""
    return tuple(label for label, _ in itertools.groupby(path) if label != 0)


def labelling_probabilities(log_probs: np.ndarray) -> dict[tuple[int, ...], float]:
    """P(labelling) summed over every path: the exact answer beam search approximates."""
    totals: dict[tuple[int, ...], float] = {}
    for path in itertools.product(range(log_probs.shape[1]), repeat=len(log_probs)):
        p = math.exp(sum(log_probs[t, c] for t, c in enumerate(path)))
        totals[collapse(path)] = totals.get(collapse(path), 0.0) + p
    return totals


def random_log_probs(rng: np.random.Generator, steps: int, classes: int, peaked: float = 0.5) -> np.ndarray:
    return np.log(rng.dirichlet(np.full(classes, peaked), size=steps))


@pytest.mark.parametrize("seed", range(8))
def test_wide_beam_finds_the_most_probable_labelling(seed):
    log_probs = random_log_probs(np.random.default_rng(seed), steps=5, classes=4)
    exact = labelling_probabilities(log_probs)
    best = max(exact, key=exact.get)
    found = tuple(beam_search(log_probs, beam=200, prune=math.inf))
    assert math.isclose(exact[found], exact[best], rel_tol=1e-9)


def test_greedy_path_merges_repeats_and_keeps_blank_separated_repeats():
    eye = np.log(np.eye(4)[[1, 1, 0, 1, 2, 2, 0, 0, 3]] * 0.97 + 0.01)
    path = greedy_path(eye)
    assert [(g.index, g.first_step, g.last_step) for g in path] == [(1, 0, 1), (1, 3, 3), (2, 4, 5), (3, 8, 8)]
    assert decode(eye, DecodingConfig(beam=1), ["<blank>", "A", "B", "C"]) == [1, 1, 2, 3]


def test_language_model_is_normalised_and_moves_the_beam():
    lm = GlossLanguageModel.train([["A", "B"], ["A", "B"], ["A", "B", "C"]], order=2)
    for history in ([], ["A"], ["C"], ["B", "Z"]):
        total = sum(math.exp(lm.log_probability(history, g)) for g in ["A", "B", "C", END])
        assert math.isclose(total, 1.0, rel_tol=1e-9)
    names = ["<blank>", "A", "B", "C"]
    # acoustically "A C" is slightly better than "A B"; the model knows B follows A
    log_probs = np.log(np.array([[0.05, 0.9, 0.025, 0.025], [0.9, 0.03, 0.03, 0.04], [0.05, 0.05, 0.42, 0.48]]))
    assert beam_search(log_probs, beam=8) == [1, 3]
    assert beam_search(log_probs, beam=8, glosses=names, lm=lm, lm_weight=1.0) == [1, 2]
    restored = GlossLanguageModel.from_dict(lm.to_dict())
    assert restored.log_probability(["A"], "B") == lm.log_probability(["A"], "B")


def valid_paths(targets: list[int], steps: int, classes: int):
    for path in itertools.product(range(classes), repeat=steps):
        if list(collapse(path)) == targets:
            yield path


@pytest.mark.parametrize("targets", [[1], [1, 2], [2, 2], [1, 2, 1]])
def test_forced_alignment_is_the_best_valid_path(targets):
    log_probs = random_log_probs(np.random.default_rng(len(targets)), steps=6, classes=3, peaked=1.0)
    best = max(valid_paths(targets, 6, 3), key=lambda p: sum(log_probs[t, c] for t, c in enumerate(p)))
    path = forced_align(log_probs, targets)
    assert list(collapse(tuple(path.tolist()))) == targets
    assert math.isclose(
        sum(log_probs[t, c] for t, c in enumerate(path)), sum(log_probs[t, c] for t, c in enumerate(best))
    )


def test_forced_alignment_refuses_sequences_too_short_for_the_targets():
    log_probs = random_log_probs(np.random.default_rng(0), steps=2, classes=3)
    assert forced_align(log_probs, [1, 1]) is None  # a repeat needs a blank between: 3 steps at least
    assert forced_align(log_probs, []).tolist() == [0, 0]


def test_corrected_labels_keep_recognised_steps_relabel_substitutions_and_place_deletions():
    # recognised: A (steps 0-1), X (step 4), C (steps 7-8); reference: A B C D
    classes = 6  # blank, A, B, C, D, X
    steps = [1, 1, 0, 0, 5, 0, 0, 3, 3, 0, 0, 0]
    probabilities = np.eye(classes)[steps] * 0.9 + 0.1 / classes
    probabilities[10] = [0.5, 0.0, 0.0, 0.0, 0.3, 0.2]  # some evidence of D, less than of a blank
    log_probs = np.log(probabilities + 1e-6)
    labels = corrected_unit_labels(log_probs, [1, 2, 3, 4])
    assert labels[:2].tolist() == [1, 1]  # A kept where it was seen
    assert labels[4] == 2  # X substituted by the reference's B
    assert labels[7:9].tolist() == [3, 3]
    assert 4 in labels[9:].tolist()  # D, never recognised, placed by the forced alignment after C
    assert set(labels.tolist()) <= {0, 1, 2, 3, 4}  # nothing outside the reference
