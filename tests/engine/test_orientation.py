"""Palm orientation and extended-finger direction on constructed hands with known directions."""

from __future__ import annotations

import numpy as np
import pytest

from kslars.engine.handmodel import sample_class, view
from kslars.engine.handmodel.camera import axis_angle_rotations
from kslars.engine.orientation import (
    FINGER_VECTORS,
    PALM_SECTORS,
    finger_direction,
    palm_orientation,
)
from kslars.hamnosys import FINGER_DIRECTIONS, PALM_DIRECTIONS

SIGNER = {"r": (1, 0, 0), "l": (-1, 0, 0), "u": (0, 1, 0), "d": (0, -1, 0), "o": (0, 0, 1), "i": (0, 0, -1)}


def vector(name: str) -> np.ndarray:
    """A direction named by HamNoSys letters (``u``, ``do``, ...) as a unit (r, u, o) vector."""
    v = np.sum([SIGNER[c] for c in name], axis=0).astype(float)
    return v / np.linalg.norm(v)


def posed_hand(
    finger: np.ndarray, palm: np.ndarray, shape: str = "flathand", left: bool = False, aspect: float = 1.0
) -> np.ndarray:
    """A hand of class ``shape`` whose distal axis points along ``finger`` and palm faces ``palm`` (r, u, o)."""
    rng = np.random.default_rng(0)
    hand = sample_class(shape, 1, rng)
    # Camera axes (x right, y down, z away) are (-r, -u, -o).
    distal, palmar = -finger, -palm
    radial = np.cross(distal, palmar)
    # Align the model's knuckle axis (not exactly +y) with the requested finger direction.
    knuckles = hand[0, [5, 9, 13, 17]].mean(axis=0)
    knuckles /= np.linalg.norm(knuckles)
    axis = np.cross(knuckles, [0.0, 1.0, 0.0])
    turn = axis_angle_rotations(axis[None], np.array([np.arccos(knuckles[1])]))
    hand = np.einsum("nij,nkj->nki", turn, hand)
    rotation = np.stack([radial, distal, palmar], axis=1)[None]
    landmarks, _ = view(hand, rng, noise=None, rotations=rotation)
    if left:
        landmarks[..., 0] = 1.0 - landmarks[..., 0]
    landmarks[..., 0] /= aspect
    landmarks[..., 2] /= aspect
    return landmarks


@pytest.mark.parametrize(
    ("finger", "palm", "expected"),
    [
        ("o", "d", "d"), ("o", "u", "u"), ("o", "l", "l"), ("o", "r", "r"),
        ("u", "o", "d"), ("u", "i", "u"), ("u", "l", "l"), ("u", "r", "r"),
        ("d", "o", "u"), ("d", "i", "d"), ("d", "r", "r"),
        ("l", "d", "d"), ("l", "o", "r"), ("r", "i", "r"), ("o", "dl", "dl"), ("o", "ur", "ur"),
    ],
)  # fmt: skip
def test_palm_orientation_of_constructed_hands(finger: str, palm: str, expected: str) -> None:
    hand = posed_hand(vector(finger), vector(palm))
    assert palm_orientation(hand) == [expected]


@pytest.mark.parametrize("shape", ["fist", "finger2", "pinchall"])
def test_palm_orientation_depends_on_the_hand_not_its_fingers(shape: str) -> None:
    hand = posed_hand(vector("o"), vector("l"), shape)
    assert palm_orientation(hand) == ["l"]


def test_left_hands_are_mirrored_right_hands() -> None:
    # The mirror image of a right hand pointing forward with the palm to the left is a left hand with the
    # palm to the right.
    hand = posed_hand(vector("o"), vector("l"), left=True)
    assert palm_orientation(hand, is_left=np.array([True])) == ["r"]
    assert finger_direction(hand, is_left=np.array([True])) == ["o"]


@pytest.mark.parametrize("name", sorted(FINGER_DIRECTIONS))
def test_every_finger_direction(name: str) -> None:
    finger = vector(name)
    helper = vector("o") if abs(finger[2]) < 0.9 else vector("u")
    palm = np.cross(finger, helper)
    palm /= np.linalg.norm(palm)
    assert finger_direction(posed_hand(finger, palm)) == [name]


def test_aspect_ratio_is_undone() -> None:
    # Fingers 30 degrees right of vertical: "ur"; read with x squeezed by 16/9 they would look 18 degrees: "u".
    finger = np.array([np.sin(np.radians(30)), np.cos(np.radians(30)), 0.0])
    hand = posed_hand(finger, vector("o"), aspect=16 / 9)
    assert finger_direction(hand, aspect=16 / 9) == ["ur"]
    assert finger_direction(hand, aspect=1.0) == ["u"]


def test_2d_finger_direction_and_palm_error() -> None:
    hand = posed_hand(vector("ul"), vector("o"))
    assert finger_direction(hand[..., :2]) == ["ul"]
    with pytest.raises(ValueError, match="3D"):
        palm_orientation(hand[..., :2])


def test_names_are_the_hamnosys_inventory() -> None:
    assert set(FINGER_VECTORS) == set(FINGER_DIRECTIONS)
    assert set(PALM_SECTORS) == set(PALM_DIRECTIONS)
    for name, v in FINGER_VECTORS.items():
        assert np.allclose(v, vector(name))
