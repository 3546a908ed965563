"""API routes for a project's video: upload (or replace) it, and read its properties and conversion state.

Uploads are checked before their body is read: the caller must be logged in with edit access and the
declared size must be within KSLARS_MAX_UPLOAD_BYTES. The body then streams to a temporary file, and
the limit is enforced again on the bytes that really arrive.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler
from django.db import IntegrityError
from django.http import HttpRequest
from ninja import File, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile as UploadedFileParam
from ninja.security import SessionAuth

from kslars.vision.probe import VideoError
from kslars.web.api_errors import ERRORS as BASE_ERRORS
from kslars.web.api_errors import Message
from kslars.web.projects import videos
from kslars.web.projects.access import Access, project_for
from kslars.web.projects.schemas import VideoOut

router = Router(tags=["video"])

ERRORS = {**BASE_ERRORS, 409: Message, 413: Message}
# Room for the multipart boundaries and part headers around the file in the request body.
MULTIPART_OVERHEAD = 64 * 1024


def too_large(limit: int) -> HttpError:
    """HTTP 413 with a message naming the limit."""
    return HttpError(
        413,
        f"The file is larger than the upload limit of {limit / 1024 / 1024:.0f} MB. Cut or compress the video "
        "(for example as H.264 MP4), or ask the administrator to raise KSLARS_MAX_UPLOAD_MB.",
    )


class SizeLimitHandler(FileUploadHandler):
    """Stops an upload with HTTP 413 as soon as its file data passes the limit."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        """Pass the chunk on, or stop when the file has grown past the limit."""
        if start + len(raw_data) > self.limit:
            raise too_large(self.limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        """The next handler (a temporary file) builds the uploaded file."""
        return None


class UploadAuth(SessionAuth):
    """Session login with CSRF, after two checks that need no request body: edit access and declared size."""

    def __call__(self, request: HttpRequest):
        limit = settings.KSLARS_MAX_UPLOAD_BYTES
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
            raise too_large(limit)
        project_for(request, int(request.resolver_match.kwargs["project_id"]), Access.EDIT)
        request.upload_handlers = [SizeLimitHandler(request, limit), TemporaryFileUploadHandler(request)]
        return super().__call__(request)


@router.post("/projects/{int:project_id}/video", response={201: VideoOut, **ERRORS}, auth=UploadAuth())
def upload_video(request: HttpRequest, project_id: int, file: File[UploadedFileParam]):
    """Upload the project's video, or replace it (editors and the owner; annotations are kept).

    Videos the browser cannot play as they are get converted to H.264 MP4 by a background job: the
    response carries that job, poll GET /api/jobs/{id} for its progress.
    """
    project, _ = project_for(request, project_id, Access.EDIT)
    try:
        with _upload_path(file) as path:
            video, job = videos.store_upload(project, path, file.name or "video", request.user)
    except VideoError as exc:
        raise HttpError(400, f"This file cannot be used as the project's video: {_without_path(exc)}") from None
    except IntegrityError:  # two first uploads to one project at the same moment: the other one won
        raise HttpError(
            409,
            "Another video was uploaded to this project at the same moment; reload and "
            "upload again if you still want to replace it.",
        ) from None
    return Status(201, videos.video_out(video, job))


@router.get("/projects/{int:project_id}/video", response={200: VideoOut, **ERRORS})
def get_video(request: HttpRequest, project_id: int):
    """The project's video: properties, playback URL once playable, and the state of its conversion."""
    project, _ = project_for(request, project_id, Access.VIEW)
    video = videos.project_video(project)
    if video is None:
        raise HttpError(404, "This project has no video yet.")
    return videos.video_out(video)


@contextmanager
def _upload_path(upload: UploadedFile) -> Iterator[Path]:
    """The uploaded file as a path on disk: its temporary file, or a copy of a small in-memory upload."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name or "").suffix[:10]) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def _without_path(exc: Exception) -> str:
    """The error's message (a probe's, a photo search's) without the server's temporary file path it starts with."""
    message = str(exc)
    head, sep, rest = message.partition(": ")
    return rest if sep and ("/" in head or "\\" in head) else message
