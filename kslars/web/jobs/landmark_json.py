"""Landmarks for the editor: the skeleton per frame (for drawing over the video) and hand speed over time.

Pure numpy over kslars.vision.pose_file.Landmarks, no Django. Coordinates go out normalised to 0..1 of the
video's width and height and rounded, so that the browser draws them at any size and the JSON stays small.
"""

from __future__ import annotations

import numpy as np

from kslars.vision.pose_file import Landmarks

# MediaPipe Pose points 0-24: face, shoulders, arms, the hands' rough points and the hips (the legs are left out).
UPPER_BODY_POINTS = 25
BODY_EDGES = [
    (11, 12), (11, 13), (13, 15), (12, 14), (14, 16), (11, 23), (12, 24), (23, 24),
    (15, 17), (15, 19), (15, 21), (17, 19), (16, 18), (16, 20), (16, 22), (18, 20),
    (0, 1), (1, 2), (2, 3), (3, 7), (0, 4), (4, 5), (5, 6), (6, 8), (9, 10),
]
HAND_EDGES = [
    (0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (5, 9), (9, 10), (10, 11), (11, 12),
    (9, 13), (13, 14), (14, 15), (15, 16), (13, 17), (17, 18), (18, 19), (19, 20), (0, 17),
]
DECIMALS = 3


def frame_range(landmarks: Landmarks, start_ms: int | None, end_ms: int | None) -> range:
    """The sample indices whose time lies in [start_ms, end_ms) (the whole file when both are None)."""
    first = 0 if start_ms is None else max(0, int(np.ceil(start_ms * landmarks.fps / 1000)))
    stop = landmarks.frame_count if end_ms is None else int(np.ceil(end_ms * landmarks.fps / 1000))
    return range(first, min(stop, landmarks.frame_count))


def _flat(points: np.ndarray, seen: bool, scale: np.ndarray) -> list[float] | None:
    """[x0, y0, x1, y1, ...] normalised to the frame, or None when the part was not seen."""
    if not seen:
        return None
    return np.round(points[:, :2] / scale, DECIMALS).reshape(-1).tolist()


def skeleton_frames(landmarks: Landmarks, start_ms: int | None = None, end_ms: int | None = None) -> dict:
    """The skeleton to draw: ``frames[i] = [body, left hand, right hand]``, each a flat [x, y, ...] list in 0..1
    or null when unseen; frame i shows at ``start_ms + i * 1000 / fps``."""
    frames = frame_range(landmarks, start_ms, end_ms)
    scale = np.array([landmarks.width, landmarks.height], np.float32)
    body_seen = landmarks.body_confidence.max(axis=1) > 0
    left_seen = landmarks.left_confidence.max(axis=1) > 0
    right_seen = landmarks.right_confidence.max(axis=1) > 0
    rows = [
        [
            _flat(landmarks.body[i, :UPPER_BODY_POINTS], bool(body_seen[i]), scale),
            _flat(landmarks.left_hand[i], bool(left_seen[i]), scale),
            _flat(landmarks.right_hand[i], bool(right_seen[i]), scale),
        ]
        for i in frames
    ]
    return {
        "fps": landmarks.fps,
        "width": landmarks.width,
        "height": landmarks.height,
        "start_ms": landmarks.time_ms(frames.start) if len(frames) else 0,
        "frame_count": len(rows),
        "body_edges": BODY_EDGES,
        "hand_edges": HAND_EDGES,
        "frames": rows,
    }


def hand_speed(points: np.ndarray, confidence: np.ndarray, fps: float, height: int) -> np.ndarray:
    """(T,) speed of a hand's centre in video heights per second; 0 where the hand is not seen in a frame or
    the one before it. Smoothed over three frames, as MediaPipe's points jitter from frame to frame."""
    seen = confidence.max(axis=1) > 0  # (T,)
    centre = points[:, :, :2].mean(axis=1) / max(height, 1)  # (T, 2)
    speed = np.zeros(len(points), np.float32)
    if len(points) > 1:
        step = np.linalg.norm(np.diff(centre, axis=0), axis=1) * fps  # (T-1,)
        both = seen[1:] & seen[:-1]
        speed[1:] = np.where(both, step, 0.0)
    if len(speed) >= 3:
        speed = np.convolve(np.pad(speed, 1, mode="edge"), np.ones(3) / 3, mode="valid").astype(np.float32)
    return speed


def hand_speed_series(landmarks: Landmarks) -> list[dict]:
    """The visualisation panel's series: [{name, times_ms, values}] for the right and the left hand."""
    times = [landmarks.time_ms(i) for i in range(landmarks.frame_count)]
    series = []
    for name, points, confidence in (("Right hand speed", landmarks.right_hand, landmarks.right_confidence),
                                     ("Left hand speed", landmarks.left_hand, landmarks.left_confidence)):
        values = hand_speed(points, confidence, landmarks.fps, landmarks.height)
        series.append({"name": name, "times_ms": times, "values": np.round(values, 4).tolist()})
    return series
