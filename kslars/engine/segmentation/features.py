"""Per-frame features for segmentation, shared by the DGS training keypoints and the engine's landmarks.

Both sources are reduced to the same skeleton: BODY_25 upper-body joints and two 21-point hands in 2D,
in pixel-like units (x and y on the same scale). Features are then independent of where the signer sits
and how large they appear: positions relative to the neck in shoulder widths, hand shapes relative to
each wrist, presence flags, and velocities in shoulder widths per second (so they do not depend on the
frame rate); then, per hand, fingertip distances (hand shape in a few numbers) and the speed and acceleration
of the hand's centre (where a movement starts and stops).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kslars.engine.segmentation.body25 import (
    L_ELBOW,
    L_EYE,
    L_SHOULDER,
    L_WRIST,
    NECK,
    NOSE,
    R_ELBOW,
    R_EYE,
    R_SHOULDER,
    R_WRIST,
    mediapipe_to_body25,
)
from kslars.vision.pose_file import Landmarks

UPPER_BODY = (NOSE, R_SHOULDER, R_ELBOW, R_WRIST, L_SHOULDER, L_ELBOW, L_WRIST, R_EYE, L_EYE)
FINGERTIPS = (4, 8, 12, 16, 20)  # thumb, index, middle, ring, little finger tips in a 21-point hand
HAND_MOTION_SIZE = 2 * (4 + 5 + 2 + 1)  # per hand: thumb-to-tip and tip-to-wrist distances, acceleration, speed
FEATURE_SIZE = 2 * len(UPPER_BODY) + 2 * (2 * 21 + 2 + 1) + 2 * len(UPPER_BODY) + 2 * 2 * 21 + HAND_MOTION_SIZE


@dataclass
class Skeleton:
    """2D upper body and hands of one signer at a constant frame rate; ``*_seen`` flags say what was detected."""

    fps: float
    body: np.ndarray  # (T, 25, 2) BODY_25 joints
    body_seen: np.ndarray  # (T, 25) bool
    left: np.ndarray  # (T, 21, 2) the signer's left hand
    left_seen: np.ndarray  # (T,) bool
    right: np.ndarray  # (T, 21, 2)
    right_seen: np.ndarray  # (T,) bool

    def __len__(self) -> int:
        return int(self.body.shape[0])


def skeleton_from_landmarks(landmarks: Landmarks) -> Skeleton:
    """The engine's MediaPipe Holistic landmarks (pixels) as a :class:`Skeleton`."""
    body, body_seen = mediapipe_to_body25(landmarks.body[:, :, :2], landmarks.body_confidence)
    return Skeleton(
        fps=landmarks.fps,
        body=body,
        body_seen=body_seen,
        left=landmarks.left_hand[:, :, :2].astype(np.float32),
        left_seen=landmarks.left_confidence.max(axis=1) > 0,
        right=landmarks.right_hand[:, :, :2].astype(np.float32),
        right_seen=landmarks.right_confidence.max(axis=1) > 0,
    )


def resample(skeleton: Skeleton, fps: float) -> Skeleton:
    """The skeleton at ``fps`` by linear interpolation in time; a frame is seen where both neighbours are."""
    n = len(skeleton)
    if n == 0 or abs(fps - skeleton.fps) < 1e-6:
        return skeleton
    count = max(1, int(np.floor((n - 1) * fps / skeleton.fps)) + 1)
    position = np.arange(count) * skeleton.fps / fps  # in source frames
    lo = np.clip(np.floor(position).astype(int), 0, n - 1)
    hi = np.clip(lo + 1, 0, n - 1)
    w = (position - lo).astype(np.float32)

    def mix(x: np.ndarray) -> np.ndarray:
        shape = (-1,) + (1,) * (x.ndim - 1)
        return x[lo] * (1 - w).reshape(shape) + x[hi] * w.reshape(shape)

    def both(seen: np.ndarray) -> np.ndarray:
        exact = w < 1e-6
        shape = (-1,) + (1,) * (seen.ndim - 1)
        return seen[lo] & (seen[hi] | exact.reshape(shape))

    return Skeleton(
        fps=fps,
        body=mix(skeleton.body),
        body_seen=both(skeleton.body_seen),
        left=mix(skeleton.left),
        left_seen=both(skeleton.left_seen),
        right=mix(skeleton.right),
        right_seen=both(skeleton.right_seen),
    )


