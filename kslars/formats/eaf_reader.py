"""Reading ELAN .eaf files (EAF 2.7, 2.8 and 3.0) into a Document, checking every reference on the way.

Errors name the file, the line and the element or id, so that an annotator can find the spot in ELAN
or a text editor.
"""

from __future__ import annotations

import dataclasses
import gc
from itertools import repeat
from operator import attrgetter
from typing import Any, NoReturn

from lxml import etree

from kslars.document import (
    Annotation,
    Constraint,
    Document,
    ExternalRef,
    Language,
    LexiconRef,
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
from kslars.formats import eaf_columns, xmlsafe
from kslars.formats.errors import FormatError, where

SUPPORTED_VERSIONS = ("2.7", "2.8", "3.0")
# ELAN's language for values that had none before EAF 2.8 (what ELAN itself adds when upgrading a file)
UNDETERMINED = Language("und", "http://cdb.iso.org/lg/CDB-00130975-001", "undetermined (und)")
_CONSTRAINTS = {c.value: c for c in Constraint}


# the fast path builds annotations with positional arguments (measurably cheaper than keywords): it relies on this order
_POSITIONAL = ("id", "value", "start_ms", "end_ms", "start_slot", "end_slot", "parent", "previous", "cv_entry")
if tuple(f.name for f in dataclasses.fields(Annotation))[: len(_POSITIONAL)] != _POSITIONAL:
    raise ImportError("kslars.document.Annotation changed its fields: update the EAF reader's fast path")
_NONE = repeat(None)
_PARENT, _PREVIOUS = attrgetter("parent"), attrgetter("previous")


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, element: Any, message: str) -> FormatError:
        line = getattr(element, "sourceline", None) if element is not None else None
        return FormatError(f"{where(self.name, line)}: {message}")

    def required(self, element: Any, attribute: str) -> str:
        value = element.get(attribute)
        if value is None:
            raise self.fail(element, f"<{element.tag}> has no {attribute} attribute, which EAF requires")
        return value

    def text(self, element: Any) -> str:
        """The text of ``element``, where EAF allows only text; an element inside (an XInclude, markup) is refused
        with its line rather than dropped with everything it holds."""
        if len(element):  # comments and processing instructions are already gone: this is an element
            child = element[0]
            name = etree.QName(child).localname
            name = f"{child.prefix}:{name}" if child.prefix else name
            raise self.fail(
                child, f"<{element.tag}> holds an element <{name}>, but EAF allows only text there (write < as &lt;)"
            )
        return element.text or ""

    def integer(self, element: Any, attribute: str, minimum: int | None = 0) -> int | None:
        raw = element.get(attribute)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise self.fail(element, f"{attribute}={raw!r} on <{element.tag}> is not a whole number") from None
        if minimum is not None and value < minimum:
            raise self.fail(element, f"{attribute}={raw!r} on <{element.tag}> is negative")
        return value

    # ---- the whole document ----------------------------------------------------------------------
    def read(self, data: bytes) -> Document:
        root = xmlsafe.parse(data, self.name)
        if root.tag != "ANNOTATION_DOCUMENT":
            raise self.fail(
                root, f"the root element is <{root.tag}>, not <ANNOTATION_DOCUMENT>: this is not an ELAN .eaf file"
            )
        version = root.get("FORMAT") or root.get("VERSION")
        if version not in SUPPORTED_VERSIONS:
            raise self.fail(
                root, f"EAF version {version!r} is not supported; K-SLARS reads EAF {', '.join(SUPPORTED_VERSIONS)}"
            )
        parts: dict[str, list[Any]] = {}
        for child in root:
            if isinstance(child.tag, str):
                parts.setdefault(child.tag, []).append(child)
        doc = Document(author=root.get("AUTHOR", ""), date=root.get("DATE"))
        doc.licenses = [License(self.text(e), e.get("LICENSE_URL")) for e in parts.get("LICENSE", [])]
        headers = parts.get("HEADER", [])
        if len(headers) != 1:
            raise self.fail(root, f"an EAF file has exactly one <HEADER>, this one has {len(headers)}")
        self.read_header(headers[0], doc)
        doc.external_refs = [self.external_ref(e) for e in parts.get("EXTERNAL_REF", [])]
        doc.languages = [
            Language(self.required(e, "LANG_ID"), e.get("LANG_DEF"), e.get("LANG_LABEL"))
            for e in parts.get("LANGUAGE", [])
        ]
        doc.locales = [
            Locale(self.required(e, "LANGUAGE_CODE"), e.get("COUNTRY_CODE"), e.get("VARIANT"))
            for e in parts.get("LOCALE", [])
        ]
        doc.lexicons = [self.lexicon(e) for e in parts.get("LEXICON_REF", [])]
        doc.vocabularies = [self.vocabulary(e, doc) for e in parts.get("CONTROLLED_VOCABULARY", [])]
        doc.tier_types = [self.tier_type(e, doc) for e in parts.get("LINGUISTIC_TYPE", [])]
        orders = parts.get("TIME_ORDER", [])
        if len(orders) != 1:
            raise self.fail(root, f"an EAF file has exactly one <TIME_ORDER>, this one has {len(orders)}")
        slots = self.time_slots(orders[0])
        self.read_tiers(parts.get("TIER", []), doc, slots)
        return doc

    def read_header(self, header: Any, doc: Document) -> None:
        units = header.get("TIME_UNITS", "milliseconds")
        if units != "milliseconds":
            raise self.fail(header, f"TIME_UNITS={units!r}: K-SLARS reads only files with times in milliseconds")
        for e in header:
            if e.tag == "MEDIA_DESCRIPTOR":
                doc.media.append(
                    MediaDescriptor(
                        url=self.required(e, "MEDIA_URL"),
                        mime_type=self.required(e, "MIME_TYPE"),
                        relative_url=e.get("RELATIVE_MEDIA_URL"),
                        time_origin=self.integer(e, "TIME_ORIGIN", minimum=None),
                        extracted_from=e.get("EXTRACTED_FROM"),
                    )
                )
            elif e.tag == "LINKED_FILE_DESCRIPTOR":
                doc.linked_files.append(
                    LinkedFile(
                        url=self.required(e, "LINK_URL"),
                        mime_type=self.required(e, "MIME_TYPE"),
                        relative_url=e.get("RELATIVE_LINK_URL"),
                        time_origin=self.integer(e, "TIME_ORIGIN", minimum=None),
                        associated_with=e.get("ASSOCIATED_WITH"),
                    )
                )
            elif e.tag == "PROPERTY":
                doc.properties.append((e.get("NAME", ""), self.text(e)))

    def external_ref(self, e: Any) -> ExternalRef:
        return ExternalRef(self.required(e, "EXT_REF_ID"), self.required(e, "TYPE"), self.required(e, "VALUE"))

    def lexicon(self, e: Any) -> LexiconRef:
        r = self.required
        return LexiconRef(
            r(e, "LEX_REF_ID"), r(e, "NAME"), r(e, "TYPE"), r(e, "URL"), r(e, "LEXICON_ID"), r(e, "LEXICON_NAME"),
            e.get("DATCAT_ID"), e.get("DATCAT_NAME"),
        )  # fmt: skip

    def check_ext_ref(self, element: Any, doc: Document) -> str | None:
        value = element.get("EXT_REF")
        if value is not None:
            known = {x.id for x in doc.external_refs}
            for ref in value.split():
                if ref not in known:
                    raise self.fail(
                        element, f"<{element.tag}> refers to external reference {ref!r}, which does not exist"
                    )
        return value

    def check_language(self, element: Any, doc: Document, attribute: str = "LANG_REF") -> str | None:
        value = element.get(attribute)
        if value is not None and all(lang.id != value for lang in doc.languages):
            raise self.fail(
                element, f"<{element.tag}> refers to language {value!r}, which is not declared by a <LANGUAGE>"
            )
        return value

    # ---- vocabularies and types ------------------------------------------------------------------
    def vocabulary(self, e: Any, doc: Document) -> Vocabulary:
        vocab = Vocabulary(id=self.required(e, "CV_ID"), ext_ref=self.check_ext_ref(e, doc))
        if e.get("DESCRIPTION") is not None:  # EAF 2.7: one description, no language
            vocab.descriptions.append(LocalizedValue(e.get("DESCRIPTION"), self.undetermined(doc)))
        seen: set[str] = set()
        for child in e:
            if child.tag == "DESCRIPTION":
                vocab.descriptions.append(LocalizedValue(self.text(child), self.check_language(child, doc)))
            elif child.tag == "CV_ENTRY_ML":
                values = [
                    LocalizedValue(self.text(v), self.check_language(v, doc), v.get("DESCRIPTION"))
                    for v in child
                    if v.tag == "CVE_VALUE"
                ]
                entry = VocabularyEntry(self.required(child, "CVE_ID"), values, self.check_ext_ref(child, doc))
                vocab.entries.append(self.unique_entry(child, entry, vocab, seen))
            elif child.tag == "CV_ENTRY":  # EAF 2.7: one value per entry, no language, id optional
                value = LocalizedValue(self.text(child), self.undetermined(doc), child.get("DESCRIPTION"))
                entry_id = child.get("CVE_ID") or f"cveid{len(vocab.entries)}"
                entry = VocabularyEntry(entry_id, [value], self.check_ext_ref(child, doc))
                vocab.entries.append(self.unique_entry(child, entry, vocab, seen))
        return vocab

    def unique_entry(self, element: Any, entry: VocabularyEntry, vocab: Vocabulary, seen: set[str]) -> VocabularyEntry:
        if entry.id in seen:
            raise self.fail(element, f"vocabulary {vocab.id!r} has two entries with id {entry.id!r}")
        seen.add(entry.id)
        return entry

    def undetermined(self, doc: Document) -> str:
        if all(lang.id != UNDETERMINED.id for lang in doc.languages):
            doc.languages.append(Language(UNDETERMINED.id, UNDETERMINED.def_url, UNDETERMINED.label))
        return UNDETERMINED.id

    def tier_type(self, e: Any, doc: Document) -> TierType:
        type_id = self.required(e, "LINGUISTIC_TYPE_ID")
        raw = e.get("CONSTRAINTS")
        constraint = Constraint.NONE
        if raw is not None:
            if raw not in _CONSTRAINTS:
                raise self.fail(
                    e, f"tier type {type_id!r} has unknown constraint {raw!r} (EAF knows {', '.join(_CONSTRAINTS)})"
                )
            constraint = _CONSTRAINTS[raw]
        vocabulary = e.get("CONTROLLED_VOCABULARY_REF")
        if vocabulary is not None and all(v.id != vocabulary for v in doc.vocabularies):
            raise self.fail(
                e, f"tier type {type_id!r} refers to controlled vocabulary {vocabulary!r}, which does not exist"
            )
        lexicon = e.get("LEXICON_REF")
        if lexicon is not None and all(x.id != lexicon for x in doc.lexicons):
            raise self.fail(e, f"tier type {type_id!r} refers to lexicon {lexicon!r}, which does not exist")
        return TierType(
            id=type_id,
            constraint=constraint,
            vocabulary=vocabulary,
            graphic_references=e.get("GRAPHIC_REFERENCES") == "true",
            ext_ref=self.check_ext_ref(e, doc),
            lexicon_ref=lexicon,
        )

    # ---- time slots, tiers, annotations ------------------------------------------------------------
    def time_slots(self, order: Any) -> dict[str, int | None]:
        slots = eaf_columns.time_slots(order)
        return self.time_slots_one_by_one(order) if slots is None else slots

    def time_slots_one_by_one(self, order: Any) -> dict[str, int | None]:
        """The time slots read element by element, raising at the first broken one."""
        slots: dict[str, int | None] = {}
        for e in order:
            if e.tag != "TIME_SLOT":
                continue
            slot_id = e.get("TIME_SLOT_ID")
            if slot_id is None:
                raise self.fail(e, "<TIME_SLOT> has no TIME_SLOT_ID attribute")
            if slot_id in slots:
                raise self.fail(e, f"two time slots have the id {slot_id!r}")
            value = e.get("TIME_VALUE")
            slots[slot_id] = None if value is None else self.time_value(e, slot_id, value)
        return slots

    def time_value(self, e: Any, slot_id: str, value: str) -> int:
        try:
            ms = int(value)
        except ValueError:
            raise self.fail(
                e, f"time slot {slot_id} has TIME_VALUE={value!r}, which is not a whole number of milliseconds"
            ) from None
        if ms < 0:
            raise self.fail(e, f"time slot {slot_id} has a negative time ({ms} ms)")
        return ms

    def read_tiers(self, elements: list[Any], doc: Document, slots: dict[str, int | None]) -> None:
        types = {tt.id: tt for tt in doc.tier_types}
        vocabularies = {v.id: v for v in doc.vocabularies}
        locales = {loc.language_code for loc in doc.locales}
        owner: dict[str, str] = {}  # annotation id -> tier id
        pending: list[tuple[Tier, list[Annotation]]] = []  # reference annotations, checked once all tiers are read
        for e in elements:
            tier_id = self.required(e, "TIER_ID")
            type_id = self.required(e, "LINGUISTIC_TYPE_REF")
            if any(t.id == tier_id for t in doc.tiers):
                raise self.fail(e, f"two tiers are named {tier_id!r}")
            tier_type = types.get(type_id)
            if tier_type is None:
                raise self.fail(e, f"tier {tier_id!r} has tier type {type_id!r}, which does not exist")
            locale = e.get("DEFAULT_LOCALE")
            if locale is not None and locale not in locales:
                raise self.fail(e, f"tier {tier_id!r} refers to locale {locale!r}, which is not declared by a <LOCALE>")
            tier = Tier(
                id=tier_id,
                type=type_id,
                parent=e.get("PARENT_REF"),
                participant=e.get("PARTICIPANT"),
                annotator=e.get("ANNOTATOR"),
                language=self.check_language(e, doc),
                default_locale=locale,
                ext_ref=self.check_ext_ref(e, doc),
            )
            doc.tiers.append(tier)
            vocab = vocabularies.get(tier_type.vocabulary) if tier_type.vocabulary else None
            entry_ids = {x.id for x in vocab.entries} if vocab is not None and vocab.entries else None
            if not self.read_annotations_in_bulk(e, tier, tier_type, entry_ids, slots, owner, pending, doc.tiers):
                self.read_annotations(e, tier, tier_type, entry_ids, doc, slots, owner, pending)
        self.check_tier_parents(elements, doc, types)
        self.check_references(elements, pending, owner)

    def read_annotations_in_bulk(
        self, e: Any, tier: Tier, tier_type: TierType, entry_ids: set[str] | None, slots: dict[str, int | None],
        owner: dict[str, str], pending: list[tuple[Tier, list[Annotation]]], tiers: list[Tier],
    ) -> bool:  # fmt: skip
        """Read the annotations of tier element ``e`` from its columns (the hot path); False, having changed nothing,
        when the tier needs ``read_annotations``: an unusual form, or a problem it reports with its line.
        ``tiers`` are the tiers read so far, whose annotations ``owner`` records."""
        aligned = tier_type.constraint.time_alignable
        columns = eaf_columns.tier_columns(e, aligned, slots)
        if columns is None:
            return False
        ids, values, entries = columns[0], columns[1], columns[-1]
        if entries is not None:
            used = set(entries) - {None}
            if tier_type.vocabulary is None or entry_ids is not None and not entry_ids.issuperset(used):
                return False
        known = len(owner)
        owner.update(dict.fromkeys(ids, tier.id))
        if len(owner) != known + len(ids):  # an id used twice: undo (this tier has no annotations yet)
            owner.clear()
            owner.update((a.id, t.id) for t in tiers for a in t.annotations)
            return False
        cv_entries = _NONE if entries is None else entries
        if aligned:
            _, _, starts, ends, ref1, ref2, _ = columns
            annotations = list(map(Annotation, ids, values, starts, ends, ref1, ref2, _NONE, _NONE, cv_entries))
        else:
            _, _, parents, previous, _ = columns
            before = _NONE if previous is None else previous
            annotations = list(map(Annotation, ids, values, _NONE, _NONE, _NONE, _NONE, parents, before, cv_entries))
            pending.append((tier, annotations))
        tier.annotations.extend(annotations)
        return True

    def read_annotations(
        self,
        e: Any,
        tier: Tier,
        tier_type: TierType,
        entry_ids: set[str] | None,
        doc: Document,
        slots: dict[str, int | None],
        owner: dict[str, str],
        pending: list[tuple[Tier, list[Annotation]]],
    ) -> None:
        """Append the annotations of tier element ``e`` to ``tier``, checking each one on the way."""
        tier_id = tier.id
        references: list[Annotation] = []
        pending.append((tier, references))
        aligned = tier_type.constraint.time_alignable
        append = tier.annotations.append
        for a in e.iter("ALIGNABLE_ANNOTATION", "REF_ANNOTATION"):
            g = dict(a.items()).get  # one call into lxml instead of one per attribute
            ann_id = g("ANNOTATION_ID")
            try:
                value_element = a[0]
                value = self.text(value_element) if value_element.tag == "ANNOTATION_VALUE" else ""
            except IndexError:
                value_element = None
            if value_element is None or value_element.tag != "ANNOTATION_VALUE" or ann_id is None or ann_id in owner:
                self.annotation_problem(a, ann_id, owner)
            if a.tag == "ALIGNABLE_ANNOTATION":
                if not aligned:
                    raise self.fail(
                        a,
                        f"annotation {ann_id} has its own times, but tier {tier_id!r} is {tier_type.constraint.value}",
                    )
                ref1, ref2 = g("TIME_SLOT_REF1"), g("TIME_SLOT_REF2")
                try:
                    start, end = slots[ref1], slots[ref2]  # type: ignore[index]
                except KeyError:
                    raise self.slot_problem(a, ann_id, ref1, ref2, slots) from None
                if start is not None and end is not None and end < start:
                    raise self.fail(
                        a, f"annotation {ann_id} ends ({end} ms, {ref2}) before it starts ({start} ms, {ref1})"
                    )
                ann = Annotation(
                    id=ann_id, value=value, start_ms=start, end_ms=end, cv_entry=g("CVE_REF"), ext_ref=g("EXT_REF"),
                    start_slot=ref1, end_slot=ref2, language=g("LANG_REF"),
                )  # fmt: skip
            else:
                if aligned:
                    raise self.fail(
                        a,
                        f"annotation {ann_id} refers to a parent annotation, but tier {tier_id!r} is time-aligned ({tier_type.constraint.value})",
                    )
                parent = g("ANNOTATION_REF")
                if parent is None:
                    raise self.fail(a, f"<REF_ANNOTATION> {ann_id} has no ANNOTATION_REF attribute")
                ann = Annotation(
                    id=ann_id, value=value, parent=parent, previous=g("PREVIOUS_ANNOTATION"), cv_entry=g("CVE_REF"),
                    ext_ref=g("EXT_REF"), language=g("LANG_REF"),
                )  # fmt: skip
                references.append(ann)
            owner[ann_id] = tier_id
            if ann.cv_entry is not None:
                self.check_cv_entry(a, ann, tier_type, entry_ids)
            if ann.ext_ref is not None:
                self.check_ext_ref(a, doc)
            if ann.language is not None:
                self.check_language(a, doc)
            append(ann)

    def annotation_problem(self, a: Any, ann_id: str | None, owner: dict[str, str]) -> NoReturn:
        """Raise the error for an annotation without id or value, or with an id used before."""
        if ann_id is None:
            raise self.fail(a, f"<{a.tag}> has no ANNOTATION_ID attribute")
        if ann_id in owner:
            raise self.fail(a, f"two annotations have the id {ann_id!r}")
        raise self.fail(a, f"annotation {ann_id} has no <ANNOTATION_VALUE>")

    def slot_problem(
        self, a: Any, ann_id: str, ref1: str | None, ref2: str | None, slots: dict[str, int | None]
    ) -> FormatError:
        """The error for an annotation whose time slot reference is missing or dangling."""
        for attribute, ref in (("TIME_SLOT_REF1", ref1), ("TIME_SLOT_REF2", ref2)):
            if ref is None:
                return self.fail(a, f"annotation {ann_id} has no {attribute} attribute")
            if ref not in slots:
                return self.fail(a, f"annotation {ann_id} refers to time slot {ref}, which does not exist")
        return self.fail(a, f"annotation {ann_id} has broken time slot references")

    def check_cv_entry(self, a: Any, ann: Annotation, tier_type: TierType, entry_ids: set[str] | None) -> None:
        if tier_type.vocabulary is None:
            raise self.fail(
                a,
                f"annotation {ann.id} refers to vocabulary entry {ann.cv_entry!r}, but tier type {tier_type.id!r} has no controlled vocabulary",
            )
        if entry_ids is not None and ann.cv_entry not in entry_ids:
            raise self.fail(
                a,
                f"annotation {ann.id} refers to entry {ann.cv_entry!r}, which is not in controlled vocabulary {tier_type.vocabulary!r}",
            )

    def check_tier_parents(self, elements: list[Any], doc: Document, types: dict[str, TierType]) -> None:
        by_id = {t.id: t for t in doc.tiers}
        for e, tier in zip(elements, doc.tiers, strict=True):
            constraint = types[tier.type].constraint
            if tier.parent is not None and tier.parent not in by_id:
                raise self.fail(e, f"tier {tier.id!r} has parent tier {tier.parent!r}, which does not exist")
            if constraint.needs_parent and tier.parent is None:
                raise self.fail(
                    e, f"tier {tier.id!r} is {constraint.value} (tier type {tier.type!r}) but has no parent tier"
                )
            seen, t = {tier.id}, tier
            while t.parent is not None:
                if t.parent in seen:
                    raise self.fail(e, f"tier {tier.id!r} is its own ancestor (parent tiers form a loop)")
                seen.add(t.parent)
                t = by_id[t.parent]

    def check_references(
        self, tiers: list[Any], pending: list[tuple[Tier, list[Annotation]]], owner: dict[str, str]
    ) -> None:
        owner_of = owner.get
        for tier, references in pending:
            previous = set(map(_PREVIOUS, references)) - {None}
            if set(map(owner_of, map(_PARENT, references))) <= {tier.parent} and set(map(owner_of, previous)) <= {
                tier.id
            }:
                continue
            for ann in references:
                if owner_of(ann.parent) == tier.parent and (ann.previous is None or owner_of(ann.previous) == tier.id):  # type: ignore[arg-type]
                    continue
                element = next(x for t in tiers for x in t.iter("REF_ANNOTATION") if x.get("ANNOTATION_ID") == ann.id)
                parent_tier = owner_of(ann.parent)  # type: ignore[arg-type]
                if parent_tier is None:
                    raise self.fail(
                        element, f"annotation {ann.id} refers to parent annotation {ann.parent}, which does not exist"
                    )
                if parent_tier != tier.parent:
                    raise self.fail(
                        element,
                        f"annotation {ann.id} on tier {tier.id!r} refers to annotation {ann.parent} on tier {parent_tier!r}, not on its parent tier {tier.parent!r}",
                    )
                if ann.previous is not None and owner_of(ann.previous) != tier.id:
                    raise self.fail(
                        element,
                        f"annotation {ann.id} follows annotation {ann.previous}, which is not on tier {tier.id!r}",
                    )


def read(data: bytes, name: str = "the EAF file") -> Document:
    """Read an EAF 2.7, 2.8 or 3.0 file; FormatError saying what and where for anything broken."""
    # Building a document allocates thousands of objects, none of them in reference cycles; without a pause
    # the cyclic garbage collector would run many times over them (and over everything else the process
    # holds), about a tenth of the reading time. It is switched back on only if it was on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Reader(name).read(data)
    finally:
        if collecting:
            gc.enable()
