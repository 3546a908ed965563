"""The editor as a new annotator meets it (issue 14): the value box on its own lane, typing straight after
drag-create, the subtitle export's tier choice, the finished Process panel, long project names, a viewer's writes,
the favicon, a project without video, and ELAN's navigation habits."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kslars.web.annotation.models import Tier
from kslars.web.projects.models import Project
from tests.browser.helpers import api_client, log_in, make_project, make_user, signing_video
from tests.browser.test_editor import annotations, eventually, lane, lane_point, open_editor, wait_for_video


def gloss(user, project_id: int, value: str, start_ms: int, end_ms: int, tier_name: str = "Gloss") -> str:
    """Add one annotation (a gloss unless ``tier_name`` says otherwise) through the API; its id."""
    tier = Tier.objects.get(project_id=project_id, name=tier_name)
    created = api_client(user).post(
        f"/api/projects/{project_id}/annotations",
        {"tier_id": tier.pk, "value": value, "start_ms": start_ms, "end_ms": end_ms},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    return created.json()["id"]


def hello(owner, project_id: int) -> str:
    """The gloss HELLO over 300-900 ms."""
    return gloss(owner, project_id, "HELLO", 300, 900)


def editor_with_video(person, prepare=None, video: bool = True):
    """Aigerim in the editor of her project with the signing clip (or none), after ``prepare(owner, project_id)``:
    (her tab, the project's id)."""
    owner = make_user("aigerim")
    project_id = make_project(owner, "First use", video=signing_video() if video else None)
    if prepare:
        prepare(owner, project_id)
    aigerim = person()
    log_in(aigerim.page, "aigerim")
    open_editor(aigerim.page, project_id)
    if video:
        wait_for_video(aigerim.page)
    return aigerim, project_id


def test_value_box_sits_on_the_annotations_own_lane(person) -> None:
    """Double-clicking a Gloss annotation opens the value box over that annotation, not one row lower."""
    aigerim, project_id = editor_with_video(person, hello)
    page = aigerim.page

    annotation = page.locator("[data-testid=annotation][data-tier-name=Gloss][data-value=HELLO]")
    annotation.dblclick()
    box = page.locator("[data-testid=annotation-input]")
    expect(box).to_be_visible()
    lane_box = lane(page, "Gloss").bounding_box()
    input_box = box.bounding_box()
    middle = input_box["y"] + input_box["height"] / 2
    assert lane_box["y"] <= middle <= lane_box["y"] + lane_box["height"], (input_box, lane_box)
    assert abs(input_box["x"] - annotation.bounding_box()["x"]) < 2
    aigerim.assert_no_script_errors()


def drag_on(page, tier_name: str, start: float, end: float) -> None:
    """Drag across a tier's lane from ``start`` to ``end`` (fractions of its visible width)."""
    page.mouse.move(*lane_point(page, tier_name, start))
    page.mouse.down()
    page.mouse.move(*lane_point(page, tier_name, (start + end) / 2), steps=5)
    page.mouse.move(*lane_point(page, tier_name, end), steps=5)
    page.mouse.up()


def test_typing_straight_after_drag_create_goes_into_the_value(person) -> None:
    """Keys typed at once after a drag (before the server has answered) become the value, not shortcuts; an
    empty value left with Enter is saved with a warning."""
    aigerim, project_id = editor_with_video(person)
    page = aigerim.page

    def slow(route) -> None:
        page.wait_for_timeout(400)  # a server a little slower than this one: the person types before it answers
        route.continue_()

    page.route("**/annotations", slow)
    drag_on(page, "Gloss", 0.10, 0.40)
    page.keyboard.type("SMS")  # S and M are also Split and Merge: here they are letters of the gloss
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=annotation][data-tier-name=Gloss][data-value=SMS]")).to_be_visible()
    assert [a.value for a in eventually(lambda: [a for a in annotations(project_id, "Gloss") if a.value])] == ["SMS"]
    assert len(annotations(project_id, "Gloss")) == 1

    page.unroute("**/annotations")
    drag_on(page, "Gloss", 0.60, 0.90)
    expect(page.locator("[data-testid=annotation-input]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=message]")).to_contain_text("has no value")
    assert len(eventually(lambda: len(annotations(project_id, "Gloss")) == 2 and annotations(project_id, "Gloss"))) == 2
    aigerim.assert_no_script_errors()


