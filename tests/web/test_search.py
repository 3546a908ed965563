"""Corpus-wide search: GET /api/search, /api/search/filters, the search page and the stills of its results.

Access follows the projects app: a user finds annotations in the projects they own and in those shared with them
(any role), never in anyone else's; anonymous callers are refused.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from kslars.krsl import default_document
from kslars.web.annotation import models as am
from kslars.web.annotation.store import add_to_project
from kslars.web.projects.models import Project, Role, Share, Video, VideoStatus
from kslars.web.search import services, stills
from tests.conftest import shared_file
from tests.web.site_helpers import client_for

pytestmark = pytest.mark.django_db
SOUP = "sign-language-processing__pose/videos/SOUP.mp4"


def make_project(owner, name: str, glosses: list[tuple[str, int]], signer: str | None = None) -> Project:
    """A KRSL project whose Gloss tier holds ``glosses`` (value, start ms; 400 ms each) and Right handshape
    'flathand' at 0 ms; every tier's participant is ``signer``."""
    project = Project.objects.create(owner=owner, name=name)
    add_to_project(project, default_document())
    project.tiers.update(participant=signer)
    gloss, hand = project.tiers.get(name="Gloss"), project.tiers.get(name="Right handshape")
    for i, (value, start) in enumerate(glosses):
        am.Annotation.objects.create(
            project=project, tier=gloss, key=f"g{i}", value=value, start_ms=start, end_ms=start + 400, position=i
        )
    am.Annotation.objects.create(project=project, tier=hand, key="h0", value="flathand", start_ms=0, end_ms=300)
    return project


@pytest.fixture
def corpus():
    users = get_user_model().objects
    alice, bob, carol = (users.create_user(n, password="a-long-pass-1") for n in ("alice", "bob", "carol"))
    own = make_project(alice, "Alice interview", [("HOUSE", 1000), ("HOUSE2", 2000), ("MY-HOUSE", 3000)], "S01")
    shared = make_project(bob, "Bob stories", [("HOUSE", 500), ("ДОМ", 1500)], "S02")
    edited = make_project(bob, "Bob edited", [("HOUSE", 700)], "S03")
    Share.objects.create(project=shared, user=alice, role=Role.VIEWER)
    Share.objects.create(project=edited, user=alice, role=Role.EDITOR)
    secret = make_project(carol, "Carol secret", [("HOUSE", 100), ("ДОМ", 200)], "S09")
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "own": own,
        "shared": shared,
        "edited": edited,
        "secret": secret,
    }


def found(client: Client, **params) -> dict:
    response = client.get("/api/search", params)
    assert response.status_code == 200, response.content
    return response.json()


def places(body: dict) -> list[tuple[str, str, int]]:
    return [(r["project_name"], r["value"], r["start_ms"]) for r in body["results"]]


def test_a_user_finds_their_own_and_shared_projects_and_never_others(corpus):
    body = found(client_for(corpus["alice"]), q="HOUSE")
    assert body["count"] == 3
    assert sorted(places(body)) == [("Alice interview", "HOUSE", 1000), ("Bob edited", "HOUSE", 700),
                                    ("Bob stories", "HOUSE", 500)]  # fmt: skip
    carol = found(client_for(corpus["carol"]), q="HOUSE")
    assert places(carol) == [("Carol secret", "HOUSE", 100)]
    bob = found(client_for(corpus["bob"]), q="ДОМ")
    assert places(bob) == [("Bob stories", "ДОМ", 1500)]  # carol's ДОМ stays hers


def test_a_viewer_finds_the_shared_project_and_loses_it_when_the_share_goes(corpus):
    alice = client_for(corpus["alice"])
    assert places(found(alice, q="ДОМ")) == [("Bob stories", "ДОМ", 1500)]
    Share.objects.filter(project=corpus["shared"], user=corpus["alice"]).delete()
    assert found(alice, q="ДОМ")["count"] == 0


def test_anonymous_callers_are_refused(corpus):
    assert Client().get("/api/search", {"q": "HOUSE"}).status_code == 401
    assert Client().get("/api/search/filters").status_code == 401
    page = Client().get("/search/?q=HOUSE")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_prefix_regex_and_handshape_modes(corpus):
    alice = client_for(corpus["alice"])
    assert {r["value"] for r in found(alice, q="HOUSE", mode="prefix")["results"]} == {"HOUSE", "HOUSE2"}
    assert {r["value"] for r in found(alice, q=r"HOUSE\d$", mode="regex")["results"]} == {"HOUSE2"}
    assert {r["value"] for r in found(alice, q="(?i)-house", mode="regex")["results"]} == {"MY-HOUSE"}
    hands = found(alice, q="flathand", mode="handshape")
    assert hands["count"] == 3 and {r["tier"] for r in hands["results"]} == {"Right handshape"}
    am.Annotation.objects.create(
        project=corpus["own"], tier=corpus["own"].tiers.get(name="Gloss"), key="g9", value="flathand", start_ms=9000
    )
    assert found(alice, q="flathand", mode="handshape")["count"] == 3  # a gloss is not a handshape
    assert found(alice, q="flathand")["count"] == 4


