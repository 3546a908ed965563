"""API route of fingerspelling in the editor: POST /projects/{id}/fingerspell (editors and the owner) queues a
"fingerspell" job over a segment of the video. Progress, cancel and retry go through the jobs API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from kslars.web.api_errors import ERRORS
from kslars.web.jobs.schemas import JobOut
from kslars.web.processing import fingerspell
from kslars.web.projects.access import Access, project_for

router = Router(tags=["fingerspelling"])


class FingerspellIn(Schema):
    """Which manual alphabet ("ru", "kk" or "asl"), which segment of the video (start_ms and end_ms, required) and
    the name of the word tier to fill (default "Fingerspelling"; its letters go to "<tier> letters")."""

    alphabet: str
    start_ms: int | None = None
    end_ms: int | None = None
    tier: str | None = None


@router.post("/projects/{int:project_id}/fingerspell", response={201: JobOut, **ERRORS})
def read_fingerspelling(request: HttpRequest, project_id: int, data: FingerspellIn):
    """Queue reading the word fingerspelled in a segment of the project's video; poll the job for progress."""
    project, _ = project_for(request, project_id, Access.EDIT)
    try:
        return Status(201, fingerspell.start_fingerspelling(project, data.dict(), request.user))
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None
