"""API routes of the corpus-wide search: GET /api/search (a page of results) and /api/search/filters (the
projects, tier names and signers the caller may filter by). Logged-in users only (401 otherwise): a search
spans every project the caller owns or has been shared; a share link's token opens one project, not a corpus.
A query that cannot run (empty, too long, an invalid or too slow regular expression) gives 400 {"detail"}.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kslars.corpus.search_query import MAX_PAGE_SIZE, Mode, QueryError, make_query
from kslars.web.api_errors import ERRORS
from kslars.web.search.filters import filter_choices
from kslars.web.search.results import page_dict
from kslars.web.search.services import Hit, search

router = Router(tags=["search"])


class HitOut(Hit):
    """One annotation found: annotation_id is its id in the project's document; times in ms; editor_url opens the
    editor at start_ms with the annotation selected; still_url is the video's picture then (null: no playable
    video in the project)."""

    editor_url: str
    still_url: str | None


class SearchOut(Schema):
    """A page of results, ordered by value, project, tier and time; count is the number found in all, up to
    10,000: more is true when there are more than that (the pages stop there)."""

    count: int
    more: bool
    page: int
    page_size: int
    pages: int
    results: list[HitOut]


class ProjectChoice(Schema):
    id: int
    name: str


class FiltersOut(Schema):
    """What the caller may filter by: their projects, the tier names and the signers (tier participants) in them."""

    projects: list[ProjectChoice]
    tiers: list[str]
    signers: list[str]


def require_login(request: HttpRequest) -> None:
    """401 for anonymous callers."""
    if not request.user.is_authenticated:
        raise HttpError(401, "Log in to search your projects.")


@router.get("/search", response={200: SearchOut, **ERRORS})
def search_corpus(
    request: HttpRequest,
    q: str = Query(..., description="the value, prefix, regular expression (Python syntax) or handshape class"),
    mode: Mode = Query("exact", description="exact, prefix, regex or handshape"),  # noqa: B008 - ninja reads it
    tier: str | None = Query(None, description="only tiers of this name"),
    project: int | None = Query(None, description="only this project"),
    signer: str | None = Query(None, description="only tiers of this participant"),
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
):
    """Every annotation the query finds in the projects the caller can see (owner, editor or viewer)."""
    require_login(request)
    try:
        query = make_query(q, mode, tier=tier, project_id=project, signer=signer)
        return page_dict(search(request.user, query, page, page_size))
    except QueryError as error:
        raise HttpError(400, str(error)) from None


@router.get("/search/filters", response={200: FiltersOut, **ERRORS})
def search_filters(request: HttpRequest):
    """The projects, tier names and signers of the projects the caller can see."""
    require_login(request)
    return filter_choices(request.user)
