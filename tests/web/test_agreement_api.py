"""Agreement in SLAN: GET /api/agreement over real parallel tiers (the DGS right- and left-hand gloss tiers) in two
projects or in one, the same numbers as ``kslars agreement`` on the file, access for viewers only of projects they
can see, clear refusals; the page lists the tiers a user may compare."""

from __future__ import annotations

import pytest
from django.test import Client
from sklearn.metrics import cohen_kappa_score

from kslars import formats
from kslars.corpus.agreement import TierSource, compare_sources
from kslars.formats.selection import select_tiers
from kslars.web.annotation.store import add_to_project
from kslars.web.projects.models import Project, Role, Share
from tests.corpus.helpers import LEFT, RIGHT, dgs_file
from tests.web.site_helpers import client_for

pytestmark = pytest.mark.django_db
DGS = "1413703.eaf"  # signer B: 1297 right-hand and 142 left-hand glosses
RIGHT_HAND, LEFT_HAND = RIGHT.format("B"), LEFT.format("B")


def dgs_project(owner, name: str, tiers: list[str]) -> Project:
    """A project of ``owner`` holding ``tiers`` of the DGS transcript."""
    project = Project.objects.create(owner=owner, name=name)
    add_to_project(project, select_tiers(formats.read(dgs_file(DGS)), tiers))
    return project


@pytest.fixture
def projects(people) -> tuple[Project, Project]:
    """Anna's project with both hands' gloss tiers (shared with the viewer) and Boris's with the left hand only."""
    both = dgs_project(people["owner"], "Anna", [RIGHT_HAND, LEFT_HAND])
    left = dgs_project(people["owner"], "Boris", [LEFT_HAND])
    Share.objects.create(project=both, user=people["viewer"], role=Role.VIEWER)
    return both, left


def ask(client: Client, a: Project, tier_a: str, b: Project, tier_b: str, **extra) -> object:
    params = {"a": a.pk, "tier_a": tier_a, "b": b.pk, "tier_b": tier_b, **extra}
    return client.get("/api/agreement", params)


def test_two_tiers_of_one_project_agree_as_the_command_says(people, projects) -> None:
    both, _ = projects
    answer = ask(client_for(people["viewer"]), both, RIGHT_HAND, both, LEFT_HAND)
    assert answer.status_code == 200, answer.content
    data = answer.json()
    expected = compare_sources(TierSource(str(dgs_file(DGS)), RIGHT_HAND), TierSource(str(dgs_file(DGS)), LEFT_HAND))
    reference = expected.to_dict(TierSource("x", RIGHT_HAND), TierSource("x", LEFT_HAND))
    for key in ("kappa", "kappa_max", "percent_agreement", "matched", "unmatched_a", "unmatched_b", "confusion"):
        assert data[key] == reference[key], key
    assert data["boundaries"] == reference["boundaries"]
    assert (data["a"]["project"], data["a"]["file"], data["a"]["tier"]) == (both.pk, "Anna", RIGHT_HAND)
    assert data["matched"] == 24 and data["unmatched_a"] == 1297 - 24
    # the plain kappa of the linked pairs, computed independently
    pairs = data["boundaries"]["pairs"]
    assert data["cohen_kappa"] == pytest.approx(
        cohen_kappa_score([p["a"][2] for p in pairs], [p["b"][2] for p in pairs]), abs=1e-4
    )


def test_two_projects_and_who_may_compare(people, projects) -> None:
    both, left = projects
    owner = client_for(people["owner"])
    across = ask(owner, both, RIGHT_HAND, left, LEFT_HAND).json()
    within = ask(owner, both, RIGHT_HAND, both, LEFT_HAND).json()
    assert (across["b"]["file"], across["kappa"], across["matched"]) == ("Boris", within["kappa"], within["matched"])
    viewer = client_for(people["viewer"])
    assert ask(viewer, both, RIGHT_HAND, left, LEFT_HAND).status_code == 404  # Boris is not shared with the viewer
    assert ask(client_for(people["stranger"]), both, RIGHT_HAND, both, LEFT_HAND).status_code == 404
    assert ask(Client(), both, RIGHT_HAND, both, LEFT_HAND).status_code in (401, 403, 404)
    choices = viewer.get("/api/agreement/choices").json()
    assert choices == [{"id": both.pk, "name": "Anna", "tiers": [RIGHT_HAND, LEFT_HAND]}]
    assert [c["name"] for c in owner.get("/api/agreement/choices").json()] == ["Anna", "Boris"]


def test_refusals_say_why(people, projects) -> None:
    both, left = projects
    owner = client_for(people["owner"])
    missing = ask(owner, both, "Gloss", left, LEFT_HAND)
    assert missing.status_code == 400 and "Gloss" in missing.json()["detail"]
    apart = Project.objects.create(owner=people["owner"], name="Elsewhere")
    add_to_project(apart, _shifted(select_tiers(formats.read(dgs_file(DGS)), [LEFT_HAND]), 10_000_000))
    no_overlap = ask(owner, both, RIGHT_HAND, apart, LEFT_HAND)
    assert no_overlap.status_code == 400 and "do not overlap anywhere" in no_overlap.json()["detail"]
    assert ask(owner, both, RIGHT_HAND, both, LEFT_HAND, min_overlap=0).status_code == 422


def _shifted(doc, offset_ms: int):
    """``doc`` with every aligned annotation moved later by ``offset_ms``."""
    for tier in doc.tiers:
        for a in tier.annotations:
            if a.start_ms is not None:
                a.start_ms, a.end_ms = a.start_ms + offset_ms, a.end_ms + offset_ms
    return doc


def test_the_page_lists_the_tiers_the_user_may_compare(people, projects) -> None:
    both, left = projects
    page = client_for(people["viewer"]).get("/agreement/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'value="{both.pk}|{RIGHT_HAND}"' in text and f'value="{both.pk}|{LEFT_HAND}"' in text
    assert "Boris" not in text
    assert Client().get("/agreement/").status_code == 302  # to the login page
    russian = client_for(people["viewer"]).get("/agreement/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Согласованность аннотаторов" in russian and "Сравнить" in russian