def frame_features(skeleton: Skeleton) -> np.ndarray:
    """(T, FEATURE_SIZE) float32 features; unseen parts are zeros."""
    body, seen = skeleton.body, skeleton.body_seen
    shoulders_seen = seen[:, R_SHOULDER] & seen[:, L_SHOULDER]
    widths = np.linalg.norm(body[:, R_SHOULDER] - body[:, L_SHOULDER], axis=1)
    scale = float(np.median(widths[shoulders_seen])) if shoulders_seen.any() else 1.0
    scale = scale if scale > 1e-6 else 1.0
    neck = body[:, NECK].copy()
    if shoulders_seen.any():  # frames without shoulders borrow the typical neck position
        neck[~shoulders_seen] = np.median(neck[shoulders_seen], axis=0)
    idx = list(UPPER_BODY)
    upper = (body[:, idx] - neck[:, None]) / scale * seen[:, idx, None]  # (T, 9, 2)
    parts = [upper.reshape(len(skeleton), -1)]
    hands_abs = []
    for hand, hand_seen in ((skeleton.right, skeleton.right_seen), (skeleton.left, skeleton.left_seen)):
        mask = hand_seen[:, None, None].astype(np.float32)
        shape = (hand - hand[:, :1]) / scale * mask  # (T, 21, 2), relative to the wrist
        position = (hand[:, 0] - neck) / scale * mask[:, 0]  # (T, 2)
        parts += [shape.reshape(len(skeleton), -1), position, hand_seen[:, None].astype(np.float32)]
        hands_abs.append(((hand - neck[:, None]) / scale * mask).reshape(len(skeleton), -1))
    body_velocity = _velocity(upper.reshape(len(skeleton), -1), seen[:, idx].repeat(2, axis=1), skeleton.fps)
    parts.append(body_velocity)
    for absolute, hand_seen in zip(hands_abs, (skeleton.right_seen, skeleton.left_seen), strict=True):
        parts.append(_velocity(absolute, np.repeat(hand_seen[:, None], absolute.shape[1], axis=1), skeleton.fps))
    for hand, hand_seen in ((skeleton.right, skeleton.right_seen), (skeleton.left, skeleton.left_seen)):
        parts.append(_hand_motion(hand / scale, hand_seen, skeleton.fps))
    return np.concatenate(parts, axis=1).astype(np.float32)


def _hand_motion(hand: np.ndarray, seen: np.ndarray, fps: float) -> np.ndarray:
    """(T, 12) per frame of a (T, 21, 2) hand in shoulder widths: thumb tip to the other tips (4), each tip to
    the wrist (5), acceleration (2, per second squared) and speed (1, per second) of the hand's centre; zero
    where the hand is unseen."""
    tips = hand[:, list(FINGERTIPS)]
    thumb_to_tips = np.linalg.norm(tips[:, 1:] - tips[:, :1], axis=2)
    tips_to_wrist = np.linalg.norm(tips - hand[:, :1], axis=2)
    both_axes = np.repeat(seen[:, None], 2, axis=1)
    velocity = _velocity(hand.mean(axis=1), both_axes, fps)
    acceleration = np.clip(_velocity(velocity, both_axes, fps), -500.0, 500.0)
    speed = np.linalg.norm(velocity, axis=1, keepdims=True)
    mask = seen[:, None].astype(np.float32)
    return np.concatenate([thumb_to_tips, tips_to_wrist, acceleration, speed], axis=1) * mask


def _velocity(x: np.ndarray, seen: np.ndarray, fps: float) -> np.ndarray:
    """Central differences per second; zero where a neighbour is unseen."""
    v = np.zeros_like(x)
    if len(x) < 2:
        return v
    prev = np.concatenate([x[:1], x[:-1]])
    nxt = np.concatenate([x[1:], x[-1:]])
    prev_seen = np.concatenate([seen[:1], seen[:-1]])
    next_seen = np.concatenate([seen[1:], seen[-1:]])
    ok = prev_seen & next_seen & seen
    span = np.full(len(x), 2.0)
    span[0] = span[-1] = 1.0
    v[ok] = ((nxt - prev) / span[:, None] * fps)[ok]
    return np.clip(v, -50.0, 50.0)


def landmark_features(landmarks: Landmarks, fps: float) -> np.ndarray:
    """Features of the engine's landmarks at the model's frame rate ``fps``."""
    return frame_features(resample(skeleton_from_landmarks(landmarks), fps))
