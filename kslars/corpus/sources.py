"""What a corpus command works on: a corpus folder, or a manifest file written by ``kslars corpus manifest``."""

from __future__ import annotations

from pathlib import Path

from kslars.corpus.manifest import VIDEO_SUFFIXES, ManifestRow, corpus_manifest, read_manifest
from kslars.document import DocumentError


def corpus_rows(source: str | Path, root: str | Path | None = None) -> tuple[Path, list[ManifestRow]]:
    """The corpus folder and its manifest rows: a folder's manifest made now, or a manifest file's rows (paths in
    it relative to ``root``, default the manifest's folder). DocumentError when ``source`` is neither."""
    source = Path(source)
    if source.is_dir():
        return source, corpus_manifest(source)
    if source.is_file():
        return Path(root) if root is not None else source.parent, read_manifest(source)
    raise DocumentError(f"{source} does not exist: give a corpus folder or a manifest (.csv or .json)")


def corpus_videos(source: str | Path, root: str | Path | None = None) -> tuple[Path, list[Path]]:
    """The corpus folder and the videos to work on, in name order: every video file under a folder, or the media
    of a manifest's rows (a row without media is skipped). DocumentError when ``source`` is neither."""
    source = Path(source)
    if source.is_dir():
        return source, sorted(p for p in source.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)
    folder, rows = corpus_rows(source, root)
    media = dict.fromkeys(folder / row.media for row in rows if row.media)
    return folder, list(media)
