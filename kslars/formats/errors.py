"""The one error type every format raises for input it cannot read or a document it cannot write."""

from __future__ import annotations

from kslars.document import DocumentError


class FormatError(DocumentError):
    """A file or a document could not be converted; the message says what was wrong and where."""


def where(name: str, line: int | None) -> str:
    """``name line N`` for messages, or just ``name`` when the line is unknown."""
    return f"{name} line {line}" if line else name
