"""Controlled vocabularies and tier settings in the editor: a vocabulary made with entries in several languages,
attached to a tier type, offered when annotating that tier, an entry renamed (its annotation follows), deletion
refused while a tier type uses it, the handshape vocabulary's attributes kept through an edit, a tier type change
refused when annotations break the new type, and no such controls for viewers."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from kslars.hamnosys import handshape_vocabulary
from kslars.web.annotation.models import Annotation, Tier, TierType, Vocabulary
from kslars.web.projects.models import Share
from tests.browser.helpers import api_client, log_in, make_project, make_user
from tests.browser.test_editor import eventually, open_editor


def open_vocabularies(page: Page):
    """Open the Vocabularies dialog from the toolbar."""
    page.locator("[data-testid=vocab-button]").click()
    dialog = page.locator("[data-testid=vocab-dialog]")
    expect(dialog).to_be_visible()
    return dialog


def entry_input(dialog, row: int, field: str, lang: str):
    """The value or description input of entry ``row`` (0-based) in language ``lang``."""
    entry = dialog.locator("[data-testid=vocab-entry-row]").nth(row)
    return entry.locator(f"[data-testid=vocab-entry-{field}][data-lang={lang}]")


def test_vocabulary_made_attached_offered_renamed_and_kept_while_in_use(person) -> None:
    """Create "Mouth" with two entries, attach it to the gloss type, annotate from it, rename an entry, and see
    the deletion refused while the gloss type uses it."""
    project_id = make_project(make_user("owner-a"), "Mouthings")
    Share.objects.create(project_id=project_id, user=make_user("editor-b"), role="editor")
    tab = person()
    page = tab.page
    log_in(page, "editor-b")
    open_editor(page, project_id)

    dialog = open_vocabularies(page)
    expect(dialog.locator("[data-testid=vocab-item][data-vocab-name='HamNoSys handshapes']")).to_be_visible()
    dialog.locator("[data-testid=vocab-new]").click()
    dialog.locator("[data-testid=vocab-name]").fill("Mouth")
    dialog.locator("[data-testid=vocab-description][data-lang=rus]").fill("Движения рта")
    entry_input(dialog, 0, "value", "rus").fill("па")
    entry_input(dialog, 0, "value", "eng").fill("pa")
    entry_input(dialog, 0, "description", "eng").fill("lips closed, then open")
    dialog.locator("[data-testid=vocab-add-entry]").click()
    entry_input(dialog, 1, "value", "kaz").fill("мм")
    dialog.locator("[data-testid=vocab-save]").click()
    expect(dialog.locator("[data-testid=vocab-status]")).to_contain_text("Mouth")
    expect(dialog.locator("[data-testid=vocab-item][data-vocab-name=Mouth]")).to_have_attribute("aria-current", "true")
    mouth = eventually(lambda: Vocabulary.objects.filter(project_id=project_id, name="Mouth").first())
    assert [e["values"] for e in mouth.entries] == [
        [
            {"value": "па", "lang": "rus", "description": None},
            {"value": "pa", "lang": "eng", "description": "lips closed, then open"},
        ],
        [{"value": "мм", "lang": "kaz", "description": None}],
    ]
    assert mouth.descriptions == [{"value": "Движения рта", "lang": "rus", "description": None}]

    # Attach it to the gloss tier type.
    dialog.locator("[data-testid=type-vocabulary][data-type-name=gloss]").select_option(label="Mouth")
    expect(dialog.locator("[data-testid=vocab-status]")).to_contain_text("gloss")
    assert TierType.objects.get(project_id=project_id, name="gloss").vocabulary_id == mouth.id
    expect(dialog.locator("[data-testid=vocab-used]")).to_contain_text("gloss")

    # Deleting it is refused with the server's reason while the gloss type uses it.
    dialog.locator("[data-testid=vocab-delete]").click()
    dialog.locator("[data-testid=vocab-confirm-delete]").click()
    expect(dialog.locator("[data-testid=vocab-error]")).to_contain_text("used by tier types 'gloss'")
    assert Vocabulary.objects.filter(pk=mouth.pk).exists()
    dialog.locator("[data-testid=vocab-close]").click()
    expect(dialog).to_be_hidden()

    # Annotating on a Gloss tier offers the entries (suggestions while typing, and the palette).
    lane = page.locator("[data-testid=tier-row][data-tier-name=Gloss] .tl-lane").bounding_box()
    page.mouse.dblclick(lane["x"] + 120, lane["y"] + lane["height"] / 2)
    value_input = page.locator("[data-testid=annotation-input]")
    expect(value_input).to_be_visible()
    assert value_input.get_attribute("list") == "slan-value-options"
    options = page.locator("#slan-value-options option").evaluate_all("os => os.map(o => o.value)")
    assert options == ["па", "мм"]
    palette = page.locator("[data-testid=palette] [data-testid=vocabulary-entry]")
    assert palette.evaluate_all("bs => bs.map(b => b.dataset.value)") == ["па", "мм"]
    value_input.fill("pa")
    value_input.press("Enter")
    expect(page.locator("[data-testid=annotation][data-tier-name=Gloss][data-value=pa]")).to_be_visible()
    stored = eventually(lambda: Annotation.objects.filter(project_id=project_id, tier__name="Gloss").first())
    assert (stored.value, stored.cv_entry) == ("pa", "cve_1")

    # Renaming the entry in English renames the annotation along with it.
    dialog = open_vocabularies(page)
    expect(dialog.locator("[data-testid=vocab-item][data-vocab-name=Mouth]")).to_have_attribute("aria-current", "true")
    entry_input(dialog, 0, "value", "eng").fill("pah")
    dialog.locator("[data-testid=vocab-save]").click()
    expect(dialog.locator("[data-testid=vocab-status]")).to_contain_text("Mouth")
    mouth.refresh_from_db()
    assert [v["value"] for v in mouth.entries[0]["values"]] == ["па", "pah"]
    stored.refresh_from_db()
    assert (stored.value, stored.cv_entry) == ("pah", "cve_1")
    dialog.locator("[data-testid=vocab-close]").click()
    expect(page.locator("[data-testid=annotation][data-tier-name=Gloss][data-value=pah]")).to_be_visible()

    # Detached from the gloss type, it can be deleted; the annotation keeps its value as free text.
    dialog = open_vocabularies(page)
    dialog.locator("[data-testid=type-vocabulary][data-type-name=gloss]").select_option(label="(none)")
    expect(dialog.locator("[data-testid=vocab-used]")).to_contain_text("No tier type uses this vocabulary")
    dialog.locator("[data-testid=vocab-delete]").click()
    expect(dialog.locator("[data-testid=vocab-confirm-text]")).to_contain_text("Mouth with its 2 entries")
    dialog.locator("[data-testid=vocab-confirm-delete]").click()
    expect(dialog.locator("[data-testid=vocab-status]")).to_contain_text("Vocabulary Mouth is deleted.")
    expect(dialog.locator("[data-testid=vocab-item]")).to_have_count(1)
    assert not Vocabulary.objects.filter(pk=mouth.pk).exists()
    stored.refresh_from_db()
    assert (stored.value, stored.cv_entry) == ("pah", None)
    tab.assert_no_script_errors()


def test_editing_the_handshape_vocabulary_keeps_every_entrys_attributes(person) -> None:
    """A description typed for one handshape is saved; every entry keeps its id, HamNoSys symbols and drawing data."""
    project_id = make_project(make_user("aigerim"), "Handshapes")
    tab = person()
    page = tab.page
    log_in(page, "aigerim")
    open_editor(page, project_id)
    dialog = open_vocabularies(page)
    expect(dialog.locator("[data-testid=vocab-item][data-vocab-name='HamNoSys handshapes']")).to_have_attribute(
        "aria-current", "true"
    )
    expected = handshape_vocabulary()
    expect(dialog.locator("[data-testid=vocab-entry-row]")).to_have_count(len(expected.entries))
    entry_input(dialog, 0, "value", "rus").fill("кулак")
    entry_input(dialog, 0, "description", "eng").fill("a closed fist")
    dialog.locator("[data-testid=vocab-save]").click()
    expect(dialog.locator("[data-testid=vocab-status]")).to_contain_text("HamNoSys handshapes")
    row = Vocabulary.objects.get(project_id=project_id)
    assert [e["id"] for e in row.entries] == [e.id for e in expected.entries]
    assert [e["attributes"] for e in row.entries] == [e.attributes for e in expected.entries]
    assert row.entries[0]["values"] == [
        {"value": expected.entries[0].values[0].value, "lang": "eng", "description": "a closed fist"},
        {"value": "кулак", "lang": "rus", "description": None},
    ]
    assert all(
        e["values"] == [vars(v) for v in x.values] for e, x in zip(row.entries[1:], expected.entries[1:], strict=True)
    )
    assert row.descriptions == [vars(d) for d in expected.descriptions]  # shown in its field and saved as it was
    tab.assert_no_script_errors()


def test_tier_settings_refuse_a_type_that_annotations_break_then_rename_and_undo(person) -> None:
    """Giving Translation an Included_In type under Gloss is refused (an annotation lies outside Gloss): the
    server's message stays in the dialog and nothing changes. A rename with a participant works and undoes."""
    owner = make_user("aigerim")
    project_id = make_project(owner, "Settings")
    client = api_client(owner)
    base = f"/api/projects/{project_id}"
    tiers = {t.name: t.id for t in Tier.objects.filter(project_id=project_id)}
    for tier, start, end in (("Gloss", 0, 1000), ("Translation", 0, 1000), ("Translation", 1200, 1500)):
        r = client.post(
            base + "/annotations",
            {"tier_id": tiers[tier], "value": "x", "start_ms": start, "end_ms": end},
            content_type="application/json",
        )
        assert r.status_code == 201, r.content
    r = client.post(
        base + "/tier-types", {"name": "inside", "constraint": "Included_In"}, content_type="application/json"
    )
    assert r.status_code == 201, r.content
    tab = person()
    page = tab.page
    log_in(page, "aigerim")
    open_editor(page, project_id)

    label = page.locator("[data-testid=tier-label][data-tier-name=Translation]")
    label.hover()  # the tier's buttons show beside its label while the pointer is over it
    label.locator("[data-testid=tier-settings]").click()
    dialog = page.locator("[data-testid=tier-settings-dialog]")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".tier-settings-parent")).to_be_hidden()
    dialog.locator("[name=type]").select_option(label="inside (Included_In)")
    expect(dialog.locator(".tier-settings-parent")).to_be_visible()
    dialog.locator("[name=parent]").select_option(label="Gloss")
    dialog.locator("[data-testid=tier-settings-submit]").click()
    expect(dialog.locator("[data-testid=tier-settings-error]")).to_contain_text("cannot change like this")
    expect(dialog).to_be_visible()
    translation = Tier.objects.get(pk=tiers["Translation"])
    assert (translation.tier_type.name, translation.parent_id) == ("translation", None)

    # Back to its own type; a new name and a participant are saved, and Undo puts them back.
    dialog.locator("[name=type]").select_option(label="translation (None)")
    dialog.locator("[name=name]").fill("Free translation")
    dialog.locator("[name=participant]").fill("Signer A")
    dialog.locator("[data-testid=tier-settings-submit]").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("[data-testid=tier-row][data-tier-name='Free translation']")).to_be_visible()
    translation.refresh_from_db()
    assert (translation.name, translation.participant, translation.tier_type.name) == (
        "Free translation",
        "Signer A",
        "translation",
    )
    page.locator("[data-testid=undo-button]").click()
    expect(page.locator("[data-testid=tier-row][data-tier-name=Translation]")).to_be_visible()
    eventually(lambda: Tier.objects.filter(pk=tiers["Translation"], name="Translation", participant=None).exists())

    # Right-clicking a tier's label opens its settings too.
    page.locator("[data-testid=tier-label][data-tier-name=Gloss]").click(button="right")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[name=name]")).to_have_value("Gloss")
    tab.assert_no_script_errors()


def test_viewers_get_no_vocabulary_or_tier_settings_controls(person) -> None:
    """A viewer sees the tiers but neither the Vocabularies button, its dialog, nor tier settings."""
    owner = make_user("aigerim")
    project_id = make_project(owner, "Read only")
    Share.objects.create(project_id=project_id, user=make_user("daniyar"), role="viewer")
    tab = person()
    page = tab.page
    log_in(page, "daniyar")
    open_editor(page, project_id)
    expect(page.locator("[data-testid=tier-label][data-tier-name=Gloss]")).to_be_visible()
    for testid in ("vocab-button", "vocab-dialog", "tier-settings", "tier-settings-dialog"):
        expect(page.locator(f"[data-testid={testid}]")).to_have_count(0)
    page.locator("[data-testid=tier-label][data-tier-name=Gloss]").click(button="right")
    expect(page.locator("dialog[open]")).to_have_count(0)
    tab.assert_no_script_errors()
