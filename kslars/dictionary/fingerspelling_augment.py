"""Training hands for the letter classifier: real hands varied as another signer would vary them, and
generated hands of the letters whose handshape is a HamNoSys class the kinematic hand model knows.

Real hands are put on one scale and mirrored to right hands, then varied: each finger turned a little at its
base joint and again at its middle joint (another signer's looser or tighter fingers), the whole hand turned by
up to ``max_turn`` degrees about a random axis (another camera), MediaPipe's depth rescaled (its depth scale
varies) and every landmark moved by noise of up to ``noise`` palm lengths. Generated hands are posed by the
hand model and turned to the orientation of a real sample of the same letter, then varied the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kslars.engine.handmodel.camera import axis_angle_rotations
from kslars.engine.handshape.features import FINGERS, canonical, hand_frame
from kslars.engine.handshape.fingerspelling import ASL_LETTERS, UKL_LETTERS

# Letters whose handshape is one HamNoSys class without doubt (the engine's vetted lists), per alphabet.
GENERATED_CLASSES: dict[str, dict[str, str]] = {"ru": UKL_LETTERS, "kk": UKL_LETTERS, "asl": ASL_LETTERS}


@dataclass(frozen=True)
class Variation:
    """How far augmented hands stray from their source; angles in degrees, lengths in palm lengths."""

    finger_turn: float = 20.0
    max_turn: float = 45.0
    depth_scale: tuple[float, float] = (0.5, 1.5)
    noise: float = 0.04


def _random_turns(n: int, max_degrees: float, rng: np.random.Generator) -> np.ndarray:
    """``n`` rotations (N, 3, 3) about random axes by up to ``max_degrees``."""
    return axis_angle_rotations(rng.normal(size=(n, 3)), np.radians(rng.uniform(0, max_degrees, n)))


def _turn_about(points: np.ndarray, pivot: np.ndarray, turns: np.ndarray) -> np.ndarray:
    """Points (N, K, 3) turned by ``turns`` (N, 3, 3) about ``pivot`` (N, 3)."""
    return np.einsum("nij,nkj->nki", turns, points - pivot[:, None]) + pivot[:, None]


def vary(points: np.ndarray, rng: np.random.Generator, variation: Variation = Variation()) -> np.ndarray:
    """Varied copies (N, 21, 3) of right hands on one scale (canonical landmarks), wrist at the origin."""
    out = points - points[:, :1]
    n = len(out)
    for finger in FINGERS:
        for pivot in (1, 2):  # the finger's base joint, then its middle joint
            joints = list(finger[pivot + 1 :])
            out[:, joints] = _turn_about(
                out[:, joints], out[:, finger[pivot]], _random_turns(n, variation.finger_turn, rng)
            )
    out = np.einsum("nij,nkj->nki", _random_turns(n, variation.max_turn, rng), out)
    out[..., 2] *= rng.uniform(*variation.depth_scale, (n, 1))
    palm = np.linalg.norm(out[:, 9] - out[:, 0], axis=1)[:, None, None]
    return out + rng.normal(size=out.shape) * rng.uniform(0, variation.noise, (n, 1, 1)) * palm


def augment_real(
    hands: np.ndarray,
    is_left: np.ndarray,
    aspect: np.ndarray,
    count: int,
    rng: np.random.Generator,
    variation: Variation = Variation(),
) -> np.ndarray:
    """``count`` varied right hands (count, 21, 3) drawn from real hands (N, 21, 3) of one letter."""
    pick = rng.integers(0, len(hands), count)
    return vary(canonical(hands[pick], is_left[pick], aspect[pick]), rng, variation)


def generate_letter(
    handshape: str,
    hands: np.ndarray,
    is_left: np.ndarray,
    aspect: np.ndarray,
    count: int,
    rng: np.random.Generator,
    variation: Variation = Variation(),
) -> np.ndarray:
    """``count`` generated right hands of a HamNoSys class, each turned like a random real hand of the letter."""
    from kslars.engine.handmodel import sample_class

    pick = rng.integers(0, len(hands), count)
    frames = hand_frame(canonical(hands[pick], is_left[pick], aspect[pick]))  # rows: radial, distal, palmar
    posed = np.einsum("nji,nkj->nki", frames, sample_class(handshape, count, rng))  # hand frame -> camera
    return vary(posed, rng, variation)
