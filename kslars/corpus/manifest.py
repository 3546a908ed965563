"""A corpus manifest: one row per annotation file with its media file (the EAF's media descriptors, or failing that
a video with the same stem in the corpus), the media's duration where it can be probed, and the participants.
A file whose media is missing or unreadable is listed with the reason; the rest go on."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kslars import formats
from kslars.corpus.stats import annotation_files, local_media
from kslars.document import DocumentError

VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".avi", ".webm", ".mpg", ".mpeg", ".m4v")
COLUMNS = ("annotation", "media", "duration_ms", "participants", "problem")


@dataclass
class ManifestRow:
    """One annotation file: its media (relative to the corpus folder), duration, participants, and what went wrong."""

    annotation: str
    media: str | None = None
    duration_ms: int | None = None
    participants: list[str] = field(default_factory=list)
    problem: str | None = None


def corpus_manifest(folder: str | Path) -> list[ManifestRow]:
    """A row for every annotation file under ``folder`` (in name order)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DocumentError(f"{folder} is not a folder")
    videos: dict[str, list[Path]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in VIDEO_SUFFIXES:
            videos.setdefault(path.stem, []).append(path)
    return [manifest_row(path, folder, videos) for path in annotation_files(folder)]


def manifest_row(path: Path, folder: Path, videos: dict[str, list[Path]]) -> ManifestRow:
    """The row of one annotation file; ``videos`` maps a file stem to the videos of that name in the corpus."""
    from kslars.vision.probe import probe_media
    from kslars.vision.video import VideoError

    row = ManifestRow(str(path.relative_to(folder)))
    try:
        doc = formats.read(path)
    except DocumentError as e:
        row.problem = f"not read: {e}"
        return row
    row.participants = sorted({t.participant for t in doc.tiers if t.participant})
    found = [m for m in (local_media(d, path.parent) for d in doc.media) if m is not None]
    same_name = videos.get(path.stem)
    media = found[0] if found else same_name[0] if same_name else None
    if media is None:
        named = ", ".join(d.relative_url or d.url for d in doc.media)
        row.problem = f"media not found ({named})" if named else "media not found (no reference, no video of that name)"
        return row
    media, root = media.resolve(), folder.resolve()
    row.media = str(media.relative_to(root)) if media.is_relative_to(root) else str(media)
    try:
        row.duration_ms = probe_media(media).duration_ms
    except (VideoError, OSError) as e:
        row.problem = f"media not readable: {e}"
    return row


def read_manifest(path: str | Path) -> list[ManifestRow]:
    """The rows of a manifest written by ``kslars corpus manifest -o`` (.csv or .json); DocumentError when the file
    cannot be read or is not a manifest."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".json":
            items = json.loads(text)
        else:
            items = list(csv.DictReader(io.StringIO(text)))
            for item in items:
                item["participants"] = [p for p in (item.get("participants") or "").split(";") if p]
        rows = [
            ManifestRow(
                annotation=item["annotation"],
                media=item.get("media") or None,
                duration_ms=int(item["duration_ms"]) if item.get("duration_ms") not in (None, "") else None,
                participants=list(item.get("participants") or []),
                problem=item.get("problem") or None,
            )
            for item in items
        ]
    except (OSError, UnicodeDecodeError) as e:
        raise DocumentError(f"{path}: cannot read the manifest ({e})") from None
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise DocumentError(f"{path}: not a manifest of `kslars corpus manifest` ({e!r})") from None
    return rows


def manifest_text(rows: list[ManifestRow], as_json: bool = False) -> str:
    """The rows as CSV (participants joined by ``;``) or as a JSON list."""
    if as_json:
        return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.annotation,
                r.media or "",
                "" if r.duration_ms is None else r.duration_ms,
                ";".join(r.participants),
                r.problem or "",
            ]
        )
    return buffer.getvalue()
