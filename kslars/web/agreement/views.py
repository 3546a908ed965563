"""The agreement page: choose two tiers (of two projects, or of one), then the report is fetched from
GET /api/agreement and drawn by agreement.js."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kslars.web.agreement.services import tier_choices


@require_GET
@login_required
def agreement_page(request: HttpRequest) -> HttpResponse:
    """The form (every project the user can see, with its tiers) and the place of the report."""
    return render(request, "agreement/report.html", {"projects": tier_choices(request.user)})
