"""Sharing: roles through the API and the sharing page, and read-only links that work until revoked."""

import pytest
from django.test import Client

from kslars.web.projects.models import Project, Share
from kslars.web.projects.services import create_project
from tests.web.site_helpers import client_for, make_user, send_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_user("ayana")


@pytest.fixture
def corpus_project(owner):
    """A project named "Corpus", made the way the site makes one."""
    return create_project(owner, "Corpus")


def shared_client(project, username: str, role: str) -> Client:
    user = make_user(username)
    project.shares.create(user=user, role=role)
    return client_for(user)


def test_owner_shares_changes_role_and_revokes_through_the_api(owner, corpus_project):
    make_user("boris")
    client = client_for(owner)
    base = f"/api/projects/{corpus_project.id}/shares"
    response = send_json(client, "post", base, {"username": "Boris", "role": "viewer"})
    assert response.status_code == 201
    share = response.json()
    assert share["username"] == "boris" and share["role"] == "viewer"
    assert client.get(base).json() == [share]
    response = send_json(client, "patch", f"{base}/{share['id']}", {"role": "editor"})
    assert response.json()["role"] == "editor"
    assert client.delete(f"{base}/{share['id']}").status_code == 204
    assert client.get(base).json() == []


@pytest.mark.parametrize(
    "payload, status, message",
    [
        ({"username": "nobody", "role": "viewer"}, 400, "no user called"),
        ({"username": "ayana", "role": "viewer"}, 400, "owns this project"),
        ({"username": "boris", "role": "admin"}, 422, None),
    ],
)
def test_share_errors_say_what_is_wrong(owner, corpus_project, payload, status, message):
    make_user("boris")
    response = send_json(client_for(owner), "post", f"/api/projects/{corpus_project.id}/shares", payload)
    assert response.status_code == status
    if message:
        assert message in response.json()["detail"]
    assert not Share.objects.exists()


def test_sharing_twice_asks_to_change_the_role(owner, corpus_project):
    make_user("boris")
    client = client_for(owner)
    send_json(client, "post", f"/api/projects/{corpus_project.id}/shares", {"username": "boris", "role": "viewer"})
    response = send_json(
        client, "post", f"/api/projects/{corpus_project.id}/shares", {"username": "boris", "role": "editor"}
    )
    assert response.status_code == 400 and "change their role" in response.json()["detail"]
    assert Share.objects.get().role == "viewer"


def test_viewer_can_read_but_not_rename_delete_or_share(corpus_project):
    viewer = shared_client(corpus_project, "boris", "viewer")
    base = f"/api/projects/{corpus_project.id}"
    assert viewer.get(base).json()["role"] == "viewer"
    assert send_json(viewer, "patch", base, {"name": "Mine now"}).status_code == 403
    assert viewer.delete(base).status_code == 403
    assert viewer.get(f"{base}/shares").status_code == 403
    assert viewer.post(f"{base}/links").status_code == 403
    assert viewer.post(f"/p/{corpus_project.id}/rename/", {"name": "Mine now"}).status_code == 403
    assert viewer.post(f"/p/{corpus_project.id}/delete/").status_code == 403
    assert viewer.get(f"/p/{corpus_project.id}/share/").status_code == 403
    corpus_project.refresh_from_db()
    assert corpus_project.name == "Corpus" and not corpus_project.links.exists()


def test_editor_can_rename_but_not_delete_or_share(corpus_project):
    editor = shared_client(corpus_project, "boris", "editor")
    base = f"/api/projects/{corpus_project.id}"
    response = send_json(editor, "patch", base, {"name": "Corpus v2"})
    assert response.status_code == 200 and response.json()["role"] == "editor"
    assert editor.delete(base).status_code == 403
    assert send_json(editor, "post", f"{base}/shares", {"username": "boris", "role": "viewer"}).status_code == 403
    assert editor.get(f"{base}/links").status_code == 403
    assert editor.post(f"/p/{corpus_project.id}/rename/", {"name": "Corpus v3"}).status_code == 302
    assert editor.post(f"/p/{corpus_project.id}/delete/").status_code == 403
    assert editor.post(f"/p/{corpus_project.id}/share/", {"action": "link"}).status_code == 403
    corpus_project.refresh_from_db()
    assert corpus_project.name == "Corpus v3" and Project.objects.filter(pk=corpus_project.pk).exists()


