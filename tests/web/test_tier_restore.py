"""Undo of a tier's deletion (issue 13): the tiers deleted together and their annotations are created again in one
request, all together or not at all, so that a refused annotation never leaves a tier restored without them."""

from __future__ import annotations

import pytest

from kslars.web.annotation import models as m
from kslars.web.projects.models import Project
from tests.web.site_helpers import client_for
from tests.web.test_annotation_api import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner, unannotated_project) -> Api:
    return Api(client_for(owner), unannotated_project)


def family_deleted(api: Api) -> tuple[dict, list[str]]:
    """Gloss with a child tier Mouth (Included_In) and a symbolic child Meaning (Symbolic_Association), each with an
    annotation, and a handshape; then Gloss (and with it Mouth and Meaning) deleted. What the editor kept: the
    order, the tiers parents first, their annotations (the restore request's body), and the tiers' names in order."""
    api.add_tier("Mouth", "Included_In", parent="Gloss")
    api.add_tier("Meaning", "Symbolic_Association", parent="Gloss")
    gloss = api.create("Gloss", value="HOUSE", start_ms=100, end_ms=900)
    api.create("Mouth", value="haus", start_ms=200, end_ms=600)
    api.create("Meaning", value="a building", parent=gloss["id"])
    document = api.document()
    order = [t["id"] for t in document["tiers"]]
    family = [t for t in document["tiers"] if t["name"] in ("Gloss", "Mouth", "Meaning")]
    assert api.delete(f"/tiers/{family[0]['id']}").status_code == 204
    tiers = [{k: t[k] for k in ("id", "name", "type_id", "parent_id", "hidden")} for t in family]
    annotations = [
        {"id": a["id"], "tier_id": t["id"], "value": a["value"]}
        | ({"start_ms": a["start_ms"], "end_ms": a["end_ms"]} if a.get("parent") is None else {"parent": a["parent"]})
        for t in family
        for a in t["annotations"]
    ]
    names = [t["name"] for t in document["tiers"]]
    return {"tiers": tiers, "annotations": annotations, "order": order}, names


def stored(project: Project) -> dict[str, list[tuple]]:
    """Each tier's name in display order with its annotations' values."""
    tiers = m.Tier.objects.filter(project=project).order_by("position")
    return {t.name: sorted(a.value for a in t.annotations.all()) for t in tiers}


def test_a_deleted_tier_family_comes_back_with_its_annotations_in_its_place(api, unannotated_project):
    body, names = family_deleted(api)
    before = api.document()["revision"]
    r = api.post("/tiers/restore", body)
    assert r.status_code == 201, r.content
    answer = r.json()
    restored = stored(unannotated_project)
    assert list(restored) == names  # every tier in its place again
    assert (restored["Gloss"], restored["Mouth"], restored["Meaning"]) == (["HOUSE"], ["haus"], ["a building"])
    assert [t["name"] for t in answer["tiers"]] == ["Gloss", "Mouth", "Meaning"]
    new = {t["name"]: t for t in answer["tiers"]}
    assert new["Mouth"]["parent_id"] == new["Meaning"]["parent_id"] == new["Gloss"]["id"]
    assert answer["tier_ids"] == {str(old["id"]): new[old["name"]]["id"] for old in body["tiers"]}
    house = new["Gloss"]["annotations"][0]
    assert new["Meaning"]["annotations"][0]["parent"] == house["id"]  # the symbolic child follows its new parent
    assert answer["annotation_ids"][body["annotations"][0]["id"]] == house["id"]
    assert answer["order"] == [t["id"] for t in api.document()["tiers"]]
    assert answer["revision"] == api.document()["revision"] > before


def test_a_refused_annotation_restores_nothing(api, unannotated_project):
    body, _ = family_deleted(api)
    body["annotations"][1]["end_ms"] = 1200  # Mouth's annotation no longer fits inside its Gloss parent
    before = stored(unannotated_project)
    r = api.post("/tiers/restore", body)
    assert r.status_code == 400, r.content
    assert "Mouth" in r.json()["detail"]
    assert stored(unannotated_project) == before  # no tier came back without its annotations


def test_references_that_do_not_fit_are_refused_with_a_message(api, unannotated_project):
    body, _ = family_deleted(api)
    before = stored(unannotated_project)
    body["annotations"][0]["tier_id"] = 999999
    r = api.post("/tiers/restore", body)
    assert r.status_code == 400 and "999999" in r.json()["detail"]
    r = api.post("/tiers/restore", {**body, "annotations": [], "tiers": [{**body["tiers"][0], "type_id": 999999}]})
    assert r.status_code == 404
    assert stored(unannotated_project) == before
