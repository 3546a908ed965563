"""The projects API: list, create, read, rename, delete, and what each role may do."""

from pathlib import Path

import pytest
from django.test import Client

from kslars.web.annotation.store import load_document
from kslars.web.projects.models import Project, Video, VideoStatus
from kslars.web.projects.services import create_project
from tests.web.site_helpers import client_for, make_user, send_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def ayana():
    return make_user("ayana")


@pytest.fixture
def boris():
    return make_user("boris")


def test_create_gives_the_krsl_default_document(ayana):
    client = client_for(ayana)
    response = send_json(client, "post", "/api/projects", {"name": "  Greetings  "})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Greetings"
    assert body["role"] == "owner" and body["owner"] == "ayana" and body["video"] is None
    doc = load_document(Project.objects.get(pk=body["id"]))
    assert [t.id for t in doc.tiers] == ["Translation", "Gloss", "Right handshape", "Left handshape"]
    assert doc.tier_type("handshape").vocabulary is not None


@pytest.mark.parametrize("name, message", [("   ", "needs a name"), ("x" * 201, "at most 200")])
def test_bad_names_are_refused_with_a_reason(ayana, name, message):
    response = send_json(client_for(ayana), "post", "/api/projects", {"name": name})
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Project.objects.exists()


def test_list_shows_own_and_shared_projects_only(ayana, boris):
    mine = create_project(ayana, "Mine")
    theirs = create_project(boris, "Theirs")
    shared = create_project(boris, "Shared")
    shared.shares.create(user=ayana, role="editor")
    body = client_for(ayana).get("/api/projects").json()
    assert {p["name"]: p["role"] for p in body} == {"Mine": "owner", "Shared": "editor"}
    assert theirs.id not in {p["id"] for p in body}
    assert mine.id in {p["id"] for p in body}


def test_list_is_most_recent_first(ayana):
    first = create_project(ayana, "First")
    create_project(ayana, "Second")
    first.name = "First again"
    first.save()
    assert [p["name"] for p in client_for(ayana).get("/api/projects").json()] == ["First again", "Second"]


def test_rename_and_delete_by_owner(ayana):
    project = create_project(ayana, "Old")
    client = client_for(ayana)
    response = send_json(client, "patch", f"/api/projects/{project.id}", {"name": "New"})
    assert response.status_code == 200 and response.json()["name"] == "New"
    assert client.get(f"/api/projects/{project.id}").json()["name"] == "New"
    assert client.delete(f"/api/projects/{project.id}").status_code == 204
    assert not Project.objects.filter(pk=project.id).exists()
    assert client.get(f"/api/projects/{project.id}").status_code == 404


def test_other_users_ids_look_missing_on_every_route(ayana, boris):
    project = create_project(boris, "Private")
    share = project.shares.create(user=make_user("chen"), role="viewer")
    link = project.links.create()
    client = client_for(ayana)
    base = f"/api/projects/{project.id}"
    calls = [
        ("get", base, None),
        ("patch", base, {"name": "Taken"}),
        ("delete", base, None),
        ("get", f"{base}/shares", None),
        ("post", f"{base}/shares", {"username": "ayana", "role": "editor"}),
        ("patch", f"{base}/shares/{share.id}", {"role": "editor"}),
        ("delete", f"{base}/shares/{share.id}", None),
        ("get", f"{base}/links", None),
        ("post", f"{base}/links", None),
        ("delete", f"{base}/links/{link.id}", None),
    ]
    for method, url, data in calls:
        response = send_json(client, method, url, data)
        assert response.status_code == 404, (method, url, response.content)
        assert response.json() == {"detail": "Not found"}
    project.refresh_from_db()
    assert project.name == "Private" and project.shares.get().role == "viewer"
    assert project.links.get().revoked_at is None


def test_logged_out_callers_cannot_list_or_create():
    client = Client()
    assert client.get("/api/projects").status_code == 401
    assert send_json(client, "post", "/api/projects", {"name": "X"}).status_code == 401
    assert not Project.objects.exists()


def test_missing_project_is_404(ayana):
    assert client_for(ayana).get("/api/projects/999999").status_code == 404


def test_api_enforces_csrf_for_session_users(ayana):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ayana)
    response = send_json(client, "post", "/api/projects", {"name": "No token"})
    assert response.status_code == 403
    assert not Project.objects.exists()
    client.get("/help/")  # a page with a form sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = send_json(client, "post", "/api/projects", {"name": "With token"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_delete_removes_the_video_files(ayana, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    project = create_project(ayana, "With video")
    video = Video(project=project, original_name="clip.mp4", status=VideoStatus.READY)
    video.original.save("clip.mp4", ContentFile(b"not really a video"), save=False)
    video.thumbnail.save("clip.jpg", ContentFile(b"not really a picture"), save=False)
    video.save()
    paths = [Path(video.original.path), Path(video.thumbnail.path)]
    assert all(p.exists() for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(ayana).delete(f"/api/projects/{project.id}").status_code == 204
    assert not any(p.exists() for p in paths)


def test_listing_takes_a_fixed_number_of_queries(ayana, django_assert_max_num_queries):
    boris = make_user("boris")
    for i in range(12):
        project = create_project(ayana if i % 2 else boris, f"P{i}")
        if i % 2 == 0:
            project.shares.create(user=ayana, role="viewer")
        Video.objects.create(
            project=project,
            original="videos/original/x.mp4",
            original_name="x.mp4",
            thumbnail="videos/thumbnails/x.jpg",
            duration_ms=1000 * i,
        )
    client = client_for(ayana)
    with django_assert_max_num_queries(6):
        body = client.get("/api/projects").json()
    assert len(body) == 12 and all(p["video"]["thumbnail_url"] == f"/p/{p['id']}/thumbnail" for p in body)
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200
