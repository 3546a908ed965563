"""Writing a Document as an ELAN EAF 3.0 file that validates against the official EAFv3.0.xsd.

The text is assembled directly (no intermediate tree), which keeps writing fast on large corpora.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from kslars.document import Annotation, Constraint, Document, Language, Tier
from kslars.formats.eaf_reader import UNDETERMINED
from kslars.formats.eaf_slots import assign_slots
from kslars.formats.errors import FormatError
from kslars.formats.timing import tier_constraints
from kslars.formats.xmlsafe import attr, invalid_character, is_xml_name, text

# ELAN's own descriptions of the four constraints (written for every file, as ELAN does)
CONSTRAINT_DESCRIPTIONS = {
    Constraint.TIME_SUBDIVISION: "Time subdivision of parent annotation's time interval, no time gaps allowed within this interval",
    Constraint.SYMBOLIC_SUBDIVISION: "Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered",
    Constraint.SYMBOLIC_ASSOCIATION: "1-1 association with a parent annotation",
    Constraint.INCLUDED_IN: "Time alignable annotations within the parent annotation's time interval, gaps are allowed",
}
_XSD_DATETIME = re.compile(r"^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")


def _attrs(pairs: Iterable[tuple[str, object]]) -> str:
    return "".join(f' {k}="{attr(str(v))}"' for k, v in pairs if v is not None)


def _check_ids(doc: Document) -> set[str]:
    """Every XML ID the file will contain; FormatError for one that XML cannot hold or that repeats."""
    ids: dict[str, str] = {}

    def add(value: str, what: str) -> None:
        if not is_xml_name(value):
            raise FormatError(
                f"{what} {value!r} cannot be written to EAF: ids must start with a letter or _ and contain no spaces or punctuation other than . - _"
            )
        if value in ids:
            raise FormatError(f"{what} {value!r} has the same id as {ids[value]}; EAF needs every id to be different")
        ids[value] = f"{what} {value!r}"

    for _, a in doc.annotations():
        add(a.id, "annotation")
    for x in doc.external_refs:
        add(x.id, "external reference")
    for lang in doc.languages:
        add(lang.id, "language")
    for loc in doc.locales:
        add(loc.language_code, "locale")
    for lex in doc.lexicons:
        add(lex.id, "lexicon")
    for c in CONSTRAINT_DESCRIPTIONS:
        add(c.value, "constraint")
    return set(ids)


EXTERNAL_REF_TYPES = ("iso12620", "ecv", "cve_id", "lexen_id", "resource_url")


def _check_names(doc: Document) -> None:
    """FormatError for names EAF needs to be different (tier types, vocabularies, entries) or chosen from a list."""
    for what, names in (
        ("tier types", [tt.id for tt in doc.tier_types]),
        ("vocabularies", [v.id for v in doc.vocabularies]),
    ):
        if len(set(names)) != len(names):
            twice = next(n for n in names if names.count(n) > 1)
            raise FormatError(f"two {what} are named {twice!r}; EAF needs different names")
    for v in doc.vocabularies:
        ids = [e.id for e in v.entries]
        if len(set(ids)) != len(ids):
            raise FormatError(
                f"vocabulary {v.id!r} has two entries with the id {next(i for i in ids if ids.count(i) > 1)!r}"
            )
    for x in doc.external_refs:
        if x.type not in EXTERNAL_REF_TYPES:
            raise FormatError(
                f"external reference {x.id!r} has type {x.type!r}; EAF allows {', '.join(EXTERNAL_REF_TYPES)}"
            )


def _check_references(doc: Document, languages: list[Language]) -> None:
    """Raise FormatError for a reference EAF requires to resolve: languages, locales, external refs, lexicons."""
    langs = {x.id for x in languages}
    locales = {x.language_code for x in doc.locales}
    ext_refs = {x.id for x in doc.external_refs}
    lexicons = {x.id for x in doc.lexicons}

    def need(value: str | None, known: set[str], what: str, kind: str) -> None:
        for ref in value.split() if value is not None else ():
            if ref not in known:
                raise FormatError(f"{what} refers to {kind} {ref!r}, which the document does not declare")

    for tt in doc.tier_types:
        need(tt.ext_ref, ext_refs, f"tier type {tt.id!r}", "external reference")
        need(tt.lexicon_ref, lexicons, f"tier type {tt.id!r}", "lexicon")
    for v in doc.vocabularies:
        need(v.ext_ref, ext_refs, f"vocabulary {v.id!r}", "external reference")
        for d in v.descriptions:
            need(d.lang, langs, f"a description of vocabulary {v.id!r}", "language")
        for e in v.entries:
            need(e.ext_ref, ext_refs, f"entry {e.id!r} of vocabulary {v.id!r}", "external reference")
            for val in e.values:
                need(val.lang, langs, f"entry {e.id!r} of vocabulary {v.id!r}", "language")
    for t in doc.tiers:
        need(t.language, langs, f"tier {t.id!r}", "language")
        need(t.default_locale, locales, f"tier {t.id!r}", "locale")
        need(t.ext_ref, ext_refs, f"tier {t.id!r}", "external reference")
        for a in t.annotations:
            if a.ext_ref is not None or a.language is not None:
                need(a.ext_ref, ext_refs, f"annotation {a.id}", "external reference")
                need(a.language, langs, f"annotation {a.id}", "language")


def _date(value: str | None) -> str:
    if value and _XSD_DATETIME.match(value):
        return value
    return dt.datetime.now(dt.UTC).astimezone().replace(microsecond=0).isoformat()


def write(doc: Document) -> bytes:
    """``doc`` as EAF 3.0 bytes; FormatError if the document cannot be expressed in EAF."""
    constraints = tier_constraints(doc)
    _check_names(doc)
    reserved = _check_ids(doc)
    slots = assign_slots(doc, constraints, reserved)
    languages = list(doc.languages)
    needs_und = any(v.lang is None for voc in doc.vocabularies for v in voc.descriptions) or any(
        v.lang is None for voc in doc.vocabularies for e in voc.entries for v in e.values
    )
    if needs_und and all(lang.id != UNDETERMINED.id for lang in languages):
        if UNDETERMINED.id in reserved:
            raise FormatError(
                f"vocabulary values without a language need language {UNDETERMINED.id!r}, but that id is taken"
            )
        languages.append(UNDETERMINED)
    _check_references(doc, languages)

    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    w = out.append
    w(
        f'<ANNOTATION_DOCUMENT AUTHOR="{attr(doc.author)}" DATE="{attr(_date(doc.date))}" FORMAT="3.0" VERSION="3.0"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">\n'
    )
    for lic in doc.licenses:
        w(f"    <LICENSE{_attrs([('LICENSE_URL', lic.url)])}>{text(lic.text)}</LICENSE>\n")
    w('    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">\n')
    pairs: list[tuple[str, object]]
    for m in doc.media:
        pairs = [("MEDIA_URL", m.url), ("MIME_TYPE", m.mime_type), ("RELATIVE_MEDIA_URL", m.relative_url),
                 ("TIME_ORIGIN", m.time_origin), ("EXTRACTED_FROM", m.extracted_from)]  # fmt: skip
        w(f"        <MEDIA_DESCRIPTOR{_attrs(pairs)}/>\n")
    for f in doc.linked_files:
        pairs = [("LINK_URL", f.url), ("MIME_TYPE", f.mime_type), ("RELATIVE_LINK_URL", f.relative_url),
                 ("TIME_ORIGIN", f.time_origin), ("ASSOCIATED_WITH", f.associated_with)]  # fmt: skip
        w(f"        <LINKED_FILE_DESCRIPTOR{_attrs(pairs)}/>\n")
    for name, prop in doc.properties:
        w(f"        <PROPERTY{_attrs([('NAME', name or None)])}>{text(prop)}</PROPERTY>\n")
    w("    </HEADER>\n    <TIME_ORDER>\n")
    for slot, value in slots.ordered(doc, constraints):
        if value is None:
            w(f'        <TIME_SLOT TIME_SLOT_ID="{slot}"/>\n')
        else:
            w(f'        <TIME_SLOT TIME_SLOT_ID="{slot}" TIME_VALUE="{value}"/>\n')
    w("    </TIME_ORDER>\n")
    for tier in doc.tiers:
        _write_tier(w, tier, constraints[tier.id].time_alignable, slots.refs)
    _write_definitions(w, doc, languages)
    w("</ANNOTATION_DOCUMENT>\n")
    result = "".join(out)
    bad = invalid_character(result)
    if bad is not None:
        raise FormatError(
            f"the document contains the control character U+{ord(bad):04X}, which XML files cannot hold; remove it and export again"
        )
    return result.encode("utf-8")


def _write_tier(w: Callable[[str], None], tier: Tier, aligned: bool, refs: dict[str, tuple[str, str]]) -> None:
    pairs: list[tuple[str, object]] = [("TIER_ID", tier.id), ("LINGUISTIC_TYPE_REF", tier.type), ("PARENT_REF", tier.parent),
             ("PARTICIPANT", tier.participant), ("ANNOTATOR", tier_annotator(tier)), ("DEFAULT_LOCALE", tier.default_locale),
             ("LANG_REF", tier.language), ("EXT_REF", tier.ext_ref)]  # fmt: skip
    if not tier.annotations:
        w(f"    <TIER{_attrs(pairs)}/>\n")
        return
    w(f"    <TIER{_attrs(pairs)}>\n")
    for a in tier.annotations:
        w(_alignable(a, refs[a.id]) if aligned else _reference(a))
    w("    </TIER>\n")


def tier_annotator(tier: Tier) -> str | None:
    """The tier's ANNOTATOR: its own, or else the one person (or tool) who made or last changed every one of its
    annotations. EAF 3.0 has an annotator per tier only: where several worked on a tier, none is written."""
    if tier.annotator:
        return tier.annotator
    names = {a.annotator for a in tier.annotations}
    return names.pop() if len(names) == 1 else None


def _optional(a: Annotation) -> str:
    extra = ""
    if a.cv_entry is not None:
        extra += f' CVE_REF="{attr(a.cv_entry)}"'
    if a.ext_ref is not None:
        extra += f' EXT_REF="{attr(a.ext_ref)}"'
    if a.language is not None:
        extra += f' LANG_REF="{attr(a.language)}"'
    return extra


def _alignable(a: Annotation, refs: tuple[str, str]) -> str:
    return (
        f'        <ANNOTATION>\n            <ALIGNABLE_ANNOTATION ANNOTATION_ID="{a.id}" TIME_SLOT_REF1="{refs[0]}"'
        f' TIME_SLOT_REF2="{refs[1]}"{_optional(a)}>\n                <ANNOTATION_VALUE>{text(a.value)}</ANNOTATION_VALUE>\n'
        "            </ALIGNABLE_ANNOTATION>\n        </ANNOTATION>\n"
    )


def _reference(a: Annotation) -> str:
    previous = f' PREVIOUS_ANNOTATION="{a.previous}"' if a.previous is not None else ""
    return (
        f'        <ANNOTATION>\n            <REF_ANNOTATION ANNOTATION_ID="{a.id}" ANNOTATION_REF="{a.parent}"{previous}'
        f"{_optional(a)}>\n                <ANNOTATION_VALUE>{text(a.value)}</ANNOTATION_VALUE>\n"
        "            </REF_ANNOTATION>\n        </ANNOTATION>\n"
    )


def _write_definitions(w: Callable[[str], None], doc: Document, languages: list[Language]) -> None:
    pairs: list[tuple[str, object]]
    for tt in doc.tier_types:
        pairs = [("LINGUISTIC_TYPE_ID", tt.id), ("TIME_ALIGNABLE", "true" if tt.time_alignable else "false"),
                 ("CONSTRAINTS", None if tt.constraint is Constraint.NONE else tt.constraint.value),
                 ("GRAPHIC_REFERENCES", "true" if tt.graphic_references else "false"),
                 ("CONTROLLED_VOCABULARY_REF", tt.vocabulary), ("EXT_REF", tt.ext_ref), ("LEXICON_REF", tt.lexicon_ref)]  # fmt: skip
        w(f"    <LINGUISTIC_TYPE{_attrs(pairs)}/>\n")
    for loc in doc.locales:
        w(
            f"    <LOCALE{_attrs([('LANGUAGE_CODE', loc.language_code), ('COUNTRY_CODE', loc.country_code), ('VARIANT', loc.variant)])}/>\n"
        )
    for lang in languages:
        w(f"    <LANGUAGE{_attrs([('LANG_ID', lang.id), ('LANG_DEF', lang.def_url), ('LANG_LABEL', lang.label)])}/>\n")
    for c, description in CONSTRAINT_DESCRIPTIONS.items():
        w(f'    <CONSTRAINT STEREOTYPE="{c.value}" DESCRIPTION="{attr(description)}"/>\n')
    und = UNDETERMINED.id
    for v in doc.vocabularies:
        head = f"    <CONTROLLED_VOCABULARY{_attrs([('CV_ID', v.id), ('EXT_REF', v.ext_ref)])}"
        if not v.descriptions and not v.entries:
            w(head + "/>\n")
            continue
        w(head + ">\n")
        for d in v.descriptions:
            w(f'        <DESCRIPTION LANG_REF="{attr(d.lang or und)}">{text(d.value)}</DESCRIPTION>\n')
        for e in v.entries:
            w(f"        <CV_ENTRY_ML{_attrs([('CVE_ID', e.id), ('EXT_REF', e.ext_ref)])}>\n")
            for val in e.values:
                pairs = [("LANG_REF", val.lang or und), ("DESCRIPTION", val.description)]
                w(f"            <CVE_VALUE{_attrs(pairs)}>{text(val.value)}</CVE_VALUE>\n")
            w("        </CV_ENTRY_ML>\n")
        w("    </CONTROLLED_VOCABULARY>\n")
    for lex in doc.lexicons:
        pairs = [("LEX_REF_ID", lex.id), ("NAME", lex.name), ("TYPE", lex.type), ("URL", lex.url), ("LEXICON_ID", lex.lexicon_id),
                 ("LEXICON_NAME", lex.lexicon_name), ("DATCAT_ID", lex.datcat_id), ("DATCAT_NAME", lex.datcat_name)]  # fmt: skip
        w(f"    <LEXICON_REF{_attrs(pairs)}/>\n")
    for x in doc.external_refs:
        w(f"    <EXTERNAL_REF{_attrs([('EXT_REF_ID', x.id), ('TYPE', x.type), ('VALUE', x.value)])}/>\n")
