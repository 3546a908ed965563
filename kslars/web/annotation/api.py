"""API routes of the annotation app: the whole document, tiers, tier types, vocabularies and annotation edits.

Every route resolves the project with ``project_for`` (no access: 404, too little: 403); edits need editor
access. The work happens in kslars.web.annotation.services (annotations) and .structure (everything else).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Status
from ninja.responses import NinjaJSONEncoder

from kslars.web.annotation import services, structure
from kslars.web.annotation.attribution import user_name
from kslars.web.annotation.editing import StaleVersion
from kslars.web.annotation.output import document_out, tier_type_out, vocabulary_out
from kslars.web.annotation.schemas import (
    AnnotationCreate,
    AnnotationOut,
    AnnotationUpdate,
    BatchIn,
    BatchOut,
    Conflict,
    DeleteOut,
    DocumentOut,
    TierBatchIn,
    TierBatchOut,
    TierConflict,
    TierCreate,
    TierOrder,
    TierOut,
    TierRestoreIn,
    TierRestoreOut,
    TierTypeIn,
    TierTypeOut,
    TierTypeUpdate,
    TierUpdate,
    Unchanged,
    VocabularyIn,
    VocabularyOut,
    VocabularyUpdate,
)
from kslars.web.api_errors import ERRORS
from kslars.web.projects.access import Access, project_for
from kslars.web.projects.models import Project

router = Router(tags=["annotation"])

PROJECT = "/projects/{int:project_id}"


def conflict(exc: StaleVersion) -> Status:
    """The 409 answer for an edit of an old version: the message and the current state."""
    return Status(409, {"detail": str(exc), "current": exc.current})


# ---- the document -----------------------------------------------------------------------------------
def document_response(project: Project, level: Access) -> HttpResponse:
    """The whole document as JSON, written directly: checking thousands of annotations against the schema on
    every load would take longer than reading them (tests check the shape against DocumentOut instead)."""
    return JsonResponse(document_out(project, level), encoder=NinjaJSONEncoder)


@router.get(PROJECT + "/document", response={200: DocumentOut, **ERRORS})
def get_document(request: HttpRequest, project_id: int):
    """The whole annotation document: tier types, vocabularies, tiers with annotations, video and revision."""
    project, level = project_for(request, project_id, Access.VIEW)
    return document_response(project, level)


@router.get(PROJECT + "/changes", response={200: DocumentOut | Unchanged, **ERRORS})
def get_changes(request: HttpRequest, project_id: int, since: int):
    """The whole document when it changed after revision ``since``; otherwise only ``{revision, unchanged}``."""
    project, level = project_for(request, project_id, Access.VIEW)
    if project.revision == since:
        return {"revision": project.revision, "unchanged": True}
    return document_response(project, level)


# ---- tiers ------------------------------------------------------------------------------------------
@router.post(PROJECT + "/tiers", response={201: TierOut, **ERRORS})
def create_tier(request: HttpRequest, project_id: int, payload: TierCreate):
    """Add a tier after the others."""
    project, _ = project_for(request, project_id, Access.EDIT)
    return Status(201, structure.create_tier(project, payload.model_dump()))


@router.post(PROJECT + "/tiers/order", response={200: list[TierOut], **ERRORS})
def reorder_tiers(request: HttpRequest, project_id: int, payload: TierOrder):
    """Put the tiers in a new display order (list every tier once)."""
    project, _ = project_for(request, project_id, Access.EDIT)
    return structure.reorder_tiers(project, payload.tier_ids)


@router.post(PROJECT + "/tiers/restore", response={201: TierRestoreOut, **ERRORS})
def restore_tiers(request: HttpRequest, project_id: int, payload: TierRestoreIn):
    """Create deleted tiers again with their annotations, all together or not at all (Undo of a tier's deletion)."""
    project, _ = project_for(request, project_id, Access.EDIT)
    return Status(201, structure.restore_tiers(project, **restore_args(payload), annotator=user_name(request.user)))


def restore_args(payload: TierRestoreIn) -> dict:
    """restore_tiers' arguments from a restore request: its tiers, annotations (the fields given) and order."""
    return {
        "tiers": [t.model_dump() for t in payload.tiers],
        "annotations": [a.model_dump(exclude_unset=True) for a in payload.annotations],
        "order": payload.order,
    }


@router.post(PROJECT + "/tiers/batch", response={200: TierBatchOut, 409: Conflict, **ERRORS})
def tier_batch(request: HttpRequest, project_id: int, payload: TierBatchIn):
    """Restore tiers, apply annotation operations and delete tiers, all together or not at all (Undo and Redo of a
    background job's result)."""
    project, _ = project_for(request, project_id, Access.EDIT)
    restore = restore_args(payload.restore) if payload.restore else None
    operations = [(op.op, op.model_dump(), op.model_fields_set) for op in payload.operations]
    try:
        return structure.tier_batch(
            project, restore, operations, payload.delete_tiers, annotator=user_name(request.user)
        )
    except StaleVersion as exc:
        return conflict(exc)


@router.patch(PROJECT + "/tiers/{int:tier_id}", response={200: TierOut, 409: TierConflict, **ERRORS})
def update_tier(request: HttpRequest, project_id: int, tier_id: int, payload: TierUpdate):
    """Rename, hide or show, retype or reparent a tier."""
    project, _ = project_for(request, project_id, Access.EDIT)
    try:
        return structure.update_tier(project, tier_id, payload.model_dump(exclude_unset=True))
    except StaleVersion as exc:
        return conflict(exc)


@router.delete(PROJECT + "/tiers/{int:tier_id}", response={204: None, **ERRORS})
def delete_tier(request: HttpRequest, project_id: int, tier_id: int):
    """Delete a tier with its annotations and the tiers below it."""
    project, _ = project_for(request, project_id, Access.EDIT)
    structure.delete_tier(project, tier_id)
    return Status(204, None)


# ---- tier types ---------------------------------------------------------------------------------------
@router.post(PROJECT + "/tier-types", response={201: TierTypeOut, **ERRORS})
def create_tier_type(request: HttpRequest, project_id: int, payload: TierTypeIn):
    """Add a tier type (constraint and optional vocabulary)."""
    project, _ = project_for(request, project_id, Access.EDIT)
    return Status(201, tier_type_out(structure.create_tier_type(project, payload.model_dump())))


@router.patch(PROJECT + "/tier-types/{int:type_id}", response={200: TierTypeOut, **ERRORS})
def update_tier_type(request: HttpRequest, project_id: int, type_id: int, payload: TierTypeUpdate):
    """Rename a tier type or change its constraint or vocabulary."""
    project, _ = project_for(request, project_id, Access.EDIT)
    return tier_type_out(structure.update_tier_type(project, type_id, payload.model_dump(exclude_unset=True)))


@router.delete(PROJECT + "/tier-types/{int:type_id}", response={204: None, **ERRORS})
def delete_tier_type(request: HttpRequest, project_id: int, type_id: int):
    """Delete a tier type that no tier uses."""
    project, _ = project_for(request, project_id, Access.EDIT)
    structure.delete_tier_type(project, type_id)
    return Status(204, None)


# ---- vocabularies -----------------------------------------------------------------------------------
@router.post(PROJECT + "/vocabularies", response={201: VocabularyOut, **ERRORS})
def create_vocabulary(request: HttpRequest, project_id: int, payload: VocabularyIn):
    """Add a controlled vocabulary."""
    project, _ = project_for(request, project_id, Access.EDIT)
    return Status(201, vocabulary_out(structure.create_vocabulary(project, payload.model_dump())))


@router.patch(PROJECT + "/vocabularies/{int:vocabulary_id}", response={200: VocabularyOut, **ERRORS})
def update_vocabulary(request: HttpRequest, project_id: int, vocabulary_id: int, payload: VocabularyUpdate):
    """Rename a vocabulary or replace its entries or descriptions."""
    project, _ = project_for(request, project_id, Access.EDIT)
    data = payload.model_dump(exclude_unset=True)
    return vocabulary_out(structure.update_vocabulary(project, vocabulary_id, data))


@router.delete(PROJECT + "/vocabularies/{int:vocabulary_id}", response={204: None, **ERRORS})
def delete_vocabulary(request: HttpRequest, project_id: int, vocabulary_id: int):
    """Delete a vocabulary that no tier type uses."""
    project, _ = project_for(request, project_id, Access.EDIT)
    structure.delete_vocabulary(project, vocabulary_id)
    return Status(204, None)


# ---- annotations ------------------------------------------------------------------------------------
@router.post(PROJECT + "/annotations", response={201: AnnotationOut, **ERRORS})
def create_annotation(request: HttpRequest, project_id: int, payload: AnnotationCreate):
    """Add an annotation; the server picks its id."""
    project, _ = project_for(request, project_id, Access.EDIT)
    return Status(
        201,
        services.create_annotation(
            project, payload.model_dump(), payload.model_fields_set, annotator=user_name(request.user)
        ),
    )


@router.post(PROJECT + "/annotations/batch", response={200: BatchOut, 409: Conflict, **ERRORS})
def batch(request: HttpRequest, project_id: int, payload: BatchIn):
    """Apply several annotation operations all together or not at all."""
    project, _ = project_for(request, project_id, Access.EDIT)
    operations = [(op.op, op.model_dump(), op.model_fields_set) for op in payload.operations]
    try:
        results, revision = services.apply_batch(project, operations, annotator=user_name(request.user))
    except StaleVersion as exc:
        return conflict(exc)
    return {"results": results, "revision": revision}


@router.patch(PROJECT + "/annotations/{ann_id}", response={200: AnnotationOut, 409: Conflict, **ERRORS})
def update_annotation(request: HttpRequest, project_id: int, ann_id: str, payload: AnnotationUpdate):
    """Change an annotation's value, times, vocabulary entry or attributes; ``version`` must be current."""
    project, _ = project_for(request, project_id, Access.EDIT)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    try:
        return services.update_annotation(project, ann_id, version, data, annotator=user_name(request.user))
    except StaleVersion as exc:
        return conflict(exc)


@router.delete(PROJECT + "/annotations/{ann_id}", response={200: DeleteOut, 409: Conflict, **ERRORS})
def delete_annotation(request: HttpRequest, project_id: int, ann_id: str, version: int):
    """Delete an annotation and every annotation that depends on it; the answer lists all deleted ids."""
    project, _ = project_for(request, project_id, Access.EDIT)
    try:
        deleted, revision = services.delete_annotation(project, ann_id, version)
    except StaleVersion as exc:
        return conflict(exc)
    return {"deleted": deleted, "revision": revision}
