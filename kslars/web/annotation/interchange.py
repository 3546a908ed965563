"""Import and export of annotation files in the web tool, thin over kslars.formats.

- ``read_upload`` reads an uploaded file (format from its extension) into a document; every problem is a
  FormatError whose message names the file, the line and the element.
- ``preview`` describes a file before it is imported: tiers with type, constraint, parent and annotation count,
  its tier types and vocabularies, and which tier names the project already has.
- ``import_tiers`` adds chosen tiers of a file to a project in one transaction: the project is locked, the merged
  document is validated before anything is written, and any failure leaves the project exactly as it was.
- ``export`` writes a project's document (or some tiers) in any format kslars.formats writes.
- ``format_list`` describes kslars.formats' registry for the pages' format menus and file choosers.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import asdict
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext

from kslars import formats
from kslars.document import Document, DocumentError, Language, Tier, TierType, Vocabulary
from kslars.document_rules import check_document, check_tiers
from kslars.document_tree import with_ancestor_tiers
from kslars.formats import FormatError
from kslars.web.annotation import models as m
from kslars.web.annotation.editing import lock_project
from kslars.web.annotation.services import COUNTER_KEY, KEY_PATTERN
from kslars.web.annotation.store import META_KEYS, add_to_project, load_document
from kslars.web.projects.models import Project

OnClash = Literal["rename", "replace", "skip"]
ON_CLASH = ("rename", "replace", "skip")
# Document-level lists an import merges into the project's (by id), so that imported tiers can refer to them.
MERGED_META = {"languages": "id", "locales": "language_code", "external_refs": "id", "lexicons": "id"}
_SLOT_NUMBER = re.compile(r"^ts(\d+)$")


def format_list() -> list[dict[str, Any]]:
    """Every format of kslars.formats' registry, in its order, with its label in the active language: what the
    export menu offers, what the import file choosers accept."""
    return [
        {
            "name": spec.name,
            "label": gettext(spec.label),
            "extensions": list(spec.extensions),
            "readable": spec.readable,
            "writable": spec.writable,
            "one_tier": spec.one_tier,
            "frame_based": spec.writable and "frame_based" in spec.options("write"),
        }
        for spec in formats.FORMATS.values()
    ]


def max_file_bytes() -> int:
    """The largest annotation file accepted for import (KSLARS_MAX_ANNOTATION_FILE_MB)."""
    return settings.KSLARS_MAX_ANNOTATION_FILE_BYTES


def read_upload(data: bytes, file_name: str, fps: float | None = None) -> tuple[Document, str]:
    """The document in an uploaded file and its format (from the file name's extension)."""
    fmt = formats.format_for_path(file_name or "upload")
    options = {"fps": fps} if fmt == "csv" and fps else {}
    return formats.read_bytes(data, fmt, name=file_name, max_bytes=max_file_bytes(), **options), fmt


def preview(doc: Document, project: Project | None = None) -> dict[str, Any]:
    """What a file holds, for the import dialog: tiers (with counts), tier types, vocabularies, clashing names."""
    existing = set(project.tiers.values_list("name", flat=True)) if project is not None else set()
    types = {tt.id: tt for tt in doc.tier_types}
    return {
        "tiers": [
            {
                "name": t.id,
                "type": t.type,
                "constraint": types[t.type].constraint.value if t.type in types else None,
                "parent": t.parent,
                "annotations": len(t.annotations),
            }
            for t in doc.tiers
        ],
        "tier_types": [
            {"name": tt.id, "constraint": tt.constraint.value, "vocabulary": tt.vocabulary} for tt in doc.tier_types
        ],
        "vocabularies": [{"name": v.id, "entries": len(v.entries)} for v in doc.vocabularies],
        "clashes": [t.id for t in doc.tiers if t.id in existing],
    }


# ---- import into an existing project ------------------------------------------------------------------------
def _free_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``, ... whichever is not in ``taken``."""
    if name not in taken:
        return name
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"


def _chosen_tiers(doc: Document, names: list[str] | None) -> list[Tier]:
    """The tiers ``names`` asks for plus the parent tiers they need, in the file's order (all when None)."""
    if not names:
        return list(doc.tiers)
    try:
        return with_ancestor_tiers(doc, names)
    except KeyError as unknown:
        tiers = ", ".join(t.id for t in doc.tiers) or "none"
        raise DocumentError(f"the file has no tier named {unknown.args[0]!r} (its tiers: {tiers})") from None


def _same_vocabulary(a: Vocabulary, b: Vocabulary) -> bool:
    return (asdict(a) | {"id": None}) == (asdict(b) | {"id": None})


def _same_type(a: TierType, b: TierType) -> bool:
    return (asdict(a) | {"id": None}) == (asdict(b) | {"id": None})


class _Plan:
    """The part of a file that goes into a project, renamed and re-keyed so nothing clashes."""

    def __init__(self, current: Document, doc: Document, names: list[str] | None, on_clash: OnClash) -> None:
        if on_clash not in ON_CLASH:
            raise DocumentError(f"on_clash must be one of {', '.join(ON_CLASH)}, not {on_clash!r}")
        self.current, self.doc = current, copy.deepcopy(doc)
        self.replaced: list[str] = []  # project tiers deleted first (with the tiers below them)
        self.skipped: list[str] = []
        existing = {t.id for t in current.tiers}
        tiers: list[Tier] = []
        taken = set(existing)
        renamed: dict[str, str] = {}
        dropped: set[str] = set()
        for t in _chosen_tiers(self.doc, names):
            if t.parent is not None and t.parent in dropped:
                dropped.add(t.id)
                self.skipped.append(t.id)
                continue
            if t.id in existing and on_clash == "skip":
                dropped.add(t.id)
                self.skipped.append(t.id)
                continue
            if t.id in existing and on_clash == "replace":
                self.replaced.append(t.id)
            elif t.id in taken:
                renamed[t.id] = _free_name(t.id, taken)
            taken.add(renamed.get(t.id, t.id))
            tiers.append(t)
        for t in tiers:
            t.id = renamed.get(t.id, t.id)
            t.parent = renamed.get(t.parent, t.parent) if t.parent is not None else None
        self.tiers = tiers
        self._merge_types_and_vocabularies()

    def _merge_types_and_vocabularies(self) -> None:
        """New tier types and vocabularies for the imported tiers: an identical existing one is reused,
        a different one with the same name is renamed ``Name (2)``."""
        used_types = {t.type for t in self.tiers}
        types = [tt for tt in self.doc.tier_types if tt.id in used_types]
        used_vocabularies = {tt.vocabulary for tt in types if tt.vocabulary}
        old_vocabularies = {v.id: v for v in self.current.vocabularies}
        taken = set(old_vocabularies)
        vocabulary_names: dict[str, str] = {}
        self.vocabularies: list[Vocabulary] = []
        for v in self.doc.vocabularies:
            if v.id not in used_vocabularies:
                continue
            if v.id in old_vocabularies and _same_vocabulary(v, old_vocabularies[v.id]):
                continue
            vocabulary_names[v.id] = v.id = _free_name(v.id, taken)
            taken.add(v.id)
            self.vocabularies.append(v)
        old_types = {tt.id: tt for tt in self.current.tier_types}
        taken = set(old_types)
        type_names: dict[str, str] = {}
        self.tier_types: list[TierType] = []
        for tt in types:
            tt.vocabulary = vocabulary_names.get(tt.vocabulary, tt.vocabulary) if tt.vocabulary else None
            if tt.id in old_types and _same_type(tt, old_types[tt.id]):
                continue
            type_names[tt.id] = _free_name(tt.id, taken)
            tt.id = type_names[tt.id]
            taken.add(tt.id)
            self.tier_types.append(tt)
        for t in self.tiers:
            t.type = type_names.get(t.type, t.type)

    def rekey(self, counter: int, used_keys: set[str], used_slots: set[str]) -> int:
        """New ids for imported annotations whose id the project uses or once gave out (``a<N>`` up to ``counter``),
        and for imported time slots the project uses, with their references; returns the highest ``a<N>`` number
        now in use, the project's new id counter."""
        numbers = [counter] + [int(mt.group(1)) for k in used_keys if (mt := KEY_PATTERN.match(k))]
        imported = [a for t in self.tiers for a in t.annotations]
        numbers += [int(mt.group(1)) for a in imported if (mt := KEY_PATTERN.match(a.id))]
        next_number = max(numbers) + 1
        keys: dict[str, str] = {}
        for a in imported:
            mt = KEY_PATTERN.match(a.id)
            if a.id in used_keys or (mt and int(mt.group(1)) <= counter):
                keys[a.id] = f"a{next_number}"
                next_number += 1
        slot_numbers = [int(mt.group(1)) for s in used_slots if (mt := _SLOT_NUMBER.match(s))]
        slot_numbers += [
            int(mt.group(1))
            for a in imported
            for s in (a.start_slot, a.end_slot)
            if s and (mt := _SLOT_NUMBER.match(s))
        ]
        next_slot = max(slot_numbers, default=0) + 1
        slots: dict[str, str] = {}
        for a in imported:
            a.id = keys.get(a.id, a.id)
            a.parent = keys.get(a.parent, a.parent) if a.parent else a.parent
            a.previous = keys.get(a.previous, a.previous) if a.previous else a.previous
            for attr in ("start_slot", "end_slot"):
                slot = getattr(a, attr)
                if slot in used_slots:
                    if slot not in slots:
                        slots[slot] = f"ts{next_slot}"
                        next_slot += 1
                    setattr(a, attr, slots[slot])
        return next_number - 1

    def addition(self) -> Document:
        """The document that ``add_to_project`` inserts: only new vocabularies, types and the tiers."""
        return Document(vocabularies=self.vocabularies, tier_types=self.tier_types, tiers=self.tiers)


def _below(doc: Document, names: list[str]) -> set[str]:
    """``names`` and every tier below them in ``doc``."""
    found = set(names)
    todo = list(names)
    while todo:
        name = todo.pop()
        for t in doc.tiers:
            if t.parent == name and t.id not in found:
                found.add(t.id)
                todo.append(t.id)
    return found


def _merged_meta(meta: dict[str, Any], doc: Document) -> dict[str, Any]:
    """The project's document_meta with the file's languages, locales, external references and lexicons added."""
    merged = dict(meta)
    incoming = dataclasses.replace(doc, tiers=[]).to_dict()
    for key, id_field in MERGED_META.items():
        have = list(merged.get(key) or [])
        ids = {item.get(id_field) for item in have}
        have += [item for item in incoming.get(key, []) if item.get(id_field) not in ids]
        merged[key] = have
    return merged


@transaction.atomic
def import_tiers(project: Project, doc: Document, tiers: list[str] | None, on_clash: OnClash = "rename") -> dict:
    """Add ``tiers`` of ``doc`` (all when empty; with the parent tiers they need) to ``project``, all or nothing.

    ``on_clash`` decides what happens to a tier whose name the project already has: "rename" imports it as
    ``Name (2)``, "replace" deletes the project's tier (and the tiers below it) first, "skip" leaves it out (and
    the tiers below it). Imported annotation ids and time slots that the project already uses get new ones.
    Returns ``{imported: [tier names], skipped: [...], replaced: [...], revision}``.
    """
    project = lock_project(project)
    current = load_document(project)
    plan = _Plan(current, doc, tiers, on_clash)
    doomed = _below(current, plan.replaced)
    kept = [t for t in current.tiers if t.id not in doomed]
    # ids of replaced annotations are not reused either: an editor may still hold one
    used_keys = {a.id for _, a in current.annotations()}
    used_slots = {s for _, a in current.annotations() for s in (a.start_slot, a.end_slot) if s}
    counter = plan.rekey(int(project.document_meta.get(COUNTER_KEY, 0)), used_keys, used_slots)
    meta = _merged_meta(project.document_meta, doc)
    merged = Document.from_dict({k: v for k, v in meta.items() if k in META_KEYS})
    merged.vocabularies = current.vocabularies + plan.vocabularies
    merged.tier_types = current.tier_types + plan.tier_types
    merged.tiers = kept + plan.tiers
    try:
        check_tiers(merged, [t.id for t in plan.tiers])
    except DocumentError as exc:
        raise DocumentError(f"the import would break the project's document: {exc}") from None
    if doomed:
        m.Annotation.objects.filter(project=project, tier__name__in=doomed).delete()
        m.Tier.objects.filter(project=project, name__in=doomed).delete()
    add_to_project(project, plan.addition())
    new_vocabularies = {v.id for v in plan.vocabularies}
    for tt in plan.tier_types:  # a new type may use a vocabulary the project had already
        if tt.vocabulary and tt.vocabulary not in new_vocabularies:
            m.TierType.objects.filter(project=project, name=tt.id).update(
                vocabulary=m.Vocabulary.objects.get(project=project, name=tt.vocabulary)
            )
    project.document_meta = {**meta, COUNTER_KEY: counter}
    revision = project.count_change(also=["document_meta"])
    return {
        "imported": [t.id for t in plan.tiers],
        "skipped": plan.skipped,
        "replaced": plan.replaced,
        "revision": revision,
    }


# ---- a new project from a file -------------------------------------------------------------------------------
def fill_new_project(project: Project, doc: Document) -> None:
    """Give a new, empty ``project`` the file's whole document (its tiers, types, vocabularies and header data)."""
    check_document(doc)
    add_to_project(project, doc)
    meta = dataclasses.replace(doc, tiers=[]).to_dict()
    counter = max([int(mt.group(1)) for _, a in doc.annotations() if (mt := KEY_PATTERN.match(a.id))], default=0)
    project.document_meta = {**{k: meta[k] for k in META_KEYS}, COUNTER_KEY: counter}
    project.save(update_fields=["document_meta"])


# ---- export --------------------------------------------------------------------------------------------------
def _with_languages_declared(doc: Document) -> Document:
    """``doc`` with a declaration for every language its tiers, annotations and vocabularies use: vocabularies
    made in the editor (and projects stored before their header was kept) may name languages never declared,
    which EAF does not allow."""
    used = {t.language for t in doc.tiers} | {a.language for _, a in doc.annotations()}
    for v in doc.vocabularies:
        used |= {d.lang for d in v.descriptions} | {lv.lang for e in v.entries for lv in e.values}
    declared = {lang.id for lang in doc.languages}
    named = {lang for lang in used if lang is not None}
    doc.languages += [Language(id=lang) for lang in sorted(named - declared - {"und"})]
    return doc


def export(
    project: Project, fmt: str, tiers: list[str] | None = None, frame_based: bool = False, fps: float | None = None
) -> tuple[bytes, str, str]:
    """The project's document (or ``tiers`` and what they need) in ``fmt``: (bytes, file name, content type).

    ``frame_based`` (CSV only) writes frame numbers at ``fps`` frames per second instead of milliseconds.
    """
    spec = formats.FORMATS.get(fmt)
    if spec is None or not spec.writable:
        writable = ", ".join(name for name, f in formats.FORMATS.items() if f.writable)
        raise FormatError(f"unknown export format {fmt!r}; choose one of {writable}")
    doc = _with_languages_declared(load_document(project))
    options: dict[str, Any] = {}
    if frame_based:
        if fmt != "csv":
            raise FormatError(f"frame numbers can be exported as CSV only; {fmt} files always hold milliseconds")
        if not fps or fps <= 0:
            raise FormatError("frame numbers need the video's frame rate: upload the video first, or give fps")
        options = {"frame_based": True, "fps": float(fps)}
    data = formats.write_bytes(doc, fmt, tiers=tiers or None, **options)
    stem = get_valid_filename(project.name)[:80] or "annotations"
    return data, stem + spec.extension, spec.content_type
