"""Deleting a gloss with its symbolic children and undoing it: Undo creates the gloss and the children that point to
it in one request, all or nothing, so a failure never brings back a gloss without its children and the retry after a
network failure creates nothing twice."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import api_client
from tests.browser.test_editor import eventually
from tests.browser.test_editor_first_use import editor_with_video, gloss
from tests.web.test_batch_refs import stored

HELLO = "[data-testid=annotation][data-tier-name=Gloss][data-value=HELLO]"


def gloss_with_pieces(owner, project_id: int) -> None:
    """HELLO on Gloss over 300-900 ms, split into the pieces 'hel' and 'lo' on a Symbolic_Subdivision tier below."""
    client = api_client(owner)
    base = f"/api/projects/{project_id}"
    made = client.post(
        f"{base}/tier-types", {"name": "morphemes", "constraint": "Symbolic_Subdivision"}, "application/json"
    )
    tiers = client.get(f"{base}/document").json()["tiers"]
    parent = next(t["id"] for t in tiers if t["name"] == "Gloss")
    tier = client.post(
        f"{base}/tiers", {"name": "Morphemes", "type_id": made.json()["id"], "parent_id": parent}, "application/json"
    ).json()["id"]
    hello = gloss(owner, project_id, "HELLO", 300, 900)
    for value in ("hel", "lo"):
        created = client.post(
            f"{base}/annotations", {"tier_id": tier, "value": value, "parent": hello}, "application/json"
        )
        assert created.status_code == 201, created.content


@pytest.mark.slow  # waits for the save queue's retry, 5 s after the network failure
def test_undo_brings_a_deleted_gloss_back_with_its_pieces_in_one_request(person) -> None:
    aigerim, project_id = editor_with_video(person, gloss_with_pieces)
    page = aigerim.page
    whole = stored(project_id)
    assert whole == [
        ("Gloss", "HELLO", None, None),
        ("Morphemes", "hel", "HELLO", None),
        ("Morphemes", "lo", "HELLO", "hel"),
    ]
    page.locator(HELLO).click()
    page.keyboard.press("Delete")
    expect(page.locator(HELLO)).to_have_count(0)
    eventually(lambda: stored(project_id) == [])

    # The first request that would create a piece cannot reach the server: nothing comes back (no gloss without its
    # pieces), and the save queue sends the step again.
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method != "GET" else None)
    failures = []

    def offline_once(route) -> None:
        if failures or '"parent"' not in (route.request.post_data or ""):
            route.continue_()
        else:
            failures.append(route.request.url)
            route.abort()

    page.route("**/annotations**", offline_once)
    page.get_by_test_id("undo-button").click()
    eventually(lambda: failures or stored(project_id))
    assert stored(project_id) == []  # no gloss without its pieces
    expect(page.locator(HELLO)).to_be_visible(timeout=15_000)  # the retry, 5 s later
    eventually(lambda: stored(project_id) == whole)
    assert len(sent) == 2 and all(url.endswith("/annotations/batch") for url in sent)  # the try and its retry
    expect(page.locator("[data-testid=annotation][data-tier-name=Morphemes][data-value=lo]")).to_be_visible()
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    aigerim.assert_no_script_errors()
