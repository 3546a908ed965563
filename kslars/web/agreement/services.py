"""What the agreement page and route share: the tiers a user may compare, and the comparison of two of them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kslars.corpus.agreement import TierSource, compare_checked
from kslars.corpus.matching import DEFAULT_MIN_OVERLAP
from kslars.corpus.segments import tier_segments
from kslars.web.annotation.models import Tier
from kslars.web.annotation.store import load_document
from kslars.web.projects.access import Access, project_for, visible_projects


def tier_choices(user) -> list[dict[str, Any]]:  # noqa: ANN001 - a Django user
    """The projects ``user`` owns or that are shared with them (viewers included), by name, each with its tiers in
    their order: [{"id", "name", "tiers": [name, ...]}]."""
    projects = list(visible_projects(user).order_by("name", "id").values_list("id", "name"))
    tiers: dict[int, list[str]] = {pk: [] for pk, _ in projects}
    for project_id, name in (
        Tier.objects.filter(project_id__in=tiers).order_by("position", "id").values_list("project_id", "name")
    ):
        tiers[project_id].append(name)
    return [{"id": pk, "name": name, "tiers": tiers[pk]} for pk, name in projects]


def project_agreement(
    request: HttpRequest,
    project_a: int,
    tier_a: str,
    project_b: int,
    tier_b: str,
    min_overlap: float = DEFAULT_MIN_OVERLAP,
) -> dict[str, Any]:
    """The agreement report (the shape of ``kslars agreement --json``, each side with its ``project`` id and name in
    ``file``) of tier ``tier_a`` of one project and ``tier_b`` of another or the same one. Http404 for a project
    the caller cannot see; DocumentError for a missing tier and AgreementError for tiers that cannot be compared."""
    first, _ = project_for(request, project_a, Access.VIEW)
    second = first if project_b == project_a else project_for(request, project_b, Access.VIEW)[0]
    doc_a = load_document(first)
    doc_b = doc_a if second is first else load_document(second)
    source_a, source_b = TierSource(first.name, tier_a), TierSource(second.name, tier_b)
    segments_a, segments_b = tier_segments(doc_a, tier_a), tier_segments(doc_b, tier_b)
    result = compare_checked(segments_a, segments_b, _named(source_a), _named(source_b), min_overlap=min_overlap)
    report = result.to_dict(source_a, source_b)
    report["a"]["project"], report["b"]["project"] = first.pk, second.pk
    return report


def _named(source: TierSource) -> str:
    return f"tier {source.tier!r} of {source.path}"
