"""The shipped handshape classifier: every class recognised, invariant to mirroring and rotation, 2D input."""

from __future__ import annotations

import numpy as np
import pytest

from kslars.engine.handmodel import CameraNoise, generate, random_rotations
from kslars.engine.handshape import HandshapeClassifier, HandshapePrediction, load_classifier
from kslars.engine.handshape.features import articulation, as_hands, hand_features
from kslars.engine.handshape.fingerspelling import LETTERS, LEXICON, letter_accuracy, load_fingerspelling
from kslars.hamnosys import BASE_FORMS, HANDSHAPES, handshape
from tests.conftest import shared_file

CLASSES = [h.name for h in HANDSHAPES]
# Held-out generated hands (a seed that training never uses): thresholds per class and overall.
MIN_CLASS_3D, MIN_BASE_3D, MIN_OVERALL_3D = 0.50, 0.50, 0.88
# From 2D, finger23spread_bent and finger23_bent are the weakest pair (bent fingers hide their spread).
MIN_CLASS_2D, MIN_OVERALL_2D = 0.35, 0.8
# Hands turned to random directions: fraction still given their class.
MIN_ROTATED = 0.8
# Real fingerspelling frames, mean over letters.
MIN_REAL_BASE, MIN_REAL_CLASS = 0.9, 0.6


@pytest.fixture(scope="module")
def classifier() -> HandshapeClassifier:
    return load_classifier()


@pytest.fixture(scope="module")
def held_out() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(987654)
    return {name: generate(name, 150, rng) for name in CLASSES}


def accuracy(classifier: HandshapeClassifier, held_out: dict, dims: int) -> dict[str, tuple[float, float]]:
    """Per class: fraction of hands whose best class, and whose best class's base form, is right."""
    result = {}
    for name, (hands, aspect) in held_out.items():
        predictions = classifier.predict(hands[..., :dims], aspect=aspect, top=1)
        result[name] = (
            np.mean([p.top[0][0] == name for p in predictions]),
            np.mean([p.base_form == handshape(name).base_form for p in predictions]),
        )
    return result


@pytest.mark.slow
def test_every_class_is_recognised_in_3d(classifier: HandshapeClassifier, held_out: dict) -> None:
    scores = accuracy(classifier, held_out, 3)
    weak = {n: s for n, s in scores.items() if s[0] < MIN_CLASS_3D or s[1] < MIN_BASE_3D}
    assert not weak, f"classes below {MIN_CLASS_3D:.0%} (class) / {MIN_BASE_3D:.0%} (base form): {weak}"
    assert np.mean([s[0] for s in scores.values()]) >= MIN_OVERALL_3D


@pytest.mark.slow
def test_every_class_is_recognised_from_2d(classifier: HandshapeClassifier, held_out: dict) -> None:
    scores = accuracy(classifier, held_out, 2)
    weak = {n: s for n, s in scores.items() if s[0] < MIN_CLASS_2D}
    assert not weak, f"classes below {MIN_CLASS_2D:.0%} from 2D landmarks: {weak}"
    assert np.mean([s[0] for s in scores.values()]) >= MIN_OVERALL_2D


def mirrored(hands: np.ndarray) -> np.ndarray:
    """The same hands seen in a mirror: right hands become left hands."""
    out = hands.copy()
    out[..., 0] = 1.0 - out[..., 0]
    return out


@pytest.mark.parametrize("dims", [3, 2])
def test_mirrored_left_hands_keep_their_class(classifier: HandshapeClassifier, held_out: dict, dims: int) -> None:
    hands, aspect = held_out["finger2_thumbout"]
    hands = hands[..., :dims]
    right, _ = classifier.probabilities(hands, None, aspect)
    left = np.ones(len(hands), dtype=bool)
    as_left, _ = classifier.probabilities(mirrored(hands), left, aspect)
    assert np.allclose(right, as_left, atol=1e-4)
    unmirrored, _ = classifier.probabilities(mirrored(hands), None, aspect)
    assert not np.allclose(right, unmirrored, atol=1e-2)  # handedness matters: the flag is what undoes the mirror


def test_3d_features_do_not_depend_on_rotation_scale_or_position() -> None:
    rng = np.random.default_rng(11)
    hands, aspect = generate("cee12", 40, rng)
    points = hands * np.stack([aspect, np.ones_like(aspect), aspect], axis=1)[:, None, :]  # one scale
    for rotation in random_rotations(6, rng):
        turned = 0.7 * (points - points[:, :1]) @ rotation.T + 0.4
        assert np.allclose(hand_features(points), hand_features(turned), atol=1e-3)


