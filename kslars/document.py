"""The annotation document: media, tier types, vocabularies, tiers and annotations.

Plain dataclasses with no Django import: the web tool persists them, the formats read and write them,
and the engine produces them. Times are integer milliseconds; ``None`` marks an unaligned boundary
(an ELAN time slot without a value) or, for symbolic tiers, an annotation that takes its times from
its parent.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any


class DocumentError(ValueError):
    """A document or an edit breaks a rule of the model; the message says what and where."""


class Constraint(StrEnum):
    """ELAN's stereotypes: how a tier's annotations relate in time to its parent's."""

    NONE = "None"  # freely time-aligned, top-level tier
    INCLUDED_IN = "Included_In"  # time-aligned, each within a parent annotation, gaps allowed
    TIME_SUBDIVISION = "Time_Subdivision"  # time-aligned, contiguous pieces of a parent annotation
    SYMBOLIC_SUBDIVISION = "Symbolic_Subdivision"  # ordered pieces of a parent annotation, no own times
    SYMBOLIC_ASSOCIATION = "Symbolic_Association"  # exactly one per parent annotation, no own times

    @property
    def time_alignable(self) -> bool:
        """Whether annotations of this constraint carry their own times."""
        return self in (Constraint.NONE, Constraint.INCLUDED_IN, Constraint.TIME_SUBDIVISION)

    @property
    def needs_parent(self) -> bool:
        """Whether a tier of this constraint must have a parent tier."""
        return self is not Constraint.NONE


@dataclass
class MediaDescriptor:
    """A media file the document annotates (EAF MEDIA_DESCRIPTOR)."""

    url: str
    mime_type: str = "video/mp4"
    relative_url: str | None = None
    time_origin: int | None = None
    extracted_from: str | None = None


@dataclass
class LinkedFile:
    """A secondary file linked to the document, e.g. tracking data or metadata (EAF LINKED_FILE_DESCRIPTOR)."""

    url: str
    mime_type: str
    relative_url: str | None = None
    time_origin: int | None = None
    associated_with: str | None = None


@dataclass
class Language:
    """A language used by tiers or vocabularies (EAF LANGUAGE)."""

    id: str
    def_url: str | None = None
    label: str | None = None


@dataclass
class Locale:
    """An input locale (EAF LOCALE)."""

    language_code: str
    country_code: str | None = None
    variant: str | None = None


@dataclass
class License:
    """A licence statement with an optional URL (EAF LICENSE)."""

    text: str
    url: str | None = None


@dataclass
class ExternalRef:
    """A reference to something outside the document, e.g. an external vocabulary (EAF EXTERNAL_REF)."""

    id: str
    type: str
    value: str


@dataclass
class LexiconRef:
    """A lexicon (or a field of one) that tier types can link to (EAF LEXICON_REF)."""

    id: str
    name: str
    type: str
    url: str
    lexicon_id: str
    lexicon_name: str
    datcat_id: str | None = None
    datcat_name: str | None = None


@dataclass
class LocalizedValue:
    """One language's value and description of a vocabulary entry (EAF CVE_VALUE)."""

    value: str
    lang: str | None = None
    description: str | None = None


@dataclass
class VocabularyEntry:
    """An entry of a controlled vocabulary, in one or more languages (EAF CV_ENTRY_ML).

    ``attributes`` carries what EAF has no place for, such as HamNoSys code points and a category.
    """

    id: str
    values: list[LocalizedValue]
    ext_ref: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def value(self) -> str:
        """The entry's value in its first language."""
        return self.values[0].value if self.values else ""

    def value_in(self, lang: str | None) -> str:
        """The value in ``lang``, falling back to the first language."""
        for v in self.values:
            if v.lang == lang:
                return v.value
        return self.value


@dataclass
class Vocabulary:
    """A controlled vocabulary (EAF CONTROLLED_VOCABULARY), local or referring to an external one."""

    id: str
    entries: list[VocabularyEntry] = field(default_factory=list)
    descriptions: list[LocalizedValue] = field(default_factory=list)  # ``value`` holds the description
    ext_ref: str | None = None

    def entry(self, entry_id: str) -> VocabularyEntry | None:
        """The entry with ``entry_id``, or None."""
        return next((e for e in self.entries if e.id == entry_id), None)

    def entry_by_value(self, value: str) -> VocabularyEntry | None:
        """The first entry that has ``value`` in any language, or None."""
        return next((e for e in self.entries if any(v.value == value for v in e.values)), None)


