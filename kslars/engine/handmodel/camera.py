"""Seeing a posed hand through a camera: rotation, perspective, image aspect ratio and MediaPipe-like errors.

The output follows the MediaPipe Hands convention: x and y normalised by image width and height (y down),
z the depth relative to the wrist (larger = farther from the camera) on roughly the scale of x.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ASPECTS = np.array([16 / 9, 4 / 3, 1.0, 3 / 4, 9 / 16])


@dataclass(frozen=True)
class CameraNoise:
    """Ranges of the random viewing conditions; fractions are of the hand's palm length."""

    palm_size: tuple[float, float] = (0.04, 0.3)  # palm length as a fraction of image height
    distance: tuple[float, float] = (3.0, 20.0)  # camera distance in palm lengths (small = strong perspective)
    xy_noise: tuple[float, float] = (0.0, 0.05)
    z_noise: tuple[float, float] = (0.02, 0.2)
    z_scale: tuple[float, float] = (0.25, 1.4)  # MediaPipe's depth is only roughly on the scale of x
    occlusion: float = 0.25  # probability that one or two fingers are badly placed
    occlusion_noise: tuple[float, float] = (0.08, 0.3)


def random_rotations(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` rotation matrices (N, 3, 3) uniformly distributed over the whole sphere of orientations."""
    q = rng.normal(size=(n, 4))
    w, x, y, z = (q / np.linalg.norm(q, axis=1, keepdims=True)).T
    return np.stack(
        [
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)], axis=1),
            np.stack([2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)], axis=1),
            np.stack([2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)], axis=1),
        ],
        axis=1,
    )


def axis_angle_rotations(axes: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Rotation matrices (N, 3, 3) turning by ``angles`` (N,) radians about ``axes`` (N, 3) (Rodrigues)."""
    k = axes / np.linalg.norm(axes, axis=1, keepdims=True)
    cross = np.zeros((len(k), 3, 3))
    cross[:, 0, 1], cross[:, 0, 2], cross[:, 1, 2] = -k[:, 2], k[:, 1], -k[:, 0]
    cross = cross - cross.transpose(0, 2, 1)
    s, c = np.sin(angles)[:, None, None], np.cos(angles)[:, None, None]
    return np.eye(3) + s * cross + (1 - c) * cross @ cross


def view(
    hands: np.ndarray,
    rng: np.random.Generator,
    noise: CameraNoise | None = CameraNoise(),
    rotations: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Project hand-frame hands (N, 21, 3) to MediaPipe-style landmarks (N, 21, 3) and their aspects (N,).

    ``rotations`` (N, 3, 3) map the hand frame to camera axes (x right, y down, z away); random over the whole
    sphere when None. With ``noise=None`` the view is orthographic, square and exact (for tests).
    """
    n = len(hands)
    rotations = random_rotations(n, rng) if rotations is None else rotations
    cam = np.einsum("nij,nkj->nki", rotations, hands)  # (N, 21, 3)
    if noise is None:
        return np.concatenate([0.5 + 0.1 * cam[..., :2], 0.1 * (cam[..., 2:] - cam[:, :1, 2:])], axis=2), np.ones(n)
    u = lambda bounds, *shape: rng.uniform(bounds[0], bounds[1], (n, *shape))  # noqa: E731
    aspect = np.where(rng.random(n) < 0.7, ASPECTS[rng.integers(0, len(ASPECTS), n)], rng.uniform(0.5, 2.0, n))
    palm, distance = u(noise.palm_size), u(noise.distance)
    depth = distance[:, None] + cam[..., 2]
    projected = cam[..., :2] * (distance[:, None] / np.maximum(depth, 0.5))[..., None]
    err = rng.normal(size=(n, 21, 3)) * np.concatenate([u(noise.xy_noise, 1, 1)] * 2 + [u(noise.z_noise, 1, 1)], 2)
    occluded = rng.random((n, 5)) < noise.occlusion / 2
    finger_of = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4])
    bad = occluded[:, finger_of] & (np.arange(21) > 0)[None, :]
    err += bad[..., None] * rng.normal(size=(n, 21, 3)) * u(noise.occlusion_noise, 1, 1)
    centre = np.stack([u((0.2, 0.8)) * aspect, u((0.2, 0.8))], axis=1)  # in units of image height
    projected = projected - projected.mean(axis=1, keepdims=True)  # the hand's centre is in the picture
    xy = centre[:, None, :] + palm[:, None, None] * (projected + err[..., :2])
    z = palm[:, None] * (u(noise.z_scale)[:, None] * (cam[..., 2] - cam[:, :1, 2]) + err[..., 2])
    z = z - z[:, :1]  # MediaPipe's depth is relative to the wrist
    landmarks = np.stack([xy[..., 0] / aspect[:, None], xy[..., 1], z / aspect[:, None]], axis=2)
    return landmarks, aspect
