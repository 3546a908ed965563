"""Write the automatic annotation engine's result into a project, all or nothing, never losing manual work.

The engine returns a kslars.document.Document whose tiers have fixed names ("Signs", "Right handshape", ...).
The project's tier for a result tier is the one keeping that name as its role (tier_names.py: a project made in
Russian calls its "Right handshape" tier "Конфигурация правой руки"), else, in projects made before roles were
kept, the one of that name; a tier the engine adds is named in the project's language. Each result tier goes to
the project like this, in one transaction that locks the project:

- no tier of that name yet: the tier is created (with the engine's tier type and vocabulary when the project
  has none that fits);
- the tier exists but has no annotations: it is filled;
- the tier exists and the user chose ``new_version`` (the default): a new tier "Signs (2)", "Signs (3)", ...
  takes the result and the old one stays as it was;
- the tier exists and the user chose ``replace_predictions``: within the processed time range, only the
  annotations the engine made and nobody changed since (``attributes.source == "kslars-engine"`` and version 1,
  with no annotations depending on them) are deleted; everything else is kept, and new predictions are added
  where they do not overlap what was kept.

A tier that cannot take the result (a child tier, or one whose type has another vocabulary) is never written
into: a new version is made instead. Annotation ids continue the project's counter, so none is ever reused.

A result tier may have a parent tier of the result (fingerspelled letters inside their word, Included_In): its
annotations go to a child tier of the project tier its parent went to, and only those whose parent annotation
this write added. A prediction is replaced together with its dependants when they all are untouched predictions;
one changed dependant keeps it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.db.models import Max

from kslars.document import Annotation, Constraint, Document, DocumentError, Tier, Vocabulary
from kslars.document_tree import descendants_of
from kslars.web.annotation import models as m
from kslars.web.annotation.editing import (
    load_view,
    lock_project,
    plan_positions,
    vocabulary_entry_for,
)
from kslars.web.annotation.services import COUNTER_KEY, next_key_number
from kslars.web.annotation.store import vocabulary_from_row
from kslars.web.annotation.tier_names import ROLE, localised
from kslars.web.projects.models import Project

ENGINE_SOURCE = "kslars-engine"  # attributes["source"] of every annotation the engine wrote
NEW_VERSION = "new_version"
REPLACE_PREDICTIONS = "replace_predictions"
EXISTING_CHOICES = (NEW_VERSION, REPLACE_PREDICTIONS)


@dataclass
class WriteSummary:
    """What writing a result changed: tiers created or written into, annotations added, replaced and kept."""

    tiers_created: list[str] = field(default_factory=list)
    tiers_updated: list[str] = field(default_factory=list)
    added: int = 0
    replaced: int = 0
    kept: int = 0

    def message(self) -> str:
        """One sentence for the job's final message."""
        tiers = self.tiers_created + self.tiers_updated
        text = f"Added {self.added} annotation(s) on {len(tiers)} tier(s)"
        text += f": {', '.join(tiers)}." if tiers else "."
        if self.replaced:
            text += f" Replaced {self.replaced} earlier prediction(s)."
        if self.kept:
            text += f" Kept {self.kept} annotation(s) made or changed by hand."
        return text


def is_prediction(a: Annotation) -> bool:
    """Whether ``a`` is still exactly as the engine wrote it (made by the engine, never changed since)."""
    return (a.attributes or {}).get("source") == ENGINE_SOURCE and a.version == 1


def write_result(
    project: Project,
    result: Document,
    existing: str = NEW_VERSION,
    start_ms: int | None = None,
    end_ms: int | None = None,
) -> WriteSummary:
    """Add the tiers of the engine's ``result`` to ``project`` in one transaction (see the module docstring).

    ``start_ms``/``end_ms`` bound the processed range (None: the whole video): replacing only ever removes
    predictions that lie inside it. Bumps the project's revision once.
    """
    if existing not in EXISTING_CHOICES:
        raise ValueError(f"existing must be one of {', '.join(EXISTING_CHOICES)}, not {existing!r}")
    result.validate()
    with transaction.atomic():
        writer = _ResultWriter(lock_project(project), result, existing, start_ms, end_ms)
        for tier in result.tiers:
            writer.write_tier(tier)
        writer.finish()
    return writer.summary


