"""The editor's layout as a new annotator meets it (issue 14): tier names that stay tellable apart in a column the
annotator can widen, with their buttons out of the way until wanted, an editor that works on a phone, and a
project made in Russian that speaks Russian down to its tier names."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kslars.web.annotation.models import Tier
from kslars.web.jobs.models import Job
from kslars.web.projects.models import Project
from tests.browser.helpers import api_client, log_in, make_user, signing_video
from tests.browser.test_editor import eventually, wait_for_video
from tests.browser.test_editor_first_use import editor_with_video

LONG_NAMES = ("Right handshape (2)", "Lexem_Gebärde_r_A", "Lexem_Gebärde_l_A")


def add_tiers(owner, project_id: int) -> None:
    """Tiers whose names differ only at their ends, like the engine's second versions and DGS tiers."""
    type_id = Tier.objects.get(project_id=project_id, name="Right handshape").tier_type_id
    for name in LONG_NAMES:
        created = api_client(owner).post(
            f"/api/projects/{project_id}/tiers", {"name": name, "type_id": type_id}, content_type="application/json"
        )
        assert created.status_code == 201, created.content


def label(page, name: str):
    return page.locator(f"[data-testid=tier-label][data-tier-name='{name}']")


def test_tier_names_elide_in_the_middle_in_a_resizable_column(person) -> None:
    """Names that differ only at the end show their ends; the buttons show on hover; the column can be widened by
    dragging its edge (or with the arrow keys) and keeps its width after a reload."""
    aigerim, _ = editor_with_video(person, add_tiers)
    page = aigerim.page
    page.mouse.move(5, 5)

    for name in ("Right handshape", *LONG_NAMES):
        name_el = label(page, name).locator("[data-testid=tier-name]")
        expect(name_el).to_have_text(name)
        end = name_el.locator("[data-testid=tier-name-end]")
        expect(end).to_be_visible()
        end_box, label_box = end.bounding_box(), label(page, name).bounding_box()
        assert end_box["x"] + end_box["width"] <= label_box["x"] + label_box["width"], (name, end_box, label_box)
    assert label(page, "Right handshape (2)").locator("[data-testid=tier-name-end]").text_content().endswith("(2)")
    assert "r_A" in label(page, "Lexem_Gebärde_r_A").locator("[data-testid=tier-name-end]").text_content()
    # the buttons take no room from the name: they show beside the label while the pointer is over it
    delete = label(page, "Lexem_Gebärde_r_A").locator("[data-testid=tier-delete]")
    expect(delete).to_be_hidden()
    label(page, "Lexem_Gebärde_r_A").hover()
    expect(delete).to_be_visible()
    label_box = label(page, "Lexem_Gebärde_r_A").bounding_box()
    assert delete.bounding_box()["x"] >= label_box["x"] + label_box["width"] - 1  # never over the name

    resizer = page.locator("[data-testid=label-resizer]")
    before = label(page, "Gloss").bounding_box()["width"]
    box = resizer.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2, steps=4)
    page.mouse.move(box["x"] + box["width"] / 2 + 120, box["y"] + box["height"] / 2, steps=4)
    page.mouse.up()
    wider = label(page, "Gloss").bounding_box()["width"]
    assert abs(wider - (before + 120)) < 4, (before, wider)
    lane = page.locator("[data-testid=tier-row][data-tier-name=Gloss] .tl-lane")
    assert abs(lane.bounding_box()["x"] - (label(page, "Gloss").bounding_box()["x"] + wider)) < 2
    resizer.focus()
    page.keyboard.press("ArrowLeft")
    assert abs(label(page, "Gloss").bounding_box()["width"] - (wider - 16)) < 2
    page.reload()
    expect(label(page, "Gloss")).to_be_visible()
    assert abs(label(page, "Gloss").bounding_box()["width"] - (wider - 16)) < 2
    aigerim.assert_no_script_errors()


