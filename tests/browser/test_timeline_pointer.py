"""Timeline drags that the browser cancels (issue 13): when a touch drag turns into a scroll, or a system gesture
takes the pointer, the browser sends pointercancel instead of pointerup. The drag must end there: what was dragged
is drawn back where the document has it, nothing is saved, and later pointer events move nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_editor import annotations
from tests.browser.test_editor_first_use import editor_with_video, hello

HELLO = "[data-testid=annotation][data-tier-name=Gloss][data-value=HELLO]"
DRAGGED = ".tl-rows .ann.is-dragging, .tl-rows .ann.is-ghost"
REMEMBER_POINTER = (
    """() => document.addEventListener("pointerdown", (e) => { window.lastPointerId = e.pointerId; }, true)"""
)
ENDINGS = {  # how the browser takes the pointer away from the timeline
    "pointercancel": """() => document.querySelector(".tl-rows").dispatchEvent(
        new PointerEvent("pointercancel", { pointerId: window.lastPointerId, bubbles: true }))""",
    "lost capture": """() => document.querySelector(".tl-rows").releasePointerCapture(window.lastPointerId)""",
}


def drawn(page) -> list[tuple[str, str, str]]:
    """Every annotation box on the lanes: (value, left, width)."""
    return page.locator(".tl-rows .ann").evaluate_all(
        "els => els.map((el) => [el.dataset.value || '', el.style.left, el.style.width])"
    )


def grip_x(box: dict, grip: str) -> float:
    """Where the drag takes hold: HELLO's middle, 2 px inside its end, or 20 px past it on the empty lane."""
    right = box["x"] + box["width"]
    return {"body": box["x"] + box["width"] / 2, "end edge": right - 2, "empty lane": right + 20}[grip]


@pytest.mark.parametrize(
    ("grip", "ending"),
    [
        ("body", "pointercancel"),
        ("end edge", "pointercancel"),
        ("empty lane", "pointercancel"),
        ("body", "lost capture"),
    ],
)
def test_a_cancelled_drag_puts_everything_back_and_saves_nothing(person, grip: str, ending: str) -> None:
    """A drag of HELLO's body or end, or a drag that creates on the empty lane, cancelled half-way (or its pointer
    capture lost): HELLO is drawn at 300-900 ms again with no dragged box or ghost left, no request changes anything,
    and moving and releasing the pointer afterwards does nothing."""
    aigerim, project_id = editor_with_video(person, hello)
    page = aigerim.page
    writes: list[str] = []
    page.on("request", lambda r: writes.append(f"{r.method} {r.url}") if r.method != "GET" else None)
    page.evaluate(REMEMBER_POINTER)
    before = drawn(page)
    box = page.locator(HELLO).bounding_box()
    x = grip_x(box, grip)
    y = box["y"] + box["height"] / 2

    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y, steps=5)
    expect(page.locator(DRAGGED)).to_have_count(1)  # the drag is under way
    page.evaluate(ENDINGS[ending])
    expect(page.locator(DRAGGED)).to_have_count(0)
    assert drawn(page) == before

    page.mouse.move(x + 60, y, steps=5)
    assert page.locator(DRAGGED).count() == 0
    page.mouse.up()
    assert drawn(page) == before
    expect(page.get_by_test_id("undo-button")).to_be_disabled()
    page.wait_for_timeout(500)  # a save would have been sent by now
    assert writes == []
    assert [(a.value, a.start_ms, a.end_ms) for a in annotations(project_id, "Gloss")] == [("HELLO", 300, 900)]
    aigerim.assert_no_script_errors()


def test_a_touch_drag_the_browser_takes_for_a_scroll_leaves_the_annotation_in_place(person) -> None:
    """A real touch drag on HELLO that starts sideways (HELLO follows it), then turns upwards: the lanes leave
    swipes up and down to the browser, which takes it for a scroll and cancels the pointer. HELLO is drawn where it
    was, nothing is saved, and lifting the finger moves nothing."""
    aigerim, project_id = editor_with_video(person, hello)
    page = aigerim.page
    page.evaluate("""() => document.addEventListener("pointercancel", () => { window.cancelled = true; }, true)""")
    before = drawn(page)
    box = page.locator(HELLO).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    touch = page.context.new_cdp_session(page)
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 3):
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x + 4 * step, "y": y}]})
    expect(page.locator(DRAGGED)).to_have_count(1)  # the drag is under way
    for step in range(1, 8):
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x + 8, "y": y - 10 * step}]})
    assert page.evaluate("() => window.cancelled === true")  # the browser did take the pointer away
    expect(page.locator(DRAGGED)).to_have_count(0)
    assert drawn(page) == before
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert drawn(page) == before
    expect(page.get_by_test_id("undo-button")).to_be_disabled()
    assert [(a.start_ms, a.end_ms) for a in annotations(project_id, "Gloss")] == [(300, 900)]
    aigerim.assert_no_script_errors()
