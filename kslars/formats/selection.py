"""Choosing the part of a document to export: some tiers plus everything they need."""

from __future__ import annotations

import dataclasses

from kslars.document import Document
from kslars.document_tree import with_ancestor_tiers
from kslars.formats.errors import FormatError


def select_tiers(doc: Document, tiers: list[str] | None) -> Document:
    """A document with only ``tiers`` and their ancestor tiers, the types and vocabularies those use.

    ``None`` means the whole document (returned as is). Unknown tier names are a FormatError.
    """
    if tiers is None:
        return doc
    try:
        kept_tiers = with_ancestor_tiers(doc, tiers)
    except KeyError as unknown:
        names = ", ".join(repr(t.id) for t in doc.tiers) or "none"
        raise FormatError(f"there is no tier named {unknown.args[0]!r} (the document's tiers: {names})") from None
    type_ids = {t.type for t in kept_tiers}
    kept_types = [tt for tt in doc.tier_types if tt.id in type_ids]
    vocab_ids = {tt.vocabulary for tt in kept_types if tt.vocabulary is not None}
    return dataclasses.replace(
        doc,
        tiers=kept_tiers,
        tier_types=kept_types,
        vocabularies=[v for v in doc.vocabularies if v.id in vocab_ids],
    )
