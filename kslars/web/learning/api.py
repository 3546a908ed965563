"""API routes of learning from corrections: start the "learn" job, see the project's models, go back.

POST /projects/{id}/learn (editors and the owner) queues the job (optionally naming the sign and phrase tiers;
by default the engine's tiers with corrections are found; the corrected handshape tiers are always found);
GET /projects/{id}/segmentation-model and /handshape-model (anyone who may view the project) say which model
Process video uses and how it scored; DELETE them (editors and the owner) goes back to the shipped model.
Progress, cancel and retry go through the jobs API.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from kslars.web.api_errors import ERRORS
from kslars.web.jobs.schemas import JobOut
from kslars.web.learning import learn
from kslars.web.projects.access import Access, project_for

router = Router(tags=["learning from corrections"])


class LearnIn(Schema):
    """Which tiers hold the corrected signs and phrases (none: the engine's tiers that hold corrections)."""

    signs_tier: str | None = None
    phrases_tier: str | None = None


class ModelOut(Schema):
    """The model Process video uses: ``own`` false is the shipped one. ``report``: what it learnt from (the tiers
    and time, or the handshape labels and how many examples each) and the scores of it and of the shipped model on
    the part it did not learn from (segment IoU per tier, or handshape accuracy)."""

    own: bool
    created_at: str | None = None
    report: dict[str, Any] = {}


@router.post("/projects/{int:project_id}/learn", response={201: JobOut, **ERRORS})
def learn_from_corrections(request: HttpRequest, project_id: int, data: LearnIn):
    """Queue learning from the project's corrections (segmentation and handshapes); poll the job for progress."""
    project, _ = project_for(request, project_id, Access.EDIT)
    try:
        return Status(201, learn.start_learning(project, data.dict(), request.user))
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None


@router.get("/projects/{int:project_id}/segmentation-model", response={200: ModelOut, **ERRORS})
def segmentation_model(request: HttpRequest, project_id: int):
    """Which segmentation model the project's Process video uses, and its scores."""
    return _model_in_use(request, project_id, learn.SEGMENTATION)


@router.delete("/projects/{int:project_id}/segmentation-model", response={200: ModelOut, **ERRORS})
def use_default_model(request: HttpRequest, project_id: int):
    """Go back to the shipped segmentation model (the project's own is deleted)."""
    return _use_default(request, project_id, learn.SEGMENTATION)


@router.get("/projects/{int:project_id}/handshape-model", response={200: ModelOut, **ERRORS})
def handshape_model(request: HttpRequest, project_id: int):
    """Which handshape model the project's Process video uses (its labels, examples and accuracy)."""
    return _model_in_use(request, project_id, learn.HANDSHAPE)


@router.delete("/projects/{int:project_id}/handshape-model", response={200: ModelOut, **ERRORS})
def use_default_handshape_model(request: HttpRequest, project_id: int):
    """Go back to the shipped handshape classifier (the project's own model is deleted)."""
    return _use_default(request, project_id, learn.HANDSHAPE)


def _model_in_use(request: HttpRequest, project_id: int, kind: str) -> dict[str, Any]:
    project, _ = project_for(request, project_id, Access.VIEW)
    model = learn.MODELS[kind].objects.filter(project=project).first()
    if model is None:
        return {"own": False}
    return {"own": True, "created_at": model.created_at.isoformat(), "report": model.report}


def _use_default(request: HttpRequest, project_id: int, kind: str) -> dict[str, Any]:
    project, _ = project_for(request, project_id, Access.EDIT)
    learn.forget_model(project, kind)
    return {"own": False}
