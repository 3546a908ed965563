"""Take the README's screenshots of the editor from a running SLAN with a real video and a few annotations.

    .venv/bin/kslars serve --port 8765 --data-dir /tmp/kslars-screenshot &
    .venv/bin/python scripts/editor_screenshot.py http://127.0.0.1:8765/                  # docs/images/editor.png
    .venv/bin/python scripts/editor_screenshot.py http://127.0.0.1:8765/ --language ru    # editor-ru.png
    .venv/bin/python scripts/editor_screenshot.py http://127.0.0.1:8765/ --language kk    # editor-kk.png
    .venv/bin/python scripts/editor_screenshot.py http://127.0.0.1:8765/ --phone          # editor-phone.png
    .venv/bin/python scripts/editor_screenshot.py http://127.0.0.1:8765/ --all            # all four

Signs up a "demo" user (or logs in), creates a project through the API in the browser's language (so its tiers are
named in it), uploads the signing clip from ../shared/data, adds glosses and handshapes, runs the automatic
annotation on the server's worker, opens the editor in headless Chromium with the skeleton shown and saves the PNG
(reduced to 256 colours, and the desktop ones to 1000 pixels wide, so that they stay small).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("KSLARS_SHARED_DATA", REPO.parent / "shared" / "data"))
VIDEO = SHARED_DATA / "sign-language-processing__pose/src/python/tests/data/test_video.mp4"
OUTPUT = REPO / "docs/images/editor.png"
DESKTOP, PHONE = {"width": 1280, "height": 1180}, {"width": 390, "height": 844}
SHOTS = {
    "en": ("en", False),
    "ru": ("ru", False),
    "kk": ("kk", False),
    "phone": ("en", True),
}  # name: (language, phone)
USER, PASSWORD = "demo", "Kslars-demo-pass-42"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]


def log_in(page: Page) -> None:
    """Sign up the demo user, or log in when the account exists."""
    page.goto("accounts/signup/")
    page.fill("input[name=username]", USER)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    if "/accounts/" in page.url:
        page.goto("accounts/login/")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form [type=submit]").click()
        page.wait_for_load_state()


def api(page: Page, method: str, path: str, **kwargs) -> dict:
    """Call the JSON API as the logged-in user; exits with the server's message on errors."""
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    # the page's language too (Playwright's requests do not send it), so that a project is made in it
    headers = {"X-CSRFToken": csrf, "Accept-Language": page.evaluate("() => navigator.language")}
    response = page.request.fetch("api/" + path, method=method, headers=headers, **kwargs)
    if not response.ok:
        sys.exit(f"{method} /api/{path} failed with {response.status}: {response.text()}")
    return response.json() if response.status != 204 else {}


def prepare_project(page: Page) -> int:
    """A project with the video, a translation, glosses and handshapes; returns its id."""
    project = api(page, "POST", "projects", data={"name": "Fingerspelling clip"})
    pid = project["id"]
    video = {"name": VIDEO.name, "mimeType": "video/mp4", "buffer": VIDEO.read_bytes()}
    api(page, "POST", f"projects/{pid}/video", multipart={"file": video})
    for _ in range(120):
        if api(page, "GET", f"projects/{pid}/video")["status"] == "ready":
            break
        time.sleep(0.5)
    document = api(page, "GET", f"projects/{pid}/document")
    # the default tiers in their fixed order, whatever language they are named in
    tiers = dict(zip(("Translation", "Gloss", "Right handshape", "Left handshape"), document["tiers"], strict=False))
    types = {t["id"]: t for t in document["tier_types"]}
    vocabularies = {v["id"]: v for v in document["vocabularies"]}

    def add(tier: str, value: str, start_ms: int, end_ms: int) -> None:
        fields = {"tier_id": tiers[tier]["id"], "value": value, "start_ms": start_ms, "end_ms": end_ms}
        api(page, "POST", f"projects/{pid}/annotations", data=fields)

    add("Translation", "example translation", 80, 1850)
    add("Gloss", "GLOSS-1", 150, 820)
    add("Gloss", "GLOSS-2", 900, 1700)
    handshape_type = types[tiers["Right handshape"]["type_id"]]
    entries = vocabularies[handshape_type["vocabulary_id"]]["entries"]
    names = [entry["values"][0]["value"] for entry in entries]
    add("Right handshape", names[0], 150, 820)
    add("Right handshape", names[min(5, len(names) - 1)], 900, 1700)
    job = api(page, "POST", f"projects/{pid}/process", data={})
    for _ in range(600):
        job = api(page, "GET", f"jobs/{job['id']}")
        if job["status"] not in ("queued", "running"):
            break
        time.sleep(0.5)
    if job["status"] != "succeeded":
        sys.exit(f"automatic annotation ended {job['status']}: {job.get('error')}")
    return pid


def take(browser, base_url: str, language: str, phone: bool, output: Path) -> None:
    """One screenshot of the editor in ``language``, desktop or phone sized, saved small to ``output``."""
    locale = {"en": "en-US", "ru": "ru-RU", "kk": "kk-KZ"}[language]
    context = browser.new_context(base_url=base_url, viewport=PHONE if phone else DESKTOP, locale=locale)
    page = context.new_page()
    log_in(page)
    pid = prepare_project(page)
    page.goto(f"p/{pid}/")
    page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.readyState >= 2; }")
    page.locator("[data-testid=skeleton-toggle]").click()
    page.evaluate("() => { const v = document.querySelector('video'); v.currentTime = 0.6; }")
    # select the first right-hand annotation, so that the palette shows the handshapes
    right = page.locator("[data-testid=tier-row]").nth(2).get_attribute("data-tier-name")
    page.locator(f"[data-testid=annotation][data-tier-name='{right}']").first.click()
    page.wait_for_selector("[data-testid=palette] [data-testid=handshape]")
    page.mouse.move(1, 1)
    page.wait_for_timeout(1000)
    page.screenshot(path=output)
    context.close()
    image = Image.open(output).convert("RGB")
    if not phone:
        image = image.resize((1000, round(image.height * 1000 / image.width)), Image.Resampling.LANCZOS)
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(output, optimize=True)
    print(f"saved {output} ({output.stat().st_size // 1024} KB)")


def main() -> None:
    """Parse the arguments, prepare the projects and save the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="address of the running SLAN, e.g. http://127.0.0.1:8765/")
    parser.add_argument("--language", choices=["en", "ru", "kk"], default="en", help="the interface language")
    parser.add_argument("--phone", action="store_true", help="a phone-sized screen (390x844)")
    parser.add_argument("--all", action="store_true", help="English, Russian, Kazakh and phone, to docs/images/")
    parser.add_argument("--output", type=Path, help="where to save (default: docs/images/editor[-LANG|-phone].png)")
    args = parser.parse_args()
    base_url = args.url if args.url.endswith("/") else args.url + "/"
    if not VIDEO.exists():
        sys.exit(f"the signing clip {VIDEO} is missing: set KSLARS_SHARED_DATA or lay ../shared/data beside the repo")
    if args.all:
        shots = list(SHOTS.items())
    else:
        name = ("phone" if args.language == "en" else f"phone-{args.language}") if args.phone else args.language
        shots = [(name, (args.language, args.phone))]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, (language, phone) in shots:
            default = OUTPUT if name == "en" else OUTPUT.with_name(f"editor-{name}.png")
            take(browser, base_url, language, phone, args.output if args.output and not args.all else default)
        browser.close()


if __name__ == "__main__":
    main()
