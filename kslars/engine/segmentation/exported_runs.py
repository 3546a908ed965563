"""Segmentation training runs from a training set exported with ``kslars corpus export-training``: each segment
with glosses is a run whose signs are its gloss annotations and whose phrase spans them all."""

from __future__ import annotations

from pathlib import Path

from kslars.corpus.training_set import read_index, read_segment
from kslars.engine.segmentation.dgs_data import Run
from kslars.engine.segmentation.features import skeleton_from_landmarks


def runs_from_training_set(folder: Path) -> list[Run]:
    """A :class:`Run` per exported segment that holds glosses (sign times relative to its first frame)."""
    runs = []
    for record in read_index(Path(folder)):
        if not record.gloss_spans:
            continue
        length_ms = round(record.frames * 1000 / record.fps)
        signs = [
            (max(0, round(s - record.frame0_ms)), min(length_ms, round(e - record.frame0_ms)))
            for s, e in record.gloss_spans
        ]
        signs = [(s, e) for s, e in signs if e > s]
        if not signs:
            continue
        skeleton = skeleton_from_landmarks(read_segment(Path(folder), record))
        phrases = [(signs[0][0], max(e for _, e in signs))]
        runs.append(Run([record.id], round(record.frame0_ms), skeleton, signs, phrases))
    return runs
