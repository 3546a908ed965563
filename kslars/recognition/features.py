"""Model input for recognition: signer-normalised pose features per frame, and pose augmentation for training.

The features are the segmentation engine's per-frame features (:func:`~kslars.engine.segmentation.features.
frame_features`: upper body and hand positions relative to the neck, hand shapes relative to each wrist,
velocities per second, hand presence flags, fingertip distances, hand speed) computed on a skeleton that has first
been moved and scaled into the signer's own frame: the neck at the origin and one shoulder width as the unit. So
where the signer sits in the picture and how large they appear do not change the features, and corpora with
only some joints still get features in the same units:

- with shoulders (MediaPipe landmarks, DGS keypoints): the centre is the neck in each frame (mid-shoulders where
  the neck itself is missing) and the unit is the median shoulder width over the sentence;
- without shoulders but with a nose (RWTH-BOSTON-104 hand tracks): the centre is the median nose position and the
  unit is the signer's reach, the 90th percentile of the nose-to-hand distance over the sentence (hands low at
  rest or far out), divided by :data:`NOSE_TO_HAND`, that reach in shoulder widths (measured on the DGS clips),
  so a BOSTON sentence is roughly in shoulder widths too. The reach varies by 2-8 % between the sentences of
  one BOSTON signer (the median distance would vary by 20 %);
- with neither, coordinates stay as they are (centre 0, unit 1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from kslars.engine.segmentation import features as segmentation
from kslars.engine.segmentation.body25 import L_SHOULDER, NECK, NOSE, R_SHOULDER
from kslars.engine.segmentation.features import Skeleton, frame_features, resample

FEATURE_SIZE: int = segmentation.FEATURE_SIZE
# The 90th percentile of the distance from the nose to a hand centre in a sentence, in shoulder widths: its
# median over the DGS sentence clips (the five signers' medians lie between 1.5 and 1.9).
NOSE_TO_HAND = 1.75
REACH_PERCENTILE = 90


def signer_frame(skeleton: Skeleton) -> tuple[np.ndarray, float]:
    """The signer's centre per frame, (T, 2), and unit length (one shoulder width, or its estimate); see the
    module docstring for the cues used when shoulders or the nose are missing."""
    body, seen = skeleton.body, skeleton.body_seen
    shoulders = seen[:, R_SHOULDER] & seen[:, L_SHOULDER]
    if shoulders.any():
        centre = np.where(seen[:, NECK, None], body[:, NECK], (body[:, R_SHOULDER] + body[:, L_SHOULDER]) / 2)
        known = seen[:, NECK] | shoulders
        centre[~known] = np.median(centre[known], axis=0)
        widths = np.linalg.norm(body[shoulders, R_SHOULDER] - body[shoulders, L_SHOULDER], axis=1)
        return centre.astype(np.float32), _positive(float(np.median(widths)))
    if seen[:, NOSE].any():
        nose = np.median(body[seen[:, NOSE], NOSE], axis=0)
        reach = [
            np.linalg.norm(hand[hand_seen].mean(axis=1) - nose, axis=1)
            for hand, hand_seen in ((skeleton.right, skeleton.right_seen), (skeleton.left, skeleton.left_seen))
        ]
        reach_all = np.concatenate(reach)
        unit = float(np.percentile(reach_all, REACH_PERCENTILE)) / NOSE_TO_HAND if len(reach_all) else 1.0
        return np.broadcast_to(nose, (len(skeleton), 2)).astype(np.float32), _positive(unit)
    return np.zeros((len(skeleton), 2), np.float32), 1.0


def _positive(unit: float) -> float:
    return unit if unit > 1e-6 else 1.0


def normalise_skeleton(skeleton: Skeleton) -> Skeleton:
    """The skeleton in the signer's own frame: centre at the origin, one shoulder width as the unit."""
    centre, unit = signer_frame(skeleton)  # (T, 2), float
    body = (skeleton.body - centre[:, None]) / unit  # (T, 25, 2)
    body[:, NECK] = 0.0  # the origin, also where the neck itself was not seen (frame_features centres on it)
    return replace(
        skeleton,
        body=body.astype(np.float32),
        left=((skeleton.left - centre[:, None]) / unit).astype(np.float32),
        right=((skeleton.right - centre[:, None]) / unit).astype(np.float32),
    )