@dataclass
class TierType:
    """A tier type (EAF LINGUISTIC_TYPE): its constraint and optional controlled vocabulary."""

    id: str
    constraint: Constraint = Constraint.NONE
    vocabulary: str | None = None  # Vocabulary.id
    graphic_references: bool = False
    ext_ref: str | None = None
    lexicon_ref: str | None = None

    @property
    def time_alignable(self) -> bool:
        """Whether annotations on tiers of this type carry their own times."""
        return self.constraint.time_alignable


@dataclass(slots=True)
class Annotation:
    """One annotation. Time-aligned ones have start/end; symbolic ones point to a ``parent``.

    ``attributes`` holds data the document keeps without interpreting it, e.g. the engine's confidence
    and top-3 alternatives. ``version`` increases with every saved change (optimistic locking).
    """

    id: str
    value: str = ""
    start_ms: int | None = None
    end_ms: int | None = None
    # EAF time slots the boundaries were read from: boundaries sharing a slot (and its time) are written
    # back as one shared slot, as ELAN expects for e.g. contiguous Time_Subdivision pieces.
    start_slot: str | None = None
    end_slot: str | None = None
    parent: str | None = None  # referred annotation (symbolic tiers)
    previous: str | None = None  # preceding sibling in a Symbolic_Subdivision
    cv_entry: str | None = None  # VocabularyEntry.id
    ext_ref: str | None = None
    language: str | None = None  # Language.id of this annotation's content (EAF LANG_REF)
    attributes: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    # who made or last changed it: a user's name, or the tool that wrote it ("engine: annotate"); ELAN keeps
    # an annotator per tier only (Tier.annotator), so EAF files carry it where a tier has one annotator
    annotator: str | None = None

    @property
    def duration_ms(self) -> int | None:
        """End minus start, when both are known."""
        if self.start_ms is None or self.end_ms is None:
            return None
        return self.end_ms - self.start_ms


@dataclass
class Tier:
    """A tier of annotations of one type, optionally the child of another tier."""

    id: str
    type: str  # TierType.id
    parent: str | None = None  # Tier.id
    participant: str | None = None
    annotator: str | None = None
    language: str | None = None  # Language.id
    default_locale: str | None = None
    ext_ref: str | None = None
    hidden: bool = False
    annotations: list[Annotation] = field(default_factory=list)


