"""Hypothesis strategies: random but well-formed annotation documents with every kind of tier."""

from __future__ import annotations

import dataclasses
from itertools import pairwise

from hypothesis import strategies as st

from kslars.document import (
    Annotation,
    Constraint,
    Document,
    ExternalRef,
    Language,
    License,
    LinkedFile,
    Locale,
    LocalizedValue,
    MediaDescriptor,
    Tier,
    TierType,
    Vocabulary,
    VocabularyEntry,
)

# any text XML 1.0 can hold (no control characters other than tab and newlines, no surrogates)
text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\n\t\r&<>\"'"),
    max_size=12,
)
plain = st.text(st.characters(whitelist_categories=("L", "N"), max_codepoint=0x4FF), min_size=1, max_size=8)
maybe = lambda s: st.none() | s  # noqa: E731
DATES = ["2024-05-01T10:00:00", "2012-02-08T13:46:18.259077", "2014-10-28T10:14:04+01:00", "2026-01-01T00:00:00Z"]

TYPES = {
    Constraint.NONE: "free",
    Constraint.INCLUDED_IN: "included",
    Constraint.TIME_SUBDIVISION: "timesub",
    Constraint.SYMBOLIC_ASSOCIATION: "assoc",
    Constraint.SYMBOLIC_SUBDIVISION: "symsub",
}


@st.composite
def intervals(draw, start: int, end: int, max_count: int = 4, contiguous: bool = False) -> list[tuple[int, int]]:
    """Non-overlapping intervals inside [start, end] (covering it without gaps when ``contiguous``)."""
    if end - start < 2:
        return [(start, end)] if contiguous else []
    cuts = sorted(draw(st.sets(st.integers(start + 1, end - 1), max_size=max_count)))
    if contiguous:
        points = [start, *cuts, end]
        return list(pairwise(points))
    points = sorted({start, *cuts, end})
    pairs = list(pairwise(points))
    return [
        p
        for p, keep in zip(pairs, draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs))), strict=True)
        if keep
    ]


@st.composite
def documents(
    draw, values=text, symbolic: bool = True, unaligned: bool = True, max_children: int = 3, time_scale: int = 1
) -> Document:
    """A consistent document: a top tier, dependent tiers of every constraint, vocabularies, header data.

    Times are multiples of ``time_scale`` ms (so that, say, every annotation lasts longer than a video frame)."""
    counter = iter(range(1, 10_000))
    new_id = lambda: f"a{next(counter)}"  # noqa: E731
    languages = [Language("eng", draw(maybe(st.just("http://cdb.iso.org/lg/CDB-00138502-001"))), draw(maybe(plain)))]
    if draw(st.booleans()):
        languages.append(Language("rus", None, "Russian"))
    lang = st.sampled_from([x.id for x in languages])
    vocab = Vocabulary(
        "Glosses",
        entries=[
            VocabularyEntry(
                f"cve{i}", [LocalizedValue(draw(plain), draw(lang), draw(maybe(text)))], draw(maybe(st.just("er1")))
            )
            for i in range(draw(st.integers(1, 3)))
        ],
        descriptions=[LocalizedValue(draw(text), draw(lang))],
    )
    external = Vocabulary("External", ext_ref="er2")
    doc = Document(
        media=[
            MediaDescriptor(
                "file:///data/video.mp4",
                "video/mp4",
                draw(maybe(st.just("video.mp4"))),
                draw(maybe(st.integers(0, 10**6))),
            )
        ],
        tier_types=[TierType(name, c) for c, name in TYPES.items()]
        + [TierType("glossed", Constraint.NONE, vocabulary="Glosses", ext_ref="er1")],
        vocabularies=[vocab, external],
        languages=languages,
        locales=[Locale("en", draw(maybe(st.just("US"))))],
        licenses=[License(draw(text), draw(maybe(st.just("https://example.org/licence"))))],
        external_refs=[
            ExternalRef("er1", "iso12620", "http://www.isocat.org/datcat/DC-1"),
            ExternalRef("er2", "ecv", "file:/x.ecv"),
        ],
        properties=draw(st.lists(st.tuples(plain, text), max_size=2)),
        author=draw(text),
        date=draw(st.sampled_from(DATES)),
        linked_files=[LinkedFile("file:///data/track.csv", "text/plain")] if draw(st.booleans()) else [],
    )
    spans = draw(intervals(0, draw(st.integers(10, 100_000)), max_count=6))
    top = Tier(
        "Gloss",
        "free",
        participant=draw(maybe(plain)),
        annotator=draw(maybe(plain)),
        language=draw(maybe(lang)),
        default_locale=draw(maybe(st.just("en"))),
    )
    top.annotations = [Annotation(new_id(), draw(values), s, e, language=draw(maybe(lang))) for s, e in spans]
    doc.tiers.append(top)
    glossed = Tier("Lexicon", "glossed")
    for s, e in draw(intervals(0, 50_000, max_count=4)):
        entry = draw(st.sampled_from(vocab.entries))
        glossed.annotations.append(
            Annotation(new_id(), entry.value, s, e, cv_entry=entry.id, ext_ref=draw(maybe(st.just("er1"))))
        )
    doc.tiers.append(glossed)
    kinds = [Constraint.INCLUDED_IN, Constraint.TIME_SUBDIVISION] + (
        [Constraint.SYMBOLIC_ASSOCIATION, Constraint.SYMBOLIC_SUBDIVISION] if symbolic else []
    )
    for n, kind in enumerate(draw(st.lists(st.sampled_from(kinds), max_size=max_children))):
        child = Tier(f"{TYPES[kind]}{n}", TYPES[kind], parent="Gloss")
        for p in top.annotations:
            child.annotations.extend(draw(_children(kind, p, new_id, values, unaligned)))
        doc.tiers.append(child)
    for _, a in doc.annotations():
        a.start_ms = a.start_ms * time_scale if a.start_ms is not None else None
        a.end_ms = a.end_ms * time_scale if a.end_ms is not None else None
    return doc


@st.composite
def _children(draw, kind: Constraint, parent: Annotation, new_id, values, unaligned: bool) -> list[Annotation]:
    if kind is Constraint.SYMBOLIC_ASSOCIATION:
        return [Annotation(new_id(), draw(values), parent=parent.id)] if draw(st.booleans()) else []
    if kind is Constraint.SYMBOLIC_SUBDIVISION:
        out: list[Annotation] = []
        for _ in range(draw(st.integers(0, 3))):
            out.append(Annotation(new_id(), draw(values), parent=parent.id, previous=out[-1].id if out else None))
        return out
    contiguous = kind is Constraint.TIME_SUBDIVISION
    pieces = draw(intervals(parent.start_ms, parent.end_ms, max_count=3, contiguous=contiguous))
    if contiguous and not draw(st.booleans()):
        return []
    out = [Annotation(new_id(), draw(values), s, e) for s, e in pieces]
    if contiguous and unaligned and len(out) > 1 and draw(st.booleans()):
        for a, b in pairwise(out):  # ELAN's unaligned inner boundaries
            a.end_ms = b.start_ms = None
    return out


def without_slots(doc: Document) -> Document:
    """A copy of ``doc`` with no EAF time slot ids, for comparing with documents that never had any."""
    return dataclasses.replace(
        doc,
        tiers=[
            dataclasses.replace(
                t, annotations=[dataclasses.replace(a, start_slot=None, end_slot=None) for a in t.annotations]
            )
            for t in doc.tiers
        ],
    )
