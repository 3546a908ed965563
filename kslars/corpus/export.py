"""Export a training set from a corpus: the landmarks and labels of each segment (a sentence, or one gloss) in the
layout of :mod:`kslars.corpus.training_set`.

Landmarks of a file's video come from an existing .pose file when one is found (beside the annotation file or the
video, or in the landmarks folder, made for the video's picture size), else from MediaPipe Holistic through
:func:`kslars.vision.landmarks.extract_landmarks`, kept in the landmarks folder for the next export. A file that
cannot be used (unreadable, a chosen tier missing, no landmarks and no video) is listed with the reason and the
others are exported.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kslars import formats
from kslars.corpus.anonymise import leaks
from kslars.corpus.manifest import ManifestRow
from kslars.corpus.segments import Segment, resolved_spans, tier_segments
from kslars.corpus.training_set import SEGMENTS, SUMMARY, SegmentRecord, write_index, write_segment
from kslars.document import Document, DocumentError
from kslars.engine.pipeline import landmarks_window
from kslars.vision.pose_file import landmarks_fit, read_landmarks


@dataclass(frozen=True)
class ExportTiers:
    """Which tier gives each label (None: that label is not exported) and what one segment is."""

    gloss: str | None = "Gloss"
    handshape: str | None = None
    sentence: str | None = None
    unit: str = "gloss"

    def __post_init__(self) -> None:
        unit_tier = self.sentence if self.unit == "sentence" else self.gloss if self.unit == "gloss" else None
        if unit_tier is None:
            raise ValueError(f"segments by {self.unit!r} need a {self.unit} tier (or choose --unit gloss or sentence)")

    @property
    def unit_tier(self) -> str:
        """The tier whose annotations are the segments."""
        return self.sentence if self.unit == "sentence" else self.gloss  # type: ignore[return-value]

    def chosen(self) -> dict[str, str]:
        """Label kind -> tier name, for the kinds chosen."""
        return {
            k: v for k, v in (("gloss", self.gloss), ("handshape", self.handshape), ("sentence", self.sentence)) if v
        }


@dataclass
class ExportResult:
    """The segments written, the files or segments that could not be exported, and the signer mapping used."""

    records: list[SegmentRecord] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    leaks: list[str] = field(default_factory=list)


def export_training_set(
    folder: Path,
    rows: list[ManifestRow],
    out: Path,
    tiers: ExportTiers,
    landmarks_dir: Path | None = None,
    fps: float | None = None,
    names: dict[str, str] | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> ExportResult:
    """Export every row's segments to ``out``; ``names`` (real signer -> Subject_N, extended with new signers)
    anonymises the signers. Landmarks extracted from videos go to ``landmarks_dir`` (default ``out/landmarks``)
    at ``fps`` (default the video's rate)."""
    from kslars.recognition.splits import subject_names

    out.mkdir(parents=True, exist_ok=True)
    landmarks_dir = landmarks_dir or out / "landmarks"
    result = ExportResult()
    for row in rows:
        try:
            doc = formats.read(folder / row.annotation)
            records = _file_segments(folder, row, doc, tiers, landmarks_dir, fps, out, len(result.records), result)
        except (DocumentError, ValueError, OSError) as e:
            result.problems.append({"file": row.annotation, "error": str(e)})
            log(f"{row.annotation}: not exported: {e}")
            continue
        result.records += records
        log(f"{row.annotation}: {len(records)} segments")
    if names is not None:
        result.names = subject_names({r.signer for r in result.records}, known=names)
        for record in result.records:
            record.signer = result.names[record.signer]
    write_index(out, result.records)
    summary = {
        "tiers": tiers.chosen(),
        "unit": tiers.unit,
        "segments": len(result.records),
        "problems": result.problems,
    }
    (out / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if names is not None:
        real = [name for name in result.names if name != result.names[name]]
        result.leaks = [
            f"{path.name}: {name}" for path in (out / "segments.jsonl", out / SUMMARY) for name in leaks(path, real)
        ]
    return result


def _file_segments(
    folder: Path,
    row: ManifestRow,
    doc: Document,
    tiers: ExportTiers,
    landmarks_dir: Path,
    fps: float | None,
    out: Path,
    first_number: int,
    result: ExportResult,
) -> list[SegmentRecord]:
    """The segments of one annotation file, their landmarks written; segments with no frame go to problems."""
    missing = [name for name in tiers.chosen().values() if not doc.has_tier(name)]
    if missing:
        raise DocumentError(f"no tier {missing[0]!r}; its tiers are {', '.join(t.id for t in doc.tiers)}")
    spans = resolved_spans(doc)
    labels = {
        kind: [s for s in tier_segments(doc, name, spans) if s.value.strip()] for kind, name in tiers.chosen().items()
    }
    units = labels[tiers.unit]
    if not units:
        return []
    landmarks = read_landmarks(_pose_file(folder, row, landmarks_dir, fps))
    origin = (doc.media[0].time_origin or 0) if doc.media else 0
    signer = _signer(doc, tiers, Path(row.annotation).stem)
    records: list[SegmentRecord] = []
    for unit in units:
        try:
            first, frames = landmarks_window(landmarks, unit.start_ms + origin, unit.end_ms + origin)
        except ValueError as e:
            result.problems.append({"file": row.annotation, "error": f"the {tiers.unit} at {unit.start_ms} ms: {e}"})
            continue
        number = first_number + len(records) + 1
        record = SegmentRecord(
            id=f"{number:06d}",
            file=f"{SEGMENTS}/{number:06d}.npz",
            source=row.annotation,
            media=row.media,
            signer=signer,
            unit=tiers.unit,
            start_ms=unit.start_ms,
            end_ms=unit.end_ms,
            frame0_ms=first * 1000 / landmarks.fps - origin,
            frames=frames.frame_count,
            fps=landmarks.fps,
        )
        _add_labels(record, unit, labels)
        write_segment(out, record, frames)
        records.append(record)
    return records


def _add_labels(record: SegmentRecord, unit: Segment, labels: dict[str, list[Segment]]) -> None:
    """Glosses and handshapes that start inside the segment; the sentence the segment's middle lies in."""
    for kind in ("gloss", "handshape"):
        inside = [s for s in labels.get(kind, []) if unit.start_ms <= s.start_ms < unit.end_ms]
        setattr(record, kind, [s.value.strip() for s in inside])
        setattr(record, f"{kind}_spans", [[s.start_ms, s.end_ms] for s in inside])
    middle = (unit.start_ms + unit.end_ms) / 2
    around = [s for s in labels.get("sentence", []) if s.start_ms <= middle < s.end_ms]
    record.sentence = around[0].value.strip() if around else None


def _signer(doc: Document, tiers: ExportTiers, fallback: str) -> str:
    """The participant of the segment tier, else of the gloss tier, else of any tier, else ``fallback``."""
    ordered = [doc.tier(tiers.unit_tier)] + ([doc.tier(tiers.gloss)] if tiers.gloss else []) + list(doc.tiers)
    return next((t.participant for t in ordered if t.participant), fallback)


def _pose_file(folder: Path, row: ManifestRow, landmarks_dir: Path, fps: float | None) -> Path:
    """An existing .pose file made for the row's video, else landmarks extracted from the video into
    ``landmarks_dir``; ValueError when there is neither."""
    annotation = folder / row.annotation
    video = folder / row.media if row.media else None
    stems = dict.fromkeys([annotation.stem] + ([video.stem] if video else []))
    places = dict.fromkeys([landmarks_dir, annotation.parent] + ([video.parent] if video else []))
    cached = landmarks_dir / Path(row.media or row.annotation).with_suffix(".pose")
    candidates = [cached] + [place / f"{stem}.pose" for place in places for stem in stems]
    size = _video_size(video) if video else None
    for candidate in candidates:
        if candidate.is_file() and (size is None or landmarks_fit(candidate, size)):
            return candidate
    if video is None:
        raise ValueError(f"no landmarks and no video ({row.problem or 'no media'}); looked for {candidates[1]}")
    from kslars.vision.landmarks import extract_landmarks

    cached.parent.mkdir(parents=True, exist_ok=True)
    extract_landmarks(video, cached, fps=fps)
    return cached


def _video_size(video: Path) -> tuple[int, int]:
    from kslars.vision.video import probe_video

    info = probe_video(video)
    return info.width, info.height
