"""API routes of the reverse dictionary: search by palette handshapes, by text and by a photo of one hand.

Read-only: nothing a search sends is stored (an uploaded photo lives in a temporary file for the request).
A query that cannot be answered (an unknown handshape name, a text without letters, a file that is not a
photo, a photo with no hand or with two) gives 400 {"detail"}; a photo over KSLARS_MAX_PHOTO_MB gives 413
before it is read; no dictionary on the server gives 404; without KSLARS_DICTIONARY_PUBLIC, anonymous
callers get 401.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest
from ninja import File, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import SessionAuth

from kslars.dictionary import search
from kslars.dictionary.lexicon import Lexicon
from kslars.web.annotation.interchange_api import FieldLimits
from kslars.web.api_errors import ERRORS as BASE_ERRORS
from kslars.web.api_errors import Message
from kslars.web.dictionary.services import DictionaryUnavailable, current_lexicon, handshape_classifier, may_search
from kslars.web.projects.video_api import MULTIPART_OVERHEAD, _upload_path, _without_path

router = Router(tags=["dictionary"])

ERRORS = {**BASE_ERRORS, 413: Message}
PHOTO_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}  # as Pillow names them (MPO: the JPEG of some phone cameras)
MAX_LIMIT = 100


class HandsOut(Schema):
    """The handshape classes of a sign's first handshapes (kslars.hamnosys names); nondominant null: one hand."""

    dominant: str | None
    nondominant: str | None


class OrientationOut(Schema):
    """The dominant hand's first extended-finger direction and palm orientation (kslars.hamnosys keys)."""

    finger_direction: str | None
    palm: str | None


class SignOut(Schema):
    """One sign found: its stored fields, its form as read from the HamNoSys, and the score (1 is a perfect match)."""

    id: str
    gloss: str
    translations: dict[str, str]
    hamnosys: str
    source: str
    video: str | None
    pose: str | None
    handshapes: HandsOut
    orientation: OrientationOut
    location: str
    movement: str
    score: float


def searched(run: Callable[[Lexicon], list[search.SearchResult]]) -> list[dict]:
    """The results of ``run(lexicon)`` as JSON data; 404 without a usable dictionary, 400 for a refused query."""
    try:
        return [result.to_dict() for result in run(current_lexicon())]
    except DictionaryUnavailable as error:
        raise HttpError(404, str(error)) from None
    except search.SearchError as error:
        raise HttpError(400, str(error)) from None


def require_reader(request: HttpRequest) -> None:
    """HTTP 401 unless the caller may search the dictionary."""
    if not may_search(request):
        raise HttpError(401, "Log in to search the dictionary.")


@router.get("/dictionary/search/handshape", response={200: list[SignOut], **ERRORS})
def search_by_handshape(
    request: HttpRequest, dominant: str, nondominant: str | None = None, limit: int = Query(20, ge=1, le=MAX_LIMIT)
):
    """Signs with the handshapes picked in the palette: the dominant hand's, and optionally the non-dominant
    hand's. A handshape is a class name (finger2_thumbout) or HamNoSys names (hamfinger2,hamthumboutmod)."""
    require_reader(request)
    return searched(lambda lexicon: search.search_by_handshape(lexicon, dominant, nondominant or None, limit))


@router.get("/dictionary/search/text", response={200: list[SignOut], **ERRORS})
def search_by_text(request: HttpRequest, text: str, limit: int = Query(20, ge=1, le=MAX_LIMIT)):
    """Signs whose gloss or a translation matches ``text`` (Cyrillic or Latin): exact, then prefix, then fuzzy."""
    require_reader(request)
    return searched(lambda lexicon: search.search_by_text(lexicon, text, limit))


def photo_too_large(limit: int) -> HttpError:
    """HTTP 413 for a photo over the limit."""
    return HttpError(
        413,
        f"The photo is larger than the limit of {limit / 1024 / 1024:.0f} MB; take a smaller picture (the hand "
        "alone is enough), or ask the administrator to raise KSLARS_MAX_PHOTO_MB.",
    )


class PhotoAuth(SessionAuth):
    """Callers who may search, after the declared size (no body read yet); the photo then streams to a temporary
    file within KSLARS_MAX_PHOTO_MB."""

    def __call__(self, request: HttpRequest):
        limit = settings.KSLARS_MAX_PHOTO_BYTES
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
            raise photo_too_large(limit)
        require_reader(request)
        request.upload_handlers = [
            FieldLimits(request, {"file": (limit, photo_too_large(limit))}), TemporaryFileUploadHandler(request),
        ]  # fmt: skip
        return super().__call__(request) or request.user  # CSRF checked; anonymous callers passed require_reader


def check_photo_type(path: Path) -> None:
    """HTTP 400 unless the file is a JPEG, PNG or WebP picture (read from its header, not its name)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            kind = image.format
    except (UnidentifiedImageError, OSError):
        kind = None
    if kind not in PHOTO_FORMATS:
        found = f"a {kind} picture" if kind else "not a picture"
        raise HttpError(400, f"This file is {found}: send a photo as JPEG, PNG or WebP.")


@router.post("/dictionary/search/photo", response={200: list[SignOut], **ERRORS}, auth=PhotoAuth())
def search_by_photo(request: HttpRequest, file: File[UploadedFile], limit: int = Query(20, ge=1, le=MAX_LIMIT)):
    """Signs whose handshape fits the one hand in a photo (multipart field ``file``: JPEG, PNG or WebP).

    MediaPipe Hands finds the hand and the handshape classifier reads it; a photo with no hand or with more
    than one is refused with 400.
    """
    with _upload_path(file) as path:
        check_photo_type(path)
        return searched(lambda lexicon: photo_search(lexicon, path, limit))


def photo_search(lexicon: Lexicon, path: Path, limit: int) -> list[search.SearchResult]:
    """Search by the photo at ``path``; the refusal's message without the temporary file's path."""
    try:
        return search.search_by_image(lexicon, path, handshape_classifier(), limit)
    except search.SearchError as error:
        raise search.SearchError(f"The photo cannot be searched: {_without_path(error)}.") from None
