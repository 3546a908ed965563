"""Deleting a tier and undoing it (issue 13): Undo brings the tier back with its annotations, and when the server
refuses one of them, nothing comes back at all (never a tier without its annotations)."""

from __future__ import annotations

from playwright.sync_api import expect

from kslars.web.annotation.models import Tier, Vocabulary
from tests.browser.helpers import api_client
from tests.browser.test_editor import annotations, eventually
from tests.browser.test_editor_first_use import editor_with_video, gloss


def handshape_and_gloss(owner, project_id: int) -> None:
    """HELLO on Gloss over 300-900 ms and the handshape 'flathand' on Right handshape over 300-600 ms."""
    gloss(owner, project_id, "HELLO", 300, 900)
    gloss(owner, project_id, "flathand", 300, 600, tier_name="Right handshape")


def row_names(page) -> list[str]:
    """The tiers' names in the order of the timeline's rows."""
    return page.locator("[data-testid=tier-row]").evaluate_all("rows => rows.map((r) => r.dataset.tierName)")


def delete_tier(page, name: str, project_id: int) -> None:
    """Delete tier ``name`` with its label's button and the confirmation; wait until the server has done it."""
    label = page.locator(f"[data-testid=tier-label][data-tier-name='{name}']")
    label.hover()
    label.locator("[data-testid=tier-delete]").click()
    page.get_by_test_id("confirm-delete").click()
    expect(page.locator(f"[data-testid=tier-row][data-tier-name='{name}']")).to_have_count(0)
    eventually(lambda: not Tier.objects.filter(project_id=project_id, name=name).exists())


def test_undo_brings_a_deleted_tier_back_with_its_annotations(person) -> None:
    aigerim, project_id = editor_with_video(person, handshape_and_gloss)
    page = aigerim.page
    before = row_names(page)
    delete_tier(page, "Gloss", project_id)

    page.get_by_test_id("undo-button").click()
    expect(page.locator("[data-testid=annotation][data-tier-name=Gloss][data-value=HELLO]")).to_be_visible()
    assert row_names(page) == before  # back in its place
    assert (
        list(Tier.objects.filter(project_id=project_id).order_by("position").values_list("name", flat=True)) == before
    )
    eventually(
        lambda: [(a.value, a.start_ms, a.end_ms) for a in annotations(project_id, "Gloss")] == [("HELLO", 300, 900)]
    )

    page.get_by_test_id("redo-button").click()  # deleted again, then back again: the ids are followed
    expect(page.locator("[data-testid=tier-row][data-tier-name=Gloss]")).to_have_count(0)
    eventually(lambda: not Tier.objects.filter(project_id=project_id, name="Gloss").exists())
    page.get_by_test_id("undo-button").click()
    expect(page.locator("[data-testid=annotation][data-tier-name=Gloss][data-value=HELLO]")).to_be_visible()
    eventually(lambda: [a.value for a in annotations(project_id, "Gloss")] == ["HELLO"])
    aigerim.assert_no_script_errors()


def test_an_undo_the_server_refuses_brings_back_no_tier_without_its_annotations(person) -> None:
    """While the handshape tier is deleted, someone takes 'flathand' out of the handshape vocabulary: Undo cannot
    create that annotation again, so it creates nothing, and says why."""
    aigerim, project_id = editor_with_video(person, handshape_and_gloss)
    page = aigerim.page
    delete_tier(page, "Right handshape", project_id)

    vocabulary = Vocabulary.objects.get(project_id=project_id, name="HamNoSys handshapes")
    owner = api_client(vocabulary.project.owner)
    document = owner.get(f"/api/projects/{project_id}/document").json()
    entries = next(v for v in document["vocabularies"] if v["id"] == vocabulary.pk)["entries"]
    set_entries(owner, vocabulary, [e for e in entries if e["id"] != "hs_flathand"])

    page.get_by_test_id("undo-button").click()
    expect(page.get_by_test_id("message")).to_contain_text("flathand")
    expect(page.locator("[data-testid=tier-row][data-tier-name='Right handshape']")).to_have_count(0)
    assert not Tier.objects.filter(project_id=project_id, name="Right handshape").exists()
    assert [a.value for a in annotations(project_id, "Gloss")] == ["HELLO"]

    # The step is still there: once 'flathand' is back in the vocabulary, Undo brings the tier back with it.
    set_entries(owner, vocabulary, entries)
    expect(page.get_by_test_id("undo-button")).to_be_enabled()
    page.get_by_test_id("undo-button").click()
    flathand = "[data-testid=annotation][data-tier-name='Right handshape'][data-value=flathand]"
    expect(page.locator(flathand)).to_be_visible()
    eventually(
        lambda: (
            [(a.value, a.start_ms, a.end_ms) for a in annotations(project_id, "Right handshape")]
            == [("flathand", 300, 600)]
        )
    )
    aigerim.assert_no_script_errors()


def set_entries(client, vocabulary, entries: list[dict]) -> None:
    """Replace the entries of ``vocabulary`` through the API, as another editor of the project would."""
    changed = client.patch(
        f"/api/projects/{vocabulary.project_id}/vocabularies/{vocabulary.pk}",
        {"entries": entries},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
