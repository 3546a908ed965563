"""Signs in and out of the lexicon: HamNoSys lexicons (Ham2Pose ``data.json``), K-SLARS dictionaries, annotated
documents (ELAN .eaf, SLAN's JSON export) and exports to JSON and CSV.

Each reader returns the signs it could use and, for each entry it could not, the entry and why. A file that is
not of the kind expected at all raises ImportFailed, so that nothing is stored from it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kslars.dictionary.hamnosys_parser import HamNoSysError, parse_hamnosys
from kslars.dictionary.lexicon import FORMAT_NAME, LANGUAGES, Lexicon, LexiconError, Sign, sign_form
from kslars.dictionary.symbols import NAME_OF, SYMBOL_OF
from kslars.hamnosys import HANDSHAPE_VOCABULARY_ID, handshape

# Where the Ham2Pose entries come from, by the prefix of their key (plain numbers are DGS-Korpus types).
HAM2POSE_CORPORA = {"pjm": "PJM dictionary", "gsl": "Dicta-Sign GSL"}
ANNOTATION_SUFFIXES = (".eaf",)


class ImportFailed(ValueError):
    """A file that cannot be imported as a whole: what it is expected to be and what is wrong."""


@dataclass
class ImportResult:
    """The signs read from a file and the entries left out, as (entry, reason)."""

    signs: list[Sign] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def read_signs(path: str | Path) -> ImportResult:
    """Signs from any file the dictionary imports, chosen by extension and, for .json, by content."""
    path = Path(path)
    if path.suffix.lower() in ANNOTATION_SUFFIXES:
        return read_annotated_document(path)
    if path.suffix.lower() != ".json":
        raise ImportFailed(
            f"{path.name}: cannot import {path.suffix or 'a file without extension'}; "
            "give a HamNoSys lexicon (.json), a K-SLARS dictionary (.json), an ELAN file (.eaf) "
            "or a SLAN export (.json)"
        )
    try:
        payload = json.loads(path.read_bytes())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFailed(f"{path.name}: not readable JSON ({error})") from None
    if isinstance(payload, dict) and payload.get("format") == FORMAT_NAME:
        try:
            return ImportResult(signs=Lexicon.load(path).signs)
        except LexiconError as error:
            raise ImportFailed(str(error)) from None
    if isinstance(payload, dict) and payload.get("format") == "kslars-document":
        return read_annotated_document(path)
    return read_hamnosys_lexicon(payload, path.name)


def _checked(sign: Sign, result: ImportResult, entry: str) -> None:
    """Add ``sign`` to the result when its HamNoSys parses, else record why not."""
    try:
        sign_form(parse_hamnosys(sign.hamnosys))
    except HamNoSysError as error:
        result.skipped.append((entry, f"HamNoSys {error}"))
        return
    result.signs.append(sign)


def read_hamnosys_lexicon(payload: Any, name: str) -> ImportResult:
    """Signs of a Ham2Pose-style lexicon: {key: {"hamnosys": ..., "type_name": gloss, "video_frontal": ...}}."""
    if (
        not isinstance(payload, dict)
        or not payload
        or not all(isinstance(v, dict) and "hamnosys" in v for v in payload.values())
    ):
        raise ImportFailed(f'{name}: not a HamNoSys lexicon (an object of entries with a "hamnosys" string each)')
    result = ImportResult()
    for key, entry in payload.items():
        gloss, hamnosys = entry.get("type_name"), entry.get("hamnosys")
        if not isinstance(gloss, str) or not gloss.strip():
            result.skipped.append((key, "no gloss (type_name)"))
            continue
        if not isinstance(hamnosys, str) or not hamnosys:
            result.skipped.append((key, "no HamNoSys"))
            continue
        corpus = HAM2POSE_CORPORA.get(key.split("_", 1)[0], "DGS-Korpus" if key.isdigit() else "Dicta-Sign LSF")
        translations = {lang: entry[lang] for lang in LANGUAGES if isinstance(entry.get(lang), str)}
        sign = Sign(
            id=f"{Path(name).stem}:{key}",
            gloss=gloss.strip(),
            hamnosys=hamnosys,
            translations=translations,
            source=f"{name} ({corpus})",
            video=entry.get("video_frontal"),
        )
        _checked(sign, result, key)
    return result


def _handshape_symbols(value: str) -> str | None:
    """HamNoSys of a handshape annotation: a class name (``finger2_thumbout``) or HamNoSys symbols as they are."""
    value = value.strip()
    if value and all(c in NAME_OF for c in value):
        return value
    try:
        return handshape(value).symbols
    except KeyError:
        return None


def _overlapping(annotations: list[tuple[int, int, str, str]], start: int, end: int) -> str | None:
    """The value of the annotation overlapping start..end the longest, if any."""
    best, best_overlap = None, 0
    for a_start, a_end, value, _ in annotations:
        overlap = min(end, a_end) - max(start, a_start)
        if overlap > best_overlap and value.strip():
            best, best_overlap = value, overlap
    return best


def read_annotated_document(path: Path) -> ImportResult:
    """Signs from an annotated document (ELAN .eaf or SLAN JSON): each gloss with the handshapes annotated during it.

    The gloss tier is the one whose id or type says "gloss"; handshape tiers are those using the HamNoSys
    handshape vocabulary or named "Right handshape"/"Left handshape"; the right hand is taken as dominant.
    A gloss and handshapes seen more than once become one sign.
    """
    from kslars import formats

    try:
        doc = formats.read(path)
    except (formats.FormatError, OSError) as error:
        raise ImportFailed(f"{path.name}: {error}") from None
    vocabulary_types = {t.id for t in doc.tier_types if t.vocabulary == HANDSHAPE_VOCABULARY_ID}

    def timed(tier_ids: list[str]) -> list[tuple[int, int, str, str]]:
        """(start, end, value, annotation id) of the time-aligned annotations of some tiers."""
        out = []
        for tier in (doc.tier(t) for t in tier_ids):
            for annotation in tier.annotations:
                start, end = doc.times_of(annotation)
                if start is not None and end is not None:
                    out.append((start, end, annotation.value, annotation.id))
        return out

    gloss_tiers = [t.id for t in doc.tiers if "gloss" in t.id.casefold() or "gloss" in t.type.casefold()]
    hand_tiers = [t for t in doc.tiers if t.type in vocabulary_types or "handshape" in t.id.casefold()]
    right = [t.id for t in hand_tiers if "left" not in t.id.casefold()]
    left = [t.id for t in hand_tiers if "left" in t.id.casefold()]
    if not gloss_tiers or not right:
        raise ImportFailed(
            f"{path.name}: needs a gloss tier and a handshape tier (found tiers: "
            f"{', '.join(t.id for t in doc.tiers) or 'none'})"
        )
    right_shapes, left_shapes = timed(right), timed(left)
    result, seen = ImportResult(), set()
    for start, end, gloss, annotation_id in timed(gloss_tiers):
        entry = f"{gloss} at {start} ms"
        if not gloss.strip():
            continue
        hands = [_overlapping(shapes, start, end) for shapes in (right_shapes, left_shapes)]
        if hands[0] is None:
            result.skipped.append((entry, "no right-hand handshape annotated during it"))
            continue
        symbols = [_handshape_symbols(value) if value else None for value in hands]
        if symbols[0] is None or (hands[1] and symbols[1] is None):
            result.skipped.append(
                (
                    entry,
                    f"handshape {hands[0] if symbols[0] is None else hands[1]!r} is not a "
                    "HamNoSys class or HamNoSys symbols",
                )
            )
            continue
        hamnosys = (
            symbols[0]
            if not symbols[1]
            else (SYMBOL_OF["hamparbegin"] + symbols[0] + SYMBOL_OF["hamplus"] + symbols[1] + SYMBOL_OF["hamparend"])
        )
        if (gloss.strip(), hamnosys) in seen:
            continue
        seen.add((gloss.strip(), hamnosys))
        sign = Sign(id=f"{path.stem}:{annotation_id}", gloss=gloss.strip(), hamnosys=hamnosys, source=path.name)
        _checked(sign, result, entry)
    return result


def export_signs(lexicon: Lexicon, path: str | Path) -> None:
    """Write the lexicon to ``path``: .json as a HamNoSys lexicon (readable by read_signs), .csv as a table."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        entries = {
            sign.id: {
                "hamnosys": sign.hamnosys,
                "hamnosys_text": ",".join(NAME_OF[c] for c in sign.hamnosys),
                "type_name": sign.gloss,
                **sign.translations,
                "video_frontal": sign.video,
            }
            for sign in lexicon.signs
        }
        data = json.dumps(entries, ensure_ascii=False, indent=1)
    elif path.suffix.lower() == ".csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["id", "gloss", *LANGUAGES, "hamnosys", "dominant", "nondominant", "source", "video"])
        for sign, form in zip(lexicon.signs, lexicon.forms, strict=True):
            writer.writerow(
                [
                    sign.id,
                    sign.gloss,
                    *(sign.translations.get(lang, "") for lang in LANGUAGES),
                    sign.hamnosys,
                    form.dominant or "",
                    form.nondominant or "",
                    sign.source,
                    sign.video or "",
                ]
            )
        data = out.getvalue()
    else:
        raise ImportFailed(f"{path.name}: export writes .json (a HamNoSys lexicon) or .csv")
    path.write_text(data, encoding="utf-8")
