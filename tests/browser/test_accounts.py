"""Signing up, creating a project from the project list, and switching the interface language."""

from __future__ import annotations

import gettext as catalogues
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

import kslars.web
from kslars.web.projects.models import Project
from tests.browser.helpers import sign_up

LOCALE = Path(kslars.web.__file__).resolve().parent / "locale"


def script_catalogue(language: str) -> catalogues.GNUTranslations:
    """The compiled catalogue of the editor's JavaScript messages (served to the browser by /jsi18n/)."""
    return catalogues.translation("djangojs", LOCALE, [language])


def test_sign_up_and_create_a_project(person) -> None:
    """A new user signs up, creates a project on the list page and lands in its editor with the KRSL tiers."""
    aigerim = person()
    page = aigerim.page
    sign_up(page, "aigerim")
    assert get_user_model().objects.filter(username="aigerim").exists()
    expect(page.locator("body")).to_contain_text("aigerim")

    page.fill("#new-project-name", "Dialogue 1")
    page.locator("form:has(#new-project-name) [type=submit]").click()
    page.wait_for_url(re.compile(r"/p/\d+/$"))

    project = Project.objects.get(name="Dialogue 1")
    assert project.owner.username == "aigerim"
    assert page.url.endswith(f"/p/{project.id}/")
    tier_names = set(project.tiers.values_list("name", flat=True))
    assert {"Translation", "Gloss", "Right handshape", "Left handshape"} <= tier_names

    page.goto("/")
    expect(page.get_by_role("link", name="Dialogue 1")).to_be_visible()
    aigerim.assert_no_script_errors()


def test_switch_the_interface_to_russian(person) -> None:
    """The language switcher turns the pages Russian, and the choice sticks on the next page."""
    aigerim = person()
    page = aigerim.page
    sign_up(page, "aigerim")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    switcher = page.locator("form[action*='setlang']")
    switcher.locator("select[name=language]").select_option("ru")
    with page.expect_navigation():
        switcher.locator("[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("body")).to_contain_text("Проекты")

    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("django_language") == "ru"

    # The editor follows: its page and the messages its JavaScript writes come from the Russian catalogue.
    page.fill("#new-project-name", "Диалог")
    with page.expect_navigation():
        page.locator("form:has(#new-project-name) [type=submit]").click()
    expect(page.locator("[data-testid=editor]")).to_have_attribute("data-ready", "true")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    with translation.override("ru"):
        add_tier = gettext("Add tier")
    no_video = script_catalogue("ru").gettext("No video yet: drop a video file here or choose one.")
    assert add_tier != "Add tier" and no_video.startswith("Видео")
    expect(page.locator("[data-testid=add-tier]")).to_contain_text(add_tier)
    expect(page.locator("[data-testid=video-state]")).to_have_text(no_video)
    assert Project.objects.get(owner__username="aigerim").name == "Диалог"
    aigerim.assert_no_script_errors()
