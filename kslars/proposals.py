"""Merge the tiers an automatic tool proposes (the engine, recognition, fingerspelling) into an annotator's
document without losing manual work: a pure operation on kslars.document objects, no Django.

Each proposed tier goes to the work document like this:

- no tier for it yet: a tier is created (with the proposal's tier type and vocabulary when the document has none
  that fits), named by ``name_tier`` (the web tool names it in the project's language) and playing the proposed
  tier's role;
- the tier exists but has no annotations: it is filled;
- the tier exists and the merge is ``NEW_VERSION`` (the default): a new tier "Signs (2)", "Signs (3)", ... takes
  the proposals and the old one stays as it was;
- the tier exists and the merge is ``REPLACE_PREDICTIONS``: within the processed time range, only the predictions
  nobody changed since (``attributes.source == ENGINE_SOURCE`` and version 1, with no changed annotations
  depending on them) are removed; everything else is kept, and new proposals are added where they do not overlap
  what was kept.

The work tier for a proposed tier is the one playing its role (``roles``: a tier named in Russian may play the
"Right handshape" role), else, for documents whose tiers play no roles, the one of that name. A tier that cannot
take the proposals (a child tier, or one whose type has another vocabulary) is never written into: a new version
is made instead. A proposed child tier (fingerspelled letters Included_In their word) goes to a child tier of the
work tier its parent went to, with only the annotations whose parent this merge added. New annotations get the ids
``a<first_number>``, ``a<first_number + 1>``, ...
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, get_args

from kslars.document import Annotation, Constraint, Document, DocumentError, Tier, TierType, Vocabulary
from kslars.document_tree import descendants_of

ENGINE_SOURCE = "kslars-engine"  # attributes["source"] of every annotation an automatic tool wrote
Existing = Literal["new_version", "replace_predictions"]  # how proposals join tiers the document has already
NEW_VERSION: Existing = "new_version"
REPLACE_PREDICTIONS: Existing = "replace_predictions"
EXISTING_CHOICES: tuple[str, ...] = get_args(Existing)
WHOLE_VIDEO = (0, 2**31 - 1)


@dataclass
class MergeSummary:
    """What a merge changed: tiers created or written into, annotations added, replaced and kept."""

    tiers_created: list[str] = field(default_factory=list)
    tiers_updated: list[str] = field(default_factory=list)
    added: int = 0
    replaced: int = 0
    kept: int = 0

    def message(self) -> str:
        """One sentence for a job's final message."""
        tiers = self.tiers_created + self.tiers_updated
        text = f"Added {self.added} annotation(s) on {len(tiers)} tier(s)"
        text += f": {', '.join(tiers)}." if tiers else "."
        if self.replaced:
            text += f" Replaced {self.replaced} earlier prediction(s)."
        if self.kept:
            text += f" Kept {self.kept} annotation(s) made or changed by hand."
        return text


@dataclass
class Merged:
    """The outcome of a merge: the new document, what changed, the roles of the tiers it created, and the first
    annotation number it left unused."""

    document: Document
    summary: MergeSummary
    roles: dict[str, str]
    next_number: int


def is_prediction(a: Annotation) -> bool:
    """Whether ``a`` is still exactly as an automatic tool wrote it (made by one, never changed since)."""
    return (a.attributes or {}).get("source") == ENGINE_SOURCE and a.version == 1


def check_existing(existing: str) -> str:
    """``existing`` when it is a way of merging (``EXISTING_CHOICES``); ValueError with the choices otherwise."""
    if existing not in EXISTING_CHOICES:
        raise ValueError(f"existing must be one of {', '.join(EXISTING_CHOICES)}, not {existing!r}.")
    return existing


def tiers_read(proposals: Document, work_tiers: dict[str, str | None]) -> set[str]:
    """The work tiers whose annotations a merge of ``proposals`` reads, given each work tier's role (or None):
    those playing a proposed tier's role or named like one. The merge reads their child tiers too, and no others:
    a caller may load only these families' annotations."""
    proposed = {t.id for t in proposals.tiers}
    return {name for name, role in work_tiers.items() if name in proposed or role in proposed}


