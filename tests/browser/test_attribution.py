"""Who made or last changed an annotation, shown on hover in the editor (two annotators on one project)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kslars.web.annotation.models import Tier
from kslars.web.projects.models import Role, Share
from tests.browser.helpers import api_client, log_in, make_project, make_user


def test_hovering_an_annotation_shows_who_made_it(person) -> None:
    aigerim, dana = make_user("aigerim"), make_user("dana")
    project_id = make_project(aigerim, "Two annotators")
    Share.objects.create(project_id=project_id, user=dana, role=Role.EDITOR)
    gloss = Tier.objects.get(project_id=project_id, name="Gloss").pk
    made = {}
    for user, value, start in ((aigerim, "СӘЛЕМ", 0), (dana, "РАХМЕТ", 1000)):
        body = {"tier_id": gloss, "value": value, "start_ms": start, "end_ms": start + 600}
        r = api_client(user).post(f"/api/projects/{project_id}/annotations", body, content_type="application/json")
        assert r.status_code == 201, r.content
        made[value] = r.json()["id"]
    tab = person()
    page = tab.page
    log_in(page, "aigerim")
    page.goto(f"/p/{project_id}/")
    expect(page.get_by_test_id("editor")).to_have_attribute("data-ready", "true")
    theirs = page.locator(f"[data-testid=annotation][data-annotation-id='{made['РАХМЕТ']}']")
    theirs.hover()
    expect(theirs).to_have_attribute("title", re.compile(r"^РАХМЕТ .*\nby dana$"))
    mine = page.locator(f"[data-testid=annotation][data-annotation-id='{made['СӘЛЕМ']}']")
    expect(mine).to_have_attribute("title", re.compile(r"\nby aigerim$"))
    tab.assert_no_script_errors()