def test_revoked_user_loses_access(owner, corpus_project):
    boris = make_user("boris")
    share = corpus_project.shares.create(user=boris, role="editor")
    client = client_for(boris)
    assert client.get(f"/api/projects/{corpus_project.id}").status_code == 200
    assert client_for(owner).delete(f"/api/projects/{corpus_project.id}/shares/{share.id}").status_code == 204
    assert client.get(f"/api/projects/{corpus_project.id}").status_code == 404
    assert corpus_project.id not in [p["id"] for p in client.get("/api/projects").json()]


def test_share_ids_of_another_project_are_404(owner, corpus_project):
    other = create_project(owner, "Other")
    share = other.shares.create(user=make_user("boris"), role="viewer")
    client = client_for(owner)
    response = send_json(client, "patch", f"/api/projects/{corpus_project.id}/shares/{share.id}", {"role": "editor"})
    assert response.status_code == 404
    assert client.delete(f"/api/projects/{corpus_project.id}/shares/{share.id}").status_code == 404
    assert Share.objects.get().role == "viewer"


def test_read_only_link_works_logged_out_until_revoked(owner, corpus_project):
    client = client_for(owner)
    base = f"/api/projects/{corpus_project.id}"
    response = client.post(f"{base}/links")
    assert response.status_code == 201
    link = response.json()
    assert len(link["token"]) >= 40
    assert link["url"] == f"http://testserver/s/{link['token']}/"
    assert client.get(f"{base}/links").json() == [link]

    anonymous = Client()
    assert anonymous.get(base).status_code == 404
    assert anonymous.get(base, HTTP_X_SHARE_TOKEN="not-the-token").status_code == 404
    response = anonymous.get(base, HTTP_X_SHARE_TOKEN=link["token"])
    assert response.status_code == 200 and response.json()["role"] == "viewer"
    assert anonymous.get(f"{base}?share={link['token']}").status_code == 200
    # The link only reads.
    renamed = send_json(anonymous, "patch", base, {"name": "Hacked"}, HTTP_X_SHARE_TOKEN=link["token"])
    assert renamed.status_code == 403
    assert anonymous.get(f"{base}/shares", HTTP_X_SHARE_TOKEN=link["token"]).status_code == 403

    assert client.delete(f"{base}/links/{link['id']}").status_code == 204
    assert anonymous.get(base, HTTP_X_SHARE_TOKEN=link["token"]).status_code == 404
    assert client.get(f"{base}/links").json() == []
    assert client.delete(f"{base}/links/{link['id']}").status_code == 404
    corpus_project.refresh_from_db()
    assert corpus_project.name == "Corpus"


def test_a_link_opens_only_its_own_project(owner, corpus_project):
    other = create_project(owner, "Other")
    link = corpus_project.links.create()
    assert Client().get(f"/api/projects/{other.id}", HTTP_X_SHARE_TOKEN=link.token).status_code == 404


def test_sharing_page_manages_people_and_links(owner, corpus_project):
    make_user("boris")
    client = client_for(owner)
    url = f"/p/{corpus_project.pk}/share/"
    html = client.post(url, {"action": "add", "username": "boris", "role": "editor"}, follow=True).content.decode()
    assert "Shared with boris as Editor." in html
    share = corpus_project.shares.get()
    assert share.role == "editor"
    client.post(url, {"action": "role", "share_id": share.pk, "role": "viewer"})
    share.refresh_from_db()
    assert share.role == "viewer"
    html = client.post(url, {"action": "add", "username": "zed", "role": "viewer"}, follow=True).content.decode()
    assert "There is no user called “zed”." in html

    html = client.post(url, {"action": "link"}, follow=True).content.decode()
    link = corpus_project.links.get()
    assert f"http://testserver/s/{link.token}/" in html
    html = client.post(url, {"action": "unlink", "link_id": link.pk}, follow=True).content.decode()
    link.refresh_from_db()
    assert link.revoked_at is not None and link.token not in html

    html = client.post(url, {"action": "revoke", "share_id": share.pk}, follow=True).content.decode()
    assert "boris no longer has access." in html
    assert not corpus_project.shares.exists()


def test_sharing_page_ignores_ids_of_other_projects(owner, corpus_project):
    other = create_project(owner, "Other")
    share = other.shares.create(user=make_user("boris"), role="viewer")
    link = other.links.create()
    client = client_for(owner)
    url = f"/p/{corpus_project.pk}/share/"
    assert client.post(url, {"action": "revoke", "share_id": share.pk}).status_code == 404
    assert client.post(url, {"action": "unlink", "link_id": link.pk}).status_code == 404
    assert client.post(url, {"action": "revoke", "share_id": "not-a-number"}).status_code == 404
    assert client.post(url, {"action": "unlink"}).status_code == 404
    assert Share.objects.filter(pk=share.pk).exists()
    link.refresh_from_db()
    assert link.revoked_at is None
