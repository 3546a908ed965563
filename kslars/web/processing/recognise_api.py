"""API routes of gloss recognition: the checkpoints of the recognition models folder, and a "recognise" job.

GET /projects/{id}/recognition/checkpoints lists the checkpoints by name (anyone who may view the project);
POST /projects/{id}/recognise (editors and the owner) queues the job with one of those names, never a path.
Progress, cancel and retry go through the jobs API.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from kslars.web.api_errors import ERRORS
from kslars.web.jobs.schemas import JobOut
from kslars.web.processing import recognise
from kslars.web.projects.access import Access, project_for

router = Router(tags=["gloss recognition"])


class CheckpointOut(Schema):
    """A recognition checkpoint of the models folder; ``problem`` says why one cannot be used."""

    name: str
    vocabulary_size: int
    corpus: str
    dev_wer: float | None
    problem: str


class RecogniseIn(Schema):
    """Which checkpoint (by name, from the list), which part of the video (start_ms and end_ms together, or
    neither for the whole video) and the name of the gloss tier to fill (default "Glosses (recognised)")."""

    checkpoint: str
    start_ms: int | None = None
    end_ms: int | None = None
    tier: str | None = None


@router.get("/projects/{int:project_id}/recognition/checkpoints", response={200: list[CheckpointOut], **ERRORS})
def checkpoints(request: HttpRequest, project_id: int):
    """The recognition checkpoints glosses can be recognised with (empty when none was put in the folder)."""
    project_for(request, project_id, Access.VIEW)
    return recognise.available_checkpoints()


@router.post("/projects/{int:project_id}/recognise", response={201: JobOut, **ERRORS})
def recognise_glosses(request: HttpRequest, project_id: int, data: RecogniseIn):
    """Queue recognition of the glosses in the project's video (or one window of it); poll the job for progress."""
    project, _ = project_for(request, project_id, Access.EDIT)
    try:
        return Status(201, recognise.start_recognition(project, data.dict(), request.user))
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None
