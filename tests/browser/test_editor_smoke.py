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


def test_keyboard_split_merge_and_undo(person) -> None:
    """Keyboard only: create at the playhead, split it (S), merge the pieces back (M), undo the merge (Ctrl+Z)."""
    user = make_user("smoke-keys")
    project_id = make_project(user, "Keys")
    tab = person()
    page = tab.page
    log_in(page, "smoke-keys")
    page.goto(f"/p/{project_id}/")
    page.wait_for_selector("[data-testid=editor][data-ready=true]")
    page.locator("[data-testid=tier-label][data-tier-name=Gloss]").click()
    page.locator("[data-testid=timeline-scroll]").focus()
    page.keyboard.press("Enter")  # nothing selected: a new annotation at the playhead on the selected tier
    page.locator("[data-testid=annotation-input]").fill("GO")
    page.keyboard.press("Enter")
    page.locator("[data-testid=annotation][data-value=GO]").click()
    for _ in range(5):
        page.keyboard.press("ArrowRight")  # five frames on
    page.keyboard.press("s")
    pieces = page.locator("[data-testid=annotation][data-tier-name=Gloss]")
    expect_count(pieces, 2)
    page.locator("[data-testid=save-status][data-state=saved]").wait_for()
    rows = list(Annotation.objects.filter(project_id=project_id).order_by("start_ms").values_list("start_ms", "end_ms"))
    # frame steps land in the middle of a frame: (5 + 0.5) / 25 s on the 25 fps clock used without a video
    assert len(rows) == 2 and rows[0][1] == rows[1][0] == 220
    assert page.locator("[data-testid=time-display]").inner_text() == "00:00.220"

    pieces.nth(0).click()
    pieces.nth(1).click(modifiers=["Shift"])
    page.keyboard.press("m")
    page.locator("[data-testid=annotation][data-value='GO GO']").wait_for()
    page.keyboard.press("Control+z")
    expect_count(page.locator("[data-testid=annotation][data-value=GO]"), 2)
    page.locator("[data-testid=save-status][data-state=saved]").wait_for()
    assert sorted(Annotation.objects.filter(project_id=project_id).values_list("value", flat=True)) == ["GO", "GO"]
    tab.assert_no_script_errors()


def expect_count(locator, count: int) -> None:
    """Wait until ``locator`` matches ``count`` elements."""
    from playwright.sync_api import expect

    expect(locator).to_have_count(count)
