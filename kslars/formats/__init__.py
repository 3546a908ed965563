"""Reading and writing annotation documents in interchange formats, with no Django import.

Every format is a module with ``read(data: bytes, name: str, **options) -> Document`` and/or
``write(doc, tiers=None, **options) -> bytes``. This package adds file handling on top: choosing the
format by extension, a size limit, the rules of kslars.document_rules on every document read or written, and
writes that never leave a half-written file behind.
"""

from __future__ import annotations

import importlib
import inspect
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kslars.document import Document, DocumentError
from kslars.document_rules import check_document
from kslars.formats.errors import FormatError

__all__ = ["FORMATS", "FormatError", "Format", "format_for_path", "read", "read_bytes", "write", "write_bytes"]

# Inputs larger than this are refused before parsing (override with ``max_bytes=``).
DEFAULT_MAX_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class Format:
    """One interchange format: its module, file extensions (lower case, as files are recognised), whether it can be
    read and written, a short ``label`` for menus, whether a file holds ``one_tier`` only (subtitles), and the media
    ``content_type`` of a written file (web downloads)."""

    name: str
    module: str
    extensions: tuple[str, ...]
    readable: bool = True
    writable: bool = True
    description: str = ""
    label: str = ""
    one_tier: bool = False
    content_type: str = "application/octet-stream"
    written_extension: str = ""  # how written files are named when not extensions[0] as it is (Praat's .TextGrid)

    @property
    def extension(self) -> str:
        """The extension of a file written in this format."""
        return self.written_extension or self.extensions[0]

    def load(self) -> Any:
        """The format's module (imported on first use)."""
        return importlib.import_module(self.module)

    def options(self, function: str) -> list[str]:
        """The keyword options the module's ``read`` or ``write`` function takes after the data and its name."""
        return list(inspect.signature(getattr(self.load(), function)).parameters)[2:]


FORMATS: dict[str, Format] = {
    "eaf": Format(
        "eaf",
        "kslars.formats.eaf",
        (".eaf",),
        description="ELAN annotation file (reads 2.7-3.0, writes 3.0)",
        label="ELAN (.eaf)",
        content_type="application/xml",
    ),
    "json": Format(
        "json",
        "kslars.formats.jsonfmt",
        (".json",),
        description="K-SLARS document JSON, lossless",
        label="K-SLARS JSON (.json), keeps everything",
        content_type="application/json",
    ),
    "csv": Format(
        "csv",
        "kslars.formats.csvfmt",
        (".csv",),
        description="one row per annotation",
        label="CSV table (.csv)",
        content_type="text/csv; charset=utf-8",
    ),
    "srt": Format(
        "srt",
        "kslars.formats.subtitles",
        (".srt",),
        description="SubRip subtitles of one tier",
        label="SubRip subtitles (.srt), one tier",
        one_tier=True,
        content_type="application/x-subrip; charset=utf-8",
    ),
    "vtt": Format(
        "vtt",
        "kslars.formats.subtitles",
        (".vtt",),
        description="WebVTT subtitles of one tier",
        label="WebVTT subtitles (.vtt), one tier",
        one_tier=True,
        content_type="text/vtt; charset=utf-8",
    ),
    "textgrid": Format(
        "textgrid",
        "kslars.formats.textgrid",
        (".textgrid",),
        description="Praat TextGrid",
        label="Praat TextGrid",
        content_type="text/plain; charset=utf-8",
        written_extension=".TextGrid",
    ),
}


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The format name for ``path``'s extension; FormatError for an extension no format uses."""
    suffix = Path(path).suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt.name
    known = ", ".join(ext for f in FORMATS.values() for ext in f.extensions)
    raise FormatError(
        f"{Path(path).name}: unknown file type {suffix or '(no extension)'!r}; K-SLARS reads and writes {known}"
    )


def _function(fmt: str, spec: Format, name: str, options: dict[str, Any]) -> Any:
    """The format module's ``read`` or ``write`` function, with ``options`` completed for it; FormatError for an
    option it does not take (instead of a TypeError). Both functions take the document or data and one more
    argument before the options."""
    if fmt in ("srt", "vtt"):
        options.setdefault("fmt", fmt)
    function = getattr(spec.load(), name)
    if options:
        accepted = spec.options(name)
        for option in options:
            if option not in accepted:
                takes = ", ".join(accepted) or "no options"
                raise FormatError(f"option {option!r} does not apply to {fmt} (it takes: {takes})")
    return function


def _format(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise FormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None


def read_bytes(
    data: bytes, fmt: str, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, **options: Any
) -> Document:
    """Read a document from ``data`` in format ``fmt``; ``name`` is used in error messages (e.g. the upload's name)."""
    spec = _format(fmt)
    name = name or f"the {fmt} file"
    if len(data) > max_bytes:
        raise FormatError(f"{name} is {len(data):,} bytes, more than the limit of {max_bytes:,} bytes")
    if not spec.readable:
        raise FormatError(f"K-SLARS can write {fmt} files but not read them")
    doc = _function(fmt, spec, "read", options)(data, name, **options)
    _check(doc, name)
    return doc


def read(
    path: str | os.PathLike[str], fmt: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES, **options: Any
) -> Document:
    """Read the document in ``path``; the format comes from the extension unless ``fmt`` is given."""
    path = Path(path)
    fmt = fmt or format_for_path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FormatError(f"{path.name} is {size:,} bytes, more than the limit of {max_bytes:,} bytes")
        data = path.read_bytes()
    except OSError as e:
        raise FormatError(f"cannot read {path}: {e.strerror or e}") from e
    return read_bytes(data, fmt, name=path.name, max_bytes=max_bytes, **options)


def write_bytes(doc: Document, fmt: str, tiers: list[str] | None = None, **options: Any) -> bytes:
    """``doc`` (or only ``tiers`` and what they need) in format ``fmt``, as bytes."""
    spec = _format(fmt)
    if not spec.writable:
        raise FormatError(f"K-SLARS can read {fmt} files but not write them")
    write_function = _function(fmt, spec, "write", options)
    _check(doc, None)
    return write_function(doc, tiers=tiers, **options)


def _check(doc: Document, name: str | None) -> None:
    """FormatError (naming the file when there is one) at the first rule of kslars.document_rules ``doc`` breaks."""
    try:
        check_document(doc)
    except DocumentError as e:
        raise FormatError(f"{name}: {e}" if name else str(e)) from None


def write(
    doc: Document, path: str | os.PathLike[str], fmt: str | None = None, tiers: list[str] | None = None, **options: Any
) -> None:
    """Write ``doc`` to ``path``; the file is replaced only once the whole output is ready."""
    path = Path(path)
    data = write_bytes(doc, fmt or format_for_path(path), tiers=tiers, **options)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as e:
        raise FormatError(f"cannot write {path}: {e.strerror or e}") from e