def test_subtitle_export_offers_one_tier_and_the_list_is_never_empty(person) -> None:
    """Subtitles take one tier (a single choice, no error to start with); other formats tick every tier with
    None/All controls; the list is there even when the dialog opens before the document has arrived."""
    aigerim, project_id = editor_with_video(person, hello)
    page = aigerim.page
    page.get_by_test_id("tier-row").filter(has_text="Gloss").locator(".tl-lane").click()  # the Gloss tier selected
    page.get_by_test_id("export-button").click()
    dialog = page.get_by_test_id("export-dialog")
    boxes = dialog.locator(".export-tier-list input")
    expect(boxes).to_have_count(4)  # the KRSL starting tiers
    page.get_by_test_id("export-format").select_option("srt")
    expect(boxes).to_have_count(4)
    assert {box.get_attribute("type") for box in boxes.all()} == {"radio"}
    expect(dialog.locator(".export-tier-list input:checked")).to_have_count(1)
    expect(dialog.locator(".export-tier-list input:checked")).to_have_attribute("value", "Gloss")
    expect(page.get_by_test_id("export-error")).to_have_text("")
    assert "tiers=Gloss" in page.get_by_test_id("export-download").get_attribute("href")
    expect(page.get_by_test_id("export-none")).to_be_hidden()

    page.get_by_test_id("export-format").select_option("eaf")
    expect(dialog.locator(".export-tier-list input[type=checkbox]:checked")).to_have_count(4)
    page.get_by_test_id("export-none").click()
    expect(dialog.locator(".export-tier-list input:checked")).to_have_count(0)
    expect(page.get_by_test_id("export-error")).not_to_have_text("")
    page.get_by_test_id("export-all").click()
    expect(dialog.locator(".export-tier-list input:checked")).to_have_count(4)
    expect(page.get_by_test_id("export-error")).to_have_text("")
    dialog.get_by_role("button", name="Close").click()

    def late(route) -> None:
        page.wait_for_timeout(1500)  # a large document on a slow line
        route.continue_()

    page.route("**/document", late)
    page.reload()
    page.get_by_test_id("export-button").click()
    expect(boxes).to_have_count(4)
    aigerim.assert_no_script_errors()


def test_finished_process_panel_gets_out_of_the_way(person, monkeypatch) -> None:
    """The Process video panel floats over the page instead of pushing the editor down; its bar spans the panel,
    so a finished job looks finished; once done, the result is said in the message bar and the panel closes."""
    from kslars.document import Document
    from kslars.engine import pipeline

    monkeypatch.setattr(pipeline, "annotate_video", lambda *args, **kwargs: Document())  # the engine found nothing
    aigerim, project_id = editor_with_video(person)
    page = aigerim.page
    timeline_top = page.get_by_test_id("timeline").bounding_box()["y"]
    page.get_by_test_id("process-button").click()
    page.get_by_test_id("process-submit").click()
    panel = page.get_by_test_id("process-progress")
    expect(panel).to_be_visible()
    assert page.get_by_test_id("timeline").bounding_box()["y"] == timeline_top
    expect(panel.locator("progress")).to_have_js_property("value", 1)
    assert panel.locator("progress").bounding_box()["width"] > 0.8 * panel.bounding_box()["width"]
    expect(page.get_by_test_id("message")).to_contain_text("Added 0 annotation(s) on 0 tier(s).")
    expect(panel).to_be_hidden()
    aigerim.assert_no_script_errors()


def test_over_long_project_name_is_refused_aloud_and_a_long_title_elided(person) -> None:
    """A 600-character name pasted into the New project field is refused with the limit (not cut to 200 in
    silence), by the form and by the API; a 200-character name elides in the editor instead of running off."""
    owner = make_user("aigerim")
    aigerim = person()
    page = aigerim.page
    log_in(page, "aigerim")
    page.locator("#new-project-name").focus()
    page.keyboard.insert_text("Сұхбат " * 85 + "x")  # 596 characters, pasted
    page.locator("#new-project-name").press("Enter")
    expect(page.locator(".messages [role=alert]")).to_contain_text("A project name can have at most 200 characters.")
    assert not Project.objects.filter(owner=owner).exists()
    refused = api_client(owner).post("/api/projects", {"name": "x" * 600}, content_type="application/json")
    assert refused.status_code in (400, 422) and "at most 200 characters" in refused.content.decode()

    project_id = make_project(owner, "Интервью" + "ы" * 192)
    open_editor(page, project_id)
    title = page.locator(".ed-title")
    assert title.bounding_box()["x"] + title.bounding_box()["width"] <= page.viewport_size["width"]
    assert title.evaluate("h => h.scrollWidth > h.clientWidth")  # elided, with the whole name on hover
    expect(title).to_have_attribute("title", "Интервью" + "ы" * 192)
    aigerim.assert_no_script_errors()


