"""Process video in the editor: upload the real clip, annotate signs and handshapes automatically, take a predicted
alternative with a key and undo it; the skeleton overlay and the hand-speed series appear once there are landmarks.
The result of a run is one undo step: Undo removes the engine's tiers and predictions (and brings back the
predictions a second run replaced), Redo writes them again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kslars.web.annotation.models import Annotation, Tier
from kslars.web.jobs.models import Job
from tests.browser.helpers import log_in, make_project, make_user, signing_video
from tests.browser.test_editor import eventually, open_editor, wait_for_video

pytestmark = pytest.mark.slow


def handshape(project_id: int, key: str | None = None) -> Annotation:
    """The predicted right handshape with document id ``key``, or the earliest one (the engine may find several)."""
    rows = Annotation.objects.filter(tier__project_id=project_id, tier__name="Right handshape").order_by("start_ms")
    return rows.get(key=key) if key else rows.first()


def editor_with_video(person, name: str):
    """Dana in the editor of her new project ``name`` with the real clip, once the video has loaded; (dana, id)."""
    project_id = make_project(make_user("dana"), name, video=signing_video())
    dana = person()
    log_in(dana.page, "dana")
    open_editor(dana.page, project_id)
    wait_for_video(dana.page)
    return dana, project_id


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
    job = eventually(
        lambda: Job.objects.filter(project_id=project_id, kind="annotate", status="succeeded").first(), timeout_s=60
    )
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
    page.wait_for_function(
        """c => {
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n += 1;
        return n > 100;
    }""",
        arg=canvas.element_handle(),
    )
    dana.assert_no_script_errors()


def test_process_video_is_one_undo_step_and_redo_writes_it_again(person) -> None:
    dana, project_id = editor_with_video(person, "Undo")
    page = dana.page

    def process(existing: str, said: str) -> None:
        page.locator("[data-testid=process-button]").click()
        dialog = page.locator("[data-testid=process-dialog]")
        for name in ("phrases", "orientation"):
            dialog.locator(f"input[name={name}]").uncheck()
        dialog.locator(f"input[name=existing][value={existing}]").check()
        dialog.locator("[data-testid=process-submit]").click()
        # the editor shows the job's message once it has reloaded the document and made the result one undo step
        expect(page.locator("[data-testid=message]")).to_contain_text(said, timeout=90_000)

    def predictions() -> dict[str, set[str]]:
        rows = Annotation.objects.filter(tier__project_id=project_id, tier__name__in=("Signs", "Right handshape"))
        found: dict[str, set[str]] = {"Signs": set(), "Right handshape": set()}
        for tier, key in rows.values_list("tier__name", "key"):
            found[tier].add(key)
        return found

    signs_row = page.locator("[data-testid=tier-row][data-tier-name='Signs']")
    signs = page.locator("[data-testid=annotation][data-tier-name='Signs']")
    shapes = page.locator("[data-testid=annotation][data-tier-name='Right handshape']")
    saved = page.locator("[data-testid=save-status]")
    expect(shapes).to_have_count(0)  # the default tier the engine fills
    process("new_version", "Added")
    first = predictions()
    assert first["Signs"] and first["Right handshape"]
    expect(signs_row).to_have_count(1)
    expect(signs).to_have_count(len(first["Signs"]))
    expect(shapes).to_have_count(len(first["Right handshape"]))

    sent: list[str] = []  # the edits the page sends: Undo and Redo are one all-or-nothing request each
    page.on("request", lambda r: sent.append(f"{r.method} {r.url.split('/api/')[-1]}") if r.method != "GET" else None)
    page.locator("[data-testid=undo-button]").click()  # one step: the new tier and the filled tier's predictions
    expect(signs_row).to_have_count(0)
    expect(shapes).to_have_count(0)
    expect(page.locator("[data-testid=tier-row][data-tier-name='Right handshape']")).to_have_count(1)
    expect(saved).to_have_attribute("data-state", "saved")
    eventually(lambda: not Tier.objects.filter(project_id=project_id, name="Signs").exists())
    eventually(lambda: predictions() == {"Signs": set(), "Right handshape": set()})
    expect(page.locator("[data-testid=undo-button]")).to_be_disabled()
    assert sent == [f"POST projects/{project_id}/tiers/batch"]

    page.locator("[data-testid=redo-button]").click()
    expect(signs_row).to_have_count(1)
    expect(signs).to_have_count(len(first["Signs"]))
    expect(shapes).to_have_count(len(first["Right handshape"]))
    expect(saved).to_have_attribute("data-state", "saved")
    eventually(lambda: {k: len(v) for k, v in predictions().items()} == {k: len(v) for k, v in first.items()})
    assert sent == [f"POST projects/{project_id}/tiers/batch"] * 2

    # a second run replaces the untouched predictions; its Undo brings them back and keeps the tiers
    restored = predictions()
    process("replace_predictions", "Replaced")
    replaced = predictions()
    assert replaced["Signs"] and not replaced["Signs"] & restored["Signs"]
    assert not replaced["Right handshape"] & restored["Right handshape"]
    page.locator("[data-testid=undo-button]").click()
    expect(saved).to_have_attribute("data-state", "saved")
    gone = replaced["Signs"] | replaced["Right handshape"]
    eventually(lambda: not Annotation.objects.filter(tier__project_id=project_id, key__in=gone).exists())
    back = predictions()
    assert {k: len(v) for k, v in back.items()} == {k: len(v) for k, v in restored.items()}
    rows = Annotation.objects.filter(tier__project_id=project_id, key__in=back["Signs"] | back["Right handshape"])
    assert all(a.attributes["source"] == "kslars-engine" and a.version == 1 for a in rows)
    expect(signs_row).to_have_count(1)
    expect(signs).to_have_count(len(restored["Signs"]))
    expect(shapes).to_have_count(len(restored["Right handshape"]))
    dana.assert_no_script_errors()


def test_a_failed_job_shows_its_reason_and_offers_retry(person, monkeypatch) -> None:
    from kslars.engine import pipeline

    def broken(*args, **kwargs):
        raise ValueError("the landmark model could not be loaded")

    monkeypatch.setattr(pipeline, "annotate_video", broken)
    dana, project_id = editor_with_video(person, "Broken")
    page = dana.page
    page.locator("[data-testid=process-button]").click()
    page.locator("[data-testid=process-submit]").click()
    error = page.locator("[data-testid=process-error]")
    expect(error).to_contain_text("the landmark model could not be loaded")
    page.locator("[data-testid=process-retry]").click()
    eventually(lambda: Job.objects.filter(project_id=project_id, kind="annotate").count() == 2)
    expect(error).to_contain_text("the landmark model could not be loaded")
    dana.assert_no_script_errors()