@dataclass
class Document:
    """A whole annotation document: what formats read and write and what the web tool stores."""

    media: list[MediaDescriptor] = field(default_factory=list)
    tier_types: list[TierType] = field(default_factory=list)
    vocabularies: list[Vocabulary] = field(default_factory=list)
    tiers: list[Tier] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)
    locales: list[Locale] = field(default_factory=list)
    licenses: list[License] = field(default_factory=list)
    external_refs: list[ExternalRef] = field(default_factory=list)
    properties: list[tuple[str, str]] = field(default_factory=list)  # header PROPERTY name/value pairs
    author: str = ""
    date: str | None = None
    linked_files: list[LinkedFile] = field(default_factory=list)
    lexicons: list[LexiconRef] = field(default_factory=list)

    # ---- lookups -------------------------------------------------------------------------------
    def tier(self, tier_id: str) -> Tier:
        """The tier named ``tier_id``; DocumentError if there is none."""
        for t in self.tiers:
            if t.id == tier_id:
                return t
        raise DocumentError(f"no tier named {tier_id!r}")

    def has_tier(self, tier_id: str) -> bool:
        """Whether a tier named ``tier_id`` exists."""
        return any(t.id == tier_id for t in self.tiers)

    def tier_type(self, type_id: str) -> TierType:
        """The tier type ``type_id``; DocumentError if there is none."""
        for tt in self.tier_types:
            if tt.id == type_id:
                return tt
        raise DocumentError(f"no tier type named {type_id!r}")

    def vocabulary(self, vocabulary_id: str) -> Vocabulary:
        """The controlled vocabulary ``vocabulary_id``; DocumentError if there is none."""
        for v in self.vocabularies:
            if v.id == vocabulary_id:
                return v
        raise DocumentError(f"no controlled vocabulary named {vocabulary_id!r}")

    def constraint_of(self, tier: Tier) -> Constraint:
        """The constraint of ``tier``'s type."""
        return self.tier_type(tier.type).constraint

    def children(self, tier: Tier) -> list[Tier]:
        """The tiers whose parent is ``tier``."""
        return [t for t in self.tiers if t.parent == tier.id]

    def annotations(self) -> Iterator[tuple[Tier, Annotation]]:
        """Every (tier, annotation) pair in document order."""
        for t in self.tiers:
            for a in t.annotations:
                yield t, a

    def find_annotation(self, annotation_id: str) -> tuple[Tier, Annotation]:
        """The annotation with ``annotation_id`` and its tier; DocumentError if there is none."""
        for t, a in self.annotations():
            if a.id == annotation_id:
                return t, a
        raise DocumentError(f"no annotation with id {annotation_id!r}")

    def new_annotation_id(self) -> str:
        """An annotation id not used yet, in ELAN's ``a<N>`` style."""
        used = {a.id for _, a in self.annotations()}
        for n in itertools.count(len(used) + 1):
            candidate = f"a{n}"
            if candidate not in used:
                return candidate
        raise AssertionError("unreachable")

    def times_of(self, annotation: Annotation) -> tuple[int | None, int | None]:
        """The annotation's own times, or those inherited through its parent chain."""
        seen: set[str] = set()
        a = annotation
        while a.start_ms is None and a.end_ms is None and a.parent is not None and a.id not in seen:
            seen.add(a.id)
            a = self.find_annotation(a.parent)[1]
        return a.start_ms, a.end_ms

    def parent_annotation(self, tier: Tier, annotation: Annotation) -> Annotation | None:
        """The parent tier's annotation that ``annotation`` belongs to (by reference or by time)."""
        if tier.parent is None:
            return None
        parent_tier = self.tier(tier.parent)
        if annotation.parent is not None:
            return next((p for p in parent_tier.annotations if p.id == annotation.parent), None)
        start, end = annotation.start_ms, annotation.end_ms
        for p in parent_tier.annotations:
            ps, pe = self.times_of(p)
            if ps is None or pe is None:
                continue
            if start is not None and ps <= start < pe:
                return p
            if start is None and end is not None and ps < end <= pe:
                return p
        return None

    # ---- validation ----------------------------------------------------------------------------
    def validate(self) -> None:
        """Raise DocumentError at the first rule the document breaks (the rules: kslars.document_rules)."""
        from kslars.document_rules import check_document  # the rules module builds on this one

        check_document(self)

    # ---- plain data ----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The document as plain JSON-compatible data (the JSON format wraps this with a version)."""
        return _to_plain(dataclasses.asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Rebuild a document from :meth:`to_dict` output."""
        return cls(
            media=[MediaDescriptor(**m) for m in data.get("media", [])],
            tier_types=[
                TierType(**{**tt, "constraint": Constraint(tt.get("constraint", "None"))})
                for tt in data.get("tier_types", [])
            ],
            vocabularies=[_vocabulary_from_dict(v) for v in data.get("vocabularies", [])],
            tiers=[
                Tier(**{**t, "annotations": [Annotation(**a) for a in t.get("annotations", [])]})
                for t in data.get("tiers", [])
            ],
            languages=[Language(**x) for x in data.get("languages", [])],
            locales=[Locale(**x) for x in data.get("locales", [])],
            licenses=[License(**x) for x in data.get("licenses", [])],
            external_refs=[ExternalRef(**x) for x in data.get("external_refs", [])],
            properties=[(k, v) for k, v in data.get("properties", [])],
            author=data.get("author", ""),
            date=data.get("date"),
            linked_files=[LinkedFile(**x) for x in data.get("linked_files", [])],
            lexicons=[LexiconRef(**x) for x in data.get("lexicons", [])],
        )


def _vocabulary_from_dict(v: dict[str, Any]) -> Vocabulary:
    return Vocabulary(
        id=v["id"],
        entries=[
            VocabularyEntry(**{**e, "values": [LocalizedValue(**lv) for lv in e.get("values", [])]})
            for e in v.get("entries", [])
        ],
        descriptions=[LocalizedValue(**d) for d in v.get("descriptions", [])],
        ext_ref=v.get("ext_ref"),
    )


def _to_plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_plain(v) for v in value]
    return value