def merge_proposals(
    work: Document,
    proposals: Document,
    existing: str = NEW_VERSION,
    start_ms: int | None = None,
    end_ms: int | None = None,
    *,
    roles: dict[str, str] | None = None,
    name_tier: Callable[[str], str] = str,
    first_number: int = 1,
) -> Merged:
    """Merge the validated ``proposals`` into a copy of ``work`` (see the module docstring); ``work`` is unchanged.

    ``start_ms``/``end_ms`` bound the processed range (None: the whole video): only proposals inside it are added
    and replacing only ever removes predictions inside it. ``roles`` maps work tier names to the role they play.
    DocumentError when a proposal would overlap a kept annotation of a child tier or is not in the vocabulary.
    """
    check_existing(existing)
    merge = _Merge(_structure_copy(work), proposals, existing, start_ms, end_ms, dict(roles or {}), name_tier)
    merge.next_number = max(first_number, _first_unused_number(work))
    for tier in proposals.tiers:
        merge.write_tier(tier)
    new_roles = {name: role for name, role in merge.roles.items() if name in merge.summary.tiers_created}
    return Merged(merge.doc, merge.summary, new_roles, merge.next_number)


def _structure_copy(doc: Document) -> Document:
    """A copy of ``doc`` whose lists (tier types, vocabularies, tiers and each tier's annotations) are its own: the
    merge adds to and removes from those lists but never changes an annotation, tier type or vocabulary object, so
    those are shared with ``doc`` (copying 10,000 annotations one by one would cost seconds)."""
    return dataclasses.replace(
        doc,
        tier_types=list(doc.tier_types),
        vocabularies=list(doc.vocabularies),
        tiers=[dataclasses.replace(t, annotations=list(t.annotations)) for t in doc.tiers],
    )


