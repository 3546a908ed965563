"""The search page: a form whose results are drawn on the server (a link per result, no script needed), from the
same service and in the same shape as GET /api/search."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kslars.corpus.search_query import Mode, QueryError, make_query
from kslars.hamnosys import HANDSHAPES
from kslars.web.search.filters import filter_choices
from kslars.web.search.results import page_dict
from kslars.web.search.services import search

PAGE_SIZE = 30


def problem(error: QueryError) -> str:
    """What is wrong with a search, in the page's language (the API says it in English)."""
    messages = {
        "too_long": _("The search text is too long: at most 200 characters."),
        "invalid": _("This is not a valid regular expression: %(detail)s") % {"detail": error},
        "too_slow": _(
            "The regular expression took too long over the corpus. Make it more specific: nested "
            "repetitions such as (a+)+ take very long."
        ),
        "too_many": _("The regular expression matches too many different values. Make it more specific."),
    }
    return messages.get(error.kind, _("Type what to search for."))


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


@require_GET
@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """Search every project the user can see; the query is in the address (?q=&mode=&tier=&project=&signer=)."""
    params = request.GET
    form = {key: params.get(key, "") for key in ("q", "mode", "tier", "project", "signer")}
    form["mode"] = form["mode"] if form["mode"] in set(Mode) else Mode.EXACT.value
    context: dict[str, Any] = {
        "form": form,
        "choices": filter_choices(request.user),
        "handshapes": [h.name for h in HANDSHAPES],
    }
    if form["q"]:
        try:
            query = make_query(form["q"], form["mode"], form["tier"], _number(form["project"]), form["signer"] or None)
            found = page_dict(search(request.user, query, _number(params.get("page")) or 1, PAGE_SIZE))
            context["found"] = found
            context["previous_query"] = _page_query(params, found["page"] - 1) if found["page"] > 1 else None
            context["next_query"] = _page_query(params, found["page"] + 1) if found["page"] < found["pages"] else None
        except QueryError as error:
            context["error"] = problem(error)
    return render(request, "search/search.html", context)


def _page_query(params, page: int) -> str:
    """The page's address query with another page number."""
    changed = params.copy()
    changed["page"] = str(page)
    return changed.urlencode()
