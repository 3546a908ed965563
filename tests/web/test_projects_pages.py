"""The project list, creating, renaming and deleting projects through the pages, and the Help page."""

import re

import pytest
from django.test import Client

from kslars.web.projects.models import Project, Video, VideoStatus
from kslars.web.projects.services import create_project
from kslars.web.projects.templatetags.slan import duration
from tests.web.site_helpers import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ayana():
    return make_user("ayana")


def test_list_shows_cards_with_thumbnail_duration_and_role(ayana):
    with_video = create_project(ayana, "Interview 3")
    Video.objects.create(
        project=with_video,
        original="videos/original/x.mp4",
        thumbnail="videos/thumbnails/x.jpg",
        original_name="x.mp4",
        duration_ms=125_400,
        status=VideoStatus.READY,
    )
    create_project(ayana, "Empty")
    shared = create_project(make_user("boris"), "Boris's corpus")
    shared.shares.create(user=ayana, role="viewer")
    html = client_for(ayana).get("/").content.decode()
    assert f'src="/p/{with_video.pk}/thumbnail"' in html
    assert "02:05" in html
    assert "No video yet" in html
    assert "Boris&#x27;s corpus" in html and "badge-viewer" in html
    assert html.count("badge-owner") == 2
    # Viewers get no rename, share or delete controls for the shared project.
    assert f"/p/{shared.pk}/rename/" not in html and f"/p/{shared.pk}/delete/" not in html


def test_list_shows_the_conversion_state_of_a_video_not_ready(ayana):
    project = create_project(ayana, "Converting")
    Video.objects.create(
        project=project, original="videos/original/y.avi", original_name="y.avi", status=VideoStatus.TRANSCODING
    )
    assert "Converting for the browser" in client_for(ayana).get("/").content.decode()


def test_list_is_empty_for_a_new_user(ayana):
    create_project(make_user("boris"), "Not yours")
    html = client_for(ayana).get("/").content.decode()
    assert "You have no projects yet" in html and "Not yours" not in html


def test_create_opens_the_editor(ayana):
    response = client_for(ayana).post("/projects/new/", {"name": "Fresh"})
    project = Project.objects.get()
    assert project.name == "Fresh" and project.owner == ayana
    assert response.status_code == 302 and response.url == f"/p/{project.pk}/"


def test_create_without_a_name_says_why(ayana):
    client = client_for(ayana)
    response = client.post("/projects/new/", {"name": " "}, follow=True)
    assert "A project needs a name." in response.content.decode()
    assert not Project.objects.exists()


def test_rename_through_the_page(ayana):
    project = create_project(ayana, "Old")
    response = client_for(ayana).post(f"/p/{project.pk}/rename/", {"name": "New"}, follow=True)
    project.refresh_from_db()
    assert project.name == "New"
    assert "Renamed to “New”." in response.content.decode()


def test_delete_asks_first_then_deletes(ayana):
    project = create_project(ayana, "Doomed")
    client = client_for(ayana)
    confirm = client.get(f"/p/{project.pk}/delete/").content.decode()
    assert "Delete “Doomed”?" in confirm and "cannot be undone" in confirm
    assert Project.objects.filter(pk=project.pk).exists()
    listing = client.get("/").content.decode()
    assert f'<dialog id="delete-{project.pk}"' in listing  # the in-page confirmation dialog
    response = client.post(f"/p/{project.pk}/delete/", follow=True)
    assert not Project.objects.filter(pk=project.pk).exists()
    assert "Deleted “Doomed”." in response.content.decode()


def test_other_users_project_ids_give_404_on_every_page(ayana):
    project = create_project(make_user("boris"), "Private")
    client = client_for(ayana)
    for method, url, data in [
        ("post", f"/p/{project.pk}/rename/", {"name": "Taken"}),
        ("get", f"/p/{project.pk}/delete/", None),
        ("post", f"/p/{project.pk}/delete/", None),
        ("get", f"/p/{project.pk}/share/", None),
        ("post", f"/p/{project.pk}/share/", {"action": "link"}),
    ]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    project.refresh_from_db()
    assert project.name == "Private" and not project.links.exists()


def test_logged_out_visitors_are_sent_to_login_from_project_pages(ayana):
    project = create_project(ayana, "Mine")
    for url in ("/", f"/p/{project.pk}/share/", f"/p/{project.pk}/delete/"):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_pages_are_csrf_protected(ayana):
    project = create_project(ayana, "Kept")
    client = Client(enforce_csrf_checks=True)
    client.force_login(ayana)
    assert client.post(f"/p/{project.pk}/delete/").status_code == 403
    assert client.post("/projects/new/", {"name": "x"}).status_code == 403
    assert Project.objects.count() == 1


def test_help_has_the_shortcut_table_and_every_topic():
    # The table's rows come from the editor's own keymap (keymap.js, drawn by help.js): tests/browser/test_shortcuts.py
    # reads them in a browser, tests/js/keymap.test.js checks the keymap itself.
    html = Client().get("/help/").content.decode()
    assert 'data-testid="shortcut-list"' in html
    assert re.search(r'<script type="module" src="[^"]*help\.js"', html)
    for topic in ("Projects", "Video", "The editor", "Sharing", "read-only link", "Undo"):
        assert topic in html


def test_every_page_has_the_header_and_language_switcher(ayana):
    project = create_project(ayana, "Mine")
    client = client_for(ayana)
    for url in ("/", "/help/", f"/p/{project.pk}/share/", f"/p/{project.pk}/delete/"):
        html = client.get(url).content.decode()
        assert 'action="/i18n/setlang/"' in html, url
        assert "Қазақша" in html and "Русский" in html, url
        assert 'action="/accounts/logout/"' in html and "ayana" in html, url
        assert 'href="/help/"' in html, url
    html = Client().get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in html


@pytest.mark.parametrize("ms, text", [(0, ""), (999, "00:00"), (65_000, "01:05"), (3_725_000, "1:02:05")])
def test_duration_filter(ms, text):
    assert duration(ms) == text
