"""Corpus-wide search in Chromium: a person searches a gloss across their projects and one shared with them, sees
each result with the video's still at that moment (and none from a stranger's project), clicks one, and the
editor opens at that moment with the annotation selected; the page on a phone in Russian."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from kslars.web.annotation.models import Annotation
from kslars.web.projects.models import Project, Role, Share
from tests.browser.helpers import log_in, make_project, make_user, signing_project_with_gloss


def test_search_shows_stills_and_opens_the_editor_at_the_moment(person) -> None:
    aigerim, dana, stranger = make_user("aigerim"), make_user("dana"), make_user("stranger")
    own_id, own_annotation = signing_project_with_gloss(aigerim, "Interview 1", "ҮЙ", 1200, 1800)
    shared_id, _ = signing_project_with_gloss(dana, "Dana's stories", "ҮЙ", 400, 900)
    Share.objects.create(project_id=shared_id, user=aigerim, role=Role.VIEWER)
    signing_project_with_gloss(stranger, "Stranger's secret", "ҮЙ", 100, 300)
    no_video = Project.objects.get(pk=make_project(aigerim, "Notes without video"))
    Annotation.objects.create(project=no_video, tier=no_video.tiers.get(name="Gloss"), key="n1", value="ҮЙ",
                              start_ms=5000, end_ms=5500)  # fmt: skip

    tab = person()
    page = tab.page
    log_in(page, "aigerim")
    page.get_by_role("link", name="Corpus search").click()
    page.get_by_test_id("search-text").fill("ҮЙ")
    page.get_by_test_id("search-submit").click()
    results = page.get_by_test_id("search-result")
    expect(results).to_have_count(3)
    expect(page.get_by_test_id("search-count")).to_have_text("3 annotations found")
    expect(page.get_by_text("Stranger's secret")).to_have_count(0)
    stills = page.get_by_test_id("search-still")
    expect(stills).to_have_count(2)  # the project without a video shows none
    for still in stills.all():
        still.scroll_into_view_if_needed()
        expect(still).to_have_js_property("complete", True)
        assert still.evaluate("img => img.naturalWidth") > 0, "the still did not load"

    own = page.locator(
        f"[data-testid=search-result][data-project-id='{own_id}'][data-annotation-id='{own_annotation}']"
    )
    expect(own).to_contain_text("Interview 1")
    expect(own).to_contain_text("00:01.200")
    own.get_by_test_id("search-result-link").click()
    page.wait_for_url(
        re.compile(re.escape(reverse("editor", args=[own_id])) + r"#t=1\.200&a=" + re.escape(own_annotation) + "$")
    )
    expect(page.get_by_test_id("editor")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("time-display")).to_have_text("00:01.200")
    video_time = page.get_by_test_id("video").evaluate("v => v.currentTime")
    assert abs(video_time - 1.2) < 0.05
    annotation = page.locator(f"[data-testid=annotation][data-annotation-id='{own_annotation}']")
    expect(annotation).to_have_class(re.compile("is-selected"))
    tab.assert_no_script_errors()


def test_search_page_on_a_phone_in_russian(person) -> None:
    aigerim = make_user("aigerim")
    signing_project_with_gloss(aigerim, "Интервью", "ДОМ", 1200, 1800)
    tab = person("ru-RU")
    page = tab.page
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "aigerim")
    page.goto("/search/?q=%D0%94%D0%9E&mode=prefix")
    expect(page.get_by_role("heading", name="Поиск по корпусу")).to_be_visible()
    expect(page.get_by_test_id("search-result")).to_have_count(1)
    expect(page.get_by_test_id("search-count")).to_have_text("Найдена 1 аннотация")
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(overflow) <= 0, "the search page runs off the side of a phone"
    page.goto("/search/?q=%28x&mode=regex")
    expect(page.get_by_test_id("search-error")).to_contain_text("неверное регулярное выражение")
    tab.assert_no_script_errors()
