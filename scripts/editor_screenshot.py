"""Take the README's screenshot of the editor from a running SLAN with a real video and a few annotations.

    .venv/bin/kslars serve --port 8765 --data-dir /tmp/kslars-screenshot &
    .venv/bin/python scripts/editor_screenshot.py http://127.0.0.1:8765/

Signs up a "demo" user (or logs in), creates a project through the API, uploads the signing clip from
../shared/data, adds glosses and handshapes, runs the automatic annotation on the server's worker, opens the
editor in headless Chromium with the skeleton shown and saves docs/images/editor.png (reduced to 256 colours so
it stays small).
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
    response = page.request.fetch("api/" + path, method=method, headers={"X-CSRFToken": csrf}, **kwargs)
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
    tiers = {t["name"]: t for t in document["tiers"]}
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


def main() -> None:
    """Parse the arguments, prepare the project and save the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="address of the running SLAN, e.g. http://127.0.0.1:8765/")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    base_url = args.url if args.url.endswith("/") else args.url + "/"
    if not VIDEO.exists():
        sys.exit(f"the signing clip {VIDEO} is missing: set KSLARS_SHARED_DATA or lay ../shared/data beside the repo")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 1180})
        page = context.new_page()
        log_in(page)
        pid = prepare_project(page)
        page.goto(f"p/{pid}/")
        page.wait_for_function("() => { const v = document.querySelector('video'); return v && v.readyState >= 2; }")
        page.locator("[data-testid=skeleton-toggle]").click()
        page.evaluate("() => { const v = document.querySelector('video'); v.currentTime = 0.6; }")
        # select the first right-hand annotation, so that the palette shows the handshapes
        page.locator("[data-testid=annotation][data-tier-name='Right handshape']").first.click()
        page.wait_for_selector("[data-testid=palette] [data-testid=handshape]")
        page.wait_for_timeout(1000)
        page.screenshot(path=args.output)
        browser.close()
    image = Image.open(args.output).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(args.output, optimize=True)
    print(f"saved {args.output} ({args.output.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
