"""The corpus page: choose projects, see their statistics (tables drawn on the server from the same service as
GET /api/corpus/stats, the plot from /api/corpus/plot) and download their export (GET /api/corpus/export)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kslars.corpus.plots import MS_PER_MINUTE
from kslars.web.corpus.export import MAX_PROJECTS
from kslars.web.corpus.services import SelectionError, chosen_projects, project_choices, projects_stats, tier_names


@require_GET
@login_required
def corpus_page(request: HttpRequest) -> HttpResponse:
    """The form (every project the user can see); with ``show``, the statistics of the chosen ones."""
    ids = request.GET.getlist("projects")
    context = {"projects": project_choices(request.user), "chosen": set(ids), "max_projects": MAX_PROJECTS}
    try:
        projects = chosen_projects(request, ids)
    except SelectionError:
        projects = []
    names, glosses = tier_names(projects)
    gloss_tiers = request.GET.getlist("gloss_tier") if "show" in request.GET else glosses
    context.update(tiers=names, gloss_tiers=set(gloss_tiers))
    if "show" in request.GET:
        if not projects:
            context["error"] = _("Choose at least one project.")
        else:
            query = urlencode([("projects", p.pk) for p in projects] + [("gloss_tier", t) for t in gloss_tiers])
            stats = projects_stats(projects, gloss_tiers)
            context.update(
                stats=stats,
                tier_rows=[
                    {"name": name, "minutes": round(tier["duration_ms"] / MS_PER_MINUTE, 1), **tier}
                    for name, tier in stats["tiers"].items()
                ],
                plot_url=reverse("api:corpus-plot") + "?" + query,
            )
    return render(request, "corpus/page.html", context)
