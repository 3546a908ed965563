"""Smoke tests of the SLAN editor in Chromium: an annotation created by double-click and typed inline survives a
reload (autosave reached the database); a stale edit shows the other person's change; keyboard split/merge/undo."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kslars.web.annotation.models import Annotation
from tests.browser.helpers import api_client, log_in, make_project, make_user

pytestmark = pytest.mark.browser


def open_editor(person, username: str):
    """A new user's new project open in the editor: (tab, page, user, project id)."""
    user = make_user(username)
    project_id = make_project(user, f"{username} project")
    tab = person()
    log_in(tab.page, username)
    tab.page.goto(f"/p/{project_id}/")
    expect(tab.page.locator("[data-testid=editor]")).to_have_attribute("data-ready", "true")
    return tab, tab.page, user, project_id


def double_click_and_type(page, tier: str, x: float, value: str) -> None:
    """Double-click `x` pixels into `tier`'s lane, type `value`, press Enter and wait until it is saved."""
    lane = page.locator(f"[data-testid=tier-row][data-tier-name='{tier}'] .tl-lane").bounding_box()
    page.mouse.dblclick(lane["x"] + x, lane["y"] + lane["height"] / 2)
    page.locator("[data-testid=annotation-input]").fill(value)
    page.keyboard.press("Enter")
    page.locator(f"[data-testid=annotation][data-tier-name='{tier}'][data-value='{value}']").wait_for()
    page.locator("[data-testid=save-status][data-state=saved]").wait_for()


def test_double_click_type_value_reload(person) -> None:
    tab, page, _, project_id = open_editor(person, "smoke-editor")
    rows = page.locator("[data-testid=tier-row]").evaluate_all("rows => rows.map(r => r.dataset.tierName)")
    assert rows == ["Translation", "Gloss", "Right handshape", "Left handshape"]

    double_click_and_type(page, "Gloss", 150, "BOOK")
    saved = Annotation.objects.get(project_id=project_id, value="BOOK")
    assert saved.tier.name == "Gloss"
    assert saved.start_ms < saved.end_ms

    page.reload()
    expect(page.locator("[data-testid=editor]")).to_have_attribute("data-ready", "true")
    annotation = page.locator("[data-testid=annotation][data-tier-name=Gloss]")
    assert annotation.count() == 1
    assert annotation.get_attribute("data-value") == "BOOK"
    assert annotation.get_attribute("data-annotation-id") == saved.key
    tab.assert_no_script_errors()


def test_stale_edit_shows_the_other_persons_change(person) -> None:
    """Someone else saves first: the editor's edit is refused (409) and their value is shown, not overwritten."""
    tab, page, user, project_id = open_editor(person, "smoke-conflict")
    double_click_and_type(page, "Gloss", 100, "MINE")

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
    tab, page, _, project_id = open_editor(person, "smoke-keys")
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
    expect(pieces).to_have_count(2)
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
    expect(page.locator("[data-testid=annotation][data-value=GO]")).to_have_count(2)
    page.locator("[data-testid=save-status][data-state=saved]").wait_for()
    assert sorted(Annotation.objects.filter(project_id=project_id).values_list("value", flat=True)) == ["GO", "GO"]
    tab.assert_no_script_errors()
