"""Subtitles: one tier (typically the translation) as SubRip (.srt) or WebVTT (.vtt).

Writing takes the tier named by ``tier`` (or the only one in ``tiers``; otherwise a tier called
"Translation", or the document's only tier). Cues come in time order with the times ELAN shows;
empty annotations are left out. Reading gives a document with one time-aligned tier.
"""

from __future__ import annotations

import re

from kslars.document import Annotation, Document, Tier, TierType
from kslars.formats.errors import FormatError
from kslars.formats.timing import effective_times

_TIMING = re.compile(
    r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{3})(?:\s.*)?$"
)
_VTT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ID = re.compile(r"^[A-Za-z_][\w.\-]*$")


def _pick_tier(doc: Document, tier: str | None, tiers: list[str] | None) -> Tier:
    if tier is None and tiers:
        if len(tiers) != 1:
            raise FormatError(f"subtitles hold one tier; choose one of {', '.join(tiers)}")
        tier = tiers[0]
    if tier is not None:
        if not doc.has_tier(tier):
            raise FormatError(
                f"there is no tier named {tier!r} (the document's tiers: {', '.join(t.id for t in doc.tiers)})"
            )
        return doc.tier(tier)
    named = [t for t in doc.tiers if "translation" in t.id.lower()]
    if len(named) == 1:
        return named[0]
    if len(doc.tiers) == 1:
        return doc.tiers[0]
    raise FormatError(
        f"subtitles hold one tier; say which one (the document's tiers: {', '.join(t.id for t in doc.tiers)})"
    )


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def write(doc: Document, tiers: list[str] | None = None, tier: str | None = None, fmt: str = "srt") -> bytes:
    """The chosen tier as SRT (``fmt="srt"``) or WebVTT (``fmt="vtt"``) bytes."""
    chosen = _pick_tier(doc, tier, tiers)
    times = effective_times(doc)
    cues = []
    for a in chosen.annotations:
        start, end = times[a.id]
        text = re.sub(r"\n\s*\n+", "\n", a.value.replace("\r\n", "\n").replace("\r", "\n")).strip()
        if start is None or end is None or not text:
            continue
        cues.append((start, end, a.id, text))
    cues.sort(key=lambda c: (c[0], c[1]))
    if fmt == "srt":
        blocks = [f"{i}\n{_clock(s, ',')} --> {_clock(e, ',')}\n{t}\n" for i, (s, e, _, t) in enumerate(cues, start=1)]
        return "\n".join(blocks).encode("utf-8")
    if fmt == "vtt":
        escaped = [(s, e, i, "".join(_VTT_ESCAPES.get(ch, ch) for ch in t)) for s, e, i, t in cues]
        blocks = [f"{i}\n{_clock(s, '.')} --> {_clock(e, '.')}\n{t}\n" for s, e, i, t in escaped]
        return ("WEBVTT\n\n" + "\n".join(blocks)).encode("utf-8")
    raise FormatError(f"unknown subtitle format {fmt!r}; use srt or vtt")


def read(data: bytes, name: str = "the subtitle file", fmt: str = "srt", tier: str = "Translation") -> Document:
    """A document with one tier named ``tier`` holding one annotation per cue."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FormatError(f"{name}: not UTF-8 text (byte {e.start})") from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    line_no = 0
    if fmt == "vtt":
        if not lines or not lines[0].startswith("WEBVTT"):
            raise FormatError(f"{name} line 1: a WebVTT file starts with WEBVTT")
        line_no = 1
        while line_no < len(lines) and lines[line_no].strip():  # header block
            line_no += 1
    annotations: list[Annotation] = []
    used: set[str] = set()
    while line_no < len(lines):
        block: list[tuple[int, str]] = []
        while line_no < len(lines) and not lines[line_no].strip():
            line_no += 1
        while line_no < len(lines) and lines[line_no].strip():
            block.append((line_no + 1, lines[line_no]))
            line_no += 1
        if block:
            cue = _cue(block, name, fmt, len(annotations) + 1, used)
            if cue is not None:
                annotations.append(cue)
    tier_type = TierType("default")
    return Document(tier_types=[tier_type], tiers=[Tier(id=tier, type=tier_type.id, annotations=annotations)])


def _cue(block: list[tuple[int, str]], name: str, fmt: str, number: int, used: set[str]) -> Annotation | None:
    first = block[0][1].strip()
    if fmt == "vtt" and first.split(" ", 1)[0] in ("NOTE", "STYLE", "REGION"):
        return None
    timing_at = 0 if "-->" in first else 1
    if timing_at >= len(block):
        raise FormatError(f"{name} line {block[0][0]}: a cue needs a timing line like 00:00:01,000 --> 00:00:02,500")
    line, timing = block[timing_at]
    m = _TIMING.match(timing)
    if m is None:
        raise FormatError(
            f"{name} line {line}: {timing.strip()!r} is not a timing line like 00:00:01,000 --> 00:00:02,500"
        )
    g = [int(x) if x else 0 for x in m.groups()]
    start = ((g[0] * 60 + g[1]) * 60 + g[2]) * 1000 + g[3]
    end = ((g[4] * 60 + g[5]) * 60 + g[6]) * 1000 + g[7]
    if end < start:
        raise FormatError(f"{name} line {line}: the cue ends before it starts")
    text = "\n".join(t for _, t in block[timing_at + 1 :])
    if fmt == "vtt":
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    cue_id = first if timing_at == 1 and fmt == "vtt" and _ID.match(first) and first not in used else f"a{number}"
    while cue_id in used:
        cue_id = f"{cue_id}_"
    used.add(cue_id)
    return Annotation(id=cue_id, value=text, start_ms=start, end_ms=end)