def sequence_features(skeleton: Skeleton, fps: float = 25.0) -> np.ndarray:
    """(T, FEATURE_SIZE) float32 features of a signed sentence at ``fps`` frames per second, independent of the
    signer's position and size; unseen parts are zeros."""
    if len(skeleton) == 0:
        return np.zeros((0, FEATURE_SIZE), np.float32)
    return frame_features(resample(normalise_skeleton(skeleton), fps))


@dataclass(frozen=True)
class Augmentation:
    """Ranges of the random changes :func:`augment` makes to a training sentence (the ``[augmentation]`` table of
    a training configuration).

    ``rotation_degrees``: rotation about the neck, uniform in +-this; ``scale``: size factor uniform in
    1 +- this; ``time_warp``: signing speed factor uniform in 1 +- this (a speed of 1.25 makes the sentence 1.25
    times shorter); ``frame_drop``: probability that a frame is left out; ``noise``: standard deviation of the
    Gaussian noise added to every joint, in shoulder widths.
    """

    rotation_degrees: float = 10.0
    scale: float = 0.1
    time_warp: float = 0.2
    frame_drop: float = 0.05
    noise: float = 0.01

    def __post_init__(self) -> None:
        if not 0 <= self.time_warp < 1 or not 0 <= self.scale < 1:
            raise ValueError("time_warp and scale must lie in [0, 1): they are +- fractions of 1")
        if not 0 <= self.frame_drop < 1:
            raise ValueError("frame_drop is a probability in [0, 1)")


def augment(skeleton: Skeleton, rng: np.random.Generator, options: Augmentation) -> Skeleton:
    """A randomly changed copy of ``skeleton``: rotated and scaled about the neck, with per-joint noise, played
    at a random speed (resampled back to its frame rate) and with random frames left out; the same ``rng``
    state gives the same result."""
    if len(skeleton) == 0:
        return skeleton
    centre, unit = signer_frame(skeleton)
    pivot = np.median(centre, axis=0)  # (2,)
    angle = np.deg2rad(rng.uniform(-options.rotation_degrees, options.rotation_degrees))
    factor = rng.uniform(1 - options.scale, 1 + options.scale)
    matrix = factor * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)

    def move(points: np.ndarray, seen: np.ndarray) -> np.ndarray:
        moved = (points - pivot) @ matrix.T + pivot + rng.normal(0.0, options.noise * unit, points.shape)
        return np.where(seen[..., None], moved, points).astype(np.float32)

    changed = replace(
        skeleton,
        body=move(skeleton.body, skeleton.body_seen),  # seen (T, 25); hands' (T, 1) cover all points
        left=move(skeleton.left, skeleton.left_seen[:, None]),
        right=move(skeleton.right, skeleton.right_seen[:, None]),
    )
    speed = rng.uniform(1 - options.time_warp, 1 + options.time_warp)
    changed = resample(replace(changed, fps=skeleton.fps * speed), skeleton.fps)
    keep = rng.random(len(changed)) >= options.frame_drop
    if not keep.any():
        keep[0] = True
    return select_frames(changed, keep)


def select_frames(skeleton: Skeleton, frames: slice | np.ndarray) -> Skeleton:
    """The chosen frames (a slice, indices or a (T,) mask) of ``skeleton``, at its frame rate."""
    return replace(
        skeleton,
        body=skeleton.body[frames],
        body_seen=skeleton.body_seen[frames],
        left=skeleton.left[frames],
        left_seen=skeleton.left_seen[frames],
        right=skeleton.right[frames],
        right_seen=skeleton.right_seen[frames],
    )
