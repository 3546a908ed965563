"""The JSON API: one NinjaAPI with a router per app. OpenAPI schema at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import SessionAuth

from kslars.document import DocumentError
from kslars.web.projects.access import Access, AccessDenied, project_for


class SessionOrShareLink(SessionAuth):
    """Session login (with CSRF checks on unsafe methods); anonymous callers pass through so that
    read-only share links work: every route still checks access with ``project_for``."""

    def __call__(self, request):
        user = super().__call__(request)
        return user if user is not None else request.user


api = NinjaAPI(
    title="K-SLARS SLAN API",
    version="1",
    description="Everything the SLAN editor does. Times are integer milliseconds.",
    auth=SessionOrShareLink(),
    urls_namespace="api",
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found"}, status=404)


@csrf_exempt
def no_route(request: HttpRequest) -> HttpResponse:
    """The JSON 404 for a path under /api/ that fits no route (an id of the wrong form, a misspelt name), in place
    of Django's HTML page; it changes nothing, so it needs no CSRF check."""
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(AccessDenied)
def access_denied(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    """422 with the problems, but only to a caller who may change the project: a viewer's write is refused for who
    sends it (403, or 404 without access) whatever its body, as the route itself would refuse it."""
    project_id = request.resolver_match.kwargs.get("project_id") if request.resolver_match else None
    if request.method not in ("GET", "HEAD", "OPTIONS") and project_id is not None:
        try:
            project_for(request, project_id, Access.EDIT)
        except Http404:
            return not_found(request, None)
        except AccessDenied as denied:
            return access_denied(request, denied)
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(DocumentError)
def document_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


def _add_routers() -> None:
    from kslars.web.agreement.api import router as agreement_router
    from kslars.web.annotation.api import router as annotation_router
    from kslars.web.annotation.interchange_api import router as interchange_router
    from kslars.web.corpus.api import router as corpus_router
    from kslars.web.dictionary.api import router as dictionary_router
    from kslars.web.learning.api import router as learning_router
    from kslars.web.processing.batch_api import router as batch_router
    from kslars.web.processing.fingerspell_api import router as fingerspell_router
    from kslars.web.processing.nonmanual_api import router as nonmanual_router
    from kslars.web.processing.process_api import router as process_router
    from kslars.web.processing.recognise_api import router as recognise_router
    from kslars.web.projects.api import router as projects_router
    from kslars.web.projects.jobs_api import router as jobs_router
    from kslars.web.projects.video_api import router as video_router
    from kslars.web.search.api import router as search_router

    api.add_router("/", projects_router)
    api.add_router("/", annotation_router)
    api.add_router("/", jobs_router)
    api.add_router("/", video_router)
    api.add_router("/", process_router)
    api.add_router("/", batch_router)
    api.add_router("/", recognise_router)
    api.add_router("/", fingerspell_router)
    api.add_router("/", learning_router)
    api.add_router("/", nonmanual_router)
    api.add_router("/", interchange_router)
    api.add_router("/", dictionary_router)
    api.add_router("/", search_router)
    api.add_router("/", agreement_router)
    api.add_router("/", corpus_router)


_add_routers()
