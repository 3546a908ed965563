"""The API answers every request under /api/ in JSON with a status its OpenAPI schema declares: ids that fit no
route, numbers too large for the database, and bodies or parameters that do not validate."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.site_helpers import client_for

pytestmark = pytest.mark.django_db

HUGE = "9" * 30  # a whole number no database column holds


@pytest.mark.parametrize(
    "path",
    [
        "/api/projects/abc",
        "/api/projects/{p}/tiers/x1",
        "/api/jobs/-1",
        "/api/no/such/route",
        "/api/",
        f"/api/projects/{HUGE}",
        f"/api/projects/{HUGE}/document",
        f"/api/jobs/{HUGE}",
        "/api/projects/" + "7" * 5000,
    ],
)
def test_paths_that_fit_no_route_answer_json_404(empty_project, path):
    response = client_for(empty_project.owner).get(path.format(p=empty_project.pk))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "Not found"}


def test_unsafe_methods_on_no_route_get_the_same_json_404(empty_project):
    for client in (Client(enforce_csrf_checks=True), client_for(empty_project.owner)):
        for method in ("post", "patch", "delete"):
            response = getattr(client, method)("/api/projects/abc/tiers")
            assert (response.status_code, response.json()) == (404, {"detail": "Not found"})


def test_schema_declares_the_statuses_of_invalid_input_conflicts_and_uploads():
    """422 (django-ninja's answer to input that does not fit) wherever there is input; 413 on every upload; 409 on
    the edits that check versions and on the video upload (two first uploads at once)."""
    from kslars.web.api import api

    operations = {
        f"{method.upper()} {path}": op
        for path, ops in api.get_openapi_schema()["paths"].items()
        for method, op in ops.items()
    }
    for label, op in operations.items():
        declared = set(op["responses"])
        if "requestBody" in op or any(p["in"] == "query" for p in op.get("parameters", [])):
            assert 422 in declared, label
            assert op["responses"][422]["content"]["application/json"]["schema"]["$ref"].endswith("/InvalidInput")
        if "multipart/form-data" in op.get("requestBody", {}).get("content", {}):
            assert 413 in declared, label
    versioned = [
        "PATCH /api/projects/{project_id}/tiers/{tier_id}",
        "POST /api/projects/{project_id}/annotations/batch",
        "PATCH /api/projects/{project_id}/annotations/{ann_id}",
        "DELETE /api/projects/{project_id}/annotations/{ann_id}",
        "POST /api/projects/{project_id}/video",
    ]
    assert all(409 in operations[label]["responses"] for label in versioned)
