"""ELAN .eaf: read EAF 2.7, 2.8 and 3.0, write EAF 3.0 (see docs/formats/eaf.md for what is kept)."""

from __future__ import annotations

from kslars.document import Document
from kslars.formats import eaf_reader, eaf_writer
from kslars.formats.selection import select_tiers


def read(data: bytes, name: str = "the EAF file") -> Document:
    """Read an EAF file's bytes; FormatError (what and where) for malformed, unsafe or inconsistent input."""
    return eaf_reader.read(data, name)


def write(doc: Document, tiers: list[str] | None = None) -> bytes:
    """``doc`` (or only ``tiers`` and what they need) as EAF 3.0 bytes."""
    return eaf_writer.write(select_tiers(doc, tiers))
