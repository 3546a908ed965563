"""Process video in the editor: upload the real clip, annotate signs and handshapes automatically, take a predicted
alternative with a key and undo it; the skeleton overlay and the hand-speed series appear once there are landmarks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kslars.web.annotation.models import Annotation
from kslars.web.jobs.models import Job
from tests.browser.helpers import log_in, make_project, make_user, signing_video
from tests.browser.test_editor import eventually, open_editor, wait_for_video

pytestmark = pytest.mark.slow


def handshape(project_id: int, key: str | None = None) -> Annotation:
    """The predicted right handshape with document id ``key``, or the earliest one (the engine may find several)."""
    rows = Annotation.objects.filter(tier__project_id=project_id, tier__name="Right handshape").order_by("start_ms")
    return rows.get(key=key) if key else rows.first()


def test_process_video_then_take_an_alternative_and_undo(person) -> None:
    owner = make_user("dana")
    project_id = make_project(owner, "Automatic")
    dana = person()
    page = dana.page
    log_in(page, "dana")
    open_editor(page, project_id)
    page.locator("[data-testid=upload-zone] input[type=file]").set_input_files(signing_video())
    wait_for_video(page)
    expect(page.locator("[data-testid=viz-empty]")).to_be_visible()

    page.locator("[data-testid=process-button]").click()
    dialog = page.locator("[data-testid=process-dialog]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("input[name=nonmanual]")).not_to_be_checked()  # off unless asked for
    dialog.locator("input[name=phrases]").uncheck()
    dialog.locator("input[name=orientation]").uncheck()
    dialog.locator("input[name=nonmanual]").check()
    dialog.locator("[data-testid=process-submit]").click()
    expect(page.locator("[data-testid=process-progress]")).to_be_visible()
    job = eventually(lambda: Job.objects.filter(project_id=project_id, kind="annotate", status="succeeded").first(),
                     timeout_s=60)
    assert job.options["phrases"] is False and job.options["handshapes"] is True and job.options["nonmanual"] is True

    sign = page.locator("[data-testid=annotation][data-tier-name='Signs']")
    predicted = page.locator("[data-testid=annotation][data-tier-name='Right handshape']")
    expect(sign.first).to_be_visible(timeout=20_000)
    expect(predicted.first).to_be_visible()
    expect(page.locator("[data-testid=tier-row][data-tier-name='Signing segments']")).to_have_count(0)
    expect(page.locator("[data-testid=viz-empty]")).to_be_hidden()  # hand speed from the new landmarks

    stored = handshape(project_id)
    top = stored.attributes["alternatives"]
    assert stored.value == top[0][0] and len(top) == 3
    chosen = predicted.and_(page.locator(f"[data-annotation-id='{stored.key}']"))
    chosen.click()
    panel = page.locator("[data-testid=alternatives]")
    expect(panel).to_be_visible()
    expect(panel.locator("[data-testid=alternative]")).to_have_count(3)
    expect(panel).to_contain_text(f"{round(stored.attributes['confidence'] * 100)} %")
    saved = page.locator("[data-testid=save-status]")
    page.keyboard.press("2")
    expect(chosen).to_have_attribute("data-value", top[1][0])
    expect(saved).to_have_attribute("data-state", "saved")
    eventually(lambda: handshape(project_id, stored.key).value == top[1][0])
    assert handshape(project_id, stored.key).version == 2  # an ordinary edit: no longer an untouched prediction
    page.keyboard.press("Control+z")
    expect(chosen).to_have_attribute("data-value", top[0][0])
    expect(saved).to_have_attribute("data-state", "saved")
    eventually(lambda: handshape(project_id, stored.key).value == top[0][0])

    page.locator("[data-testid=skeleton-toggle]").click()
    expect(page.locator("[data-testid=skeleton-toggle]")).to_have_attribute("aria-pressed", "true")
    canvas = page.locator("[data-testid=skeleton-canvas]")
    expect(canvas).to_be_visible()
    page.locator("[data-testid=frame-forward]").click()
    # the landmarks arrive asynchronously: wait until the skeleton's lines and points are drawn
    page.wait_for_function("""c => {
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n += 1;
        return n > 100;
    }""", arg=canvas.element_handle())
    dana.assert_no_script_errors()


def test_a_failed_job_shows_its_reason_and_offers_retry(person, monkeypatch) -> None:
    from kslars.web.jobs import annotate

    def broken(job, progress):
        raise ValueError("the landmark model could not be loaded")

    monkeypatch.setattr(annotate, "annotate_project", broken)
    owner = make_user("dana")
    project_id = make_project(owner, "Broken", video=signing_video())
    dana = person()
    page = dana.page
    log_in(page, "dana")
    open_editor(page, project_id)
    wait_for_video(page)
    page.locator("[data-testid=process-button]").click()
    page.locator("[data-testid=process-submit]").click()
    error = page.locator("[data-testid=process-error]")
    expect(error).to_contain_text("the landmark model could not be loaded")
    page.locator("[data-testid=process-retry]").click()
    eventually(lambda: Job.objects.filter(project_id=project_id, kind="annotate").count() == 2)
    expect(error).to_contain_text("the landmark model could not be loaded")
    dana.assert_no_script_errors()
