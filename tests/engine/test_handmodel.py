"""The kinematic hand model: every HamNoSys class posed as specified, seen through a plausible camera."""

from __future__ import annotations

import numpy as np
import pytest

from kslars.engine.handmodel import CLASS_SPECS, generate, random_rotations, sample_class, view
from kslars.engine.handmodel.camera import axis_angle_rotations
from kslars.engine.handmodel.kinematics import reach
from kslars.engine.handmodel.poses import sample_spec
from kslars.hamnosys import HANDSHAPES

TIPS = [8, 12, 16, 20]


def test_every_inventory_class_has_a_pose() -> None:
    assert set(CLASS_SPECS) == {h.name for h in HANDSHAPES}


@pytest.mark.parametrize("name", sorted(CLASS_SPECS))
def test_sampled_hands_are_right_hands_with_human_proportions(name: str) -> None:
    hands = sample_class(name, 50, np.random.default_rng(1))
    assert hands.shape == (50, 21, 3) and np.isfinite(hands).all()
    # Right hand in its own frame: radial x distal = palmar (+z).
    normal = np.cross(hands[:, 5] - hands[:, 17], hands[:, 9] - hands[:, 0])
    assert (normal[:, 2] > 0).all()
    # Palm length (wrist to middle knuckle) is the unit; fingers stay within anatomical reach.
    assert np.allclose(np.linalg.norm(hands[:, 9] - hands[:, 0], axis=1), 1.0, atol=0.1)
    assert (np.linalg.norm(hands - hands[:, :1], axis=2) < 2.3).all()


def test_class_geometry_matches_its_definition() -> None:
    rng = np.random.default_rng(2)

    def tip_reach(name: str) -> np.ndarray:  # mean wrist-to-fingertip distance of index..little
        hands = sample_class(name, 200, rng)
        return np.linalg.norm(hands[:, TIPS] - hands[:, :1], axis=2).mean(axis=1)

    assert (tip_reach("fist") < 1.45).all() and (tip_reach("flathand") > 1.7).all()
    pinch = sample_class("pinch12", 200, rng)
    assert np.median(np.linalg.norm(pinch[:, 4] - pinch[:, 8], axis=1)) < 0.1
    cee = sample_class("cee12", 200, rng)
    assert np.median(np.linalg.norm(cee[:, 4] - cee[:, 8], axis=1)) > 0.25
    # the class's main form (its ASL G variant, thumb along the index, is checked in test_handshape_real.py)
    out = sample_spec(CLASS_SPECS["finger2_thumbout"], 200, rng)
    assert (out[:, 4, 0] > 0.5).mean() > 0.95  # thumb tip far out on the radial side
    spread = sample_class("finger23spread", 200, rng)
    together = sample_class("finger23", 200, rng)
    gap = lambda h: np.linalg.norm(h[:, 8] - h[:, 12], axis=1).mean()  # noqa: E731
    assert gap(spread) > gap(together) + 0.15


def test_reach_keeps_bone_lengths_and_touches_the_target() -> None:
    rng = np.random.default_rng(3)
    lengths = rng.uniform(0.2, 0.5, (20, 3, 1))
    directions = lambda: rng.normal(size=(20, 3, 3))  # noqa: E731
    unit = lambda d: d / np.linalg.norm(d, axis=2, keepdims=True)  # noqa: E731
    start = np.zeros((20, 1, 3))
    chain = np.concatenate([start, np.cumsum(lengths * unit(directions()), axis=1)], axis=1)
    target = np.sum(lengths * unit(directions()), axis=1)  # the end of another pose of the same chain
    moved = reach(chain, target)
    assert np.allclose(np.linalg.norm(np.diff(moved, axis=1), axis=2), np.linalg.norm(np.diff(chain, axis=1), axis=2))
    assert np.allclose(moved[:, 0], chain[:, 0])
    assert np.median(np.linalg.norm(moved[:, -1] - target, axis=1)) < 1e-3


def test_random_rotations_cover_the_sphere() -> None:
    rotations = random_rotations(4000, np.random.default_rng(4))
    assert np.allclose(rotations @ rotations.transpose(0, 2, 1), np.eye(3), atol=1e-9)
    assert np.allclose(np.linalg.det(rotations), 1.0)
    pointing = rotations[:, :, 1]  # where the hand's distal axis ends up
    assert np.abs(pointing.mean(axis=0)).max() < 0.05  # no preferred direction
    assert (pointing[:, 2] > 0.9).any() and (pointing[:, 2] < -0.9).any()


def test_axis_angle_rotation() -> None:
    quarter = axis_angle_rotations(np.array([[0.0, 0.0, 2.0]]), np.array([np.pi / 2]))[0]
    assert np.allclose(quarter @ [1.0, 0.0, 0.0], [0.0, 1.0, 0.0])


def test_view_follows_the_mediapipe_convention() -> None:
    rng = np.random.default_rng(5)
    landmarks, aspect = generate("flathand", 500, rng)
    assert landmarks.shape == (500, 21, 3) and aspect.shape == (500,)
    assert np.allclose(landmarks[:, 0, 2], 0.0, atol=0.05)  # z is relative to the wrist
    centre = landmarks[:, :, :2].mean(axis=1)
    assert ((centre > -0.2) & (centre < 1.2)).all()
    # x is normalised by the width: in units of height, the hand's size does not depend on the aspect.
    width_in_height = np.ptp(landmarks[:, :, 0] * aspect[:, None], axis=1)
    wide, tall = aspect > 1.2, aspect < 0.8
    assert 0.6 < width_in_height[wide].mean() / width_in_height[tall].mean() < 1.6


def test_exact_view_is_orthographic() -> None:
    hands = sample_class("finger2", 3, np.random.default_rng(6))
    landmarks, aspect = view(hands, np.random.default_rng(6), noise=None, rotations=np.repeat(np.eye(3)[None], 3, 0))
    assert np.allclose(landmarks[..., :2], 0.5 + 0.1 * hands[..., :2])
    assert (aspect == 1.0).all()
