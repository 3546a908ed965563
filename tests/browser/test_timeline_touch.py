"""Editing on the timeline with a finger, on a tablet (a touch screen, no mouse): a sideways drag on a tier's lane
moves or resizes an annotation and is saved; a swipe up or down on the lanes scrolls through the tiers and changes
nothing; a sideways swipe on the ruler scrolls through the recording, and a tap on the ruler moves the playhead.

The touches are real: sent to Chromium through the DevTools protocol, so the browser decides, as on a device, which
gestures are its own scrolling and which reach the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Browsing
from tests.browser.test_editor import annotations, eventually, lane_point
from tests.browser.test_editor_first_use import editor_with_video, hello
from tests.browser.test_editor_layout import add_tiers
from tests.browser.test_timeline_pointer import HELLO

SCROLL = "[data-testid=timeline-scroll]"


@pytest.fixture
def tablet(new_context) -> Browsing:
    """A tab on a landscape tablet: a touch screen, no mouse."""
    return Browsing(new_context(viewport={"width": 1024, "height": 600}, has_touch=True, is_mobile=True))


def tablet_editor(tablet: Browsing, prepare=hello) -> tuple[Browsing, int]:
    """The editor on the tablet, its project prepared by ``prepare`` (HELLO on Gloss), the timeline in view."""
    aigerim, project_id = editor_with_video(lambda: tablet, prepare)
    aigerim.page.locator(SCROLL).scroll_into_view_if_needed()
    return aigerim, project_id


def swipe(page, points: list[tuple[float, float]]) -> None:
    """One finger down at the first point, moved through the others, lifted at the last."""
    touch = page.context.new_cdp_session(page)
    (x, y), *rest = points
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for x, y in rest:
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    touch.detach()


def hello_among_more_tiers(owner, project_id: int) -> None:
    """HELLO on Gloss, and three more tiers: more rows than the timeline shows at once."""
    hello(owner, project_id)
    add_tiers(owner, project_id)


def test_a_sideways_touch_drag_moves_an_annotations_end_and_is_saved(tablet) -> None:
    """A finger 10 px inside HELLO's end (a finger is not as precise as a mouse: the edge it can take is wider),
    dragged 60 px to the right: HELLO ends that much later, the server stores it and Undo is offered."""
    aigerim, project_id = tablet_editor(tablet)
    page = aigerim.page
    box = page.locator(HELLO).bounding_box()
    ms_per_px = 600 / box["width"]  # HELLO is 300-900 ms
    x, y = box["x"] + box["width"] - 10, box["y"] + box["height"] / 2

    swipe(page, [(x + 6 * step, y) for step in range(11)])

    expect(page.get_by_test_id("undo-button")).to_be_enabled()
    expect(page.locator(HELLO)).to_have_count(1)
    expected_end = 900 + round(60 * ms_per_px)
    eventually(lambda: [(a.start_ms, a.end_ms) for a in annotations(project_id, "Gloss")] != [(300, 900)])
    (start, end), *others = [(a.start_ms, a.end_ms) for a in annotations(project_id, "Gloss")]
    assert others == []
    assert start == 300
    assert abs(end - expected_end) <= 2, (end, expected_end)
    aigerim.assert_no_script_errors()


def test_a_vertical_swipe_on_the_lanes_scrolls_and_changes_nothing(tablet) -> None:
    """A swipe up on the Gloss lane, starting on HELLO: the tiers scroll, HELLO is neither moved nor selected, the
    playhead stays, and nothing is sent to the server."""
    aigerim, project_id = tablet_editor(tablet, hello_among_more_tiers)
    page = aigerim.page
    writes: list[str] = []
    page.on("request", lambda r: writes.append(f"{r.method} {r.url}") if r.method != "GET" else None)
    assert page.locator(SCROLL).evaluate("el => el.scrollHeight - el.clientHeight") > 100, "no room to scroll"
    time_before = page.get_by_test_id("time-display").text_content()
    box = page.locator(HELLO).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    swipe(page, [(x, y - 12 * step) for step in range(11)])

    page.wait_for_function(f"() => document.querySelector('{SCROLL}').scrollTop > 40")
    expect(page.locator(".tl-rows .ann.is-selected")).to_have_count(0)
    expect(page.locator(".tl-rows .ann.is-dragging")).to_have_count(0)
    assert page.get_by_test_id("time-display").text_content() == time_before
    page.wait_for_timeout(500)  # a save would have been sent by now
    assert writes == []
    expect(page.get_by_test_id("undo-button")).to_be_disabled()
    assert [(a.start_ms, a.end_ms) for a in annotations(project_id, "Gloss")] == [(300, 900)]
    aigerim.assert_no_script_errors()


def test_the_ruler_scrolls_the_recording_sideways_and_a_tap_on_it_moves_the_playhead(tablet) -> None:
    """Zoomed in, a sideways swipe on the ruler scrolls through the recording without moving the playhead and
    without creating anything; a tap on the ruler then moves the playhead there."""
    aigerim, project_id = tablet_editor(tablet)
    page = aigerim.page
    for _ in range(4):
        page.get_by_test_id("zoom-in").tap()
    assert page.locator(SCROLL).evaluate("el => el.scrollWidth - el.clientWidth") > 300, "nothing to scroll"
    page.locator(SCROLL).evaluate("el => { el.scrollLeft = 0; }")
    time_before = page.get_by_test_id("time-display").text_content()
    ruler = page.locator(".tl-ruler-row").bounding_box()
    view = page.locator(SCROLL).bounding_box()
    x, y = view["x"] + view["width"] - 40, ruler["y"] + ruler["height"] / 2

    swipe(page, [(x - 25 * step, y) for step in range(11)])

    page.wait_for_function(f"() => document.querySelector('{SCROLL}').scrollLeft > 100")
    assert page.get_by_test_id("time-display").text_content() == time_before
    assert [(a.start_ms, a.end_ms) for a in annotations(project_id, "Gloss")] == [(300, 900)]

    page.touchscreen.tap(view["x"] + view["width"] / 2, y)
    expect(page.get_by_test_id("time-display")).not_to_have_text(time_before)
    aigerim.assert_no_script_errors()


def test_a_sideways_touch_drag_on_an_empty_lane_creates_an_annotation(tablet) -> None:
    """A finger drawn sideways across the empty Gloss lane after HELLO creates an annotation there."""
    aigerim, project_id = tablet_editor(tablet)
    page = aigerim.page
    x, y = lane_point(page, "Gloss", 0.7)

    swipe(page, [(x + 8 * step, y) for step in range(11)])

    expect(page.get_by_test_id("annotation-input")).to_be_visible()
    page.keyboard.type("THANKS")
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=annotation][data-tier-name=Gloss][data-value=THANKS]")).to_have_count(1)
    eventually(lambda: [a.value for a in annotations(project_id, "Gloss")] == ["HELLO", "THANKS"])
    aigerim.assert_no_script_errors()


def test_a_tap_selects_an_annotation_and_a_double_tap_opens_its_value(tablet) -> None:
    """A tap on HELLO selects it (without moving it); a second tap right after opens its value for typing."""
    aigerim, project_id = tablet_editor(tablet)
    page = aigerim.page
    box = page.locator(HELLO).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    page.touchscreen.tap(x, y)
    expect(page.locator(f"{HELLO}.is-selected")).to_have_count(1)
    expect(page.get_by_test_id("annotation-input")).to_be_hidden()
    page.touchscreen.tap(x, y)
    expect(page.get_by_test_id("annotation-input")).to_be_visible()
    expect(page.get_by_test_id("annotation-input")).to_have_value("HELLO")
    assert [(a.start_ms, a.end_ms) for a in annotations(project_id, "Gloss")] == [(300, 900)]
    aigerim.assert_no_script_errors()
