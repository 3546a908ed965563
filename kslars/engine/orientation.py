"""Hand orientation in HamNoSys terms: extended-finger direction (18 values) and palm orientation (8 values).

Frame of reference: the signer's. ``u``/``d`` up/down, ``r``/``l`` the signer's right/left, ``o`` away from
the signer (toward the camera), ``i`` toward the signer. Landmarks are in the MediaPipe convention of an
*unmirrored* video of a signer facing the camera: image x grows to the signer's left, y grows downward and z
grows away from the camera (toward the signer). So a camera-space vector (x, y, z) is (r, u, o) = (-x, -y, -z).
Selfie (mirrored) video must be flipped back before, or its left and right are swapped.

Extended-finger direction: the direction of the hand's distal axis, from the wrist landmark to the mean of
the four knuckles (MCP joints). It is where stretched fingers would point, so it is defined for a fist too,
and it ignores bending of the fingers (as HamNoSys does). The nearest of the 18 HamNoSys directions is named.

Palm orientation is relative to the extended-finger direction f, as in HamNoSys: it names the direction the
palm faces, seen by looking along f (from the wrist toward the fingertips). The palm normal is projected onto
the plane perpendicular to f and named by its 45-degree sector in a view whose "up" is the world up projected
onto that plane. When f is within 45 degrees of vertical, world up cannot serve, and the view's "up" is the
direction toward the signer (``i``) for fingers pointing up and away from the signer (``o``) for fingers
pointing down; these are the limits of the first rule as the fingers are raised or lowered from pointing
forward. The view's "right" completes the frame (right = up x f in (r, u, o) components). Examples:
fingers forward, palm down -> ``d``; fingers forward, palm left -> ``l``; fingers up, palm away from the
signer -> ``d`` (the forward palm-down hand with the wrist bent up); fingers up, palm to the signer's
left -> ``l``; fingers down, palm away from the signer -> ``u``.
"""

from __future__ import annotations

import numpy as np

from kslars.engine.handshape.features import as_hands

_S = np.sqrt(0.5)
# The 18 HamNoSys extended-finger directions as unit vectors in (r, u, o) components.
FINGER_VECTORS: dict[str, tuple[float, float, float]] = {
    "u": (0, 1, 0), "ur": (_S, _S, 0), "r": (1, 0, 0), "dr": (_S, -_S, 0), "d": (0, -1, 0),
    "dl": (-_S, -_S, 0), "l": (-1, 0, 0), "ul": (-_S, _S, 0), "ol": (-_S, 0, _S), "o": (0, 0, 1),
    "or": (_S, 0, _S), "il": (-_S, 0, -_S), "i": (0, 0, -1), "ir": (_S, 0, -_S), "ui": (0, _S, -_S),
    "di": (0, -_S, -_S), "do": (0, -_S, _S), "uo": (0, _S, _S),
}  # fmt: skip
# Palm sectors clockwise from the view's "up", 45 degrees each.
PALM_SECTORS = ("u", "ur", "r", "dr", "d", "dl", "l", "ul")
_UP, _TOWARD, _AWAY = np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, -1.0]), np.array([0.0, 0.0, 1.0])


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def _signer_space(hands: np.ndarray, aspect: float) -> np.ndarray:
    """Landmarks (N, 21, D) on one scale, as (r, u, o) components; 2D input gets o = 0."""
    points = as_hands(hands).copy()
    points[..., 0] *= aspect
    if points.shape[2] == 3:
        points[..., 2] *= aspect
    else:
        points = np.concatenate([points, np.zeros(points.shape[:2] + (1,))], axis=2)
    return -points


def finger_vectors(hands: np.ndarray, aspect: float = 1.0) -> np.ndarray:
    """Unit extended-finger directions (N, 3) in (r, u, o) components: wrist to the mean of the knuckles."""
    points = _signer_space(hands, aspect)
    return _unit(points[:, [5, 9, 13, 17]].mean(axis=1) - points[:, 0])


def palm_vectors(hands: np.ndarray, is_left: np.ndarray | None = None, aspect: float = 1.0) -> np.ndarray:
    """Unit palm normals (N, 3) in (r, u, o) components; needs 3D landmarks."""
    arr = as_hands(hands)
    if arr.shape[2] != 3:
        raise ValueError("palm orientation needs 3D landmarks (N, 21, 3); 2D landmarks cannot tell palm from back")
    points = _signer_space(arr, aspect)
    normal = np.cross(points[:, 5] - points[:, 17], points[:, 9] - points[:, 0])
    # Going to (r, u, o) negates every axis, which flips the orientation of cross products; a left hand flips it back.
    sign = np.where(np.asarray(is_left, dtype=bool), 1.0, -1.0) if is_left is not None else -np.ones(len(arr))
    return _unit(normal * sign[:, None])


def finger_direction(hands: np.ndarray, is_left: np.ndarray | None = None, aspect: float = 1.0) -> list[str]:
    """The HamNoSys extended-finger direction of each hand (keys of ``hamnosys.FINGER_DIRECTIONS``).

    With 2D landmarks only the up/down/left/right directions can be told apart (depth is taken as zero).
    ``is_left`` is accepted for symmetry with ``palm_orientation``; the direction does not depend on it.
    """
    names = list(FINGER_VECTORS)
    table = np.array([FINGER_VECTORS[n] for n in names], dtype=np.float64)
    scores = finger_vectors(hands, aspect) @ table.T
    return [names[i] for i in np.argmax(scores, axis=1)]


def palm_orientation(hands: np.ndarray, is_left: np.ndarray | None = None, aspect: float = 1.0) -> list[str]:
    """The HamNoSys palm orientation of each hand relative to its finger direction (keys of ``PALM_DIRECTIONS``)."""
    f = finger_vectors(hands, aspect)
    p = palm_vectors(hands, is_left, aspect)
    vertical = np.abs(f @ _UP) > np.sqrt(0.5)
    reference = np.where(vertical[:, None], np.where((f @ _UP > 0)[:, None], _TOWARD, _AWAY), _UP)
    view_up = _unit(reference - np.sum(reference * f, axis=1, keepdims=True) * f)
    view_right = np.cross(view_up, f)
    angle = np.degrees(np.arctan2(np.sum(p * view_right, axis=1), np.sum(p * view_up, axis=1)))
    sectors = np.round(angle / 45.0).astype(int) % 8
    return [PALM_SECTORS[s] for s in sectors]
