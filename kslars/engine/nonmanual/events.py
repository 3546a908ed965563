"""Turning per-frame signals into time segments: hysteresis thresholds and oscillation (back-and-forth) finding.

Signals are 1-D float arrays with NaN where the face was not seen; no segment ever contains such a frame.
Frame ranges are half-open: ``(start, stop)`` covers frames start .. stop - 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Event:
    """A proposed segment in frames, with its value, confidence (0..1) and extra attributes."""

    start: int
    stop: int
    value: str
    confidence: float
    attributes: dict[str, float | int | str]


def seen_runs(signal: np.ndarray) -> list[tuple[int, int]]:
    """The maximal runs of consecutive frames where ``signal`` is not NaN."""
    valid = np.concatenate([[False], np.isfinite(signal), [False]])
    edges = np.flatnonzero(np.diff(valid.astype(np.int8)))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def frames_for(ms: int, fps: float) -> int:
    """The number of frames (at least one) that covers ``ms`` milliseconds at ``fps``."""
    return max(1, math.ceil(ms * fps / 1000 - 1e-9))


def median_width(ms: int, fps: float) -> int:
    """The odd number of frames of a running median over ``ms`` milliseconds (1: no smoothing)."""
    return frames_for(ms, fps) // 2 * 2 + 1 if ms > 0 else 1


def relative(signal: np.ndarray, percentile: float = 50.0, neutral: np.ndarray | None = None) -> np.ndarray:
    """``signal`` minus its neutral level: a percentile over the frames where it is defined (only those where
    ``neutral`` is true, when given; the signal unchanged when there are none)."""
    usable = np.isfinite(signal) if neutral is None else np.isfinite(signal) & neutral
    return signal - np.percentile(signal[usable], percentile) if usable.any() else signal


def median_smooth(signal: np.ndarray, width: int) -> np.ndarray:
    """A running median over ``width`` frames (odd) within each run of seen frames; NaN stays NaN."""
    out = signal.copy()
    half = width // 2
    if half == 0:
        return out
    for start, stop in seen_runs(signal):
        run = signal[start:stop]
        padded = np.pad(run, half, mode="edge")
        windows = np.lib.stride_tricks.sliding_window_view(padded, width)
        out[start:stop] = np.median(windows, axis=1)
    return out


def hysteresis(
    signal: np.ndarray, enter: float, leave: float, min_frames: int, merge_frames: int, value: str
) -> list[Event]:
    """Segments where ``signal`` rises to ``enter`` or more, extended while it stays at ``leave`` or more.

    Segments of one run of seen frames closer than ``merge_frames`` are joined; those shorter than
    ``min_frames`` are dropped. Confidence is 0.5 at a peak of ``enter`` and 1.0 at twice ``enter``.
    """
    events = []
    for start, stop in seen_runs(signal):
        run = signal[start:stop]
        spans: list[list[int]] = []
        inside = False
        for i, x in enumerate(run):
            if not inside and x >= enter:
                inside = True
                first = i
                while first > 0 and run[first - 1] >= leave:  # the rise began where it crossed ``leave``
                    first -= 1
                if spans and first <= spans[-1][1]:
                    first = spans[-1][1]
                spans.append([first, i + 1])
            elif inside and x >= leave:
                spans[-1][1] = i + 1
            else:
                inside = False
        merged: list[list[int]] = []
        for span in spans:
            if merged and span[0] - merged[-1][1] <= merge_frames:
                merged[-1][1] = span[1]
            else:
                merged.append(span)
        for a, b in merged:
            if b - a < min_frames:
                continue
            peak = float(np.max(run[a:b]))
            confidence = float(np.clip(0.5 * peak / enter, 0.0, 1.0))
            events.append(Event(start + a, start + b, value, round(confidence, 3), {"peak": round(peak, 4)}))
    return events


def turning_points(run: np.ndarray, threshold: float) -> list[int]:
    """Indices of the extremes of ``run`` between which it moves by ``threshold`` or more (a zig-zag filter).

    The first index is where the first such movement started; consecutive indices alternate between
    minima and maxima, and every pair is at least ``threshold`` apart in value.
    """
    if len(run) == 0:
        return []
    points: list[int] = []
    direction = 0
    low = high = extreme = 0
    for i in range(1, len(run)):
        x = run[i]
        if direction == 0:
            low = i if x < run[low] else low
            high = i if x > run[high] else high
            if x - run[low] >= threshold:
                points, direction, extreme = [low], 1, i
            elif run[high] - x >= threshold:
                points, direction, extreme = [high], -1, i
        elif (x - run[extreme]) * direction > 0:
            extreme = i
        elif (run[extreme] - x) * direction >= threshold:
            points.append(extreme)
            direction, extreme = -direction, i
    if direction != 0:
        points.append(extreme)
    return points


def oscillations(
    signal: np.ndarray, amplitude: float, max_swing_frames: int, min_reversals: int, value: str
) -> list[Event]:
    """Back-and-forth movements: swings of at least ``amplitude`` each, each done within ``max_swing_frames``,
    with at least ``min_reversals`` changes of direction in a row.

    The segment runs from the start of the first swing to the end of the last. Confidence is half the mean
    swing over ``amplitude`` (capped at 1), times 0.75 when there are only ``min_reversals`` reversals,
    since one more back-and-forth makes the movement much less likely to be chance.
    """
    events = []
    for start, stop in seen_runs(signal):
        run = signal[start:stop]
        points = turning_points(run, amplitude)
        groups: list[list[int]] = []
        for a, b in zip(points, points[1:], strict=False):
            if b - a > max_swing_frames:
                groups.append([])  # too slow: a turn, not part of a shake or nod
                continue
            if groups and groups[-1] and groups[-1][-1] == a:
                groups[-1].append(b)
            else:
                groups.append([a, b])
        for group in groups:
            reversals = len(group) - 2
            if reversals < min_reversals:
                continue
            swings = np.abs(np.diff(run[group]))
            confidence = min(1.0, 0.5 * float(swings.mean()) / amplitude)
            if reversals == min_reversals:
                confidence *= 0.75
            events.append(
                Event(
                    start + group[0],
                    start + group[-1] + 1,
                    value,
                    round(confidence, 3),
                    {"reversals": reversals, "amplitude": round(float(swings.max()), 2)},
                )
            )
    return events


def without_overlaps(events: list[Event]) -> list[Event]:
    """``events`` in time order with every one that overlaps a more confident one removed."""
    kept: list[Event] = []
    for event in sorted(events, key=lambda e: -e.confidence):
        if all(event.stop <= other.start or other.stop <= event.start for other in kept):
            kept.append(event)
    return sorted(kept, key=lambda e: e.start)
