"""The K-SLARS JSON format: the whole document, lossless, in a versioned wrapper (docs/formats/json.md).

    {"format": "kslars-document", "version": 1, "document": {...Document.to_dict()...}}

Input is checked against the JSON Schema shipped in ``kslars/formats/schema/`` and then for broken
references, so a bad upload gives one clear message and never a half-built document.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from importlib import resources
from typing import Any

from kslars.document import Document
from kslars.formats.errors import FormatError
from kslars.formats.selection import select_tiers

FORMAT_NAME = "kslars-document"
VERSION = 1
SCHEMA_FILE = "kslars-document-v1.schema.json"


@functools.cache
def schema() -> dict[str, Any]:
    """The JSON Schema of version 1 of the format."""
    return json.loads(resources.files("kslars.formats").joinpath("schema", SCHEMA_FILE).read_text(encoding="utf-8"))


def _path(parts: Any) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "the top level"


# a JSON string (skipped) or the integer part of a number, which int() reads only up to sys.get_int_max_str_digits()
_STRING_OR_INTEGER = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![0-9.eE+-])(-?[0-9]+)')


def _too_long_number(data: bytes, name: str) -> str:
    """The message for JSON that Python refused for a whole number with too many digits, naming its place."""
    limit = sys.get_int_max_str_digits()
    text = data.decode(json.detect_encoding(data), "surrogatepass")
    for match in _STRING_OR_INTEGER.finditer(text):
        digits = match.group(1)
        if digits is not None and len(digits.lstrip("-")) > limit:
            at = match.start(1)
            line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
            return (
                f"{name} line {line}, column {column}: a number with {len(digits.lstrip('-'))} digits is too long "
                f"(at most {limit}); no K-SLARS document needs one"
            )
    return f"{name}: a number is too long to read (more than {limit} digits)"


def read(data: bytes, name: str = "the JSON file") -> Document:
    """Read a K-SLARS JSON document; FormatError naming the line or the JSON path of the problem."""
    try:
        payload = json.loads(data)
    except UnicodeDecodeError as e:
        raise FormatError(f"{name}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except json.JSONDecodeError as e:
        raise FormatError(f"{name} line {e.lineno}, column {e.colno}: not valid JSON ({e.msg})") from None
    except RecursionError:
        raise FormatError(f"{name}: the JSON is nested too deeply") from None
    except ValueError:  # the only other error json.loads raises: a whole number too long for int()
        raise FormatError(_too_long_number(data, name)) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_NAME:
        raise FormatError(f'{name}: not a K-SLARS document (expected "format": "{FORMAT_NAME}" at the top)')
    if payload.get("version") != VERSION:
        raise FormatError(
            f"{name}: K-SLARS JSON version {payload.get('version')!r} is not supported; this K-SLARS reads version {VERSION}"
        )
    import jsonschema

    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema()).iter_errors(payload))
    if error is not None:
        raise FormatError(f"{name}: at {_path(error.absolute_path)}: {error.message}")
    return Document.from_dict(payload["document"])


def write(doc: Document, tiers: list[str] | None = None, indent: int | None = 1) -> bytes:
    """``doc`` (or only ``tiers`` and what they need) as K-SLARS JSON bytes (UTF-8)."""
    payload = {"format": FORMAT_NAME, "version": VERSION, "document": select_tiers(doc, tiers).to_dict()}
    return json.dumps(payload, ensure_ascii=False, indent=indent).encode("utf-8")
