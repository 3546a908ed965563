"""upload.js in headless Chromium: pick a file, see upload and conversion progress, get the ready video; errors shown."""

from __future__ import annotations

import os

import pytest

from kslars.web.projects.models import Project, Video
from tests.browser.helpers import log_in, make_project, make_user
from tests.conftest import shared_file
from tests.generated_video import write_video

pytestmark = pytest.mark.slow

PAGE = """<!doctype html><html><head><link rel="stylesheet" href="/static/slan/css/upload.css"></head>
<body><div id="zone" data-max-bytes="%(max)d"></div><pre id="done"></pre>
<script type="module">
import { initUpload } from "/static/slan/js/upload.js";
initUpload(document.getElementById("zone"), %(project)d,
           (video) => { document.getElementById("done").textContent = JSON.stringify(video); });
</script></body></html>"""


@pytest.fixture
def project_without_video() -> Project:
    """A project without a video, owned by "owner"."""
    return Project.objects.get(pk=make_project(make_user("owner"), "Greetings"))


@pytest.fixture
def tab(person, project_without_video, media_root):
    """The project owner's tab on the live server, logged in; the test fails on any JavaScript error."""
    browsing = person()
    log_in(browsing.page, "owner")
    yield browsing.page
    browsing.assert_no_script_errors()


def open_upload(page, project, max_bytes: int = 0) -> None:
    """Show an upload area for ``project`` on a bare page of the site's origin (made by the test, so without the
    site's Content-Security-Policy, which would refuse the page's inline script)."""
    page.route(
        "**/upload-test-page",
        lambda route: route.fulfill(body=PAGE % {"project": project.pk, "max": max_bytes}, content_type="text/html"),
    )
    page.goto("/upload-test-page")
    page.wait_for_selector(".slan-upload__choose")


def test_avi_is_uploaded_converted_and_reported_ready(tab, project_without_video, media_root, tmp_path):
    open_upload(tab, project_without_video)
    tab.set_input_files(".slan-upload__input", str(write_video(tmp_path / "lesson.avi", frames=50)))
    tab.wait_for_function("document.getElementById('done').textContent.length > 0", timeout=30_000)
    video = tab.evaluate("JSON.parse(document.getElementById('done').textContent)")
    assert video["status"] == "ready" and video["codec"] == "mpeg4" and video["url"].endswith("/video")
    assert tab.text_content(".slan-upload__status") == "The video is ready."
    assert Video.objects.get(project=project_without_video).playable


def test_server_error_message_is_shown_and_nothing_stored(tab, project_without_video, media_root, tmp_path):
    open_upload(tab, project_without_video)
    fake = tmp_path / "notes.mp4"
    fake.write_bytes(os.urandom(30_000))
    tab.set_input_files(".slan-upload__input", str(fake))
    tab.wait_for_selector(".slan-upload__error:not(:empty)")
    assert "cannot be used as the project's video" in tab.text_content(".slan-upload__error")
    assert not Video.objects.exists()


def test_too_large_file_is_refused_before_sending(tab, project_without_video, media_root):
    open_upload(tab, project_without_video, max_bytes=10_000)
    tab.set_input_files(".slan-upload__input", str(shared_file("sign-language-processing__pose/videos/SOUP.mp4")))
    tab.wait_for_selector(".slan-upload__error:not(:empty)")
    assert "SOUP.mp4 is 0.1 MB; the upload limit is" in tab.text_content(".slan-upload__error")
    assert not Video.objects.exists()
