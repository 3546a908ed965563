"""GET /api/agreement (two tiers compared) and GET /api/agreement/choices (the tiers the caller may compare)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from kslars.corpus.agreement import AgreementError
from kslars.web.agreement.services import project_agreement, tier_choices
from kslars.web.api_errors import ERRORS

router = Router(tags=["agreement"])


class ProjectTiers(Schema):
    """A project the caller can see and its tiers."""

    id: int
    name: str
    tiers: list[str]


class AgreementQuery(Schema):
    """Tier ``tier_a`` of project ``a`` against tier ``tier_b`` of project ``b`` (the same project for two tiers of
    one project); segments are linked when they share ``min_overlap`` percent of the longer one."""

    a: int
    tier_a: str
    b: int
    tier_b: str
    min_overlap: int = Field(60, ge=1, le=100)


@router.get("/agreement/choices", response={200: list[ProjectTiers], **ERRORS})
def choices(request: HttpRequest):
    """The projects the caller owns or that are shared with them, with their tiers."""
    return tier_choices(request.user)


@router.get("/agreement", response={200: dict[str, Any], **ERRORS})
def agreement(request: HttpRequest, query: Query[AgreementQuery]):
    """Agreement between two tiers, as ``kslars agreement --json`` reports it (docs/corpus.md): ELAN's modified
    kappa, percentage agreement, matched and unmatched counts, boundary differences with every linked pair, the
    confusion of values and a Staccato-style segmentation agreement. 404 for a project the caller cannot see, 400
    for a missing tier or tiers that cannot be compared."""
    try:
        return project_agreement(request, query.a, query.tier_a, query.b, query.tier_b, query.min_overlap / 100)
    except AgreementError as error:
        raise HttpError(400, str(error)) from None