def test_filters_by_tier_project_and_signer(corpus):
    alice = client_for(corpus["alice"])
    assert places(found(alice, q="HOUSE", signer="S02")) == [("Bob stories", "HOUSE", 500)]
    assert places(found(alice, q="HOUSE", project=corpus["edited"].pk)) == [("Bob edited", "HOUSE", 700)]
    assert found(alice, q="HOUSE", tier="Translation")["count"] == 0
    assert found(alice, q="HOUSE", project=corpus["secret"].pk)["count"] == 0  # not hers: nothing, no error
    choices = found_filters = client_for(corpus["alice"]).get("/api/search/filters").json()
    assert [p["name"] for p in found_filters["projects"]] == ["Alice interview", "Bob edited", "Bob stories"]
    assert choices["signers"] == ["S01", "S02", "S03"] and "Gloss" in choices["tiers"]


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"q": "(unclosed", "mode": "regex"}, "invalid regular expression"),
        ({"q": "x" * 201, "mode": "regex"}, "201 characters"),
        ({"q": "", "mode": "exact"}, "type what to search for"),
    ],
)
def test_bad_queries_get_400_with_a_message(corpus, params, word):
    response = client_for(corpus["alice"]).get("/api/search", params)
    assert response.status_code == 400
    assert word in response.json()["detail"]


def test_a_catastrophic_regular_expression_gets_400_in_time(corpus, monkeypatch):
    from kslars.corpus import search_query

    monkeypatch.setattr(search_query, "REGEX_SECONDS", 0.2)
    gloss = corpus["own"].tiers.get(name="Gloss")
    am.Annotation.objects.create(project=corpus["own"], tier=gloss, key="long", value="a" * 30 + "!", start_ms=9000)
    response = client_for(corpus["alice"]).get("/api/search", {"q": "(a|aa)+$", "mode": "regex"})
    assert response.status_code == 400 and "took more than" in response.json()["detail"]


def test_pages_links_and_referring_annotations(corpus):
    alice = client_for(corpus["alice"])
    first = found(alice, q="HOUSE", page_size=2)
    second = found(alice, q="HOUSE", page_size=2, page=2)
    assert (first["count"], first["pages"], len(first["results"]), len(second["results"])) == (3, 2, 2, 1)
    seen = {(r["project_id"], r["annotation_id"]) for r in first["results"]}
    assert not seen & {(r["project_id"], r["annotation_id"]) for r in second["results"]}
    hit = first["results"][0]
    assert hit["editor_url"] == f"/p/{hit['project_id']}/#t={hit['start_ms'] / 1000:.3f}&a={hit['annotation_id']}"
    assert hit["still_url"] is None and hit["has_video"] is False  # no video in these projects
    # a referring annotation shows its aligned parent's time
    project = corpus["own"]
    ttype = am.TierType.objects.create(project=project, name="sub", constraint="Symbolic_Association")
    child = am.Tier.objects.create(project=project, name="Meaning", tier_type=ttype,
                                   parent=project.tiers.get(name="Gloss"))  # fmt: skip
    am.Annotation.objects.create(project=project, tier=child, key="m0", value="home", parent_key="g1")
    assert places(found(alice, q="home")) == [("Alice interview", "home", 2000)]


def test_counting_stops_at_the_limit(corpus, monkeypatch):
    monkeypatch.setattr(services, "COUNT_LIMIT", 2)
    body = found(client_for(corpus["alice"]), q="HOUSE", page_size=1)
    assert (body["count"], body["more"], body["pages"], len(body["results"])) == (2, True, 2, 1)
    assert found(client_for(corpus["carol"]), q="HOUSE")["more"] is False
    page = client_for(corpus["alice"]).get("/search/", {"q": "HOUSE"}).content.decode()
    assert "More than 2 annotations found" in page


def test_the_openapi_schema_documents_the_routes():
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {"q", "mode", "tier", "project", "signer", "page", "page_size"} <= {
        p["name"] for p in paths["/api/search"]["get"]["parameters"]
    }
    assert "/api/search/filters" in paths


def add_video(project: Project, path) -> Video:
    stored = default_storage.save(f"videos/original/{path.name}", ContentFile(path.read_bytes()))
    return Video.objects.create(project=project, original=stored, original_name=path.name, status=VideoStatus.READY,
                                duration_ms=2000, fps=25, width=64, height=48)  # fmt: skip


def test_stills_of_results_are_pictures_of_the_video_at_that_time_and_cached(corpus, monkeypatch):
    add_video(corpus["shared"], shared_file(SOUP))
    cache.clear()
    alice = client_for(corpus["alice"])
    hit = next(r for r in found(alice, q="ДОМ")["results"])
    assert hit["still_url"] == f"/p/{corpus['shared'].pk}/still/1500"
    taken = []
    real = stills.video_thumbnail
    monkeypatch.setattr(stills, "video_thumbnail", lambda *a, **k: taken.append(k["at_ms"]) or real(*a, **k))
    first = alice.get(hit["still_url"])
    assert first.status_code == 200 and first["Content-Type"] == "image/jpeg"
    assert first.content[:2] == b"\xff\xd8" and len(first.content) > 1000
    assert alice.get(hit["still_url"]).content == first.content
    assert taken == [1500]  # the second answer came from the cache
    assert alice.get(f"/p/{corpus['shared'].pk}/still/0").content != first.content
    assert client_for(corpus["carol"]).get(hit["still_url"]).status_code == 404
    assert alice.get(f"/p/{corpus['own'].pk}/still/0").status_code == 404  # no video


def test_the_page_lists_results_with_links_in_the_users_language(corpus):
    alice = client_for(corpus["alice"])
    page = alice.get("/search/", {"q": "HOUSE", "signer": "S01"}, HTTP_ACCEPT_LANGUAGE="ru")
    html = page.content.decode()
    assert page.status_code == 200 and 'lang="ru"' in html
    assert html.count('data-testid="search-result"') == 1 and f'href="/p/{corpus["own"].pk}/#t=1.000&amp;a=g0"' in html
    assert "Найдена 1 аннотация" in html and "Жестующий" in html
    bad = alice.get("/search/", {"q": "(x", "mode": "regex"}, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert 'data-testid="search-error"' in bad and "Carol secret" not in bad