@pytest.mark.parametrize("name", ["finger23spread", "pinch12", "fist_thumbout", "cee12", "flathand_bent"])
def test_hands_rotated_over_the_whole_sphere_keep_their_class(classifier: HandshapeClassifier, name: str) -> None:
    rng = np.random.default_rng(12)
    hands, aspect = generate(name, 30, rng, CameraNoise(occlusion=0.0))
    points = hands * np.stack([aspect, np.ones_like(aspect), aspect], axis=1)[:, None, :]  # one scale
    kept = []
    for rotation in random_rotations(8, rng):
        turned = (points - points[:, :1]) @ rotation.T + points[:, :1]
        kept += [p.top[0][0] == name for p in classifier.predict(turned, top=1)]
    assert np.mean(kept) >= MIN_ROTATED


def test_2d_features_do_not_depend_on_in_plane_rotation_scale_or_position() -> None:
    hands, aspect = generate("finger2", 20, np.random.default_rng(12))
    xy = hands[..., :2] * np.stack([aspect, np.ones_like(aspect)], axis=1)[:, None, :]
    angle = 1.1
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    moved = 0.5 * xy @ turn.T + 0.3
    assert np.allclose(hand_features(xy), hand_features(moved), atol=1e-4)


def test_articulation_does_not_depend_on_in_plane_rotation_scale_position_or_mirroring() -> None:
    """Joint angles and distances in palm units: a hand pointing down or sideways reads as the same hand."""
    hands, aspect = generate("finger23spread", 20, np.random.default_rng(13))
    xy = hands[..., :2] * np.stack([aspect, np.ones_like(aspect)], axis=1)[:, None, :]
    upright = articulation(xy)
    for angle in (np.pi / 2, np.pi, 2.5):
        turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        assert np.allclose(upright, articulation(1.7 * xy @ turn.T - 0.2), atol=1e-4)
    assert np.allclose(upright, articulation(xy * [-1.0, 1.0]), atol=1e-4)
    fists, fist_aspect = generate("fist", 20, np.random.default_rng(14))
    fist = articulation(fists[..., :2], None, fist_aspect)
    assert upright.shape == (20, 35)
    assert np.abs(upright.mean(axis=0) - fist.mean(axis=0)).max() > 0.5  # a fist is formed differently


def test_predictions_shape_and_order(classifier: HandshapeClassifier, held_out: dict) -> None:
    hands, aspect = held_out["pinchall"]
    predictions = classifier.predict(hands[:5].reshape(5, 63), aspect=aspect[:5], top=4)
    assert len(predictions) == 5
    for p in predictions:
        assert isinstance(p, HandshapePrediction) and len(p.top) == 4
        probabilities = [prob for _, prob in p.top]
        assert probabilities == sorted(probabilities, reverse=True) and 0 < sum(probabilities) <= 1.0 + 1e-6
        assert p.base_form == handshape(p.top[0][0]).base_form and p.base_form in BASE_FORMS
    assert classifier.predict(np.zeros((0, 21, 3))) == []


def test_probabilities_are_two_stage(classifier: HandshapeClassifier, held_out: dict) -> None:
    hands, aspect = held_out["ceeall"]
    probs, base = classifier.probabilities(hands[:20], None, aspect[:20])
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)
    # P(base form) is the sum of the probabilities of its classes.
    bases = list(BASE_FORMS)
    summed = np.zeros_like(base)
    for index, name in enumerate(classifier.labels):
        summed[:, bases.index(handshape(name).base_form)] += probs[:, index]
    assert np.allclose(summed, base, atol=1e-4)


def test_bad_shapes_are_rejected_with_the_shape() -> None:
    with pytest.raises(ValueError, match=r"\(N, 21, 3\).*got \(4, 20, 3\)"):
        as_hands(np.zeros((4, 20, 3)))


@pytest.mark.parametrize("language", sorted(LETTERS))
def test_real_fingerspelling(classifier: HandshapeClassifier, language: str) -> None:
    """Real MediaPipe landmarks of letters with an unambiguous HamNoSys class (see docs/engine/handshapes.md)."""
    index = shared_file(f"{LEXICON}/index.csv")
    data = load_fingerspelling(index.parent, language, LETTERS[language])
    assert set(data.letters) == set(LETTERS[language])
    predictions = classifier.predict(data.hands, data.is_left, 1.0, top=3)
    stats = letter_accuracy([[name for name, _ in p.top] for p in predictions], data)
    mean = {k: np.mean([s[k] for s in stats.values()]) for k in ("class", "base_form", "top3")}
    assert mean["base_form"] >= MIN_REAL_BASE and mean["class"] >= MIN_REAL_CLASS, stats
