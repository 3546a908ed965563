"""The editor with a real video: upload, a custom tier, annotations by drag and by double-click, a typed gloss,
a handshape from the palette, undo/redo, and everything still there after a reload."""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import Page, expect

from kslars.web.annotation.models import Annotation, Tier
from kslars.web.projects.models import Video
from tests.browser.helpers import log_in, make_project, make_user, signing_video


def eventually(check: Callable[[], object], timeout_s: float = 10.0) -> object:
    """Poll ``check`` until it returns something true (the editor saves in the background); fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            assert result, f"not true within {timeout_s} s: {check.__doc__ or check}"
            return result
        time.sleep(0.1)


def open_editor(page: Page, project_id: int) -> None:
    """Open the editor and wait until its document is loaded."""
    page.goto(f"/p/{project_id}/")
    expect(page.locator("[data-testid=editor]")).to_have_attribute("data-ready", "true")


def wait_for_video(page: Page) -> None:
    """Wait until the player has loaded the video's metadata (its duration is known)."""
    video = page.locator("[data-testid=video]")
    expect(video).to_be_visible()
    page.wait_for_function("v => v.readyState >= 1 && v.duration > 1.5", arg=video.element_handle())


def lane(page: Page, tier_name: str):
    """The lane (the annotation area) of tier ``tier_name`` on the timeline."""
    return page.locator(f"[data-testid=tier-row][data-tier-name='{tier_name}'] .tl-lane")


def lane_point(page: Page, tier_name: str, fraction: float) -> tuple[float, float]:
    """Page coordinates at ``fraction`` of the visible width of a tier's lane, vertically centred."""
    box = lane(page, tier_name).bounding_box()
    view = page.locator("[data-testid=timeline-scroll]").bounding_box()
    right = min(box["x"] + box["width"], view["x"] + view["width"])
    return box["x"] + (right - box["x"]) * fraction, box["y"] + box["height"] / 2


def annotations(project_id: int, tier_name: str) -> list[Annotation]:
    """What the server stored on one tier, in time order."""
    return list(Annotation.objects.filter(tier__project_id=project_id, tier__name=tier_name).order_by("start_ms"))


def test_upload_a_real_video(person) -> None:
    """A new project offers an upload; the uploaded signing clip plays in the editor and is stored with its properties."""
    owner = make_user("aigerim")
    project_id = make_project(owner, "Upload")
    aigerim = person()
    page = aigerim.page
    log_in(page, "aigerim")
    open_editor(page, project_id)

    zone = page.locator("[data-testid=upload-zone]")
    expect(zone).to_be_visible()
    zone.locator("input[type=file]").set_input_files(signing_video())
    wait_for_video(page)
    duration_s = page.locator("[data-testid=video]").evaluate("v => v.duration")
    assert 1.8 < duration_s < 2.1

    video = Video.objects.get(project_id=project_id)
    assert video.status == "ready"
    assert (video.width, video.height) == (540, 720)
    assert 1800 < video.duration_ms < 2100
    assert video.original_name == "test_video.mp4"
    expect(zone).to_be_hidden()
    aigerim.assert_no_script_errors()


