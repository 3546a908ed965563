"""Undo and redo of a background job's result in one request (POST /tiers/batch): the job's new tiers are deleted,
or created again, together with the annotation operations on the tiers it filled, all together or not at all, so that
a refused part never leaves the other parts applied."""

from __future__ import annotations

import pytest

from kslars.web.annotation import models as m
from kslars.web.projects.models import Project
from tests.web.site_helpers import client_for, make_user
from tests.web.test_annotation_api import Api, revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner, unannotated_project) -> Api:
    return Api(client_for(owner), unannotated_project)


def stored(project: Project) -> dict[str, list[str]]:
    """Each tier's name in display order with its annotations' values."""
    tiers = m.Tier.objects.filter(project=project).order_by("position")
    return {t.name: sorted(a.value for a in t.annotations.all()) for t in tiers}


def job_written(api: Api) -> tuple[dict, dict]:
    """Gloss HOUSE written by hand; then a job's result: a new tier Mouth (inside Gloss) with "haus", and TREE on the
    existing Gloss tier. Returns the Mouth tier and TREE as the editor sees them."""
    api.create("Gloss", value="HOUSE", start_ms=100, end_ms=900)
    api.add_tier("Mouth", "Included_In", parent="Gloss")
    api.create("Mouth", value="haus", start_ms=200, end_ms=600)
    tree = api.create("Gloss", value="TREE", start_ms=1000, end_ms=1500)
    return api.tier("Mouth"), tree


def undo_body(mouth: dict, tree: dict) -> dict:
    return {
        "operations": [{"op": "delete", "id": tree["id"], "version": tree["version"]}],
        "delete_tiers": [mouth["id"]],
    }


def test_undo_deletes_the_new_tiers_and_the_annotations_in_one_request(api, unannotated_project):
    mouth, tree = job_written(api)
    before = revision(unannotated_project)
    r = api.post("/tiers/batch", undo_body(mouth, tree))
    assert r.status_code == 200, r.content
    assert r.json()["results"] == [{"id": tree["id"], "deleted": True}]
    assert r.json()["restored"] is None
    assert "Mouth" not in stored(unannotated_project)
    assert stored(unannotated_project)["Gloss"] == ["HOUSE"]
    assert r.json()["revision"] == revision(unannotated_project) > before


@pytest.mark.parametrize(
    ("refusal", "status"),
    [
        ({"version": 99}, 409),  # TREE changed since: its delete is a conflict
        ({"delete_tiers": [999999]}, 404),  # the annotations are fine, the tier is not there
    ],
)
def test_a_refused_part_of_an_undo_changes_nothing(api, unannotated_project, refusal, status):
    mouth, tree = job_written(api)
    body = undo_body(mouth, tree)
    if "version" in refusal:
        body["operations"][0]["version"] = refusal["version"]
    else:
        body["delete_tiers"] += refusal["delete_tiers"]
    before, kept = revision(unannotated_project), stored(unannotated_project)
    r = api.post("/tiers/batch", body)
    assert r.status_code == status, r.content
    assert stored(unannotated_project) == kept  # the Mouth tier is not deleted, TREE is still there
    assert kept["Mouth"] == ["haus"] and "TREE" in kept["Gloss"]
    assert revision(unannotated_project) == before


def redo_body(api: Api, mouth: dict, tree: dict) -> dict:
    """Undo (as above), then the body that does the job's result again: Mouth and "haus" back, TREE created."""
    annotations = [{"id": a["id"], "tier_id": mouth["id"], "value": a["value"], "start_ms": a["start_ms"],
                    "end_ms": a["end_ms"]} for a in mouth["annotations"]]  # fmt: skip
    order = [t["id"] for t in api.document()["tiers"]]
    assert api.post("/tiers/batch", undo_body(mouth, tree)).status_code == 200
    tier = {k: mouth[k] for k in ("id", "name", "type_id", "parent_id", "hidden")}
    create = {"op": "create", "tier_id": api.tier("Gloss")["id"], "value": "TREE", "start_ms": 1000, "end_ms": 1500}
    return {"restore": {"tiers": [tier], "annotations": annotations, "order": order}, "operations": [create]}


def test_redo_restores_the_tiers_and_applies_the_annotations_in_one_request(api, unannotated_project):
    mouth, tree = job_written(api)
    body = redo_body(api, mouth, tree)
    r = api.post("/tiers/batch", body)
    assert r.status_code == 200, r.content
    answer = r.json()
    assert [t["name"] for t in answer["restored"]["tiers"]] == ["Mouth"]
    assert answer["results"][0]["value"] == "TREE"
    assert stored(unannotated_project)["Mouth"] == ["haus"]
    assert sorted(stored(unannotated_project)["Gloss"]) == ["HOUSE", "TREE"]
    assert answer["revision"] == revision(unannotated_project)


def test_a_refused_operation_of_a_redo_restores_no_tier(api, unannotated_project):
    mouth, tree = job_written(api)
    body = redo_body(api, mouth, tree)
    body["operations"][0]["start_ms"] = 500  # TREE would overlap HOUSE on Gloss
    before, kept = revision(unannotated_project), stored(unannotated_project)
    r = api.post("/tiers/batch", body)
    assert r.status_code == 400, r.content
    assert r.json()["detail"]
    assert stored(unannotated_project) == kept and "Mouth" not in kept
    assert revision(unannotated_project) == before


def test_only_editors_may_send_a_step(api, unannotated_project):
    mouth, tree = job_written(api)
    r = Api(client_for(make_user("dana")), unannotated_project).post("/tiers/batch", undo_body(mouth, tree))
    assert r.status_code == 404  # no access to the project at all
    assert stored(unannotated_project)["Mouth"] == ["haus"]
