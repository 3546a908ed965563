"""BIO tags per frame: building them from time spans, and decoding predicted probabilities back into segments.

Tag 0 = O (outside: transition or rest), 1 = B (first frame of a segment), 2 = I (inside a segment).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import pairwise

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


def decode_bio(
    probabilities: np.ndarray,
    b_threshold: float = 0.5,
    min_frames: int = 1,
    inside_threshold: float = 0.5,
    peak_gap: int | None = None,
) -> list[Segment]:
    """Segments from (T, 3) per-frame probabilities of O, B, I.

    A frame is inside when ``p(B) + p(I) > inside_threshold`` (by default: when B+I outweighs O). A segment
    starts where B is likely (``p(B) >= b_threshold``: once per run of such frames, at its first frame after
    an outside frame, else at its most likely frame) or at an inside frame after an outside one; it continues
    while frames are inside and ends before the next start. With ``peak_gap``, every local peak of p(B) at or
    above ``b_threshold`` is a start too when it is ``peak_gap`` frames or more from every other start (the
    highest peaks first), so a long run of likely-B frames can hold several starts. Segments shorter than
    ``min_frames`` are dropped.
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
    if peak_gap is not None:
        starts |= _peak_starts(p[:, B], b_threshold, peak_gap, starts)
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


def _peak_starts(b: np.ndarray, threshold: float, gap: int, starts: set[int]) -> set[int]:
    """Local peaks of ``b`` at or above ``threshold``, each ``gap`` frames or more from ``starts`` and from the
    peaks taken before it, the highest first."""
    taken = sorted(starts)
    added = set()
    peaks = [t for t in range(1, len(b) - 1) if b[t] >= threshold and b[t] > b[t - 1] and b[t] >= b[t + 1]]
    for t in sorted(peaks, key=lambda t: -b[t]):
        i = bisect.bisect_left(taken, t)
        if all(abs(t - taken[j]) >= gap for j in (i - 1, i) if 0 <= j < len(taken)):
            bisect.insort(taken, t)
            added.add(t)
    return added


def decode_signs(probabilities: np.ndarray, config: SegmentationConfig) -> list[Segment]:
    """Sign segments from (T, 3) probabilities with the decoding settings of the model's ``config``."""
    return decode_bio(
        probabilities,
        config.sign_b_threshold,
        config.sign_min_frames,
        config.sign_inside_threshold,
        config.sign_peak_gap_frames,
    )


def decode_phrases(probabilities: np.ndarray, config: SegmentationConfig) -> list[Segment]:
    """Phrase segments from (T, 3) probabilities: :func:`decode_bio`, then each segment cut at pauses.

    Between sentences the phrase head's P(O) (or P(B)) rises, but often not above one half when the signer goes
    straight on, so a stretch of several sentences would come out as one phrase. It is therefore cut where the
    boundary score P(O) + P(B) has a local peak of at least
    ``config.phrase_boundary_threshold`` (the highest first; none closer than ``config.phrase_min_ms`` to a cut
    or an end); a piece still longer than ``config.phrase_max_ms`` is cut at its highest score. The peak frame
    itself is left outside both pieces. Phrases shorter than ``config.phrase_drop_ms`` are dropped.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    segments = decode_bio(p, config.b_threshold)
    boundary = p[:, O] + p[:, B]
    min_frames = max(1, round(config.phrase_min_ms * config.fps / 1000))
    max_frames = None if config.phrase_max_ms is None else round(config.phrase_max_ms * config.fps / 1000)
    phrases: list[Segment] = []
    for segment in segments:
        cuts = _peak_cuts(boundary, segment.start, segment.end, config.phrase_boundary_threshold, min_frames)
        edges = [segment.start, *cuts, segment.end]
        for start, end in pairwise(edges):
            pieces = _cut_long(boundary, start if start == segment.start else start + 1, end, min_frames, max_frames)
            phrases += [_segment(p, a, b) for a, b in pieces]
    if config.phrase_drop_ms is None:
        return phrases
    shortest = round(config.phrase_drop_ms * config.fps / 1000)
    return [s for s in phrases if s.end - s.start >= shortest]


def _peak_cuts(boundary: np.ndarray, start: int, end: int, threshold: float | None, min_frames: int) -> list[int]:
    """Frames in ``start..end`` where the boundary score peaks at ``threshold`` or more, at least ``min_frames``
    from each other and from the ends, the highest peaks first."""
    if threshold is None:
        return []
    inner = range(start + min_frames, end - min_frames)
    peaks = [
        t
        for t in inner
        if boundary[t] >= threshold and boundary[t] >= boundary[t - 1] and boundary[t] >= boundary[t + 1]
    ]
    cuts: list[int] = []
    for t in sorted(peaks, key=lambda t: -boundary[t]):
        if all(abs(t - c) >= min_frames for c in cuts):
            cuts.append(t)
    return sorted(cuts)


def _cut_long(
    boundary: np.ndarray, start: int, end: int, min_frames: int, max_frames: int | None
) -> list[tuple[int, int]]:
    """``start..end`` as pieces of at most ``max_frames``, cut (recursively) at the highest boundary score."""
    if max_frames is None or end - start <= max_frames or end - start < 2 * min_frames + 1:
        return [(start, end)]
    t = start + min_frames + int(np.argmax(boundary[start + min_frames : end - min_frames]))
    return _cut_long(boundary, start, t, min_frames, max_frames) + _cut_long(
        boundary, t + 1, end, min_frames, max_frames
    )


def _segment(p: np.ndarray, start: int, end: int) -> Segment:
    return Segment(start, end, float(np.mean(p[start:end, B] + p[start:end, I])))
