"""Import and export in Chromium: tiers of a DGS corpus file imported through the editor's dialog appear in the
timeline, a CSV export downloads the tier's rows, and the project list's import form makes a new project from
an ELAN file and its video."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from kslars import formats
from kslars.web.annotation.store import load_document
from kslars.web.projects.models import Project, Video
from tests.browser.helpers import log_in, make_project, make_user
from tests.conftest import shared_file

pytestmark = pytest.mark.browser

DGS = "Shogun6855__signlanguage-german-text2sign/dataset/1418836-15524810-15550340.eaf"
SAMPLE = "dopefishh__pympi/test/sample_3.0.eaf"
SOUP = "sign-language-processing__pose/videos/SOUP.mp4"
CHOSEN = ["Deutsche_Übersetzung_A", "Mundbild_Mundgestik_A"]


def test_import_two_tiers_through_the_dialog_then_export_csv(person) -> None:
    user = make_user("importer")
    project_id = make_project(user, "Corpus lesson")
    tab = person()
    page = tab.page
    log_in(page, "importer")
    page.goto(f"/p/{project_id}/")
    expect(page.locator("[data-testid=editor]")).to_have_attribute("data-ready", "true")

    page.get_by_test_id("import-button").click()
    expect(page.get_by_test_id("import-dialog")).to_be_visible()
    page.get_by_test_id("import-file").set_input_files(str(shared_file(DGS)))
    rows = page.get_by_test_id("import-preview-row")
    expect(rows).to_have_count(11)
    source = formats.read(shared_file(DGS))
    first = page.locator("[data-testid=import-preview-row][data-tier-name='Mundbild_Mundgestik_A'] td")
    expect(first.nth(5)).to_have_text(str(len(source.tier("Mundbild_Mundgestik_A").annotations)))
    for box in page.locator("[data-testid=import-preview-row] input[type=checkbox]").all():
        box.uncheck()
    for name in CHOSEN:
        page.locator(f"[data-testid=import-preview-row][data-tier-name='{name}'] input[type=checkbox]").check()
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("import-dialog")).to_be_hidden()
    expect(page.get_by_test_id("message")).to_contain_text("Imported 2 tiers")
    for name in CHOSEN:
        expect(page.locator(f"[data-testid=tier-row][data-tier-name='{name}']")).to_have_count(1)
    lane = page.locator("[data-testid=annotation][data-tier-name='Mundbild_Mundgestik_A']")
    expect(lane.first).to_be_attached()
    doc = load_document(Project.objects.get(pk=project_id))
    assert [len(doc.tier(n).annotations) for n in CHOSEN] == [len(source.tier(n).annotations) for n in CHOSEN]

    page.get_by_test_id("export-button").click()
    page.get_by_test_id("export-format").select_option("csv")
    for box in page.locator("[data-testid=export-dialog] .export-tier-list input").all():
        if box.get_attribute("value") != "Mundbild_Mundgestik_A":
            box.uncheck()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-download").click()
    download = download_info.value
    assert download.suggested_filename == "Corpus_lesson.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    expected = source.tier("Mundbild_Mundgestik_A").annotations
    assert [(r["tier"], r["value"], int(r["start_ms"]), int(r["end_ms"])) for r in rows] == [
        ("Mundbild_Mundgestik_A", a.value, a.start_ms, a.end_ms) for a in expected
    ]
    tab.assert_no_script_errors()


def test_project_list_import_form_creates_a_project_with_its_video(person, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("newcomer")
    tab = person()
    page = tab.page
    log_in(page, "newcomer")
    page.locator(".project-import summary").click()
    page.get_by_test_id("project-import-file").set_input_files(str(shared_file(SAMPLE)))
    page.get_by_test_id("project-import-video").set_input_files(str(shared_file(SOUP)))
    page.get_by_test_id("project-import-submit").click()
    page.wait_for_url(re.compile(r"/p/\d+/$"), timeout=30_000)
    expect(page.locator("[data-testid=editor]")).to_have_attribute("data-ready", "true", timeout=30_000)
    project = Project.objects.get(owner__username="newcomer")
    assert project.name == "sample_3.0"
    assert Video.objects.get(project=project).original_name == "SOUP.mp4"
    names = page.locator("[data-testid=tier-row]").evaluate_all("rows => rows.map(r => r.dataset.tierName)")
    assert sorted(names) == sorted(t.id for t in formats.read(shared_file(SAMPLE)).tiers)
    tab.assert_no_script_errors()
