"""API routes for annotation files: preview and import into a project, a new project from a file, export.

Uploads are checked before their body is read (edit access, declared size) and again on the bytes that arrive:
an annotation file over KSLARS_MAX_ANNOTATION_FILE_MB gives 413. A file that cannot be read gives 400 with a
message naming the file, the line and the problem; nothing is stored then.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import SessionAuth

from kslars.document import Document
from kslars.vision.probe import VideoError
from kslars.web.annotation import interchange
from kslars.web.api_errors import ERRORS as BASE_ERRORS
from kslars.web.api_errors import Message
from kslars.web.projects import services, videos
from kslars.web.projects.access import Access, project_for
from kslars.web.projects.api import project_out
from kslars.web.projects.models import Project
from kslars.web.projects.schemas import ProjectOut
from kslars.web.projects.video_api import MULTIPART_OVERHEAD, _upload_path, _without_path, too_large

router = Router(tags=["import and export"])

ERRORS = {**BASE_ERRORS, 413: Message}
PROJECT = "/projects/{int:project_id}"


class FormatOut(Schema):
    """An annotation file format: its name (the export's ``format``), a label in the caller's language, its file
    extensions, whether SLAN reads (imports) and writes (exports) it, whether a file holds one tier only, and
    whether the export can write frame numbers (``frame_based``)."""

    name: str
    label: str
    extensions: list[str]
    readable: bool
    writable: bool
    one_tier: bool
    frame_based: bool


class TierPreview(Schema):
    """One tier of a file about to be imported."""

    name: str
    type: str
    constraint: str | None
    parent: str | None
    annotations: int


class TierTypePreview(Schema):
    """A tier type of a file about to be imported."""

    name: str
    constraint: str
    vocabulary: str | None


class VocabularyPreview(Schema):
    """A controlled vocabulary of a file about to be imported."""

    name: str
    entries: int


class PreviewOut(Schema):
    """What a file holds, and which of its tier names the project has already."""

    format: str
    tiers: list[TierPreview]
    tier_types: list[TierTypePreview]
    vocabularies: list[VocabularyPreview]
    clashes: list[str]


class ImportOut(Schema):
    """The tiers an import added (under their names in the project) and the project's new revision."""

    imported: list[str]
    skipped: list[str]
    replaced: list[str]
    revision: int


def file_too_large(limit: int) -> HttpError:
    """HTTP 413 for an annotation file over the limit."""
    return HttpError(
        413,
        f"The annotation file is larger than the limit of {limit / 1024 / 1024:.0f} MB; split it, or ask the "
        "administrator to raise KSLARS_MAX_ANNOTATION_FILE_MB.",
    )


class FieldLimits(FileUploadHandler):
    """Stops a request with 413 as soon as one file field passes its own limit (``limits[field] = (bytes, error)``;
    fields not named use the "file" limit)."""

    def __init__(self, request: HttpRequest, limits: dict[str, tuple[int, HttpError]]) -> None:
        super().__init__(request)
        self.limits = limits

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        """Pass the chunk on, or stop when this field's file has grown past its limit."""
        limit, error = self.limits.get(self.field_name, self.limits["file"])
        if start + len(raw_data) > limit:
            raise error
        return raw_data

    def file_complete(self, file_size: int) -> None:
        """The next handler (a temporary file) builds the uploaded file."""
        return None


class ImportAuth(SessionAuth):
    """Session login with CSRF, after checks that need no request body: access to the project (edit, when the
    route has one) and the declared size; then uploads stream to temporary files within their limits."""

    def __call__(self, request: HttpRequest):
        file_limit = settings.KSLARS_MAX_ANNOTATION_FILE_BYTES
        limits = {"file": (file_limit, file_too_large(file_limit))}
        project_id = request.resolver_match.kwargs.get("project_id")
        if project_id is None:  # a new project: the file and its video
            video_limit = settings.KSLARS_MAX_UPLOAD_BYTES
            limits["video"] = (video_limit, too_large(video_limit))
        declared = request.META.get("CONTENT_LENGTH") or "0"
        total = sum(limit for limit, _ in limits.values())
        if declared.isdigit() and int(declared) > total + MULTIPART_OVERHEAD:
            raise (
                limits["file"][1]
                if project_id is not None
                else HttpError(413, "The upload is larger than the annotation file and video limits together.")
            )
        if project_id is not None:
            project_for(request, int(project_id), Access.EDIT)
        elif not request.user.is_authenticated:
            raise HttpError(401, "Log in first.")
        request.upload_handlers = [FieldLimits(request, limits), TemporaryFileUploadHandler(request)]
        return super().__call__(request)


def _read(file: UploadedFile, fps: float | None = None) -> tuple[Document, str]:
    """The document in an uploaded annotation file (FormatError -> 400 through the API's handler)."""
    limit = settings.KSLARS_MAX_ANNOTATION_FILE_BYTES
    if file.size is not None and file.size > limit:
        raise file_too_large(limit)
    return interchange.read_upload(file.read(), file.name or "upload", fps=fps)


def _video_fps(project) -> float | None:
    video = videos.project_video(project)
    return video.fps if video and video.fps else None


def _tier_names(request: HttpRequest) -> list[str]:
    """The ``tiers`` form field: repeated, or one JSON list."""
    names = request.POST.getlist("tiers")
    if len(names) == 1 and names[0].lstrip().startswith("["):
        try:
            parsed = json.loads(names[0])
        except json.JSONDecodeError as exc:
            raise HttpError(400, f"tiers is not a JSON list of tier names: {exc}") from None
        if not isinstance(parsed, list) or not all(isinstance(n, str) for n in parsed):
            raise HttpError(400, "tiers must be a list of tier names")
        return parsed
    return [n for n in names if n]


@router.get("/formats", response=list[FormatOut], auth=None, url_name="formats")
def list_formats(request: HttpRequest):
    """The annotation file formats SLAN imports and exports, from the format registry of kslars.formats."""
    return interchange.format_list()


@router.post(PROJECT + "/import/preview", response={200: PreviewOut, **ERRORS}, auth=ImportAuth())
def import_preview(request: HttpRequest, project_id: int, file: File[UploadedFile]):
    """What an annotation file holds (tiers, types, vocabularies, annotation counts) and which tier names clash
    with the project's; nothing is stored."""
    project, _ = project_for(request, project_id, Access.EDIT)
    doc, fmt = _read(file, _video_fps(project))
    return {"format": fmt, **interchange.preview(doc, project)}


@router.post(PROJECT + "/import", response={200: ImportOut, **ERRORS}, auth=ImportAuth())
def import_file(
    request: HttpRequest,
    project_id: int,
    file: File[UploadedFile],
    on_clash: Form[str] = "rename",
    tiers: Form[list[str]] = None,  # type: ignore[assignment]  # ninja: None makes it optional; `| None` would put null in the schema
):
    """Add tiers of an annotation file to the project, all or nothing. ``tiers``: the names to take (repeated, or
    one JSON list; all when absent; their parent tiers come along). ``on_clash``: rename, replace or skip a tier
    whose name the project has."""
    project, _ = project_for(request, project_id, Access.EDIT)
    doc, _ = _read(file, _video_fps(project))
    return interchange.import_tiers(project, doc, _tier_names(request), on_clash)


@router.post("/projects/import", response={201: ProjectOut, **ERRORS}, auth=ImportAuth(), url_name="import-project")
def import_project(
    request: HttpRequest,
    file: File[UploadedFile],
    video: File[UploadedFile] = None,  # type: ignore[assignment]  # ninja: None makes it optional; `| None` would put null in the schema
    name: Form[str] = "",
):
    """A new project from an annotation file (.eaf, .json, .csv, ...) holding exactly the file's document, with
    its video when one is sent (same checks as a video upload). All or nothing: a refused video leaves no project."""
    doc, _ = _read(file)
    project_name = name.strip() or (file.name or "").rsplit(".", 1)[0] or "Imported"
    try:
        with transaction.atomic():
            project = Project.objects.create(
                owner=request.user, name=services.clean_name(project_name), language=services.interface_language()
            )
            interchange.fill_new_project(project, doc)
            if video is not None:
                with _upload_path(video) as path:
                    videos.store_upload(project, path, video.name or "video", request.user)
    except services.ProjectError as exc:
        raise HttpError(400, str(exc)) from None
    except VideoError as exc:
        raise HttpError(400, f"This file cannot be used as the project's video: {_without_path(exc)}") from None
    return Status(201, project_out(project, Access.OWN))


@router.get(PROJECT + "/export", response={200: None, **ERRORS})
def export_file(
    request: HttpRequest,
    project_id: int,
    format: str = "eaf",
    tiers: Query[list[str]] = None,  # type: ignore[assignment]  # ninja: None makes it optional; `| None` would put null in the schema
    frame_based: bool = False,
    fps: float | None = None,
):
    """The document as a file download: format eaf, json, csv, srt, vtt or textgrid; ``tiers`` (repeated) limits it
    to those tiers and what they need; ``frame_based`` (CSV) writes frame numbers at ``fps`` (default: the video's)."""
    project, _ = project_for(request, project_id, Access.VIEW)
    data, filename, content_type = interchange.export(
        project, format, tiers=tiers or None, frame_based=frame_based, fps=fps or _video_fps(project)
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
