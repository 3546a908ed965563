"""The pages' format menus and file choosers come from the server's format registry (GET /api/formats): the
editor's Export menu offers every format kslars.formats writes, labelled in the page's language, with the tier
choice and the frame-number option that format allows; the import choosers take every extension it reads."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kslars import formats
from tests.browser.helpers import log_in, make_project, make_user

pytestmark = pytest.mark.browser

READABLE = ",".join(ext for f in formats.FORMATS.values() if f.readable for ext in f.extensions)


def test_export_menu_and_import_choosers_follow_the_registry(person) -> None:
    user = make_user("lecturer")
    project_id = make_project(user, "Menus")
    tab = person("ru-RU")
    page = tab.page
    log_in(page, "lecturer")
    page.goto(f"/p/{project_id}/")
    expect(page.locator("[data-testid=editor]")).to_have_attribute("data-ready", "true")

    page.get_by_test_id("export-button").click()
    menu = page.get_by_test_id("export-format")
    expect(menu.locator("option")).to_have_count(sum(f.writable for f in formats.FORMATS.values()))
    values = menu.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert values == [name for name, f in formats.FORMATS.items() if f.writable]
    expect(menu.locator("option[value=csv]")).to_have_text("Таблица CSV (.csv)")
    tiers = page.locator(".export-tier-list input")
    menu.select_option("srt")  # one tier: a choice of one
    expect(tiers.first).to_have_attribute("type", "radio")
    expect(page.locator(".export-times")).to_be_hidden()
    menu.select_option("csv")  # several tiers, and frame numbers
    expect(tiers.first).to_have_attribute("type", "checkbox")
    expect(page.locator(".export-times")).to_be_visible()
    expect(page.get_by_test_id("export-download")).to_have_attribute(
        "href", f"/api/projects/{project_id}/export?format=csv"
    )
    page.keyboard.press("Escape")

    expect(page.get_by_test_id("import-file")).to_have_attribute("accept", READABLE)
    expect(page.get_by_test_id("import-formats")).to_contain_text(".eaf, .json, .csv")
    page.goto("/")
    expect(page.get_by_test_id("project-import-file")).to_have_attribute("accept", READABLE)
    expect(page.get_by_test_id("project-import-formats")).to_contain_text(".srt")
    tab.assert_no_script_errors()
