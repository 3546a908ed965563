"""The layout of an exported training set (``kslars corpus export-training``), written and read here only.

::

    OUT/segments.jsonl      the index: one JSON object per segment (see :class:`SegmentRecord`)
    OUT/segments/NNNNNN.npz  the segment's landmarks: the arrays of :class:`kslars.vision.pose_file.Landmarks`
                             (body, hands and their confidences, pixels of the video) plus fps, width, height
    OUT/export.json         how it was made: the tiers used, the unit, the files that could not be exported

Times in the index are milliseconds on the annotation file's clock (as ELAN shows them); ``frame0_ms`` is the
time of the segment's first landmark frame on that clock, so frame ``i`` lies at ``frame0_ms + i * 1000 / fps``.
Pure numpy and JSON: the recognition toolkit and the engine's training read it without the corpus tools.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from kslars.vision.pose_file import Landmarks

INDEX = "segments.jsonl"
SEGMENTS = "segments"
SUMMARY = "export.json"
UNITS = ("sentence", "gloss")  # what one segment is: a sentence annotation, or one gloss annotation
LABELS = ("gloss", "handshape", "sentence")  # the label kinds, each read from a tier chosen at export
_ARRAYS = ("body", "body_confidence", "left_hand", "left_confidence", "right_hand", "right_confidence")

Span = list[int]  # [start_ms, end_ms]


@dataclass
class SegmentRecord:
    """One segment of the index: where it comes from, its frames and its labels.

    ``gloss`` and ``handshape`` are the values of those tiers' annotations that start inside the segment, in
    time order, with their spans in ``gloss_spans`` / ``handshape_spans``; ``sentence`` is the text of the
    sentence annotation the segment lies in (None without a sentence tier or outside any sentence).
    """

    id: str
    file: str  # the .npz, relative to the export folder
    source: str  # the annotation file, relative to the corpus folder
    media: str | None
    signer: str  # Subject_N when the export was anonymised
    unit: str
    start_ms: int
    end_ms: int
    frame0_ms: float
    frames: int
    fps: float
    gloss: list[str] = field(default_factory=list)
    gloss_spans: list[Span] = field(default_factory=list)
    handshape: list[str] = field(default_factory=list)
    handshape_spans: list[Span] = field(default_factory=list)
    sentence: str | None = None


def write_segment(folder: Path, record: SegmentRecord, landmarks: Landmarks) -> None:
    """Save a segment's landmarks to ``folder / record.file`` (compressed .npz)."""
    path = Path(folder) / record.file
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {name: getattr(landmarks, name) for name in _ARRAYS}
    np.savez_compressed(
        path,
        fps=np.float64(landmarks.fps),
        width=np.int64(landmarks.width),
        height=np.int64(landmarks.height),
        **arrays,
    )


def write_index(folder: Path, records: list[SegmentRecord]) -> None:
    """Write the index ``segments.jsonl``, one record per line."""
    lines = [json.dumps(asdict(r), ensure_ascii=False) for r in records]
    (Path(folder) / INDEX).write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def read_index(folder: Path) -> list[SegmentRecord]:
    """The records of an exported training set; ValueError naming the line when one is not a record."""
    path = Path(folder) / INDEX
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: make a training set with `kslars corpus export-training`")
    known = {f.name for f in fields(SegmentRecord)}
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            records.append(SegmentRecord(**{k: v for k, v in data.items() if k in known}))
        except (ValueError, TypeError) as error:
            raise ValueError(f"{path}, line {number}: not a segment record ({error})") from None
    return records


def read_segment(folder: Path, record: SegmentRecord) -> Landmarks:
    """The landmarks of one segment; ValueError naming the file when it cannot be read."""
    path = Path(folder) / record.file
    try:
        with np.load(path) as z:
            return Landmarks(
                fps=float(z["fps"]),
                width=int(z["width"]),
                height=int(z["height"]),
                **{name: z[name] for name in _ARRAYS},
            )
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ValueError(f"{path}: not a segment of a training set ({error})") from None
