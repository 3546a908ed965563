"""CSV: one row per annotation, in milliseconds or in video frames (docs/formats/csv.md).

    tier,start_ms,end_ms,duration_ms,value,annotation_id,parent_annotation_id,annotator

The frame-based variant has ``start_frame,end_frame,duration_frames`` at the given ``fps`` instead. The last
column, who made or last changed each annotation, may be left out of a file that is read.
Times are those ELAN shows (symbolic annotations take their parent's, unaligned boundaries are spread
evenly). Reading builds tiers from the rows: a tier whose rows all name a parent annotation and share
its times becomes a symbolic tier, one with own times a time-aligned child tier.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from kslars.document import Annotation, Constraint, Document, Tier, TierType
from kslars.formats.errors import FormatError
from kslars.formats.selection import select_tiers
from kslars.formats.timing import effective_times, parent_ids

MS_COLUMNS = ["tier", "start_ms", "end_ms", "duration_ms", "value", "annotation_id", "parent_annotation_id"]
FRAME_COLUMNS = [
    "tier",
    "start_frame",
    "end_frame",
    "duration_frames",
    "value",
    "annotation_id",
    "parent_annotation_id",
]
ANNOTATOR_COLUMN = "annotator"
# tier types created for CSV imports, by constraint
TYPE_NAMES = {
    Constraint.NONE: "default",
    Constraint.INCLUDED_IN: "included_in",
    Constraint.SYMBOLIC_ASSOCIATION: "symbolic_association",
    Constraint.SYMBOLIC_SUBDIVISION: "symbolic_subdivision",
}


def _check_fps(fps: float | None) -> float:
    if fps is None or not fps > 0 or fps > 1000:
        raise FormatError(f"frame-based CSV needs the video's frame rate (fps between 0 and 1000), got {fps!r}")
    return float(fps)


def write(doc: Document, tiers: list[str] | None = None, frame_based: bool = False, fps: float | None = None) -> bytes:
    """One row per annotation, in document order; ``frame_based`` gives frame numbers at ``fps``."""
    doc = select_tiers(doc, tiers)
    times = effective_times(doc)
    parents = parent_ids(doc, times)
    rate = _check_fps(fps) if frame_based else None

    def unit(ms: int | None) -> str:
        if ms is None:
            return ""
        return str(ms) if rate is None else str(round(ms * rate / 1000))

    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: CRLF line ends, fields with CR or LF quoted
    writer.writerow([*(FRAME_COLUMNS if frame_based else MS_COLUMNS), ANNOTATOR_COLUMN])
    for tier in doc.tiers:
        for a in tier.annotations:
            start, end = times[a.id]
            s, e = unit(start), unit(end)
            duration = str(int(e) - int(s)) if s and e else ""
            writer.writerow([tier.id, s, e, duration, a.value, a.id, parents.get(a.id) or "", a.annotator or ""])
    return out.getvalue().encode("utf-8")


def read(data: bytes, name: str = "the CSV file", fps: float | None = None) -> Document:
    """Rebuild a document from CSV rows (either variant; the frame one needs ``fps``)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FormatError(f"{name}: not UTF-8 text (byte {e.start})") from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if header is None:
        raise FormatError(f"{name}: the file is empty")
    header = [h.strip() for h in header]
    attributed = header[-1:] == [ANNOTATOR_COLUMN]
    if attributed:
        header = header[:-1]
    if header == MS_COLUMNS:
        scale = 1.0
    elif header == FRAME_COLUMNS:
        scale = 1000 / _check_fps(fps)
    else:
        raise FormatError(
            f"{name} line 1: the columns must be {','.join(MS_COLUMNS)} (or the frame-based {','.join(FRAME_COLUMNS)}), not {','.join(header)}"
        )
    doc = Document()
    by_tier: dict[str, Tier] = {}
    row_parent: dict[str, str] = {}
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        if len(row) != len(header) + attributed:
            raise FormatError(f"{name} line {line}: {len(row)} values where the header has {len(header) + attributed}")
        tier_id, start, end, _duration, value, ann_id, parent = row[:7]
        annotator = row[7] if attributed else ""
        if not tier_id or not ann_id:
            raise FormatError(f"{name} line {line}: every row needs a tier and an annotation_id")
        if ann_id in seen:
            raise FormatError(f"{name} line {line}: annotation id {ann_id!r} appears twice")
        seen.add(ann_id)
        start_ms, end_ms = _time(start, scale, name, line, header[1]), _time(end, scale, name, line, header[2])
        if start_ms is not None and end_ms is not None and end_ms < start_ms:
            raise FormatError(f"{name} line {line}: annotation {ann_id} ends ({end}) before it starts ({start})")
        tier = by_tier.get(tier_id)
        if tier is None:
            tier = by_tier[tier_id] = Tier(id=tier_id, type="")
            doc.tiers.append(tier)
        tier.annotations.append(
            Annotation(id=ann_id, value=value, start_ms=start_ms, end_ms=end_ms, annotator=annotator or None)
        )
        if parent:
            row_parent[ann_id] = parent
    _infer_structure(doc, row_parent, name)
    return doc


