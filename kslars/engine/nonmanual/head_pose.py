"""Head rotation relative to the signer's own neutral pose, fitted to the rigid points of the face mesh.

Each frame's rigid points (eye corners, nose, sides of the face) are centred and scaled to unit size and
rotated onto a reference shape by the Kabsch method; the reference is the median shape of the video, so the
rotation found is the head's turn away from where it usually is. The rotation is then expressed in the
reference face's own axes (right, up, forward), so yaw is a turn about the face's vertical axis even when
the signer's neutral pose is itself tilted or turned in the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kslars.engine.nonmanual.face import CHIN, FOREHEAD, LEFT_EYE, RIGHT_EYE, RIGID, FaceTrack, columns


@dataclass
class HeadAngles:
    """Per-frame head rotation in degrees away from the neutral pose (NaN where the face was not seen)."""

    yaw: np.ndarray  # turn about the face's vertical axis (shaking)
    pitch: np.ndarray  # about the axis through the eyes (nodding)
    roll: np.ndarray  # about the axis out of the face (tilting towards a shoulder)


def _normalised(points: np.ndarray) -> np.ndarray:
    """(T, n, 3) shapes centred on their centroid and scaled to unit root-mean-square size."""
    centred = points - points.mean(axis=1, keepdims=True)
    size = np.sqrt((centred**2).sum(axis=(1, 2)) / points.shape[1])
    return centred / size[:, None, None]


def _rotations(shapes: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """(T, 3, 3) proper rotations R with shape_i ≈ R @ reference_i for every point (Kabsch)."""
    h = np.einsum("ni,tnj->tij", reference, shapes)  # (T, 3, 3) cross-covariance reference^T shape
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(np.einsum("tij,tjk->tik", u, vt)))
    fix = np.ones((len(shapes), 3))
    fix[:, 2] = d
    return np.einsum("tji,tj,tkj->tik", vt, fix, u)  # V diag(1, 1, d) U^T


def _face_axes(reference_all: np.ndarray) -> np.ndarray:
    """(3, 3) matrix whose columns are the reference face's right, up and forward axes (a proper rotation)."""
    right_eye = reference_all[columns(RIGHT_EYE)].mean(axis=0)
    left_eye = reference_all[columns(LEFT_EYE)].mean(axis=0)
    x = left_eye - right_eye
    x /= np.linalg.norm(x)
    up = reference_all[columns(FOREHEAD)] - reference_all[columns(CHIN)]
    y = up - np.dot(up, x) * x
    y /= np.linalg.norm(y)
    return np.stack([x, y, np.cross(x, y)], axis=1)


def head_angles(track: FaceTrack) -> HeadAngles:
    """Yaw, pitch and roll of the head in every frame, relative to the median pose of ``track``."""
    count = track.frame_count
    nan = np.full(count, np.nan)
    seen = np.flatnonzero(track.seen)
    if len(seen) == 0:
        return HeadAngles(nan.copy(), nan.copy(), nan.copy())
    rigid = _normalised(track.points[seen][:, columns(RIGID)])
    everything = track.points[seen]
    reference = rigid[0]
    for _ in range(2):  # align to one frame, then to the median of the aligned shapes
        rotations = _rotations(rigid, reference)
        aligned = np.einsum("tnj,tji->tni", rigid, rotations)  # R^T applied to every point
        reference = _normalised(np.median(aligned, axis=0)[None])[0]
    rotations = _rotations(rigid, reference)
    # the reference face's axes, from every point of the shapes turned back to the reference pose
    centred = everything - everything[:, columns(RIGID)].mean(axis=1, keepdims=True)
    neutral = np.median(np.einsum("tnj,tji->tni", centred, rotations), axis=0)
    axes = _face_axes(neutral)
    local = np.einsum("ji,tjk,kl->til", axes, rotations, axes)  # B^T R B
    yaw, pitch, roll = nan.copy(), nan.copy(), nan.copy()
    # intrinsic yaw (about up), then pitch (about right), then roll (about forward): R = Ry Rx Rz
    yaw[seen] = np.degrees(np.arctan2(local[:, 0, 2], local[:, 2, 2]))
    pitch[seen] = np.degrees(np.arcsin(np.clip(-local[:, 1, 2], -1.0, 1.0)))
    roll[seen] = np.degrees(np.arctan2(local[:, 1, 0], local[:, 1, 1]))
    return HeadAngles(yaw=yaw, pitch=pitch, roll=roll)
