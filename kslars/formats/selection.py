"""Choosing the part of a document to export: some tiers plus everything they need."""

from __future__ import annotations

import dataclasses

from kslars.document import Document, Tier
from kslars.formats.errors import FormatError


def select_tiers(doc: Document, tiers: list[str] | None) -> Document:
    """A document with only ``tiers`` and their ancestor tiers, the types and vocabularies those use.

    ``None`` means the whole document (returned as is). Unknown tier names are a FormatError.
    """
    if tiers is None:
        return doc
    by_id = {t.id: t for t in doc.tiers}
    keep: set[str] = set()
    for tier_id in tiers:
        if tier_id not in by_id:
            names = ", ".join(repr(t.id) for t in doc.tiers) or "none"
            raise FormatError(f"there is no tier named {tier_id!r} (the document's tiers: {names})")
        t: Tier | None = by_id[tier_id]
        while t is not None and t.id not in keep:
            keep.add(t.id)
            t = by_id.get(t.parent) if t.parent is not None else None
    kept_tiers = [t for t in doc.tiers if t.id in keep]
    type_ids = {t.type for t in kept_tiers}
    kept_types = [tt for tt in doc.tier_types if tt.id in type_ids]
    vocab_ids = {tt.vocabulary for tt in kept_types if tt.vocabulary is not None}
    return dataclasses.replace(
        doc,
        tiers=kept_tiers,
        tier_types=kept_types,
        vocabularies=[v for v in doc.vocabularies if v.id in vocab_ids],
    )
