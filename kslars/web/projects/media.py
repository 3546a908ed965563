"""Serving a project's video and thumbnail to the people who may see the project.

Local files stream with HTTP Range support (206 Partial Content), which browsers need to seek in a
video. With S3 storage the browser is redirected to a short-lived signed URL instead.
"""

from __future__ import annotations

import mimetypes
import re

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from kslars.web.projects.access import project_for
from kslars.web.projects.models import Video

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@require_safe
def project_video(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's browser-playable video (GET/HEAD, Range requests honoured)."""
    project, _ = project_for(request, project_id)
    video = Video.objects.filter(project=project).first()
    playable = video.playable_file() if video else None
    if playable is None:
        raise Http404("The project has no video that plays in the browser yet.")
    return serve_file(request, playable)


@require_safe
def project_thumbnail(request: HttpRequest, project_id: int) -> HttpResponse:
    """The JPEG thumbnail of the project's video."""
    project, _ = project_for(request, project_id)
    video = Video.objects.filter(project=project).first()
    if video is None or not video.thumbnail:
        raise Http404("The project has no video thumbnail.")
    return serve_file(request, video.thumbnail)


class _VideoResponse(FileResponse):
    block_size = 256 * 1024


class _ByteRange:
    """A read-only view of ``length`` bytes of an open file, starting at ``start``."""

    def __init__(self, file, start: int, length: int) -> None:  # noqa: ANN001 - a binary file object
        file.seek(start)
        self.file, self.left = file, length

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes of the range (all that is left when ``size`` is negative)."""
        size = self.left if size < 0 else min(size, self.left)
        data = self.file.read(size) if size else b""
        self.left -= len(data)
        return data

    def close(self) -> None:
        """Close the underlying file."""
        self.file.close()


def serve_file(request: HttpRequest, field_file: FieldFile) -> HttpResponse:
    """``field_file`` as a response: the whole file, one byte range of it, or a redirect for remote storage."""
    storage, name = field_file.storage, field_file.name
    try:
        storage.path(name)
    except NotImplementedError:
        return HttpResponseRedirect(storage.url(name))
    size = storage.size(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    byte_range = parse_range(request.headers.get("Range", ""), size)
    if isinstance(byte_range, str):  # "unsatisfiable"
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif byte_range is None:
        response = _VideoResponse(storage.open(name, "rb"), content_type=content_type)
    else:
        start, end = byte_range
        response = _VideoResponse(
            _ByteRange(storage.open(name, "rb"), start, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """The (first, last) byte positions of a single-range ``Range`` header, clipped to ``size``.

    None when there is no usable range header (serve the whole file: multiple ranges and other units
    are allowed to be ignored), "unsatisfiable" when the range lies beyond the end of the file.
    """
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = _at_most(last, size)
        if length == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = _at_most(first, size)
    end = min(_at_most(last, size), size - 1) if last else size - 1
    if start >= size:
        return "unsatisfiable"
    if end < start:
        return None
    return start, end


def _at_most(digits: str, limit: int) -> int:
    """The number written with ``digits``, or ``limit`` when it is larger: a byte position past the end means
    the end, whatever its length (int() refuses strings of more than 4,300 digits)."""
    digits = digits.lstrip("0")
    return limit if len(digits) > len(str(limit)) else min(int(digits or "0"), limit)