class _Merge:
    """The state of one merge: the document being changed, the proposals, where proposals went, the summary."""

    def __init__(
        self,
        doc: Document,
        proposals: Document,
        existing: str,
        start_ms: int | None,
        end_ms: int | None,
        roles: dict[str, str],
        name_tier: Callable[[str], str],
    ) -> None:
        self.doc = doc
        self.proposals = proposals
        self.existing = existing
        low, high = WHOLE_VIDEO
        self.range = (start_ms if start_ms is not None else low, end_ms if end_ms is not None else high)
        self.roles = roles
        self.name_tier = name_tier
        self.next_number = 1
        self.added: dict[str, Tier] = {}  # proposed annotation id -> the work tier it was added to
        self.summary = MergeSummary()

    # ---- structure ---------------------------------------------------------------------------------
    def vocabulary_for(self, name: str | None) -> str | None:
        """The work vocabulary for the proposals' vocabulary ``name``: the same one when it holds every value
        proposed, else a copy under a free name."""
        if name is None:
            return None
        wanted = self.proposals.vocabulary(name)
        for candidate in _versions(name):
            if not any(v.id == candidate for v in self.doc.vocabularies):
                self.doc.vocabularies.append(copy.deepcopy(wanted))
                self.doc.vocabularies[-1].id = candidate
                return candidate
            if _holds_all(self.doc.vocabulary(candidate), wanted):
                return candidate
        raise AssertionError("unreachable")

    def type_for(self, name: str, vocabulary: str | None, constraint: Constraint = Constraint.NONE) -> str:
        """The work tier type for the proposals' type ``name``: a type of ``constraint`` with ``vocabulary``."""
        for candidate in _versions(name):
            if not any(t.id == candidate for t in self.doc.tier_types):
                self.doc.tier_types.append(TierType(id=candidate, constraint=constraint, vocabulary=vocabulary))
                return candidate
            if _fits(self.doc.tier_type(candidate), vocabulary, constraint):
                return candidate
        raise AssertionError("unreachable")

    def work_tier(self, name: str) -> Tier | None:
        """The work tier for the proposed tier ``name``: the first one playing that role, else one of that name
        that plays no other role."""
        for tier in self.doc.tiers:
            if self.roles.get(tier.id) == name:
                return tier
        if not self.doc.has_tier(name):
            return None
        return self.doc.tier(name) if self.roles.get(name) in (None, name) else None

    def new_tier(self, name: str, tier_type: str, annotator: str | None, parent: str | None = None) -> Tier:
        """A new tier (under ``parent``, or a root tier) at the end of the tier list."""
        tier = Tier(id=name, type=tier_type, parent=parent, annotator=annotator)
        self.doc.tiers.append(tier)
        self.summary.tiers_created.append(name)
        return tier

    def free_name(self, base: str) -> str:
        """``base`` or its first version "base (2)", ... that no tier has."""
        return next(n for n in _versions(base) if not self.doc.has_tier(n))

    # ---- annotations -------------------------------------------------------------------------------
    def write_tier(self, tier: Tier) -> None:
        """Put one proposed tier into the document: a new tier, an empty one filled, or predictions replaced."""
        if tier.parent is not None:
            self.write_child(tier)
            return
        proposed = [a for a in tier.annotations if self.inside(a)]
        target = self.work_tier(tier.id)
        if target is None and not proposed:
            return  # nothing found: no empty new tier
        vocabulary = self.vocabulary_for(self.proposals.tier_type(tier.type).vocabulary)
        fits = target is not None and target.parent is None and _fits(self.doc.tier_type(target.type), vocabulary)
        if target is not None and fits:
            if not target.annotations:
                self.fill(target, proposed)
                return
            if self.existing == REPLACE_PREDICTIONS:
                self.replace(target, proposed)
                return
        if not proposed:
            return
        # named in the work's language; a first tier of its kind plays its role, versions ("Signs (2)") none
        name = self.free_name(target.id if target is not None else self.name_tier(tier.id))
        # a version keeps the type of the tier it is a version of
        tier_type = target.type if target is not None and fits else self.type_for(tier.type, vocabulary)
        if target is None:
            self.roles[name] = tier.id
        self.fill(self.new_tier(name, tier_type, tier.annotator), proposed)

    def write_child(self, tier: Tier) -> None:
        """Add the annotations of a proposed child tier whose parent annotations were added, to a child tier of
        the work tier they went to: one of this name (or a version of it) and type there, else a new one."""
        parent_ids: dict[str, str] = {}
        for a in tier.annotations:
            parent_annotation = self.proposals.parent_annotation(tier, a)
            if parent_annotation is not None and parent_annotation.id in self.added:
                parent_ids[a.id] = parent_annotation.id
        pieces = [a for a in tier.annotations if a.id in parent_ids]
        if not pieces:
            return
        parent = self.added[parent_ids[pieces[0].id]]
        constraint = self.proposals.constraint_of(tier)
        vocabulary = self.vocabulary_for(self.proposals.tier_type(tier.type).vocabulary)
        target = next(
            (
                t
                for t in self.doc.tiers
                if t.parent == parent.id
                and _is_version(t.id, tier.id)
                and _fits(self.doc.tier_type(t.type), vocabulary, constraint)
            ),
            None,
        )
        if target is None:
            tier_type = self.type_for(tier.type, vocabulary, constraint)
            target = self.new_tier(self.free_name(tier.id), tier_type, tier.annotator, parent.id)
        self.fill(target, pieces)

    def inside(self, a: Annotation) -> bool:
        """Whether ``a`` lies within the processed range."""
        low, high = self.range
        return a.start_ms is not None and a.end_ms is not None and low <= a.start_ms and a.end_ms <= high

    def replace(self, target: Tier, proposed: list[Annotation]) -> None:
        """Remove the untouched predictions of ``target`` in the range (with their dependants), keep the rest,
        add the proposals that do not overlap what was kept."""
        dependants = {a.id: descendants_of(self.doc, target, a) for a in target.annotations}
        doomed = {
            a.id
            for a in target.annotations
            if is_prediction(a) and self.inside(a) and all(is_prediction(d) for _, d in dependants[a.id])
        }
        kept = [a for a in target.annotations if a.id not in doomed]
        gone = {id(d) for key in doomed for _, d in dependants[key]}
        for child_tier in {id(t): t for key in doomed for t, _ in dependants[key]}.values():
            child_tier.annotations = [a for a in child_tier.annotations if id(a) not in gone]
        self.summary.replaced += len(doomed) + len(gone)
        target.annotations = kept
        self.summary.kept += sum(1 for a in kept if self.inside(a) and not is_prediction(a))
        self.fill(target, [a for a in proposed if not any(_overlap(a, k) for k in kept)])

    def fill(self, target: Tier, fresh: list[Annotation]) -> None:
        """Add the ``fresh`` proposals to ``target`` among its annotations, in time order."""
        vocabulary_name = self.doc.tier_type(target.type).vocabulary
        vocabulary = self.doc.vocabulary(vocabulary_name) if vocabulary_name else None
        new = []
        for a in fresh:
            entry = _entry_for(vocabulary, target, a.value)
            new.append(
                Annotation(
                    id=f"a{self.next_number}",
                    value=a.value,
                    start_ms=a.start_ms,
                    end_ms=a.end_ms,
                    cv_entry=entry,
                    attributes={**a.attributes, "source": ENGINE_SOURCE},
                    annotator=a.annotator,
                )
            )
            self.next_number += 1
            self.added[a.id] = target
        everything = sorted([*target.annotations, *new], key=lambda a: (a.start_ms or 0, a.end_ms or 0))
        for before, after in zip(everything, everything[1:], strict=False):
            if _overlap(before, after):
                raise DocumentError(
                    f"tier {target.id!r}: {after.id} ({after.start_ms}-{after.end_ms} ms) would "
                    f"overlap {before.id} ({before.start_ms}-{before.end_ms} ms)"
                )
        target.annotations = everything
        self.summary.added += len(new)
        if fresh and target.id not in self.summary.tiers_created + self.summary.tiers_updated:
            self.summary.tiers_updated.append(target.id)


