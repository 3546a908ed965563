"""Statistics of a folder of annotation files: per-tier counts and durations, participants, media hours where the
media is found, and gloss type/token counts. Files that cannot be read are listed with their error."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from tqdm import tqdm

from kslars import formats
from kslars.corpus.segments import resolved_spans
from kslars.document import Document, DocumentError, MediaDescriptor

MS_PER_HOUR = 3_600_000
MOST_COMMON_GLOSSES = 20


@dataclass
class TierTotals:
    """One tier name over all files: annotations (aligned and referring), their total duration, files having it."""

    annotations: int = 0
    duration_ms: int = 0
    files: int = 0


@dataclass
class CorpusStats:
    """What :func:`corpus_stats` counts; :meth:`to_dict` is the JSON of ``kslars corpus stats --json``."""

    folder: str
    gloss_tiers: list[str]
    files: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    tiers: dict[str, TierTotals] = field(default_factory=dict)
    participants: Counter[str] = field(default_factory=Counter)
    annotators: set[str] = field(default_factory=set)
    files_with_media: int = 0
    media_ms: int = 0
    annotated_ms: int = 0
    glosses: Counter[str] = field(default_factory=Counter)

    def add(self, doc: Document, media_ms: int | None) -> None:
        """Count one document (one session) whose media lasts ``media_ms`` (None: no media found)."""
        spans = resolved_spans(doc)
        for tier in doc.tiers:
            totals = self.tiers.setdefault(tier.id, TierTotals())
            totals.files += 1
            totals.annotations += len(tier.annotations)
            totals.duration_ms += sum(spans[a.id][1] - spans[a.id][0] for a in tier.annotations if a.id in spans)
            if tier.annotator:
                self.annotators.add(tier.annotator)
            if tier.id in self.gloss_tiers:
                self.glosses.update(a.value.strip() for a in tier.annotations if a.value.strip())
        self.participants.update({t.participant for t in doc.tiers if t.participant})  # files per participant
        if spans:
            self.annotated_ms += max(end for _, end in spans.values()) - min(start for start, _ in spans.values())
        if media_ms is not None:
            self.files_with_media += 1
            self.media_ms += media_ms
        self.files += 1

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready statistics (described in docs/corpus.md)."""
        tokens = sum(self.glosses.values())
        return {
            "folder": self.folder,
            "files": self.files,
            "errors": self.errors,
            "annotations": sum(t.annotations for t in self.tiers.values()),
            "tiers": {name: vars(t) for name, t in sorted(self.tiers.items())},
            "participants": dict(sorted(self.participants.items())),
            "annotators": sorted(self.annotators),
            "media": {
                "files_with_media": self.files_with_media,
                "duration_ms": self.media_ms,
                "hours": round(self.media_ms / MS_PER_HOUR, 3),
            },
            "annotated": {"duration_ms": self.annotated_ms, "hours": round(self.annotated_ms / MS_PER_HOUR, 3)},
            "glosses": {
                "tiers": self.gloss_tiers,
                "tokens": tokens,
                "types": len(self.glosses),
                "type_token_ratio": round(len(self.glosses) / tokens, 4) if tokens else None,
                "most_common": [[gloss, n] for gloss, n in self.glosses.most_common(MOST_COMMON_GLOSSES)],
            }
            if self.gloss_tiers
            else None,
        }


def annotation_files(folder: Path) -> list[Path]:
    """Files under ``folder`` (recursively) with an extension that kslars.formats reads, in name order."""
    extensions = {ext for fmt in formats.FORMATS.values() if fmt.readable for ext in fmt.extensions}
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in extensions)


def corpus_stats(folder: str | Path, gloss_tiers: list[str] | None = None, progress: bool = False) -> CorpusStats:
    """Statistics of every annotation file under ``folder``; a file that cannot be read goes to ``errors``.
    ``progress`` shows a progress bar on a terminal."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DocumentError(f"{folder} is not a folder")
    stats = CorpusStats(str(folder), list(gloss_tiers or []))
    for path in tqdm(annotation_files(folder), desc="Reading", unit="file", disable=None if progress else True):
        try:
            doc = formats.read(path)
            stats.add(doc, media_duration_ms(doc.media, path.parent))
        except DocumentError as e:
            stats.errors.append({"file": str(path.relative_to(folder)), "error": str(e)})
    return stats


def documents_stats(
    name: str, documents: Iterable[tuple[Document, int | None]], gloss_tiers: list[str] | None = None
) -> CorpusStats:
    """Statistics of documents already read, each with its media's duration in ms (None when it has none); ``name``
    says what they are (it is the JSON's "folder"). What :func:`corpus_stats` counts for a folder, and SLAN's corpus
    page for a user's projects."""
    stats = CorpusStats(name, list(gloss_tiers or []))
    for doc, media_ms in documents:
        stats.add(doc, media_ms)
    return stats


def media_duration_ms(media: list[MediaDescriptor], folder: Path) -> int | None:
    """The longest of the document's media files found on disk (relative URL, file URL, or the same name in
    ``folder``) that can be probed; None when none is found."""
    from kslars.vision.probe import probe_media
    from kslars.vision.video import VideoError

    durations = []
    for descriptor in media:
        path = local_media(descriptor, folder)
        if path is None:
            continue
        try:
            durations.append(probe_media(path).duration_ms)
        except (VideoError, OSError):
            continue
    return max(durations, default=None)


def local_media(descriptor: MediaDescriptor, folder: Path) -> Path | None:
    """The media file on disk: the relative URL (from ``folder``), a file URL, or the same name in ``folder``."""
    url = urlparse(descriptor.url)
    candidates = [folder / descriptor.relative_url] if descriptor.relative_url else []
    if url.scheme in ("", "file"):
        candidates.append(Path(unquote(url.path)))
    candidates.append(folder / Path(unquote(url.path)).name)
    return next((c for c in candidates if c.is_file()), None)
