"""The page of one batch (/batches/<id>/): each video's progress, drawn and followed by batch.js from
GET /api/batches/{id}."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kslars.web.processing.batch import batch_for


@require_GET
@login_required
def batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The batch's progress page; 404 for a batch with none of the user's projects (as its API route)."""
    batch, _ = batch_for(batch_id, request.user, None)
    return render(request, "processing/batch.html", {"batch": batch})