class _ResultWriter:
    """The state of one write: the project's rows by name, the next annotation number, the summary."""

    def __init__(
        self, project: Project, result: Document, existing: str, start_ms: int | None, end_ms: int | None
    ) -> None:
        self.project = project
        self.result = result
        self.existing = existing
        self.range = (start_ms if start_ms is not None else 0, end_ms if end_ms is not None else 2**31 - 1)
        self.vocabularies = {v.name: v for v in project.vocabularies.all()}
        self.types = {t.name: t for t in project.tier_types.select_related("vocabulary")}
        self.tiers = {t.name: t for t in project.tiers.select_related("tier_type__vocabulary")}
        self.language = project.language
        self.next_number = next_key_number(project)
        self.first_number = self.next_number
        self.added: dict[str, m.Tier] = {}  # result annotation id -> the tier it was added to
        self.summary = WriteSummary()

    # ---- structure ---------------------------------------------------------------------------------
    def vocabulary_for(self, name: str | None) -> m.Vocabulary | None:
        """The project's vocabulary for the engine's vocabulary ``name``: the same one when it holds every value
        the engine may write, else a copy under a free name."""
        if name is None:
            return None
        wanted = self.result.vocabulary(name)
        row = self.vocabularies.get(name)
        if row is not None and _holds_all(vocabulary_from_row(row), wanted):
            return row
        for candidate in _versions(name):
            row = self.vocabularies.get(candidate)
            if row is None:
                row = m.Vocabulary.objects.create(
                    project=self.project,
                    name=candidate,
                    entries=[asdict(e) for e in wanted.entries],
                    descriptions=[asdict(d) for d in wanted.descriptions],
                    ext_ref=wanted.ext_ref,
                )
                self.vocabularies[candidate] = row
                return row
            if _holds_all(vocabulary_from_row(row), wanted):
                return row
        raise AssertionError("unreachable")

    def type_for(
        self, name: str, vocabulary: m.Vocabulary | None, constraint: Constraint = Constraint.NONE
    ) -> m.TierType:
        """The project's tier type for the engine's type ``name``: a type of ``constraint`` with ``vocabulary``."""
        for candidate in _versions(name):
            row = self.types.get(candidate)
            if row is None:
                row = m.TierType.objects.create(
                    project=self.project, name=candidate, constraint=constraint.value, vocabulary=vocabulary
                )
                self.types[candidate] = row
                return row
            if _fits(row, vocabulary, constraint):
                return row
        raise AssertionError("unreachable")

    def project_tier(self, name: str) -> m.Tier | None:
        """The project's tier for the engine's tier ``name``: the first one playing that role (whatever its name,
        e.g. in Russian), else one of that name that plays no other role (projects made before roles were kept)."""
        for row in self.tiers.values():
            if row.extra.get(ROLE) == name:
                return row
        row = self.tiers.get(name)
        return row if row is not None and row.extra.get(ROLE) in (None, name) else None

    def new_tier(
        self,
        name: str,
        tier_type: m.TierType,
        annotator: str | None,
        parent: m.Tier | None = None,
        role: str | None = None,
    ) -> m.Tier:
        """A new tier (under ``parent``, or a root tier) at the end of the tier list."""
        position = (self.project.tiers.aggregate(top=Max("position"))["top"] or 0) + 1
        row = m.Tier.objects.create(
            project=self.project,
            name=name,
            tier_type=tier_type,
            position=position,
            annotator=annotator,
            parent=parent,
            extra={ROLE: role} if role else {},
        )
        self.tiers[name] = row
        self.summary.tiers_created.append(name)
        return row

    # ---- annotations -------------------------------------------------------------------------------
    def write_tier(self, tier: Tier) -> None:
        """Put one result tier into the project: a new tier, an empty one filled, or predictions replaced."""
        if tier.parent is not None:
            self._write_child(tier)
            return
        predictions = [a for a in tier.annotations if self._inside(a)]
        target = self.project_tier(tier.id)
        if target is None and not predictions:
            return  # nothing found: no empty new tier
        vocabulary = self.vocabulary_for(self.result.tier_type(tier.type).vocabulary)
        fits = target is not None and _fits(target.tier_type, vocabulary) and target.parent_id is None
        if fits:
            if not target.annotations.exists():
                if predictions:
                    self._fill(target, predictions, [])
                return
            if self.existing == REPLACE_PREDICTIONS:
                self._replace(target, predictions)
                return
        if not predictions:
            return  # nothing found: no empty new tier
        # named in the project's language; a first tier of its kind plays its role, versions ("Signs (2)") none
        base = target.name if target is not None else localised(tier.id, self.language)
        name = next(n for n in _versions(base) if n not in self.tiers)
        tier_type = target.tier_type if fits else self.type_for(tier.type, vocabulary)  # a version keeps the type
        role = tier.id if target is None else None
        self._fill(self.new_tier(name, tier_type, tier.annotator, role=role), predictions, [])

    def _write_child(self, tier: Tier) -> None:
        """Add the annotations of a result child tier whose parent annotations were added, to a child tier of the
        project tier they went to: one of this name (or a version of it) and type there, else a new one."""
        parents = {a.id: self.result.parent_annotation(tier, a) for a in tier.annotations}
        pieces = [a for a in tier.annotations if parents[a.id] is not None and parents[a.id].id in self.added]
        if not pieces:
            return
        parent_row = self.added[parents[pieces[0].id].id]
        constraint = self.result.constraint_of(tier)
        vocabulary = self.vocabulary_for(self.result.tier_type(tier.type).vocabulary)
        target = next(
            (
                row
                for row in self.tiers.values()
                if row.parent_id == parent_row.pk
                and _is_version(row.name, tier.id)
                and _fits(row.tier_type, vocabulary, constraint)
            ),
            None,
        )
        if target is None:
            name = next(n for n in _versions(tier.id) if n not in self.tiers)
            target = self.new_tier(name, self.type_for(tier.type, vocabulary, constraint), tier.annotator, parent_row)
        view = load_view(self.project, [target.id])
        kept = view.doc.tier(target.name).annotations
        self._fill(target, pieces, kept, {a.id: view.rows[a.id].position for a in kept})

    def _inside(self, a: Annotation) -> bool:
        low, high = self.range
        return a.start_ms is not None and a.end_ms is not None and low <= a.start_ms and a.end_ms <= high

    def _replace(self, target: m.Tier, predictions: list[Annotation]) -> None:
        """Delete the untouched predictions of ``target`` in the range, keep the rest, add what does not overlap."""
        view = load_view(self.project, [target.id])
        doc_tier = view.doc.tier(target.name)
        dependants = {a.id: [d for _, d in descendants_of(view.doc, doc_tier, a)] for a in doc_tier.annotations}
        doomed = [
            a
            for a in doc_tier.annotations
            if is_prediction(a) and self._inside(a) and all(map(is_prediction, dependants[a.id]))
        ]
        kept = [a for a in doc_tier.annotations if a not in doomed]
        gone = [x.id for a in doomed for x in (a, *dependants[a.id])]
        if gone:
            m.Annotation.objects.filter(project=self.project, key__in=gone).delete()
        self.summary.replaced += len(gone)
        self.summary.kept += sum(1 for a in kept if self._inside(a) and not is_prediction(a))
        fresh = [a for a in predictions if not any(_overlap(a, k) for k in kept)]
        stored = {a.id: view.rows[a.id].position for a in kept}
        self._fill(target, fresh, kept, stored)

    def _fill(
        self, target: m.Tier, fresh: list[Annotation], kept: list[Annotation], stored: dict[str, int] | None = None
    ) -> None:
        """Add ``fresh`` predictions to ``target`` (whose remaining annotations are ``kept``), in time order."""
        vocabulary_row = target.tier_type.vocabulary
        vocabulary = vocabulary_from_row(vocabulary_row) if vocabulary_row else None
        doc_tier = Tier(id=target.name, type=target.tier_type.name)
        new_rows = []
        for a in fresh:
            entry = vocabulary_entry_for(vocabulary, doc_tier, a.value, None) if vocabulary else None
            key = f"a{self.next_number}"
            self.next_number += 1
            new_rows.append(
                Annotation(
                    id=key,
                    value=a.value,
                    start_ms=a.start_ms,
                    end_ms=a.end_ms,
                    cv_entry=entry.id if entry else None,
                    attributes={**a.attributes, "source": ENGINE_SOURCE},
                )
            )
            self.added[a.id] = target
        everything = sorted([*kept, *new_rows], key=lambda a: (a.start_ms or 0, a.end_ms or 0))
        for before, after in zip(everything, everything[1:]):
            if _overlap(before, after):
                raise DocumentError(
                    f"tier {target.name!r}: {after.id} ({after.start_ms}-{after.end_ms} ms) would "
                    f"overlap {before.id} ({before.start_ms}-{before.end_ms} ms)"
                )
        stored = stored or {}
        positions = plan_positions([a.id for a in everything], {**stored, **{a.id: None for a in new_rows}})
        if stored:
            moved = [
                m.Annotation(pk=pk, position=positions[key])
                for key, pk in m.Annotation.objects.filter(tier=target).values_list("key", "pk")
                if positions[key] != stored[key]
            ]
            m.Annotation.objects.bulk_update(moved, ["position"])
        create_annotations(self.project, target, new_rows, positions)
        self.summary.added += len(new_rows)
        if fresh and target.name not in self.summary.tiers_created + self.summary.tiers_updated:
            self.summary.tiers_updated.append(target.name)

    def finish(self) -> None:
        """Remember the highest annotation number given out and count one revision."""
        if self.next_number > self.first_number:
            self.project.document_meta[COUNTER_KEY] = self.next_number - 1
        self.project.count_change(also=["document_meta"])


def create_annotations(
    project: Project, tier: m.Tier, annotations: list[Annotation], positions: dict[str, int]
) -> None:
    """Insert the rows of new time-aligned ``annotations`` on ``tier`` at the planned ``positions``."""
    m.Annotation.objects.bulk_create(
        m.Annotation(
            project=project,
            tier=tier,
            key=a.id,
            value=a.value,
            start_ms=a.start_ms,
            end_ms=a.end_ms,
            cv_entry=a.cv_entry,
            attributes=a.attributes,
            position=positions[a.id],
            version=1,
        )
        for a in annotations
    )


def _versions(name: str):
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


def _fits(tier_type: m.TierType, vocabulary: m.Vocabulary | None, constraint: Constraint = Constraint.NONE) -> bool:
    """Whether a tier of ``tier_type`` can take the engine's annotations of ``constraint`` that use ``vocabulary``."""
    return tier_type.constraint == constraint.value and tier_type.vocabulary_id == (
        vocabulary.pk if vocabulary else None
    )


def _overlap(a: Annotation, b: Annotation) -> bool:
    if None in (a.start_ms, a.end_ms, b.start_ms, b.end_ms):
        return False
    return a.start_ms < b.end_ms and b.start_ms < a.end_ms
