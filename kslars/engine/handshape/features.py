"""Hand landmark features invariant to position, scale, rotation and handedness.

Input follows the MediaPipe Hands convention: (N, 21, 3) or (N, 21, 2), x and y normalised by image width
and height, z relative depth on the scale of x. ``aspect`` (width / height) puts x, y and z on one scale.
Left hands are mirrored (x -> -x) so that every hand is seen as a right hand.

3D features use the hand's own frame (wrist origin, distal axis to the middle knuckle, palm normal), so they
do not change under any rotation. 2D features can only be invariant to rotation in the image plane: the hand
is turned so that its distal axis points up; the classifier learns the out-of-plane views from data.
"""

from __future__ import annotations

import numpy as np

FINGERS = ((0, 1, 2, 3, 4), (0, 5, 6, 7, 8), (0, 9, 10, 11, 12), (0, 13, 14, 15, 16), (0, 17, 18, 19, 20))
TIPS = (4, 8, 12, 16, 20)
_TIP_PAIRS = [(a, b) for i, a in enumerate(TIPS) for b in TIPS[i + 1 :]]
_FINGER_JOINTS = [j for f in FINGERS[1:] for j in f[1:]]  # the 16 joints of index..little


def as_hands(hands: np.ndarray) -> np.ndarray:
    """Hands as a float array (N, 21, D) with D = 2 or 3; accepts (N, 63), (N, 42), (21, D) as well."""
    arr = np.asarray(hands, dtype=np.float64)
    if arr.ndim == 2 and arr.shape[1] in (42, 63):
        arr = arr.reshape(len(arr), 21, arr.shape[1] // 21)
    elif arr.ndim == 2 and arr.shape == (21, arr.shape[1]) and arr.shape[1] in (2, 3):
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[1] != 21 or arr.shape[2] not in (2, 3):
        raise ValueError(
            f"hand landmarks must have shape (N, 21, 3), (N, 21, 2), (N, 63) or (N, 42); got {np.shape(hands)}"
        )
    return arr


def canonical(hands: np.ndarray, is_left: np.ndarray | None = None, aspect: float | np.ndarray = 1.0) -> np.ndarray:
    """Landmarks on one scale in all axes (units of image height), left hands mirrored: (N, 21, D)."""
    arr = as_hands(hands).copy()
    aspect = np.broadcast_to(np.asarray(aspect, dtype=np.float64), (len(arr),))
    arr[..., 0] *= aspect[:, None]
    if arr.shape[2] == 3:
        arr[..., 2] *= aspect[:, None]
    if is_left is not None:
        arr[np.asarray(is_left, dtype=bool), :, 0] *= -1.0
    return arr


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def hand_frame(points: np.ndarray) -> np.ndarray:
    """Rows radial, distal, palmar (N, 3, 3) of right hands' own frame, from canonical 3D landmarks."""
    distal = _unit(points[:, 9] - points[:, 0])
    palmar = _unit(np.cross(points[:, 5] - points[:, 17], distal))
    radial = np.cross(distal, palmar)
    return np.stack([radial, distal, palmar], axis=1)


def _shape_features(local: np.ndarray) -> np.ndarray:
    """Features shared by 2D and 3D from hand-local, scale-normalised points (N, 21, D)."""
    n = len(local)
    bones = [_unit(local[:, f[1:]] - local[:, f[:-1]]) for f in FINGERS]  # each (N, 4, D)
    bend = np.concatenate([np.sum(b[:, 1:] * b[:, :-1], axis=2) for b in bones], axis=1)  # (N, 15) cosines
    tips = np.stack([np.linalg.norm(local[:, a] - local[:, b], axis=1) for a, b in _TIP_PAIRS], axis=1)
    thumb = np.linalg.norm(local[:, _FINGER_JOINTS] - local[:, 4:5], axis=2)  # (N, 16)
    return np.concatenate([local.reshape(n, -1), bend, tips, thumb], axis=1)


def features_3d(points: np.ndarray) -> np.ndarray:
    """Rotation-invariant features (N, 104) of canonical 3D landmarks."""
    frame = hand_frame(points)
    centred = points - points[:, :1]
    scale = np.mean(np.linalg.norm(centred[:, [5, 9, 13, 17]], axis=2), axis=1)
    local = np.einsum("nij,nkj->nki", frame, centred) / np.maximum(scale, 1e-9)[:, None, None]
    return _shape_features(local)


def features_2d(points: np.ndarray) -> np.ndarray:
    """Features (N, 98) of canonical 2D landmarks, invariant to rotation in the image plane."""
    xy = points[..., :2]
    centred = xy - xy[:, :1]
    up = _unit(centred[:, 9])
    right = np.stack([-up[:, 1], up[:, 0]], axis=1)  # up turned by 90 degrees
    local = np.stack([np.sum(centred * right[:, None], 2), np.sum(centred * up[:, None], 2)], axis=2)
    scale = np.sqrt(np.mean(np.sum((local - local.mean(axis=1, keepdims=True)) ** 2, axis=2), axis=1))
    local = local / np.maximum(scale, 1e-9)[:, None, None]
    turn = [np.cross(b[:, 1:], b[:, :-1]) for b in (_unit(local[:, f[1:]] - local[:, f[:-1]]) for f in FINGERS)]
    return np.concatenate([_shape_features(local), np.concatenate(turn, axis=1)], axis=1)


def articulation(hands: np.ndarray, is_left: np.ndarray | None = None, aspect: float | np.ndarray = 1.0) -> np.ndarray:
    """How a hand is formed, from its (x, y) alone: 35 angles and distances (N, 35), in units of palm size.

    The bend at each of the 15 finger joints, the angle between adjacent fingers (knuckle to tip), the thumb
    tip's distance to the four fingertips and to the index and middle knuckles and middle joints, each
    fingertip's distance to the palm's centre, and the gaps between adjacent fingertips of index to little.
    Angles and distances do not change when the hand is turned in the image plane (pointing up, sideways or
    down), moved, scaled or mirrored.
    """
    xy = canonical(hands, is_left, aspect)[..., :2]
    palm = np.mean(np.linalg.norm(xy[:, [5, 9, 13, 17]] - xy[:, :1], axis=2), axis=1)
    xy = xy / np.maximum(palm, 1e-9)[:, None, None]
    bones = [_unit(xy[:, f[1:]] - xy[:, f[:-1]]) for f in FINGERS]
    bend = np.concatenate([_angle(b[:, 1:], b[:, :-1]) for b in bones], axis=1)
    pointing = [_unit(xy[:, f[4]] - xy[:, f[1]]) for f in FINGERS]
    spread = np.stack([_angle(a, b) for a, b in zip(pointing, pointing[1:], strict=False)], axis=1)
    thumb = np.linalg.norm(xy[:, [8, 12, 16, 20, 5, 9, 6, 10]] - xy[:, 4:5], axis=2)
    centre = xy[:, [0, 5, 9, 13, 17]].mean(axis=1, keepdims=True)
    reach = np.linalg.norm(xy[:, list(TIPS)] - centre, axis=2)
    gaps = np.linalg.norm(xy[:, [8, 12, 16]] - xy[:, [12, 16, 20]], axis=2)
    features = np.concatenate([bend, spread, thumb, reach, gaps], axis=1)
    return np.nan_to_num(features.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)


def _angle(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angles in radians between unit vectors along the last axis."""
    return np.arccos(np.clip(np.sum(a * b, axis=-1), -1.0, 1.0))


def hand_features(
    hands: np.ndarray, is_left: np.ndarray | None = None, aspect: float | np.ndarray = 1.0, dims: int | None = None
) -> np.ndarray:
    """Invariant features (N, F) of MediaPipe-style hands; ``dims`` 2 drops z even when it is given."""
    points = canonical(hands, is_left, aspect)
    dims = points.shape[2] if dims is None else dims
    if dims == 3 and points.shape[2] < 3:
        raise ValueError("3D features need landmarks with a z coordinate (N, 21, 3)")
    features = features_3d(points) if dims == 3 else features_2d(points)
    return np.nan_to_num(features.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
