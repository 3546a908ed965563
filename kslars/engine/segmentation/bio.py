"""BIO tags per frame: building them from time spans, and decoding predicted probabilities back into segments.

Tag 0 = O (outside: transition or rest), 1 = B (first frame of a segment), 2 = I (inside a segment).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kslars.engine.segmentation.config import SegmentationConfig

O, B, I = 0, 1, 2


@dataclass(frozen=True)
class Segment:
    """A decoded segment: frames ``start`` .. ``end - 1`` and its mean probability of being inside."""

    start: int
    end: int
    confidence: float


def spans_to_tags(spans: list[tuple[int, int]], frame_count: int, fps: float) -> np.ndarray:
    """(frame_count,) int64 BIO tags for time spans in ms; frame k covers time k * 1000 / fps."""
    tags = np.full(frame_count, O, dtype=np.int64)
    for start_ms, end_ms in spans:
        first = int(np.ceil(start_ms * fps / 1000 - 1e-9))
        stop = int(np.ceil(end_ms * fps / 1000 - 1e-9))
        first = min(first, frame_count)
        stop = max(min(stop, frame_count), min(first + 1, frame_count))  # every span gets at least one frame
        if first >= frame_count:
            continue
        tags[first:stop] = I
        tags[first] = B
    return tags


def decode_bio(probabilities: np.ndarray, b_threshold: float = 0.5, min_frames: int = 1,
               inside_threshold: float = 0.5) -> list[Segment]:
    """Segments from (T, 3) per-frame probabilities of O, B, I.

    A frame is inside when ``p(B) + p(I) > inside_threshold`` (by default: when B+I outweighs O). A segment
    starts where B is likely (``p(B) >= b_threshold``: once per run of such frames, at its first frame after
    an outside frame, else at its most likely frame) or at an inside frame after an outside one; it continues
    while frames are inside and ends before the next start. Segments shorter than ``min_frames`` are dropped.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != 3:
        raise ValueError(f"expected (T, 3) probabilities, got shape {p.shape}")
    inside = (p[:, B] + p[:, I]) > inside_threshold * p.sum(axis=1)
    starts = set()
    t = 0
    while t < len(p):  # one start per run of likely-B frames, at its most likely frame
        if p[t, B] >= b_threshold:
            run_end = t
            while run_end + 1 < len(p) and p[run_end + 1, B] >= b_threshold:
                run_end += 1
            follows_outside = t == 0 or not inside[t - 1]
            starts.add(t if follows_outside else t + int(np.argmax(p[t : run_end + 1, B])))
            t = run_end + 1
        else:
            t += 1
    segments: list[Segment] = []
    current: int | None = None
    for t in range(len(p) + 1):
        is_inside = t < len(p) and (inside[t] or t in starts)
        begins = t < len(p) and (t in starts or (is_inside and current is None))
        if current is not None and (not is_inside or begins):
            segments.append(_segment(p, current, t))
            current = None
        if begins:
            current = t
    return [s for s in segments if s.end - s.start >= min_frames]


def decode_signs(probabilities: np.ndarray, config: SegmentationConfig) -> list[Segment]:
    """Sign segments from (T, 3) probabilities with the decoding settings of the model's ``config``."""
    return decode_bio(probabilities, config.b_threshold, config.sign_min_frames, config.sign_inside_threshold)


def _segment(p: np.ndarray, start: int, end: int) -> Segment:
    return Segment(start, end, float(np.mean(p[start:end, B] + p[start:end, I])))
