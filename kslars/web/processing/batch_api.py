"""API routes of batch processing: Process video on several projects with one set of options, follow the batch,
cancel it, resume it.

POST /batches/process checks every project with ``project_for`` (edit access) before anything is queued: a project
the caller cannot see gives 404, one they may only view 403, one without a video or already being processed 400.
A batch is reached through its projects, as each project is (projects.access): 404 without access to any of them,
403 for Cancel and Resume without edit access to any; its items are the projects the caller can see, and Cancel
and Resume act on those the caller may edit. GET /batches lists the batches the caller started.
"""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from kslars.web.api_errors import ERRORS
from kslars.web.jobs.models import JobBatch, JobStatus
from kslars.web.processing import batch as batches
from kslars.web.processing.process_api import ProcessOptions
from kslars.web.projects.access import Access, AccessDenied, project_for, share_token_of
from kslars.web.projects.models import Project

router = Router(tags=["batch processing"])
RECENT = 20


class BatchIn(ProcessOptions):
    """The projects to process (ids, each once) and the options every video is processed with."""

    project_ids: list[int] = Field(..., min_length=1, max_length=batches.MAX_PROJECTS)


class BatchItemOut(Schema):
    """One video of a batch: its project and its latest job in the batch."""

    project_id: int
    project_name: str
    job_id: int | None
    status: str  # queued, running, succeeded, failed, cancelled
    progress: float  # 0..1
    message: str
    error: str


class BatchOut(Schema):
    """A batch and how far it got; poll GET /api/batches/{id}."""

    id: int
    kind: str
    options: dict
    status: str  # queued, running (while a job is), then succeeded, failed (some video failed) or cancelled
    progress: float  # 0..1 over the videos, an ended one counting as complete
    counts: dict[str, int]  # videos per status
    cancel_requested: bool
    created_at: datetime
    url: str  # the batch's page
    items: list[BatchItemOut]


def batch_out(batch: JobBatch, visible: list[Project]) -> dict:
    """The JSON of ``batch`` with the items of the ``visible`` projects."""
    items = batches.batch_items(batch, visible)
    counts = {status: 0 for status in JobStatus.values}
    for item in items:
        counts[item.status] += 1
    return {
        "id": batch.pk,
        "kind": batch.kind,
        "options": batch.options,
        "status": batches.batch_status(batch, items),
        "progress": round(sum(item.progress for item in items) / len(items), 4) if items else 0.0,
        "counts": counts,
        "cancel_requested": batch.cancel_requested,
        "created_at": batch.created_at,
        "url": reverse("batch", args=[batch.pk]),
        "items": [
            {
                "project_id": item.project.pk,
                "project_name": item.project.name,
                "job_id": item.job.pk if item.job else None,
                "status": item.status,
                "progress": item.job.progress if item.job else 0.0,
                "message": item.job.message if item.job else "",
                "error": item.job.error if item.job else "",
            }
            for item in items
        ],
    }


def batch_for(request: HttpRequest, batch_id: int, need: Access = Access.VIEW) -> tuple[JobBatch, dict]:
    """The batch and the caller's access to each of its projects (batch.batch_for)."""
    return batches.batch_for(batch_id, request.user, share_token_of(request), need)


def seen(levels: dict, need: Access = Access.VIEW) -> list[Project]:
    """The projects of ``levels`` the caller has ``need`` access to."""
    return [project for project, level in levels.items() if level >= need]


@router.post("/batches/process", response={201: BatchOut, **ERRORS}, auth=django_auth)  # logged in: 401 first
def start_batch(request: HttpRequest, data: BatchIn):
    """Process the videos of several projects with one set of options: one "annotate" job per project, run by the
    workers side by side. All or nothing: 404 for a project the caller cannot see, 403 for one they may only view,
    400 naming the project that has no video or is being processed already."""
    if len(set(data.project_ids)) != len(data.project_ids):
        raise HttpError(400, "Each project may be chosen once.")
    projects = []
    for project_id in data.project_ids:
        try:
            project, _ = project_for(request, project_id, Access.EDIT)
        except Http404:
            raise HttpError(404, f"No project {project_id}.") from None
        except AccessDenied:
            name = Project.objects.get(pk=project_id).name
            raise AccessDenied(f"you may only view “{name}”: processing needs edit access to the project") from None
        projects.append(project)
    options = data.dict(exclude={"project_ids"})
    try:
        batch = batches.start_batch(request.user, projects, options)
    except batches.BatchError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(201, batch_out(batch, projects))


@router.get("/batches", response={200: list[BatchOut], **ERRORS})
def list_batches(request: HttpRequest):
    """The caller's latest batches (those they started, while one of their projects is still theirs to see), newest
    first."""
    if not request.user.is_authenticated:
        return []
    listed = []
    for batch in JobBatch.objects.filter(created_by=request.user)[:RECENT]:
        try:
            listed.append(batch_out(batch, seen(batch_for(request, batch.pk)[1])))
        except Http404:  # none of its projects is left to the caller (deleted, or no longer shared)
            continue
    return listed


@router.get("/batches/{int:batch_id}", response={200: BatchOut, **ERRORS})
def get_batch(request: HttpRequest, batch_id: int):
    """One batch with each video's status, for polling (the videos of the projects the caller can see)."""
    batch, levels = batch_for(request, batch_id)
    return batch_out(batch, seen(levels))


@router.post("/batches/{int:batch_id}/cancel", response={200: BatchOut, **ERRORS})
def cancel_batch(request: HttpRequest, batch_id: int):
    """Cancel the videos not processed yet (of the projects the caller may edit): queued ones at once, running ones
    shortly after; done ones stay."""
    batch, levels = batch_for(request, batch_id, Access.EDIT)
    batches.cancel_batch(batch, seen(levels, Access.EDIT))
    batch.refresh_from_db()
    return batch_out(batch, seen(levels))


@router.post("/batches/{int:batch_id}/resume", response={200: BatchOut, **ERRORS})
def resume_batch(request: HttpRequest, batch_id: int):
    """Start the batch again: the videos that failed or were cancelled (a lost worker's included) of the projects
    the caller may edit are queued again; those processed already are not redone. 400 naming a project that can no
    longer be processed (nothing is queued then)."""
    batch, levels = batch_for(request, batch_id, Access.EDIT)
    try:
        batches.resume_batch(batch, request.user, seen(levels, Access.EDIT))
    except batches.BatchError as exc:
        raise HttpError(400, str(exc)) from None
    batch.refresh_from_db()
    return batch_out(batch, seen(levels))
