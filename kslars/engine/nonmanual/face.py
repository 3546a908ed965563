"""The face-mesh points the non-manual detectors use, and the per-frame measures taken from them.

Points are MediaPipe Face Mesh indices (468-point mesh, no irises). "Right" and "left" are the signer's.
Every measure is a ratio of two distances in the 3D mesh, so it does not change when the face moves,
turns, tilts or changes size in the picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Eye corners (outer, inner) of each eye: stable under blinks and expressions.
RIGHT_EYE = (33, 133)
LEFT_EYE = (263, 362)
# Upper edge of each eyebrow from the outer end to the inner end, and the inner end of the lower edge.
RIGHT_BROW = (70, 63, 105, 66, 107)
LEFT_BROW = (300, 293, 334, 296, 336)
RIGHT_BROW_INNER = (107, 55)
LEFT_BROW_INNER = (336, 285)
# (upper, lower) eyelid pairs across the middle of each eye, outer to inner.
RIGHT_LIDS = ((160, 144), (159, 145), (158, 153))
LEFT_LIDS = ((387, 373), (386, 374), (385, 380))
# Inner lip contour: (upper, lower) pairs across the middle of the mouth, and the inner mouth corners.
INNER_LIP_PAIRS = ((82, 87), (13, 14), (312, 317))
MOUTH_CORNERS = (78, 308)
# Points that move with the skull only (eye corners, nose ridge and tip, sides of the face at eye level):
# the head's rotation is fitted to these.
RIGID = (33, 133, 263, 362, 168, 6, 197, 195, 5, 4, 1, 234, 454, 127, 356)
# The face's vertical axis in the signer's neutral pose runs from the chin to the top of the forehead.
FOREHEAD, CHIN = 10, 152

POINTS: tuple[int, ...] = tuple(
    sorted(
        set(
            RIGHT_EYE
            + LEFT_EYE
            + RIGHT_BROW
            + LEFT_BROW
            + RIGHT_BROW_INNER
            + LEFT_BROW_INNER
            + tuple(i for pair in RIGHT_LIDS + LEFT_LIDS + INNER_LIP_PAIRS for i in pair)
            + MOUTH_CORNERS
            + RIGID
            + (FOREHEAD, CHIN)
        )
    )
)
_COLUMN = {index: column for column, index in enumerate(POINTS)}


def columns(indices: tuple[int, ...] | int) -> list[int] | int:
    """Where face-mesh point(s) ``indices`` are in the arrays of a :class:`FaceTrack`."""
    if isinstance(indices, int):
        return _COLUMN[indices]
    return [_COLUMN[i] for i in indices]


@dataclass
class FaceTrack:
    """The chosen face points (:data:`POINTS`) of one signer over time.

    ``points`` holds x, y and depth all in pixels (MediaPipe's relative depth times the frame width), so
    distances in 3D are meaningful; ``seen`` marks frames where the face mesh was found.
    """

    fps: float
    points: np.ndarray  # (T, len(POINTS), 3) float64
    seen: np.ndarray  # (T,) bool

    @property
    def frame_count(self) -> int:
        """Number of frames."""
        return int(self.points.shape[0])

    def sliced(self, first: int, stop: int) -> FaceTrack:
        """Frames ``first`` to ``stop - 1``."""
        return FaceTrack(self.fps, self.points[first:stop], self.seen[first:stop])


def read_face_track(pose_path: str | Path) -> FaceTrack:
    """The face track of a MediaPipe Holistic .pose file (only the points in :data:`POINTS` are read).

    A frame where part of the tracked face lies outside the picture counts as unseen: MediaPipe guesses
    such points, and a guessed eyebrow or lip is no evidence of a signal.
    """
    from kslars.vision.pose_file import read_face_points

    face = read_face_points(pose_path, POINTS)
    points = face.xyz.astype(np.float64)
    inside = (
        (points[:, :, 0] >= 0)
        & (points[:, :, 0] <= face.width)
        & (points[:, :, 1] >= 0)
        & (points[:, :, 1] <= face.height)
    ).all(axis=1)
    points[:, :, 2] *= face.width
    return FaceTrack(face.fps, points, (face.confidence.max(axis=1) > 0) & inside)


@dataclass
class FaceMeasures:
    """Per-frame shape measures (NaN where the face was not seen), each in units of a face distance."""

    brow_right: np.ndarray  # signer's right eyebrow: mean distance of its upper edge to the eye / inter-ocular distance
    brow_left: np.ndarray  # the same for the signer's left eyebrow
    brow_height: np.ndarray  # (brow_right + brow_left) / 2
    eye_aperture: np.ndarray  # mean eyelid gap of both eyes / eye width (corner to corner)
    inner_brows: np.ndarray  # (inner brow height + inner brow gap) / 2, both / inter-ocular distance
    mouth_gap: np.ndarray  # mean inner-lip gap / mouth width


def face_measures(track: FaceTrack) -> FaceMeasures:
    """The eyebrow and mouth measures of every frame of ``track``."""
    p = track.points

    def mean_of(indices: tuple[int, ...]) -> np.ndarray:
        return p[:, columns(indices)].mean(axis=1)

    right_eye, left_eye = mean_of(RIGHT_EYE), mean_of(LEFT_EYE)
    interocular = np.linalg.norm(left_eye - right_eye, axis=1)
    brow_right = np.linalg.norm(p[:, columns(RIGHT_BROW)] - right_eye[:, None], axis=2).mean(axis=1)
    brow_left = np.linalg.norm(p[:, columns(LEFT_BROW)] - left_eye[:, None], axis=2).mean(axis=1)
    right_inner, left_inner = mean_of(RIGHT_BROW_INNER), mean_of(LEFT_BROW_INNER)
    inner_height = (np.linalg.norm(right_inner - right_eye, axis=1) + np.linalg.norm(left_inner - left_eye, axis=1)) / 2
    inner_gap = np.linalg.norm(left_inner - right_inner, axis=1)

    def gaps(pairs: tuple[tuple[int, int], ...]) -> np.ndarray:
        return np.mean([np.linalg.norm(p[:, columns(up)] - p[:, columns(down)], axis=1) for up, down in pairs], axis=0)

    def distance(corners: tuple[int, int]) -> np.ndarray:
        return np.linalg.norm(p[:, columns(corners[0])] - p[:, columns(corners[1])], axis=1)

    with np.errstate(divide="ignore", invalid="ignore"):
        measures = FaceMeasures(
            brow_right=brow_right / interocular,
            brow_left=brow_left / interocular,
            brow_height=(brow_right + brow_left) / 2 / interocular,
            eye_aperture=(gaps(RIGHT_LIDS) / distance(RIGHT_EYE) + gaps(LEFT_LIDS) / distance(LEFT_EYE)) / 2,
            inner_brows=(inner_height + inner_gap) / 2 / interocular,
            mouth_gap=gaps(INNER_LIP_PAIRS) / distance(MOUTH_CORNERS),
        )
    for values in vars(measures).values():
        values[~track.seen | ~np.isfinite(values)] = np.nan
    return measures
