"""Forward kinematics of a 21-landmark hand (MediaPipe Hands numbering) from joint angles.

Coordinates are in the *hand frame* of a right hand, in units of palm length (wrist to middle-finger knuckle):
``x`` radial (toward the thumb side), ``y`` distal (from the wrist toward the knuckles), ``z`` palmar (the
direction the palm faces). The frame is right-handed: radial x distal = palmar.

Landmarks: 0 wrist; thumb 1-4 (CMC, MCP, IP, tip); index 5-8, middle 9-12, ring 13-16, little 17-20
(MCP, PIP, DIP, tip). All functions are vectorised over a leading batch dimension N.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Knuckle (MCP) positions of index, middle, ring, little finger for a hand of width scale 1.
KNUCKLES = np.array([[0.30, 0.95, 0.0], [0.08, 1.0, 0.0], [-0.13, 0.96, 0.0], [-0.32, 0.87, 0.0]])
# Resting fan angle of each finger in the palm plane (radians, positive toward the thumb).
FAN = np.radians([5.0, 0.0, -5.0, -11.0])
# Phalanx lengths (proximal, middle, distal to tip) per finger, in palm lengths.
PHALANGES = np.array([[0.46, 0.28, 0.24], [0.52, 0.32, 0.25], [0.49, 0.31, 0.24], [0.38, 0.23, 0.22]])
# The thumb's CMC landmark sits between a fixed point near the wrist and the start of the metacarpal's line,
# so that, as in MediaPipe, the wrist-CMC segment roughly continues the metacarpal.
THUMB_CMC = np.array([0.12, 0.10, 0.02])
THUMB_CMC_REACH = 0.2
# Thumb metacarpal, proximal and distal phalanx lengths.
THUMB_BONES = np.array([0.45, 0.34, 0.29])


@dataclass
class HandParams:
    """Joint angles (radians) and proportions of N hands; arrays have a leading dimension N.

    ``flexion`` (N, 4, 3): MCP, PIP, DIP flexion of index..little (positive bends toward the palm).
    ``abduction`` (N, 4): in-plane angle of each finger relative to its resting fan (positive toward the thumb).
    ``thumb_dir`` (N, 2): metacarpal direction, angle from distal toward radial and elevation toward palmar.
    ``thumb_flexion`` (N, 2): MCP and IP flexion of the thumb.
    ``width`` (N,), ``lengths`` (N, 4): palm width and per-finger length scales; ``cup`` (N,): palm arch.
    """

    flexion: np.ndarray
    abduction: np.ndarray
    thumb_dir: np.ndarray
    thumb_flexion: np.ndarray
    width: np.ndarray
    lengths: np.ndarray
    cup: np.ndarray


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def finger_chain(
    base: np.ndarray, direction: np.ndarray, bend_axis_dir: np.ndarray, lengths: np.ndarray, angles: np.ndarray
) -> np.ndarray:
    """Joints of a 3-bone chain bending from ``direction`` toward ``bend_axis_dir``: (N, 4, 3) incl. the base.

    ``base`` (N, 3); ``direction``, ``bend_axis_dir`` (N, 3) orthonormal; ``lengths``, ``angles`` (N, 3).
    """
    joints = [base]
    cumulative = np.zeros(len(base))
    for k in range(3):
        cumulative = cumulative + angles[:, k]
        d = np.cos(cumulative)[:, None] * direction + np.sin(cumulative)[:, None] * bend_axis_dir
        joints.append(joints[-1] + lengths[:, k : k + 1] * d)
    return np.stack(joints, axis=1)


def forward(params: HandParams) -> np.ndarray:
    """The 21 landmarks (N, 21, 3) of hands with the given joint angles, in the hand frame."""
    n = len(params.width)
    out = np.zeros((n, 21, 3))
    palmar = np.broadcast_to(np.array([0.0, 0.0, 1.0]), (n, 3))
    for f in range(4):
        knuckle = KNUCKLES[f] * np.stack([params.width, np.ones(n), np.ones(n)], axis=1)
        knuckle = knuckle + np.array([0.0, 0.0, 1.0]) * (params.cup * [0.02, 0.0, 0.04, 0.10][f])[:, None]
        theta = FAN[f] + params.abduction[:, f]
        direction = np.stack([np.sin(theta), np.cos(theta), np.zeros(n)], axis=1)
        lengths = PHALANGES[f][None, :] * params.lengths[:, f : f + 1]
        out[:, 5 + 4 * f : 9 + 4 * f] = finger_chain(knuckle, direction, palmar, lengths, params.flexion[:, f])
    out[:, 1:5] = thumb_chain(params)
    return out


def thumb_chain(params: HandParams) -> np.ndarray:
    """Thumb landmarks CMC, MCP, IP, tip (N, 4, 3) from the metacarpal direction and joint flexion."""
    n = len(params.width)
    radial, elevation = params.thumb_dir[:, 0], params.thumb_dir[:, 1]
    direction = np.stack(
        [np.sin(radial) * np.cos(elevation), np.cos(radial) * np.cos(elevation), np.sin(elevation)], axis=1
    )
    # The thumb flexes toward the little-finger side of the palm, across its front.
    toward = np.broadcast_to(_unit(np.array([-0.8, 0.2, 0.6])), (n, 3))
    bend = _unit(toward - np.sum(toward * direction, axis=1, keepdims=True) * direction)
    cmc = THUMB_CMC * np.stack([params.width, np.ones(n), np.ones(n)], axis=1) + THUMB_CMC_REACH * direction
    lengths = THUMB_BONES[None, :] * params.lengths[:, :1]
    angles = np.concatenate([np.zeros((n, 1)), params.thumb_flexion], axis=1)
    return finger_chain(cmc, direction, bend, lengths, angles)


def reach(chain: np.ndarray, target: np.ndarray, iterations: int = 12) -> np.ndarray:
    """Move a chain's end to ``target`` keeping its root and bone lengths (FABRIK inverse kinematics).

    ``chain`` (N, J, 3) with the root first, ``target`` (N, 3); returns the new joints (N, J, 3).
    """
    joints = chain.copy()
    lengths = np.linalg.norm(np.diff(chain, axis=1), axis=2)  # (N, J-1)
    root = chain[:, 0].copy()
    for _ in range(iterations):
        joints[:, -1] = target
        for j in range(joints.shape[1] - 2, -1, -1):
            joints[:, j] = joints[:, j + 1] + lengths[:, j : j + 1] * _unit(joints[:, j] - joints[:, j + 1])
        joints[:, 0] = root
        for j in range(1, joints.shape[1]):
            joints[:, j] = joints[:, j - 1] + lengths[:, j - 1 : j] * _unit(joints[:, j] - joints[:, j - 1])
    return joints
