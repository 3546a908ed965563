"""The editor page (/p/<id>/) and the read-only link page (/s/<token>/): who gets which page, and what the
page tells its JavaScript."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from kslars.web.projects.models import Role, Share, ShareLink, Video, VideoStatus
from tests.web.site_helpers import client_for, make_user, send_json

pytestmark = pytest.mark.django_db


def page_config(response) -> dict:
    """The JSON the page hands to editor.js."""
    match = re.search(r'<script id="slan-config" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the editor page has no slan-config script tag"
    return json.loads(match.group(1))


@pytest.fixture
def owner():
    return make_user("owner")


@pytest.fixture
def project_id(owner) -> int:
    response = send_json(client_for(owner), "post", "/api/projects", {"name": "Interview 1"})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_owner_gets_an_editable_editor(owner, project_id) -> None:
    response = client_for(owner).get(f"/p/{project_id}/")
    assert response.status_code == 200
    config = page_config(response)
    assert config["projectId"] == project_id
    assert config["canEdit"] is True
    assert config["role"] == "owner"
    assert config["shareToken"] is None
    assert config["apiBase"] == "/api/"
    html = response.content.decode()
    assert 'data-testid="readonly-badge"' not in html
    assert 'data-testid="save-button"' in html
    assert f'href="/p/{project_id}/share/"' in html
    assert "csrftoken" in response.cookies


def test_viewer_gets_a_read_only_editor(owner, project_id) -> None:
    viewer = make_user("viewer")
    Share.objects.create(project_id=project_id, user=viewer, role=Role.VIEWER)
    response = client_for(viewer).get(f"/p/{project_id}/")
    assert response.status_code == 200
    config = page_config(response)
    assert config["canEdit"] is False
    assert config["role"] == "viewer"
    html = response.content.decode()
    assert 'data-testid="readonly-badge"' in html
    assert 'data-testid="save-button"' not in html
    assert 'data-testid="add-tier"' not in html


def test_shared_editor_can_edit(owner, project_id) -> None:
    editor = make_user("editor")
    Share.objects.create(project_id=project_id, user=editor, role=Role.EDITOR)
    config = page_config(client_for(editor).get(f"/p/{project_id}/"))
    assert (config["canEdit"], config["role"]) == (True, "editor")


def test_stranger_sees_no_project(project_id) -> None:
    assert client_for(make_user("stranger")).get(f"/p/{project_id}/").status_code == 404
    assert client_for(make_user("other")).get("/p/999999/").status_code == 404


def test_logged_out_visitor_is_sent_to_log_in(project_id) -> None:
    response = Client().get(f"/p/{project_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert f"next=/p/{project_id}/" in response["Location"]


def test_share_link_opens_read_only_editor_logged_out(project_id) -> None:
    link = ShareLink.objects.create(project_id=project_id)
    response = Client().get(f"/s/{link.token}/")
    assert response.status_code == 200
    config = page_config(response)
    assert config["canEdit"] is False
    assert config["shareToken"] == link.token
    assert config["videoUrl"] == f"/p/{project_id}/video?share={link.token}"
    assert 'data-testid="readonly-badge"' in response.content.decode()
    # the token also opens the API the page calls
    document = Client().get(f"/api/projects/{project_id}/document", HTTP_X_SHARE_TOKEN=link.token)
    assert document.status_code == 200
    assert [t["name"] for t in document.json()["tiers"]] == [
        "Translation",
        "Gloss",
        "Right handshape",
        "Left handshape",
    ]


def test_revoked_or_unknown_link_is_not_found(project_id) -> None:
    link = ShareLink.objects.create(project_id=project_id, revoked_at=timezone.now())
    assert Client().get(f"/s/{link.token}/").status_code == 404
    assert Client().get("/s/not-a-token/").status_code == 404


def test_editor_page_loads_its_scripts_and_translations(owner, project_id) -> None:
    html = client_for(owner).get(f"/p/{project_id}/").content.decode()
    assert 'src="/jsi18n/"' in html
    assert re.search(r'<script type="module" src="/static/slan/js/editor\.js"', html)
    assert "/static/slan/css/editor.css" in html


def test_editor_page_in_russian(owner, project_id) -> None:
    client = client_for(owner)
    client.cookies["django_language"] = "ru"
    html = client.get(f"/p/{project_id}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru">' in html


def test_editor_pages_only_answer_reads(owner, project_id) -> None:
    link = ShareLink.objects.create(project_id=project_id)
    assert client_for(owner).post(f"/p/{project_id}/").status_code == 405
    assert Client().post(f"/s/{link.token}/").status_code == 405


def test_page_passes_the_video_frame_rate(owner, project_id) -> None:
    client = client_for(owner)
    assert page_config(client.get(f"/p/{project_id}/"))["fps"] is None  # no video yet: the player assumes 25 fps
    Video.objects.create(
        project_id=project_id,
        original="videos/x.mp4",
        original_name="x.mp4",
        fps=29.97,
        duration_ms=2000,
        status=VideoStatus.READY,
    )
    config = page_config(client.get(f"/p/{project_id}/"))
    assert config["fps"] == pytest.approx(29.97)
    assert config["videoUrl"] == f"/p/{project_id}/video"
