"""JSON shapes of the annotation API: the whole document, tiers, tier types, vocabularies and annotation edits.

Times are integer milliseconds. Tiers, tier types and vocabularies have integer ids; annotations are named by
their document id (a string such as ``"a12"``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

ConstraintName = Literal["None", "Included_In", "Time_Subdivision", "Symbolic_Subdivision", "Symbolic_Association"]


# ---- the document ---------------------------------------------------------------------------------
class AnnotationOut(Schema):
    """One annotation. Symbolic ones have no times of their own and name their ``parent`` annotation."""

    id: str
    value: str
    start_ms: int | None
    end_ms: int | None
    parent: str | None
    previous: str | None
    cv_entry: str | None
    attributes: dict[str, Any]
    version: int
    annotator: str | None = None  # who made or last changed it: a user name, or the engine


class TierOut(Schema):
    """A tier in display order, with its annotations in document order."""

    id: int
    name: str
    type_id: int
    parent_id: int | None
    position: int
    hidden: bool
    participant: str | None
    annotator: str | None
    language: str | None
    version: int
    annotations: list[AnnotationOut]


class TierTypeOut(Schema):
    """A tier type: its ELAN constraint and optional controlled vocabulary."""

    id: int
    name: str
    constraint: ConstraintName
    vocabulary_id: int | None


class LocalizedValueSchema(Schema):
    """A vocabulary entry's value (or a vocabulary's description) in one language."""

    value: str
    lang: str | None = None
    description: str | None = None


class EntryOut(Schema):
    """A controlled vocabulary entry; ``attributes`` holds e.g. HamNoSys symbols and a category."""

    id: str
    values: list[LocalizedValueSchema]
    attributes: dict[str, Any]
    ext_ref: str | None = None


class VocabularyOut(Schema):
    """A controlled vocabulary with its entries in order."""

    id: int
    name: str
    entries: list[EntryOut]
    descriptions: list[LocalizedValueSchema]


class ProjectBrief(Schema):
    """The project a document belongs to, with the caller's role."""

    id: int
    name: str
    role: Literal["owner", "editor", "viewer"]
    updated_at: datetime


class VideoBrief(Schema):
    """What the player needs to know about the project's video."""

    url: str
    status: str
    fps: float
    duration_ms: int
    width: int
    height: int


class LanguageOut(Schema):
    """A language of the document (EAF LANGUAGE): vocabulary values and tiers name it by ``id``."""

    id: str
    label: str | None = None
    def_url: str | None = None


class DocumentOut(Schema):
    """A whole annotation document, loaded in one request; ``revision`` grows with every change."""

    project: ProjectBrief
    video: VideoBrief | None
    languages: list[LanguageOut] = Field(default_factory=list)
    tier_types: list[TierTypeOut]
    vocabularies: list[VocabularyOut]
    tiers: list[TierOut]
    revision: int


class Unchanged(Schema):
    """The answer to a poll when nothing changed since the given revision."""

    revision: int
    unchanged: bool = True


# ---- tiers, tier types, vocabularies -------------------------------------------------------------
class TierCreate(Schema):
    """A new tier (added after the others)."""

    name: str
    type_id: int
    parent_id: int | None = None
    hidden: bool = False
    participant: str | None = None
    annotator: str | None = None
    language: str | None = None


class TierUpdate(Schema):
    """Changes to a tier; fields left out stay as they are. ``version``, when given, must be current."""

    version: int | None = None
    name: str | None = None
    hidden: bool | None = None
    type_id: int | None = None
    parent_id: int | None = None
    participant: str | None = None
    annotator: str | None = None
    language: str | None = None


class TierOrder(Schema):
    """Every tier of the project, in the new display order."""

    tier_ids: list[int]


class TierTypeIn(Schema):
    """A new tier type."""

    name: str
    constraint: ConstraintName = "None"
    vocabulary_id: int | None = None


class TierTypeUpdate(Schema):
    """Changes to a tier type; fields left out stay as they are (send ``vocabulary_id: null`` to detach)."""

    name: str | None = None
    constraint: ConstraintName | None = None
    vocabulary_id: int | None = None


class EntryIn(Schema):
    """A vocabulary entry; the server picks an id when none is given."""

    id: str | None = None
    values: list[LocalizedValueSchema]
    attributes: dict[str, Any] = Field(default_factory=dict)
    ext_ref: str | None = None


class VocabularyIn(Schema):
    """A new controlled vocabulary."""

    name: str
    entries: list[EntryIn] = Field(default_factory=list)
    descriptions: list[LocalizedValueSchema] = Field(default_factory=list)


