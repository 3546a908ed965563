"""Linear-time consistency checks shared by the readers and writers of every format."""

from __future__ import annotations

from kslars.document import Document, Tier
from kslars.formats.errors import FormatError
from kslars.formats.timing import tier_constraints


def check_document(doc: Document) -> None:
    """Raise FormatError at the first broken reference: names, types, parents, vocabularies, times.

    Runs in linear time (unlike Document.validate, which also checks overlaps and containment), so
    it suits large imports and exports.
    """
    constraints = tier_constraints(doc)
    types = {tt.id for tt in doc.tier_types}
    tier_of: dict[str, str] = {a.id: t.id for t in doc.tiers for a in t.annotations}
    by_id = {t.id: t for t in doc.tiers}
    if len(by_id) != len(doc.tiers):
        raise FormatError("two tiers have the same name; every tier needs a name of its own")
    vocabularies = {v.id for v in doc.vocabularies}
    vocab_entries = {v.id: {e.id for e in v.entries} for v in doc.vocabularies if v.entries}
    doc_type_vocab = {tt.id: tt.vocabulary for tt in doc.tier_types}
    if len(tier_of) != sum(len(t.annotations) for t in doc.tiers):
        seen: set[str] = set()
        for _, a in doc.annotations():
            if a.id in seen:
                raise FormatError(f"two annotations have the id {a.id!r}")
            seen.add(a.id)
    for tt in doc.tier_types:
        if tt.vocabulary is not None and tt.vocabulary not in vocabularies:
            raise FormatError(
                f"tier type {tt.id!r} refers to controlled vocabulary {tt.vocabulary!r}, which does not exist"
            )
    _check_no_loops(by_id)
    for t in doc.tiers:
        vocab = vocab_entries.get(doc_type_vocab.get(t.type))  # type: ignore[arg-type]
        if t.type not in types:
            raise FormatError(f"tier {t.id!r} has tier type {t.type!r}, which does not exist")
        if t.parent is not None and t.parent not in by_id:
            raise FormatError(f"tier {t.id!r} has parent tier {t.parent!r}, which does not exist")
        constraint = constraints[t.id]
        if constraint.needs_parent and t.parent is None:
            raise FormatError(f"tier {t.id!r} is {constraint.value} but has no parent tier")
        for a in t.annotations:
            if a.cv_entry is not None and vocab is not None and a.cv_entry not in vocab:
                raise FormatError(
                    f"annotation {a.id} on tier {t.id!r} refers to vocabulary entry {a.cv_entry!r}, which does not exist"
                )
            if constraint.time_alignable:
                if a.start_ms is not None and a.end_ms is not None and a.end_ms < a.start_ms:
                    raise FormatError(
                        f"annotation {a.id} on tier {t.id!r} ends ({a.end_ms} ms) before it starts ({a.start_ms} ms)"
                    )
                if (a.start_ms is not None and a.start_ms < 0) or (a.end_ms is not None and a.end_ms < 0):
                    raise FormatError(f"annotation {a.id} on tier {t.id!r} has a negative time")
                continue
            if a.parent is None:
                raise FormatError(f"annotation {a.id} on tier {t.id!r} ({constraint.value}) has no parent annotation")
            if tier_of.get(a.parent) != t.parent:
                raise FormatError(
                    f"annotation {a.id} on tier {t.id!r} refers to parent annotation {a.parent!r}, which is not on parent tier {t.parent!r}"
                )
            if a.previous is not None and tier_of.get(a.previous) != t.id:
                raise FormatError(
                    f"annotation {a.id} on tier {t.id!r} follows annotation {a.previous!r}, which is not on the same tier"
                )


def _check_no_loops(by_id: dict[str, Tier]) -> None:
    for tier in by_id.values():
        seen, t = {tier.id}, tier
        while t.parent is not None and t.parent in by_id:
            if t.parent in seen:
                raise FormatError(f"tier {tier.id!r} is its own ancestor (parent tiers form a loop)")
            seen.add(t.parent)
            t = by_id[t.parent]
