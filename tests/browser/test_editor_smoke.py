"""Smoke test of the SLAN editor in Chromium: double-click creates an annotation, its value is typed inline,
and after a reload it is still there (autosave reached the database)."""

from __future__ import annotations

import pytest

from kslars.web.annotation.models import Annotation
from tests.browser.helpers import api_client, log_in, make_project, make_user

pytestmark = pytest.mark.browser


def test_double_click_type_value_reload(person) -> None:
    user = make_user("smoke-editor")
    project_id = make_project(user, "Smoke")
    tab = person()
    page = tab.page
    log_in(page, "smoke-editor")
    page.goto(f"/p/{project_id}/")
    page.wait_for_selector("[data-testid=editor][data-ready=true]")
    assert page.locator("[data-testid=tier-row]").evaluate_all("rows => rows.map(r => r.dataset.tierName)") == [
        "Translation", "Gloss", "Right handshape", "Left handshape",
    ]

    lane = page.locator("[data-testid=tier-row][data-tier-name=Gloss] .tl-lane").bounding_box()
    page.mouse.dblclick(lane["x"] + 150, lane["y"] + lane["height"] / 2)
    page.locator("[data-testid=annotation-input]").fill("BOOK")
    page.keyboard.press("Enter")
    page.locator("[data-testid=annotation][data-tier-name=Gloss][data-value=BOOK]").wait_for()
    page.locator("[data-testid=save-status][data-state=saved]").wait_for()

    saved = Annotation.objects.get(project_id=project_id, value="BOOK")
    assert saved.tier.name == "Gloss"
    assert saved.start_ms < saved.end_ms

    page.reload()
    page.wait_for_selector("[data-testid=editor][data-ready=true]")
    annotation = page.locator("[data-testid=annotation][data-tier-name=Gloss]")
    assert annotation.count() == 1
    assert annotation.get_attribute("data-value") == "BOOK"
    assert annotation.get_attribute("data-annotation-id") == saved.key
    tab.assert_no_script_errors()


def test_stale_edit_shows_the_other_persons_change(person) -> None:
    """Someone else saves first: the editor's edit is refused (409) and their value is shown, not overwritten."""
    user = make_user("smoke-conflict")
    project_id = make_project(user, "Conflict")
    tab = person()
    page = tab.page
    log_in(page, "smoke-conflict")
    page.goto(f"/p/{project_id}/")
    page.wait_for_selector("[data-testid=editor][data-ready=true]")
    lane = page.locator("[data-testid=tier-row][data-tier-name=Gloss] .tl-lane").bounding_box()
    page.mouse.dblclick(lane["x"] + 100, lane["y"] + lane["height"] / 2)
    page.locator("[data-testid=annotation-input]").fill("MINE")
    page.keyboard.press("Enter")
    page.locator("[data-testid=annotation][data-value=MINE]").wait_for()
    page.locator("[data-testid=save-status][data-state=saved]").wait_for()

    # the other person's change must not reach this tab through polling before the edit below
    page.route("**/changes?*", lambda route: route.abort())
    saved = Annotation.objects.get(project_id=project_id, value="MINE")
    other = api_client(user).patch(
        f"/api/projects/{project_id}/annotations/{saved.key}",
        {"version": saved.version, "value": "THEIRS"},
        content_type="application/json",
    )
    assert other.status_code == 200, other.content

    page.locator(f"[data-testid=annotation][data-annotation-id={saved.key}]").dblclick()
    page.locator("[data-testid=annotation-input]").fill("OVERWRITE")
    page.keyboard.press("Enter")
    page.locator("[data-testid=save-status][data-state=conflict]").wait_for()
    assert "reloaded" in page.locator("[data-testid=save-status]").inner_text()
    page.locator("[data-testid=annotation][data-value=THEIRS]").wait_for()
    assert Annotation.objects.get(project_id=project_id, key=saved.key).value == "THEIRS"
    tab.assert_no_script_errors()
