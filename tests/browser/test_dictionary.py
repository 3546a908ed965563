"""The dictionary page in Chromium, as an anonymous visitor of a dictionary of real Ham2Pose signs: search by a
handshape clicked in the palette (one hand, then both), by a real hand photo uploaded, by a camera snapshot, by a
word in either script; the page on a phone (390x844, in Russian) has no horizontal overflow and a usable palette."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from tests.web.dictionary_helpers import PILL, hand_photo, wall_photo

API = "/api/dictionary/search/"


def open_dictionary(page: Page) -> None:
    page.goto("/dictionary/")
    expect(page.locator("[data-testid=dictionary-palette] [data-testid=handshape]").first).to_be_visible()


def handshape_button(page: Page, name: str):
    return page.locator(f"[data-testid=dictionary-palette] [data-testid=handshape][data-value={name}]")


def results(page: Page):
    return page.locator("[data-testid=results] [data-testid=result]")


def first_glosses(query: dict, count: int = 3) -> list[str]:
    """The glosses the API ranks first for a handshape query."""
    return [r["gloss"] for r in Client().get(API + "handshape", query).json()[:count]]


def test_palette_search_with_one_hand_then_both(person, dictionary: Path) -> None:
    tab = person()
    page = tab.page
    open_dictionary(page)
    expect(page.locator(".site-nav a[aria-current=page]")).to_have_text("Dictionary")
    handshape_button(page, "finger2").click()
    expect(handshape_button(page, "finger2")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-testid=chosen-dominant]")).to_have_attribute("data-value", "finger2")
    expect(results(page).first).to_be_visible()
    glosses = page.locator("[data-testid=result-gloss]").all_text_contents()
    assert glosses[:3] == first_glosses({"dominant": "finger2"}) and len(glosses) == 20
    first = results(page).first
    expect(first.locator("[data-testid=result-handshape]").first).to_have_attribute("data-handshape", "finger2")
    expect(first.locator("[data-testid=result-hamnosys] svg.hs-drawing").first).to_be_visible()
    assert first.locator("[data-testid=result-hamnosys]").get_attribute("data-hamnosys").startswith("\ue002")
    video = first.locator("[data-testid=result-video]")  # a button: the player is made on request
    page.route("https://www.sign-lang.uni-hamburg.de/**", lambda route: route.abort())  # no network in tests
    video.click()
    expect(first.locator("[data-testid=result-video-player]")).to_have_attribute("src", re.compile(r"^https://"))

    page.locator("[data-testid=hand-nondominant]").check()
    handshape_button(page, "flathand").click()
    expect(page.locator("[data-testid=chosen-nondominant]")).to_have_attribute("data-value", "flathand")
    both = first_glosses({"dominant": "finger2", "nondominant": "flathand"})
    expect(page.locator("[data-testid=result-gloss]").first).to_have_text(both[0])
    hands = results(page).first.locator("[data-testid=result-handshape]")
    expect(hands).to_have_count(2)
    assert [hands.nth(i).get_attribute("data-handshape") for i in range(2)] == ["finger2", "flathand"]

    page.locator("[data-testid=chosen-dominant] [data-clears]").click()
    expect(page.locator("[data-testid=search-error]")).to_contain_text("dominant hand's handshape too")
    tab.assert_no_script_errors()


@pytest.mark.slow
def test_photo_of_a_real_hand_is_searched_and_a_photo_without_one_explained(person, dictionary, tmp_path) -> None:
    tab = person()
    page = tab.page
    open_dictionary(page)
    page.locator("[data-testid=tab-photo]").click()
    expect(page.locator("[data-testid=panel-handshape]")).to_be_hidden()
    page.locator("[data-testid=photo-input]").set_input_files(str(hand_photo(tmp_path / "c.jpg")))
    expect(page.locator("[data-testid=photo-preview]")).to_be_visible()
    expect(results(page).first).to_be_visible(timeout=30_000)
    shapes = page.locator("[data-testid=result] [data-testid=result-handshape]:first-child")
    assert shapes.evaluate_all("els => els.slice(0, 3).map(e => e.dataset.handshape)") == ["ceeall"] * 3

    page.locator("[data-testid=photo-input]").set_input_files(str(wall_photo(tmp_path / "wall.jpg")))
    error = page.locator("[data-testid=search-error]")
    expect(error).to_have_text("The photo cannot be searched: no hand found in the picture.", timeout=30_000)
    expect(results(page)).to_have_count(0)
    tab.assert_no_script_errors()


def test_word_search_in_both_scripts_shows_translations(person, dictionary) -> None:
    tab = person()
    page = tab.page
    open_dictionary(page)
    page.locator("[data-testid=tab-text]").click()
    for word in ("таблетка", "tablet", "pil"):
        page.locator("[data-testid=text-input]").fill(word)
        expect(page.locator("[data-testid=result-gloss]").first).to_have_text("PILL1^")
    translations = results(page).first.locator("[data-testid=result-translations]")
    expect(translations.locator("dt")).to_have_text(["Russian", "Kazakh", "English"])
    expect(translations.locator("dd")).to_have_text([PILL["ru"], PILL["kk"], PILL["en"]])
    page.locator("[data-testid=text-input]").fill("?!")
    page.locator("[data-testid=text-input]").press("Enter")
    expect(page.locator("[data-testid=search-error]")).to_contain_text("has no letters or digits")
    tab.assert_no_script_errors()


def test_camera_snapshot_is_searched_as_a_photo(camera_browser, live_server, dictionary) -> None:
    """Chromium's fake camera (a test pattern, no hand): the snapshot reaches the server, which says so."""
    page = camera_browser.new_page(base_url=live_server.url)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_dictionary(page)
    page.locator("[data-testid=tab-photo]").click()
    page.locator("[data-testid=camera-open]").click()
    expect(page.locator("[data-testid=camera-preview]")).to_be_visible()
    # a function, not an expression: Playwright would eval an expression, which the CSP forbids
    page.wait_for_function("() => document.querySelector('[data-testid=camera-preview]').videoWidth > 0")
    page.locator("[data-testid=camera-capture]").click()
    expect(page.locator("[data-testid=camera]")).to_be_hidden()
    expect(page.locator("[data-testid=photo-preview]")).to_be_visible()
    expect(page.locator("[data-testid=search-error]")).to_contain_text("no hand found", timeout=30_000)
    assert errors == []


