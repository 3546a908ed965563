"""Trivial segmenters that the model must beat, scored the same way (see ``docs/engine/segmentation.md``).

- all inside: one segment over every frame of a run;
- evenly spaced: segments of the training signs' mean length, one every mean sign-to-sign interval of the
  training data, laid over the whole run without looking at the signer; for phrases the same with the training
  phrases' mean length and interval (:func:`phrase_rhythm`).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from kslars.engine.segmentation.bio import Segment
from kslars.engine.segmentation.dgs_data import Run, Span


def all_inside(frame_count: int) -> list[Segment]:
    """One segment over all ``frame_count`` frames."""
    return [Segment(0, frame_count, 1.0)] if frame_count else []


def sign_rhythm(runs: list[Run]) -> tuple[float, float]:
    """Mean sign length and mean start-to-start interval of consecutive signs in the same phrase, in ms."""
    lengths, intervals = [], []
    for run in runs:
        lengths += [e - s for s, e in run.signs]
        for phrase_start, phrase_end in run.phrases:
            starts = [s for s, _ in run.signs if phrase_start <= s < phrase_end]
            intervals += list(np.diff(starts))
    if not lengths or not intervals:
        raise ValueError("need runs with at least two signs in one phrase to measure the sign rhythm")
    return float(np.mean(lengths)), float(np.mean(intervals))


def phrase_rhythm(runs: list[Run]) -> tuple[float, float]:
    """Mean phrase length and mean start-to-start interval of consecutive phrases in one run, in ms."""
    lengths = [e - s for run in runs for s, e in run.phrases]
    intervals = [b[0] - a[0] for run in runs for a, b in pairwise(run.phrases)]
    if not lengths or not intervals:
        raise ValueError("need runs with at least two phrases to measure the phrase rhythm")
    return float(np.mean(lengths)), float(np.mean(intervals))


def evenly_spaced(frame_count: int, fps: float, rhythm: tuple[float, float]) -> list[Segment]:
    """Segments of the rhythm's sign length, one every rhythm interval, over ``frame_count`` frames at ``fps``."""
    length_ms, interval_ms = rhythm
    spans: list[Span] = []
    start = 0.0
    while start * fps / 1000 < frame_count:
        spans.append((round(start * fps / 1000), round((start + length_ms) * fps / 1000)))
        start += interval_ms
    return [Segment(s, min(max(e, s + 1), frame_count), 1.0) for s, e in spans if s < frame_count]
