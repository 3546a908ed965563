"""Praat TextGrid (through praatio): every tier with times becomes an interval tier.

Times are those ELAN shows (symbolic annotations take or split their parent's interval). Reading gives
one time-aligned tier per interval tier; empty intervals (Praat's gaps) are left out.
"""

from __future__ import annotations

import os
import tempfile

from kslars.document import Annotation, Document, Tier, TierType
from kslars.formats.errors import FormatError
from kslars.formats.selection import select_tiers
from kslars.formats.timing import effective_times


def write(doc: Document, tiers: list[str] | None = None, short: bool = False) -> bytes:
    """The document as a long (default) or short TextGrid, in UTF-8."""
    from praatio import textgrid
    from praatio.utilities.errors import PraatioException

    doc = select_tiers(doc, tiers)
    times = effective_times(doc)
    grid = textgrid.Textgrid()
    end_s = 0.0
    interval_tiers = []
    for tier in doc.tiers:
        entries = []
        for a in tier.annotations:
            s, e = times[a.id]
            if s is None or e is None or e <= s:
                continue  # Praat intervals need a positive length
            entries.append((s / 1000, e / 1000, a.value))
        entries.sort()
        if entries:
            end_s = max(end_s, entries[-1][1])
        interval_tiers.append((tier.id, entries))
    end_s = end_s or 1.0
    try:
        for tier_id, entries in interval_tiers:
            grid.addTier(textgrid.IntervalTier(tier_id, entries, 0.0, end_s))
    except PraatioException as e:
        raise FormatError(f"cannot write a TextGrid: {e}") from None
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "out.TextGrid")
        grid.save(path, format="short_textgrid" if short else "long_textgrid", includeBlankSpaces=True)
        with open(path, "rb") as f:
            return f.read()


def read(data: bytes, name: str = "the TextGrid file") -> Document:
    """A document with one time-aligned tier per interval tier (point tiers are refused)."""
    from praatio import textgrid

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "in.TextGrid")
        with open(path, "wb") as f:
            f.write(data)
        try:
            grid = textgrid.openTextgrid(path, includeEmptyIntervals=False)
        except Exception as e:  # praatio raises many kinds of errors for malformed input
            raise FormatError(f"{name}: not a readable Praat TextGrid ({e})") from None
    tier_type = TierType("default")
    doc = Document(tier_types=[tier_type])
    number = 0
    for grid_tier in grid.tiers:
        if not isinstance(grid_tier, textgrid.IntervalTier):
            raise FormatError(f"{name}: tier {grid_tier.name!r} is a point tier; K-SLARS reads interval tiers only")
        tier = Tier(id=grid_tier.name, type=tier_type.id)
        for start, end, label in grid_tier.entries:
            number += 1
            tier.annotations.append(
                Annotation(id=f"a{number}", value=label, start_ms=round(start * 1000), end_ms=round(end * 1000))
            )
        doc.tiers.append(tier)
    return doc