def test_annotate_undo_redo_and_reload(person) -> None:
    """Custom tier, drag and double-click creation, typed values, a palette handshape, undo/redo, then a reload."""
    owner = make_user("aigerim")
    project_id = make_project(owner, "Annotated", video=signing_video())
    aigerim = person()
    page = aigerim.page
    log_in(page, "aigerim")
    open_editor(page, project_id)
    wait_for_video(page)

    # A custom tier through the "Add tier" dialog.
    page.locator("[data-testid=add-tier]").click()
    dialog = page.locator("[data-testid=tier-dialog]")
    expect(dialog).to_be_visible()
    dialog.locator("[data-testid=tier-name-input]").fill("Mouthing")
    dialog.locator("[data-testid=tier-dialog-submit]").click()
    expect(page.locator("[data-testid=tier-row][data-tier-name=Mouthing]")).to_be_visible()
    eventually(lambda: Tier.objects.filter(project_id=project_id, name="Mouthing").exists())

    # Drag on the Gloss lane creates an annotation over the dragged span and opens its value for typing.
    page.mouse.move(*lane_point(page, "Gloss", 0.10))
    page.mouse.down()
    page.mouse.move(*lane_point(page, "Gloss", 0.25), steps=5)
    page.mouse.move(*lane_point(page, "Gloss", 0.40), steps=5)
    page.mouse.up()
    value_input = page.locator("[data-testid=annotation-input]")
    expect(value_input).to_be_visible()
    value_input.fill("HELLO")
    value_input.press("Enter")
    expect(page.locator("[data-testid=annotation][data-tier-name=Gloss][data-value=HELLO]")).to_be_visible()
    gloss = eventually(lambda: [a for a in annotations(project_id, "Gloss") if a.value == "HELLO"])[0]
    assert 0 < gloss.start_ms < gloss.end_ms
    assert gloss.end_ms - gloss.start_ms > 200  # the dragged span, not a click

    # Double-click on the custom tier's lane creates an annotation there.
    page.mouse.dblclick(*lane_point(page, "Mouthing", 0.55))
    expect(value_input).to_be_visible()
    value_input.fill("pa")
    value_input.press("Enter")
    expect(page.locator("[data-testid=annotation][data-tier-name=Mouthing][data-value=pa]")).to_be_visible()
    mouthing = eventually(lambda: annotations(project_id, "Mouthing"))
    assert [a.value for a in mouthing] == ["pa"]
    assert mouthing[0].start_ms > gloss.end_ms

    # A handshape from the palette on the Right handshape tier.
    page.mouse.dblclick(*lane_point(page, "Right handshape", 0.15))
    expect(value_input).to_be_visible()
    value_input.press("Escape")
    palette = page.locator("[data-testid=palette]")
    expect(palette).to_be_visible()
    shape = palette.locator("[data-testid=handshape]").nth(3)
    chosen = shape.get_attribute("data-handshape")
    entry_id = shape.get_attribute("data-entry-id")
    shape.click()
    expect(
        page.locator(f"[data-testid=annotation][data-tier-name='Right handshape'][data-value='{chosen}']")
    ).to_be_visible()
    hand = eventually(lambda: [a for a in annotations(project_id, "Right handshape") if a.value == chosen])[0]
    assert hand.cv_entry == entry_id

    # Undo takes the handshape back off; redo puts it back. The server follows both.
    page.locator("[data-testid=undo-button]").click()
    expect(
        page.locator(f"[data-testid=annotation][data-tier-name='Right handshape'][data-value='{chosen}']")
    ).to_have_count(0)
    eventually(lambda: not [a for a in annotations(project_id, "Right handshape") if a.value == chosen])
    page.locator("[data-testid=redo-button]").click()
    expect(
        page.locator(f"[data-testid=annotation][data-tier-name='Right handshape'][data-value='{chosen}']")
    ).to_be_visible()
    eventually(lambda: [a for a in annotations(project_id, "Right handshape") if a.value == chosen])
    expect(page.locator("[data-testid=save-status]")).to_have_attribute("data-state", "saved")

    # After a reload everything is still there.
    page.reload()
    expect(page.locator("[data-testid=editor]")).to_have_attribute("data-ready", "true")
    expect(page.locator("[data-testid=tier-row][data-tier-name=Mouthing]")).to_be_visible()
    expect(page.locator("[data-testid=annotation][data-tier-name=Gloss][data-value=HELLO]")).to_be_visible()
    expect(page.locator("[data-testid=annotation][data-tier-name=Mouthing][data-value=pa]")).to_be_visible()
    expect(
        page.locator(f"[data-testid=annotation][data-tier-name='Right handshape'][data-value='{chosen}']")
    ).to_be_visible()
    aigerim.assert_no_script_errors()
