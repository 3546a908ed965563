"""The editor's face lane: non-manual measurements of the stored landmarks drawn under the hand-speed lane, the series
chosen by the user (and remembered), the value at the playhead following it as the video moves."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kslars.engine.nonmanual import read_face_track
from kslars.engine.nonmanual.measurements import measure_series
from kslars.web.projects.models import Project
from tests.browser.helpers import log_in, make_project, make_user, signing_video
from tests.browser.test_editor import open_editor, wait_for_video
from tests.conftest import shared_file
from tests.engine.test_nonmanual import EXAMPLE_POSE
from tests.web.test_landmarks_cache import store_landmarks

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# the columns of the canvas holding the playhead's red (#d1242f; the single series drawn is blue)
RED_COLUMNS = """c => {
    const {data, width, height} = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const columns = new Set();
    for (let i = 0; i < data.length; i += 4) {
        if (data[i] > 180 && data[i + 1] < 80 && data[i + 2] < 90 && data[i + 3] > 200) columns.add((i / 4) % width);
    }
    return [...columns];
}"""
DRAWN = """c => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n += 1;
    return n > 200;
}"""


def seek(page, seconds: float) -> None:
    page.evaluate("s => { document.querySelector('[data-testid=video]').currentTime = s; }", seconds)
    expect(page.locator("[data-testid=face-panel]")).to_have_attribute("data-time-ms", str(round(seconds * 1000)))


def test_face_lane_shows_switches_and_follows_the_playhead(person) -> None:
    pose = shared_file(EXAMPLE_POSE)  # continuous signing with a face, 30 fps
    owner = make_user("nadia")
    project_id = make_project(owner, "Questions", video=signing_video())
    store_landmarks(Project.objects.get(pk=project_id), pose)
    expected = measure_series(read_face_track(pose))
    nadia = person()
    page = nadia.page
    log_in(page, "nadia")
    open_editor(page, project_id)
    wait_for_video(page)

    panel = page.locator("[data-testid=face-panel]")
    canvas = panel.locator("[data-testid=face-canvas]")
    choice = page.locator("[data-testid=face-series]")
    expect(canvas).to_be_visible()
    expect(panel.locator("[data-testid=face-empty]")).to_be_hidden()
    expect(choice).to_have_value("brow_right,brow_left")
    expect(panel.locator(".viz-legend li")).to_have_text(["Right eyebrow height", "Left eyebrow height"])
    page.wait_for_function(DRAWN, arg=canvas.element_handle())
    # the lane lies right under the hand-speed lane, as wide
    speed_box = page.locator("[data-testid=viz-panel]").bounding_box()
    face_box = panel.bounding_box()
    assert abs(face_box["y"] - (speed_box["y"] + speed_box["height"])) < 3
    assert abs(face_box["width"] - speed_box["width"]) < 2

    choice.select_option("mouth_opening")
    expect(panel.locator(".viz-legend li")).to_have_text(["Mouth opening"])
    value = panel.locator("[data-testid=face-value]")
    for seconds in (0.5, 1.5):
        seek(page, seconds)
        frame = round(seconds * 30)
        expect(value).to_have_text(f"Mouth opening: {expected.values['mouth_opening'][frame]:.3f}")
    before = page.evaluate(RED_COLUMNS, canvas.element_handle())
    seek(page, 1.0)
    after = page.evaluate(RED_COLUMNS, canvas.element_handle())
    assert before and after and min(after) < min(before)  # the playhead line moved left, back to 1 s
    expect(value).to_have_text(f"Mouth opening: {expected.values['mouth_opening'][30]:.3f}")

    page.reload()  # the choice is remembered in this browser
    expect(page.locator("[data-testid=face-series]")).to_have_value("mouth_opening")
    expect(page.locator("[data-testid=face-panel] .viz-legend li")).to_have_text(["Mouth opening"])
    nadia.assert_no_script_errors()


def test_face_lane_says_what_to_do_without_landmarks(person) -> None:
    project_id = make_project(make_user("olga"), "Empty")
    olga = person()
    log_in(olga.page, "olga")
    open_editor(olga.page, project_id)
    expect(olga.page.locator("[data-testid=face-empty]")).to_be_visible()
    expect(olga.page.locator("[data-testid=face-canvas]")).to_be_hidden()
    olga.assert_no_script_errors()
