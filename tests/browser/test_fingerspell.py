"""Read fingerspelling in the editor: the dialog wants a selected annotation; reading the selected annotation's
span fills a Fingerspelling tier (the word) and its letters' tier; Undo removes both and Redo brings them back; a
second run replaces its untouched word and letters, and its Undo brings the earlier ones back.

The clip shows signing, not fingerspelling: the reader runs with the lower hold threshold of the web tests so that
it reads letters (tests/web/test_fingerspell.py). The letters are not checked, only what the editor does."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kslars.web.annotation.models import Annotation, Tier
from kslars.web.jobs.models import Job
from tests.browser.helpers import log_in, make_user, signing_project_with_gloss
from tests.browser.test_editor import eventually, open_editor, wait_for_video
from tests.web.test_fingerspell import LETTERS, WORD, lenient_reader  # noqa: F401 - fixture

pytestmark = pytest.mark.slow


def test_read_fingerspelling_on_a_segment_then_undo_and_redo(person, lenient_reader) -> None:  # noqa: F811
    owner = make_user("aigerim")
    project_id, segment_id = signing_project_with_gloss(owner, "Dactyl", "NAME", 400, 1600)
    aigerim = person()
    page = aigerim.page
    log_in(page, "aigerim")
    open_editor(page, project_id)
    wait_for_video(page)

    page.locator("[data-testid=fingerspell-button]").click()
    dialog = page.locator("[data-testid=fingerspell-dialog]")
    expect(dialog.locator("[data-testid=fingerspell-span]")).to_contain_text("Select one annotation first")
    expect(dialog.locator("[data-testid=fingerspell-submit]")).to_be_disabled()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    segment = page.locator(f"[data-testid=annotation][data-annotation-id='{segment_id}']")
    segment.click()
    page.locator("[data-testid=fingerspell-button]").click()
    expect(dialog.locator("[data-testid=fingerspell-span]")).to_contain_text("400–1600 ms")
    expect(dialog.locator("select[name=alphabet]")).to_have_value("ru")  # the project's first language: Russian
    expect(dialog.locator("input[name=tier]")).to_have_value(WORD)
    dialog.locator("[data-testid=fingerspell-submit]").click()
    # eager jobs run inside the request; the editor shows the job's message once it has reloaded the document and
    # made the result one undo step (the progress panel shows it before that)
    expect(page.locator("[data-testid=message]")).to_contain_text(LETTERS, timeout=90_000)
    job = Job.objects.get(project_id=project_id, kind="fingerspell", status="succeeded")
    assert job.options == {**job.options, "alphabet": "ru", "start_ms": 400, "end_ms": 1600, "tier": WORD}

    rows = page.locator(
        f"[data-testid=tier-row][data-tier-name='{WORD}'], [data-testid=tier-row][data-tier-name='{LETTERS}']"
    )
    letters = page.locator(f"[data-testid=annotation][data-tier-name='{LETTERS}']")
    stored = Annotation.objects.filter(tier__project_id=project_id, tier__name=LETTERS)
    word = Annotation.objects.get(tier__project_id=project_id, tier__name=WORD)
    expect(rows).to_have_count(2)
    expect(page.locator(f"[data-testid=annotation][data-tier-name='{WORD}']")).to_have_attribute(
        "data-value", word.value
    )
    count = stored.count()
    assert count and all(400 <= a.start_ms < a.end_ms <= 1600 for a in stored)
    expect(letters).to_have_count(count)

    page.locator("[data-testid=undo-button]").click()
    expect(rows).to_have_count(0)
    eventually(lambda: not Tier.objects.filter(project_id=project_id, name__in=[WORD, LETTERS]).exists())
    assert Annotation.objects.filter(tier__project_id=project_id, value="NAME").exists()

    page.locator("[data-testid=redo-button]").click()
    expect(rows).to_have_count(2)
    expect(letters).to_have_count(count)
    eventually(lambda: Annotation.objects.filter(tier__project_id=project_id, tier__name=LETTERS).count() == count)

    def keys() -> set[str]:
        found = Annotation.objects.filter(tier__project_id=project_id, tier__name__in=[WORD, LETTERS])
        return set(found.values_list("key", flat=True))

    restored = keys()
    segment.click()
    page.locator("[data-testid=fingerspell-button]").click()
    dialog.locator("[data-testid=fingerspell-submit]").click()
    expect(page.locator("[data-testid=message]")).to_contain_text("Replaced", timeout=90_000)
    replaced = keys()
    assert len(replaced) == count + 1 and not replaced & restored
    page.locator("[data-testid=undo-button]").click()
    expect(page.locator("[data-testid=save-status]")).to_have_attribute("data-state", "saved")
    eventually(lambda: not Annotation.objects.filter(tier__project_id=project_id, key__in=replaced).exists())
    back = Annotation.objects.filter(tier__project_id=project_id, tier__name__in=[WORD, LETTERS])
    assert back.count() == count + 1 and all(a.attributes["alphabet"] == "ru" and a.version == 1 for a in back)
    expect(rows).to_have_count(2)
    expect(letters).to_have_count(count)
    aigerim.assert_no_script_errors()