def test_pages_ask_for_nothing_missing(person) -> None:
    """No page answers 404 on its own requests: the site has an icon, and the editor of a project without a video
    does not ask for one."""
    owner = make_user("aigerim")
    project_id = make_project(owner, "No video yet")
    aigerim = person()
    page = aigerim.page
    requests: list[str] = []
    failures: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda answer: answer.status >= 400 and failures.append(f"{answer.status} {answer.url}"))
    log_in(page, "aigerim")
    open_editor(page, project_id)
    expect(page.get_by_test_id("upload-zone")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert failures == []
    assert not [url for url in requests if "video" in url.rsplit("/", 1)[-1]], requests
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).ok
    assert page.request.get("/favicon.ico").ok
    aigerim.assert_no_script_errors()


def test_elan_habits_start_key_fine_speeds_and_jumps_across_tiers(person) -> None:
    """Alt+. moves only the selected annotation's start a frame later (Alt+, earlier); speeds go down to 0.1x in
    steps of 0.1; Shift+arrows jump within the selected tier, Ctrl+Shift+arrows across all tiers."""

    def prepare(owner, project_id: int) -> None:
        hello(owner, project_id)
        gloss(owner, project_id, "Hello to you", 1200, 1500, tier_name="Translation")

    aigerim, project_id = editor_with_video(person, prepare)
    page = aigerim.page
    annotation = page.locator("[data-testid=annotation][data-tier-name=Gloss][data-value=HELLO]")
    annotation.click()
    page.keyboard.press("Alt+Period")
    stored = eventually(lambda: [a for a in annotations(project_id, "Gloss") if a.start_ms != 300])[0]
    assert 300 < stored.start_ms < 400 and stored.end_ms == 900
    expect(page.get_by_test_id("selection-info")).to_contain_text(f"{stored.start_ms}–00:00.900")  # the page knows
    page.keyboard.press("Alt+Comma")
    eventually(lambda: annotations(project_id, "Gloss")[0].start_ms == 300)
    assert annotations(project_id, "Gloss")[0].end_ms == 900

    speeds = page.get_by_test_id("speed-select").locator("option").evaluate_all("os => os.map(o => Number(o.value))")
    assert speeds[0] == 0.1 and 0.9 in speeds and 0.2 in speeds and speeds[-1] == 2
    page.keyboard.press("[")
    expect(page.get_by_test_id("speed-select")).to_have_value("0.9")
    assert page.get_by_test_id("video").evaluate("v => v.playbackRate") == 0.9

    page.get_by_test_id("timeline-scroll").focus()
    page.keyboard.press("Escape")  # nothing selected; the Gloss tier stays the selected tier
    page.get_by_test_id("frame-back").click()
    page.keyboard.press("Shift+ArrowRight")
    expect(annotation).to_have_class(re.compile("is-selected"))
    page.keyboard.press("Shift+ArrowRight")
    expect(page.get_by_test_id("message")).to_contain_text("No annotation after the playhead")
    page.keyboard.press("Control+Shift+ArrowRight")
    translation = page.locator("[data-testid=annotation][data-tier-name=Translation]")
    expect(translation).to_have_class(re.compile("is-selected"))
    expect(page.get_by_test_id("time-display")).to_have_text("00:01.200")
    page.keyboard.press("Control+Shift+ArrowLeft")
    expect(annotation).to_have_class(re.compile("is-selected"))
    aigerim.assert_no_script_errors()


def test_fit_the_whole_recording(person) -> None:
    """A fifty-minute document fits the visible timeline with Fit, and zooming out goes no further than that."""

    def last(owner, project_id: int) -> None:
        gloss(owner, project_id, "LAST", 2_990_000, 3_000_000)

    aigerim, _ = editor_with_video(person, last, video=False)
    page = aigerim.page
    scroll = page.get_by_test_id("timeline-scroll")
    page.get_by_test_id("zoom-fit").click()
    assert scroll.evaluate("s => s.scrollWidth <= s.clientWidth + 1")
    expect(page.locator("[data-testid=annotation][data-value=LAST]")).to_be_visible()
    for _ in range(5):
        page.get_by_test_id("zoom-out").click()
    assert scroll.evaluate("s => s.scrollWidth <= s.clientWidth + 1")
    page.get_by_test_id("zoom-in").click()
    assert scroll.evaluate("s => s.scrollWidth > s.clientWidth")
    aigerim.assert_no_script_errors()
