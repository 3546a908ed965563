"""The pages work under the site's Content-Security-Policy: Chromium reports no refused script, style, picture or
video on the editor playing a video, the dictionary, or the API's documentation (Swagger UI served by the site)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in, make_project, make_user, signing_video

pytestmark = pytest.mark.slow


def policy_violations(page) -> list[str]:
    """Console messages of ``page`` that report something the policy refused, collected from now on."""
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    return refused


def test_editor_dictionary_and_api_docs_run_under_the_policy(person, media_root):
    owner = make_user("aigerim")
    project_id = make_project(owner, "Lesson", video=signing_video())
    aigerim = person()
    page = aigerim.page
    refused = policy_violations(page)
    log_in(page, "aigerim")
    page.goto(f"/p/{project_id}/")
    video = page.locator("video").first
    page.wait_for_function("v => v.readyState >= 1 && v.duration > 1", arg=video.element_handle())
    page.goto("/dictionary/")
    expect(page.locator("h1")).to_be_visible()
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("K-SLARS SLAN API")
    assert refused == []
    aigerim.assert_no_script_errors()
