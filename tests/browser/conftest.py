"""Browser tests: headless Debian Chromium driven by Playwright against pytest-django's live server.

Every test here is marked ``browser``. The server runs in this process (a thread), so tests can check what the
server stored through the ORM as well as what a person sees on the page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the test thread; Django would otherwise refuse ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("KSLARS_BROWSER", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "Kslars-test-pass-42"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser with ``browser``."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """One headless Chromium for the tests in this folder (Debian's package at /usr/bin/chromium, or $KSLARS_BROWSER).

    Package scope: Playwright's sync API stops before other folders' tests start their own."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package (scripts/test.sh does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        headless = os.environ.get("KSLARS_HEADED") != "1"
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=headless, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def camera_browser(browser) -> Iterator[object]:
    """A second Chromium from the shared Playwright, with a fake camera that needs no permission prompt."""
    flags = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + flags)
    yield chromium
    chromium.close()


@pytest.fixture(autouse=True)
def _live_db(transactional_db: None) -> None:
    """The live server runs in another thread, so tests need committed (transactional) data."""


@pytest.fixture(autouse=True)
def _jobs_run_inline() -> Iterator[None]:
    """Background jobs (video conversion) run inside the request, so there is no worker to wait for."""
    from kslars.web.celery_app import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def new_context(browser, live_server, request: pytest.FixtureRequest):
    """A factory of fresh browser contexts (separate cookies: one per person) on the live server; ``options`` go to
    Playwright's ``new_context`` (a device's viewport, ``has_touch``)."""
    contexts = []

    def make(locale: str = "en-US", **options):
        options = {"viewport": {"width": 1280, "height": 800}, **options}
        context = browser.new_context(base_url=live_server.url, locale=locale, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for number, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for index, page in enumerate(context.pages):
                name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
                page.screenshot(path=ARTIFACTS / f"{name}-{number}-{index}.png", full_page=True)
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test item, so fixtures can save screenshots of failed tests."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


class Browsing:
    """One person's browser tab, with the JavaScript errors it raised."""

    def __init__(self, context) -> None:
        self.context = context
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def assert_no_script_errors(self) -> None:
        """Fail when any page raised an uncaught JavaScript error."""
        assert self.errors == [], f"JavaScript errors on the page: {self.errors}"


@pytest.fixture
def person(new_context):
    """A factory of people, each with their own browser context and tab: ``person()`` or ``person("ru-RU")``."""
    return lambda locale="en-US": Browsing(new_context(locale))


@pytest.fixture
def page(person):
    """A tab in a fresh browser context (no one logged in)."""
    return person().page