def _first_unused_number(doc: Document) -> int:
    """One more than the highest ``a<N>`` id of ``doc`` (1 when it has none)."""
    numbers = [int(a.id[1:]) for _, a in doc.annotations() if re.fullmatch(r"a[0-9]{1,18}", a.id)]
    return max(numbers, default=0) + 1


def _entry_for(vocabulary: Vocabulary | None, tier: Tier, value: str) -> str | None:
    """The id of the vocabulary entry ``value`` stands for (None without vocabulary or value); DocumentError when
    the vocabulary has no such value."""
    if vocabulary is None or not value:
        return None
    entry = vocabulary.entry_by_value(value)
    if entry is None:
        raise DocumentError(f"{value!r} is not in the controlled vocabulary {vocabulary.id!r} of tier {tier.id!r}")
    return entry.id


def _versions(name: str) -> Iterator[str]:
    """``name``, then "name (2)", "name (3)", ..."""
    yield name
    number = 2
    while True:
        yield f"{name} ({number})"
        number += 1


def _holds_all(vocabulary: Vocabulary, wanted: Vocabulary) -> bool:
    """Whether every value of ``wanted`` is a value of ``vocabulary``."""
    values = {v.value for e in vocabulary.entries for v in e.values}
    return all(e.value in values for e in wanted.entries)


def _is_version(name: str, base: str) -> bool:
    """Whether ``name`` is ``base`` or one of its versions "base (2)", "base (3)", ..."""
    return name == base or re.fullmatch(re.escape(base) + r" \(\d+\)", name) is not None


def _fits(tier_type: TierType, vocabulary: str | None, constraint: Constraint = Constraint.NONE) -> bool:
    """Whether a tier of ``tier_type`` can take proposals of ``constraint`` that use ``vocabulary``."""
    return tier_type.constraint is constraint and tier_type.vocabulary == vocabulary


def _overlap(a: Annotation, b: Annotation) -> bool:
    """Whether the time-aligned ``a`` and ``b`` share some time (False when either lacks a time)."""
    if a.start_ms is None or a.end_ms is None or b.start_ms is None or b.end_ms is None:
        return False
    return a.start_ms < b.end_ms and b.start_ms < a.end_ms
