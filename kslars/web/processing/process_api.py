"""API routes of automatic annotation: process a project's video (a job), and read the landmarks it keeps.

POST /projects/{id}/process (editors and the owner) queues an "annotate" job; cancel and retry go through the
jobs API. GET /projects/{id}/landmarks and /series (anyone who may view the project, share links included)
answer from the .pose file stored with the video, and with empty data while there is none (or it cannot be
read). Those two are served from landmark_cache: from memory while the file was used lately, and with 304 to a
browser that holds the answer already, after the same access check as always.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from kslars.engine.pipeline import AnnotateOptions, Hands
from kslars.proposals import NEW_VERSION, Existing
from kslars.web.api_errors import ERRORS
from kslars.web.jobs.schemas import JobOut
from kslars.web.processing import annotate, landmark_cache
from kslars.web.processing.landmark_json import EditorLandmarks, skeleton_json
from kslars.web.projects.access import Access, project_for
from kslars.web.projects.videos import project_video

router = Router(tags=["automatic annotation"])


class ProcessOptions(Schema):
    """What to annotate automatically in a whole video (the engine's AnnotateOptions, whose checks apply, and how
    to treat tiers the project has already)."""

    phrases: bool = AnnotateOptions.phrases
    signs: bool = AnnotateOptions.signs
    handshapes: bool = AnnotateOptions.handshapes
    orientation: bool = AnnotateOptions.orientation
    nonmanual: bool = AnnotateOptions.nonmanual  # the "Eyebrows", "Head" and "Mouth" tiers
    hands: Hands = AnnotateOptions.hands
    existing: Existing = NEW_VERSION


class ProcessIn(ProcessOptions):
    """What to annotate automatically; a segment is given by start_ms and end_ms together."""

    start_ms: int | None = None
    end_ms: int | None = None


class SeriesOut(Schema):
    """A time series for the visualisation panel."""

    name: str
    times_ms: list[int]
    values: list[float]


class SkeletonOut(Schema):
    """Skeleton frames: ``frames[i] = [body, left hand, right hand]`` as flat [x, y, ...] lists in 0..1 or null."""

    available: bool
    fps: float
    width: int
    height: int
    start_ms: int
    frame_count: int
    body_edges: list[list[int]]
    hand_edges: list[list[int]]
    frames: list[list[list[float] | None]]


@router.post("/projects/{int:project_id}/process", response={201: JobOut, **ERRORS})
def process_video(request: HttpRequest, project_id: int, data: ProcessIn):
    """Queue automatic annotation of the project's video (or of one segment of it); poll the job for progress."""
    project, _ = project_for(request, project_id, Access.EDIT)
    try:
        return Status(201, annotate.start_annotation(project, data.dict(), request.user))
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None


EMPTY_SKELETON = {
    "available": False,
    "fps": 0,
    "width": 0,
    "height": 0,
    "start_ms": 0,
    "frame_count": 0,
    "body_edges": [],
    "hand_edges": [],
    "frames": [],
}


def _landmark_answer(
    request: HttpRequest, project_id: int, empty: Any, render: Callable[[EditorLandmarks], bytes], *query: object
) -> Any:
    """The answer of a landmark route: ``empty`` while the project has no readable landmarks, 304 when the
    browser holds this very answer, else ``render`` of the prepared landmarks (see landmark_cache)."""
    project, _ = project_for(request, project_id, Access.VIEW)
    video = project_video(project)
    if video is None or not video.landmarks:
        return empty
    identity = landmark_cache.stored_identity(video.landmarks)
    tag = landmark_cache.etag(identity, *query)
    if (unchanged := landmark_cache.not_modified(request, tag)) is not None:
        return unchanged
    prepared = landmark_cache.cached_landmarks(video.landmarks, identity)
    return empty if prepared is None else landmark_cache.json_response(render(prepared), tag)


@router.get("/projects/{int:project_id}/landmarks", response={200: SkeletonOut, **ERRORS})
def landmarks(request: HttpRequest, project_id: int, start_ms: int | None = None, end_ms: int | None = None):
    """The skeleton per frame (upper body and hands), for drawing over the video; empty until processed.

    Answered from memory when the file was read lately, and with 304 when the browser holds this very answer
    (If-None-Match); see landmark_cache."""

    def render(prepared: EditorLandmarks) -> bytes:
        return skeleton_json(prepared, start_ms, end_ms)

    return _landmark_answer(request, project_id, EMPTY_SKELETON, render, "landmarks", start_ms, end_ms)


@router.get("/projects/{int:project_id}/series", response={200: list[SeriesOut], **ERRORS})
def series(request: HttpRequest, project_id: int):
    """Hand speed over time (right and left), for the visualisation panel; empty until processed. Cached as
    /landmarks is."""
    return _landmark_answer(request, project_id, [], lambda prepared: prepared.series, "series")