def test_without_a_camera_the_camera_button_stays_hidden(page, dictionary) -> None:
    open_dictionary(page)
    page.locator("[data-testid=tab-photo]").click()
    expect(page.locator("label[for=photo-input]")).to_be_visible()
    expect(page.locator("[data-testid=camera-open]")).to_be_hidden()


def test_phone_layout_has_no_horizontal_overflow_and_a_usable_palette(browser, live_server, dictionary) -> None:
    context = browser.new_context(
        base_url=live_server.url,
        locale="ru-RU",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    try:
        page = context.new_page()
        open_dictionary(page)
        overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        assert page.evaluate(overflow) == 0
        expect(page.locator("[data-testid=tab-handshape]")).to_have_text("Форма руки")
        expect(page.locator(".palette-hint")).to_contain_text("Нажмите на форму ведущей руки")
        button = handshape_button(page, "ceeall")
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 44
        button.tap()
        page.locator("[data-testid=jump-to-results]").tap()
        expect(results(page).first).to_be_in_viewport()
        expect(page.locator("[data-testid=search-status]")).to_contain_text("Найдено жестов: ")
        assert page.evaluate(overflow) == 0
        for tab in ("photo", "text"):
            page.locator(f"[data-testid=tab-{tab}]").tap()
            assert page.evaluate(overflow) == 0
    finally:
        context.close()