def test_editor_fits_a_phone(person) -> None:
    """At 390x844 the editing buttons fold behind one toggle, the timeline starts on the first screen under the
    video, tier names keep their room and nothing runs off the side."""
    aigerim, _ = editor_with_video(person, add_tiers)
    page = aigerim.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("[data-testid=tier-row]").first).to_be_visible()
    page.wait_for_function("() => document.querySelector('video').readyState >= 2")

    toggle = page.locator("[data-testid=tools-toggle]")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("[data-testid=undo-button]")).to_be_hidden()
    assert page.locator(".ed-bar").bounding_box()["height"] < 60
    video = page.locator("[data-testid=video]").bounding_box()
    rows = page.locator("[data-testid=tier-row]")
    first_row = rows.first.bounding_box()
    assert video["y"] + video["height"] <= first_row["y"], (video, first_row)
    assert first_row["y"] + first_row["height"] * 3 <= 844, first_row  # a few tiers on the first screen
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    name = page.locator("[data-testid=tier-label][data-tier-name='Right handshape (2)'] [data-testid=tier-name]")
    assert name.bounding_box()["width"] >= 80
    expect(name.locator("[data-testid=tier-name-end]")).to_be_visible()
    name.click()  # what is selected shows on one line: the timeline's toolbar stays one row high
    expect(page.locator("[data-testid=selection-info]")).to_contain_text("Right handshape (2)")
    assert page.locator("[data-testid=timeline] [role=toolbar]").bounding_box()["height"] < 50

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[data-testid=undo-button]")).to_be_visible()
    expect(page.locator("[data-testid=export-button]")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    toggle.click()
    expect(page.locator("[data-testid=export-button]")).to_be_hidden()
    aigerim.assert_no_script_errors()


CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.mark.slow
def test_a_russian_project_speaks_russian_and_the_engine_finds_its_tiers(person) -> None:
    """A project made in Russian gets Russian tier names; Process video writes into them (found by the role they
    keep, not by name) and names its new tiers in Russian; lanes, legend, palette, tooltips and handshape names are
    Russian while the stored values stay the HamNoSys class ids."""
    make_user("aigerim")
    aigerim = person("ru")
    page = aigerim.page
    log_in(page, "aigerim")
    page.goto("/")
    page.fill("#new-project-name", "Урок")
    with page.expect_navigation():
        page.locator("form:has(#new-project-name) [type=submit]").click()
    expect(page.locator("[data-testid=editor]")).to_have_attribute("data-ready", "true")
    project_id = Project.objects.get(name="Урок").pk
    right = "Конфигурация правой руки"
    expect(page.locator("[data-testid=tier-name]")).to_have_text(
        ["Перевод", "Глосса", right, "Конфигурация левой руки"]
    )
    title = page.locator(f"[data-testid=tier-label][data-tier-name='{right}'] [data-testid=tier-name]").get_attribute(
        "title"
    )
    assert "None" not in title and "handshape" not in title and CYRILLIC.search(title), title

    page.locator("[data-testid=upload-zone] input[type=file]").set_input_files(signing_video())
    wait_for_video(page)
    page.locator("[data-testid=process-button]").click()
    dialog = page.locator("[data-testid=process-dialog]")
    dialog.locator("input[name=phrases]").uncheck()
    dialog.locator("input[name=orientation]").uncheck()
    dialog.locator("[data-testid=process-submit]").click()
    eventually(
        lambda: Job.objects.filter(project_id=project_id, kind="annotate", status="succeeded").first(), timeout_s=60
    )
    predicted = page.locator(f"[data-testid=annotation][data-tier-name='{right}']")
    expect(predicted.first).to_be_visible(timeout=20_000)
    expect(page.locator("[data-testid=tier-row][data-tier-name='Жесты']")).to_have_count(1)
    names = set(Tier.objects.filter(project_id=project_id).values_list("name", flat=True))
    assert "Right handshape" not in names and "Signs" not in names, names
    expect(page.locator("[data-testid=viz-panel] li")).to_have_text(["Скорость правой руки", "Скорость левой руки"])

    predicted.first.click()
    palette = page.locator("[data-testid=palette]")
    expect(palette.locator("h2")).to_have_text("Словарь: Конфигурации рук (HamNoSys)")
    index = palette.locator("[data-testid=handshape][data-handshape=finger2_thumbout]")
    expect(index).to_have_text("указательный палец, большой палец отведён")
    assert "finger2_thumbout" in index.get_attribute("title")
    index.click()
    expect(predicted.first).to_have_attribute("data-value", "finger2_thumbout")
    aigerim.assert_no_script_errors()