class VocabularyUpdate(Schema):
    """Changes to a vocabulary; fields left out stay as they are. New entries replace the old list."""

    name: str | None = None
    entries: list[EntryIn] | None = None
    descriptions: list[LocalizedValueSchema] | None = None


# ---- annotations -----------------------------------------------------------------------------------
class AnnotationCreate(Schema):
    """A new annotation. Time-aligned tiers need start_ms and end_ms; symbolic tiers need ``parent``.

    On a Symbolic_Subdivision tier, ``previous`` names the sibling the new piece follows; leave it out to
    append after the last piece, or send ``null`` to make it the first.
    """

    tier_id: int
    value: str = ""
    start_ms: int | None = None
    end_ms: int | None = None
    parent: str | None = None
    previous: str | None = None
    cv_entry: str | None = None
    attributes: dict[str, Any] | None = None


class TierRestore(TierCreate):
    """A deleted tier to create again: ``id`` is the id it had; ``parent_id`` may be the old id of a tier restored
    before it."""

    id: int


class AnnotationRestore(AnnotationCreate):
    """A deleted annotation to create again: ``id`` is the id it had, ``tier_id`` the old id of its restored tier;
    ``parent`` and ``previous`` may be old ids of annotations restored with it."""

    id: str


class TierRestoreIn(Schema):
    """Tiers deleted together (parents first) and their annotations, created again all together or not at all;
    ``order`` is the display order wanted (old ids for the restored tiers)."""

    tiers: list[TierRestore] = Field(min_length=1)
    annotations: list[AnnotationRestore] = Field(default_factory=list)
    order: list[int] = Field(default_factory=list)


class TierRestoreOut(Schema):
    """The restored tiers with their annotations, their new ids by old id, and every tier's id in display order."""

    tiers: list[TierOut]
    tier_ids: dict[str, int]
    annotation_ids: dict[str, str]
    order: list[int]
    revision: int


class AnnotationUpdate(Schema):
    """Changes to an annotation; ``version`` must be the one the editor last saw."""

    version: int
    value: str | None = None
    start_ms: int | None = None
    end_ms: int | None = None
    cv_entry: str | None = None
    attributes: dict[str, Any] | None = None


class CreateOp(AnnotationCreate):
    """Batch operation: create an annotation. ``ref``, a name of the client's choosing (not an id like ``a12``),
    lets the ``parent`` or ``previous`` of a later create in the same batch name the new annotation (a symbolic
    child of a parent created with it)."""

    op: Literal["create"]
    ref: str | None = Field(default=None, min_length=1, max_length=100)


class UpdateOp(AnnotationUpdate):
    """Batch operation: update annotation ``id``."""

    op: Literal["update"]
    id: str


class DeleteOp(Schema):
    """Batch operation: delete annotation ``id`` (and the annotations that depend on it)."""

    op: Literal["delete"]
    id: str
    version: int


Operation = Annotated[CreateOp | UpdateOp | DeleteOp, Field(discriminator="op")]


class BatchIn(Schema):
    """Operations applied all together or not at all (split, merge, multi-select moves, undo)."""

    operations: list[Operation]


class DeletedOut(Schema):
    """An annotation a request deleted."""

    id: str
    deleted: bool = True


class BatchOut(Schema):
    """One result per operation, in order, then the annotations deleted along with a parent."""

    results: list[AnnotationOut | DeletedOut]
    revision: int


class TierBatchIn(Schema):
    """One undo or redo step that changes tiers and annotations (a background job's result), all together or not at
    all: ``restore`` creates deleted tiers again with their annotations (as POST /tiers/restore), then
    ``operations`` are applied (as in a batch), then the tiers in ``delete_tiers`` are deleted with their annotations
    and the tiers below them."""

    restore: TierRestoreIn | None = None
    operations: list[Operation] = Field(default_factory=list)
    delete_tiers: list[int] = Field(default_factory=list)


class TierBatchOut(Schema):
    """The restored tiers (null when none), one result per operation as a batch gives them, and the revision."""

    restored: TierRestoreOut | None
    results: list[AnnotationOut | DeletedOut]
    revision: int


class DeleteOut(Schema):
    """The ids a deletion removed: the annotation itself and every annotation that depended on it."""

    deleted: list[str]
    revision: int


class Conflict(Schema):
    """Someone else changed or deleted the annotation; ``current`` is its state now (null when deleted)."""

    detail: str
    current: AnnotationOut | None


class TierConflict(Schema):
    """Someone else changed the tier; ``current`` is its state now."""

    detail: str
    current: TierOut | None
