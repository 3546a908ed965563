"""Sharing: a second user who can view but not edit, and a read-only link opened logged out."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kslars.web.annotation.models import Annotation
from kslars.web.projects.models import Share, ShareLink
from tests.browser.helpers import api_client, log_in, make_project, make_user, signing_video


def project_with_a_gloss(owner) -> tuple[int, str]:
    """A project with the real signing video and one gloss, made through the API; returns (project id, annotation id)."""
    project_id = make_project(owner, "Shared dialogue", video=signing_video())
    client = api_client(owner)
    document = client.get(f"/api/projects/{project_id}/document").json()
    gloss = next(t for t in document["tiers"] if t["name"] == "Gloss")
    response = client.post(
        f"/api/projects/{project_id}/annotations",
        {"tier_id": gloss["id"], "value": "HELLO", "start_ms": 200, "end_ms": 900},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return project_id, response.json()["id"]


def share_form(page):
    """The form on the sharing page that adds a person."""
    return page.locator("form:has(input[name=username])")


def test_a_viewer_sees_the_project_but_cannot_edit(person) -> None:
    """The owner shares with a viewer on the sharing page; the viewer sees the gloss, and edits are refused."""
    owner, viewer = make_user("aigerim"), make_user("daniyar")
    project_id, annotation_id = project_with_a_gloss(owner)

    aigerim = person()
    log_in(aigerim.page, "aigerim")
    aigerim.page.goto(f"/p/{project_id}/share/")
    form = share_form(aigerim.page)
    form.locator("input[name=username]").fill("daniyar")
    form.locator("select[name=role]").select_option("viewer")
    with aigerim.page.expect_navigation():
        form.locator("[type=submit]").click()
    expect(aigerim.page.locator("main")).to_contain_text("daniyar")
    share = Share.objects.get(project_id=project_id, user=viewer)
    assert share.role == "viewer"

    daniyar = person()
    page = daniyar.page
    log_in(page, "daniyar")
    expect(page.get_by_role("link", name="Shared dialogue")).to_be_visible()
    page.goto(f"/p/{project_id}/")
    expect(page.locator("[data-testid=editor]")).to_have_attribute("data-ready", "true")
    expect(page.locator("[data-testid=readonly-badge]")).to_be_visible()
    gloss = page.locator(f"[data-testid=annotation][data-annotation-id='{annotation_id}']")
    expect(gloss).to_contain_text("HELLO")

    # Editing gestures do nothing for a viewer: no new annotation, no value editor, no tier button.
    page.locator("[data-testid=tier-row][data-tier-name=Translation] .tl-lane").dblclick(position={"x": 30, "y": 8})
    gloss.dblclick()
    expect(page.locator("[data-testid=annotation-input]")).to_be_hidden()
    page.keyboard.type("CHANGED")
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=add-tier]")).to_have_count(0)
    expect(page.locator("[data-testid=undo-button]")).to_have_count(0)
    # The server refuses a viewer's edit even when sent directly.
    status = page.evaluate(
        """async ([projectId, annotationId]) => {
            const csrf = document.cookie.split('; ').find(c => c.startsWith('csrftoken='))?.split('=')[1];
            const r = await fetch(`/api/projects/${projectId}/annotations/${annotationId}`, {
                method: 'PATCH', headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
                body: JSON.stringify({version: 1, value: 'CHANGED'})});
            return r.status;
        }""",
        [project_id, annotation_id],
    )
    assert status == 403
    stored = Annotation.objects.filter(tier__project_id=project_id)
    assert [a.value for a in stored] == ["HELLO"]
    daniyar.assert_no_script_errors()


def test_a_read_only_link_works_logged_out(person) -> None:
    """The owner creates a read-only link; someone logged out opens it, plays the video, sees the gloss, cannot edit."""
    owner = make_user("aigerim")
    project_id, annotation_id = project_with_a_gloss(owner)

    aigerim = person()
    log_in(aigerim.page, "aigerim")
    aigerim.page.goto(f"/p/{project_id}/share/")
    with aigerim.page.expect_navigation():
        aigerim.page.locator("form:has(input[name=action][value=link]) [type=submit]").click()
    link = ShareLink.objects.get(project_id=project_id, revoked_at__isnull=True)
    shown = aigerim.page.locator("main input[readonly]")
    expect(shown).to_have_value(re.compile(rf"/s/{link.token}/$"))

    guest = person()
    page = guest.page
    page.goto(shown.input_value())  # what the owner copies and sends
    expect(page.locator("[data-testid=editor]")).to_have_attribute("data-ready", "true")
    expect(page.locator(f"[data-testid=annotation][data-annotation-id='{annotation_id}']")).to_contain_text("HELLO")
    expect(page.locator("[data-testid=readonly-badge]")).to_be_visible()
    video = page.locator("[data-testid=video]")
    page.wait_for_function("v => v.readyState >= 1 && v.duration > 1.5", arg=video.element_handle())
    expect(page.locator("[data-testid=add-tier]")).to_have_count(0)
    assert "sessionid" not in {c["name"] for c in page.context.cookies()}

    with aigerim.page.expect_navigation():
        aigerim.page.locator(f"form:has(input[name=link_id][value='{link.id}']) [type=submit]").click()
    link.refresh_from_db()
    assert link.revoked_at is not None
    response = page.goto(f"/s/{link.token}/")
    assert response.status == 404
    guest.assert_no_script_errors()
