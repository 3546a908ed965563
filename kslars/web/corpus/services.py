"""What the corpus page and routes share: which projects a request chose, and their statistics and plot computed by
kslars.corpus.stats and kslars.corpus.plots over the projects' documents."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest

from kslars.corpus.plots import stats_figure
from kslars.corpus.stats import documents_stats
from kslars.web.annotation.models import Tier
from kslars.web.annotation.store import load_document
from kslars.web.annotation.tier_names import ROLE
from kslars.web.projects.access import Access, project_for, visible_projects
from kslars.web.projects.models import Project, Video

GLOSS_ROLE = "Gloss"  # the default gloss tier's English name, kept as its role whatever it is called
PLOT_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


class SelectionError(ValueError):
    """The request's choice of projects cannot be used (HTTP 400)."""


def chosen_projects(request: HttpRequest, ids: list[str] | None, limit: int | None = None) -> list[Project]:
    """The projects ``ids`` names (each checked with project_for: Http404 for one the caller cannot see), or every
    project the caller can see when ``ids`` is empty; by name. SelectionError for an id that is not a number, for
    none at all and for more than ``limit``."""
    numbers = []
    for text in ids or []:
        for part in str(text).split(","):
            if not part.strip().isdigit():
                raise SelectionError(f"{part.strip()!r} is not a project id")
            numbers.append(int(part))
    if numbers:
        projects = [project_for(request, pk, Access.VIEW)[0] for pk in dict.fromkeys(numbers)]
    else:
        projects = list(visible_projects(request.user))
    if not projects:
        raise SelectionError("no projects chosen: you have none yet")
    if limit is not None and len(projects) > limit:
        raise SelectionError(f"{len(projects)} projects chosen: at most {limit} at a time")
    return sorted(projects, key=lambda p: (p.name.casefold(), p.pk))


def project_choices(user) -> list[dict[str, Any]]:  # noqa: ANN001 - a Django user
    """The projects ``user`` can see, by name: [{"id", "name", "landmarks": whether its video's landmarks are
    stored}]."""
    stored = set(Video.objects.filter(project__in=visible_projects(user)).exclude(landmarks="").values_list("project"))
    projects = visible_projects(user).order_by("name", "id").values_list("id", "name")
    return [{"id": pk, "name": name, "landmarks": (pk,) in stored} for pk, name in projects]


def tier_names(projects: list[Project]) -> tuple[list[str], list[str]]:
    """(every tier name of ``projects``, the names of their gloss tiers: those playing the default gloss tier's
    role, or named so), each sorted."""
    names, glosses = set(), set()
    for name, extra in Tier.objects.filter(project__in=projects).values_list("name", "extra"):
        names.add(name)
        if name == GLOSS_ROLE or (extra or {}).get(ROLE) == GLOSS_ROLE:
            glosses.add(name)
    return sorted(names), sorted(glosses)


def projects_stats(projects: list[Project], gloss_tiers: list[str]) -> dict[str, Any]:
    """``kslars corpus stats --json`` of the projects' documents (each project is one session, its media the
    project's video), with ``projects``: [{"id", "name"}] in place of the folder."""
    durations = dict(
        Video.objects.filter(project__in=projects, duration_ms__gt=0).values_list("project", "duration_ms")
    )
    documents = ((load_document(p), durations.get(p.pk)) for p in projects)
    stats = documents_stats("", documents, gloss_tiers).to_dict()
    del stats["folder"]
    stats["projects"] = [{"id": p.pk, "name": p.name} for p in projects]
    return stats


def stats_plot(stats: dict[str, Any], kind: str) -> bytes:
    """The core's figure of ``stats`` as PNG or SVG bytes (``kind`` a key of PLOT_TYPES)."""
    buffer = io.BytesIO()
    stats_figure(stats).savefig(buffer, format=kind)
    return buffer.getvalue()
