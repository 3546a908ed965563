"""Landmarks for the editor: the skeleton per frame (for drawing over the video) and hand speed over time.

Pure numpy over kslars.vision.pose_file.Landmarks, no Django. Coordinates go out normalised to 0..1 of the
video's width and height and rounded to DECIMALS, written as short decimals ("0.123"), so that the browser
draws them at any size.

A .pose file is turned into :class:`EditorLandmarks` once (:func:`editor_landmarks`); any window of the skeleton
is then written as JSON text by :func:`skeleton_json` without building Python numbers or dicts per point. Rounded
coordinates take few distinct values (about a thousand across the frame), so each is kept as a 16-bit index into
a table of their JSON texts: 268 bytes per frame, 2.4 MB for ten minutes at 15 fps (the parsed file holds 1.2 kB
per frame). The text is exactly what ``json.dumps`` writes for the same lists of floats.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from kslars.vision.pose_file import HAND_POINTS, Landmarks

# MediaPipe Pose points 0-24: face, shoulders, arms, the hands' rough points and the hips (the legs are left out).
UPPER_BODY_POINTS = 25
BODY_EDGES = [
    (11, 12),
    (11, 13),
    (13, 15),
    (12, 14),
    (14, 16),
    (11, 23),
    (12, 24),
    (23, 24),
    (15, 17),
    (15, 19),
    (15, 21),
    (17, 19),
    (16, 18),
    (16, 20),
    (16, 22),
    (18, 20),
    (0, 1),
    (1, 2),
    (2, 3),
    (3, 7),
    (0, 4),
    (4, 5),
    (5, 6),
    (6, 8),
    (9, 10),
]
HAND_EDGES = [
    (0, 1),
    (1, 2),
    (2, 3),
    (3, 4),
    (0, 5),
    (5, 6),
    (6, 7),
    (7, 8),
    (5, 9),
    (9, 10),
    (10, 11),
    (11, 12),
    (9, 13),
    (13, 14),
    (14, 15),
    (15, 16),
    (13, 17),
    (17, 18),
    (18, 19),
    (19, 20),
    (0, 17),
]
DECIMALS = 3
# Where body, left hand and right hand lie in a frame's row of x, y numbers.
_BODY, _HAND = 2 * UPPER_BODY_POINTS, 2 * HAND_POINTS
_PARTS = ((0, _BODY), (_BODY, _BODY + _HAND), (_BODY + _HAND, _BODY + 2 * _HAND))


@dataclass(frozen=True)
class EditorLandmarks:
    """What the editor reads of one .pose file, ready to be written as JSON.

    ``codes[i]`` holds frame i's x, y numbers (25 body points, then the left hand's 21, then the right hand's 21)
    as indices into ``numbers``, the JSON text of each distinct rounded coordinate; ``seen[i]`` says whether body,
    left hand and right hand were seen; ``series`` is the JSON of :func:`hand_speed_series`.
    """

    fps: float
    width: int
    height: int
    numbers: np.ndarray  # (K,) object array of bytes
    codes: np.ndarray  # (T, 134) uint16 (uint32 past 65536 distinct numbers)
    seen: np.ndarray  # (T, 3) bool
    series: bytes

    @property
    def frame_count(self) -> int:
        """Number of sampled frames."""
        return int(self.codes.shape[0])

    @cached_property
    def nbytes(self) -> int:
        """Memory held by the arrays and texts, in bytes (what a cache of these counts)."""
        texts = sum(sys.getsizeof(n) for n in self.numbers) + sys.getsizeof(self.series)
        return self.codes.nbytes + self.seen.nbytes + self.numbers.nbytes + texts

    def time_ms(self, frame: int) -> int:
        """Start time of sample ``frame`` in milliseconds (as :meth:`Landmarks.time_ms`)."""
        return int(round(frame * 1000 / self.fps))


def frame_range(landmarks: Landmarks | EditorLandmarks, start_ms: int | None, end_ms: int | None) -> range:
    """The sample indices whose time lies in [start_ms, end_ms) (the whole file when both are None)."""
    first = 0 if start_ms is None else max(0, int(np.ceil(start_ms * landmarks.fps / 1000)))
    stop = landmarks.frame_count if end_ms is None else int(np.ceil(end_ms * landmarks.fps / 1000))
    return range(first, min(stop, landmarks.frame_count))


def editor_landmarks(landmarks: Landmarks) -> EditorLandmarks:
    """The editor's form of ``landmarks``: the skeleton's rounded coordinates as codes, and the hand-speed series."""
    scale = np.array([landmarks.width, landmarks.height], np.float32)
    points = np.concatenate(
        [landmarks.body[:, :UPPER_BODY_POINTS, :2], landmarks.left_hand[:, :, :2], landmarks.right_hand[:, :, :2]],
        axis=1,
    )
    rounded = np.round(points / scale, DECIMALS).reshape(len(points), 2 * points.shape[1])  # (T, 134) float32
    # Distinct bit patterns, not values: -0.0 and 0.0 are written differently.
    distinct, codes = np.unique(rounded.view(np.uint32), return_inverse=True)
    # written as the shortest decimal of the rounded value ("0.123", not float32's 0.12300000339746475)
    numbers = np.array(
        [json.dumps(round(v, DECIMALS)).encode() for v in distinct.view(np.float32).tolist()], dtype=object
    )
    seen = np.stack(
        [
            landmarks.body_confidence.max(axis=1) > 0,
            landmarks.left_confidence.max(axis=1) > 0,
            landmarks.right_confidence.max(axis=1) > 0,
        ],
        axis=1,
    )
    return EditorLandmarks(
        fps=landmarks.fps,
        width=landmarks.width,
        height=landmarks.height,
        numbers=numbers,
        codes=codes.reshape(rounded.shape).astype(np.uint16 if len(distinct) <= 1 << 16 else np.uint32),
        seen=seen,
        series=json.dumps(hand_speed_series(landmarks)).encode(),
    )


def skeleton_json(landmarks: EditorLandmarks, start_ms: int | None = None, end_ms: int | None = None) -> bytes:
    """The skeleton to draw, as the JSON of the /landmarks answer: ``frames[i] = [body, left hand, right hand]``,
    each a flat [x, y, ...] list in 0..1 or null when unseen; frame i shows at ``start_ms + i * 1000 / fps``."""
    frames = frame_range(landmarks, start_ms, end_ms)
    head = json.dumps(
        {
            "available": True,
            "fps": landmarks.fps,
            "width": landmarks.width,
            "height": landmarks.height,
            "start_ms": landmarks.time_ms(frames.start) if len(frames) else 0,
            "frame_count": len(frames),
            "body_edges": BODY_EDGES,
            "hand_edges": HAND_EDGES,
        }
    )
    rows = landmarks.numbers[landmarks.codes[frames.start : frames.stop]].tolist()
    join = b", ".join
    texts = [
        b"["
        + join(
            [
                b"[" + join(row[a:b]) + b"]" if part_seen else b"null"
                for (a, b), part_seen in zip(_PARTS, seen, strict=False)
            ]
        )
        + b"]"
        for row, seen in zip(rows, landmarks.seen[frames.start : frames.stop].tolist(), strict=False)
    ]
    return head[:-1].encode() + b', "frames": [' + join(texts) + b"]}"


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
    for name, points, confidence in (
        ("Right hand speed", landmarks.right_hand, landmarks.right_confidence),
        ("Left hand speed", landmarks.left_hand, landmarks.left_confidence),
    ):
        values = hand_speed(points, confidence, landmarks.fps, landmarks.height)
        # float64 before rounding, so that the JSON says 0.4308, not float32's 0.4307999908924103
        series.append({"name": name, "times_ms": times, "values": np.round(values.astype(np.float64), 4).tolist()})
    return series
