"""The Help page's table of keyboard shortcuts is the editor's own keymap (keymap.js), in the page's language."""

from __future__ import annotations


def _rows(page) -> dict[str, str]:
    rows = page.get_by_test_id("shortcut")
    rows.first.wait_for()
    return {row.locator("td").nth(1).inner_text(): row.locator("td").first.inner_text() for row in rows.all()}


def test_help_lists_the_editors_keymap(person, live_server) -> None:
    tab = person()
    tab.page.goto(f"{live_server.url}/help/#help-shortcuts")
    rows = _rows(tab.page)
    assert rows["Redo"] == "Ctrl+Shift+Z / Ctrl+Y"
    assert rows["One frame back / forward"] == "← / →"
    assert rows["Take the first, second or third predicted value of the selected annotation"] == "1 / 2 / 3"
    assert rows["Select nothing"] == "Escape"  # Escape always cleared the selection; Help now says so
    assert len(rows) == 21
    tab.assert_no_script_errors()


def test_help_shortcuts_in_russian(person, live_server) -> None:
    tab = person("ru-RU")
    tab.page.goto(f"{live_server.url}/help/")
    rows = _rows(tab.page)
    assert rows["Воспроизвести или приостановить"] == "Space"
    assert rows["Снять выделение"] == "Escape"
    tab.assert_no_script_errors()