def _time(raw: str, scale: float, name: str, line: int, column: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise FormatError(f"{name} line {line}: {column} {raw!r} is not a whole number") from None
    if value < 0:
        raise FormatError(f"{name} line {line}: {column} {raw!r} is negative")
    return value if scale == 1.0 else round(value * scale)


def _infer_structure(doc: Document, row_parent: dict[str, str], name: str) -> None:
    """Give each tier a parent tier and a type from what its rows say about parent annotations."""
    owner = {a.id: (t, a) for t in doc.tiers for a in t.annotations}
    used: set[Constraint] = set()
    for tier in doc.tiers:
        with_parent = [a for a in tier.annotations if a.id in row_parent]
        if not with_parent:
            tier.type = TYPE_NAMES[Constraint.NONE]
            used.add(Constraint.NONE)
            continue
        if len(with_parent) != len(tier.annotations):
            raise FormatError(
                f"{name}: on tier {tier.id!r} some annotations name a parent annotation and others do not"
            )
        parent_tiers = set()
        for a in with_parent:
            if row_parent[a.id] not in owner:
                raise FormatError(
                    f"{name}: annotation {a.id} refers to parent annotation {row_parent[a.id]!r}, which is not in the file"
                )
            parent_tiers.add(owner[row_parent[a.id]][0].id)
        if len(parent_tiers) != 1:
            raise FormatError(
                f"{name}: the annotations of tier {tier.id!r} have parents on several tiers ({', '.join(sorted(parent_tiers))})"
            )
        tier.parent = parent_tiers.pop()
        same_times = all(
            (a.start_ms, a.end_ms) == (owner[row_parent[a.id]][1].start_ms, owner[row_parent[a.id]][1].end_ms)
            for a in with_parent
        )
        per_parent: dict[str, list[Annotation]] = defaultdict(list)
        for a in with_parent:
            a.parent = row_parent[a.id]
            per_parent[a.parent].append(a)
        if same_times:
            constraint = (
                Constraint.SYMBOLIC_ASSOCIATION
                if all(len(g) == 1 for g in per_parent.values())
                else Constraint.SYMBOLIC_SUBDIVISION
            )
            for group in per_parent.values():
                previous = None
                for a in group:
                    a.start_ms = a.end_ms = None
                    if constraint is Constraint.SYMBOLIC_SUBDIVISION:
                        a.previous, previous = previous, a.id
        else:
            constraint = Constraint.INCLUDED_IN
        tier.type = TYPE_NAMES[constraint]
        used.add(constraint)
    doc.tier_types = [TierType(TYPE_NAMES[c], c) for c in TYPE_NAMES if c in used]
