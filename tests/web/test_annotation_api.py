"""The annotation API: the whole document in one request, annotation edits with constraint, vocabulary and
version checks, all-or-nothing batches, tiers, tier types, vocabularies, polling for changes and CSRF."""

from __future__ import annotations

import json
import secrets
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from kslars.krsl import default_document
from kslars.web.annotation import models as m
from kslars.web.annotation.editing import plan_positions
from kslars.web.annotation.schemas import DocumentOut
from kslars.web.annotation.store import load_document, save_document
from kslars.web.projects.models import Project, Role, Share, ShareLink
from tests.web.site_helpers import client_for, make_user

pytestmark = pytest.mark.django_db


class Api:
    """A logged-in JSON client for one project's API."""

    def __init__(self, client: Client, project: Project) -> None:
        self.client, self.base = client, f"/api/projects/{project.id}"

    def get(self, path: str):
        return self.client.get(self.base + path)

    def post(self, path: str, body: dict):
        return self.client.post(self.base + path, json.dumps(body), content_type="application/json")

    def patch(self, path: str, body: dict):
        return self.client.patch(self.base + path, json.dumps(body), content_type="application/json")

    def delete(self, path: str):
        return self.client.delete(self.base + path)

    def document(self) -> dict:
        r = self.get("/document")
        assert r.status_code == 200, r.content
        DocumentOut.model_validate(r.json())  # the shape the OpenAPI schema promises
        return r.json()

    def tier(self, name: str) -> dict:
        return next(t for t in self.document()["tiers"] if t["name"] == name)

    def type_id(self, name: str) -> int:
        return next(t["id"] for t in self.document()["tier_types"] if t["name"] == name)

    def create(self, tier: str, expect: int = 201, **fields) -> dict:
        r = self.post("/annotations", {"tier_id": self.tier(tier)["id"], **fields})
        assert r.status_code == expect, r.content
        return r.json()

    def add_tier(self, name: str, constraint: str, parent: str) -> dict:
        r = self.post("/tier-types", {"name": name.lower(), "constraint": constraint})
        assert r.status_code == 201, r.content
        r = self.post("/tiers", {"name": name, "type_id": r.json()["id"], "parent_id": self.tier(parent)["id"]})
        assert r.status_code == 201, r.content
        return r.json()


@pytest.fixture
def owner():
    return make_user("ayana")


@pytest.fixture
def api(owner, unannotated_project) -> Api:
    return Api(client_for(owner), unannotated_project)


def revision(project: Project) -> int:
    project.refresh_from_db()
    return project.revision


# ---- loading -------------------------------------------------------------------------------------
def test_new_project_document_has_krsl_tiers_and_handshape_vocabulary(api):
    doc = api.document()
    assert [t["name"] for t in doc["tiers"]] == ["Translation", "Gloss", "Right handshape", "Left handshape"]
    assert doc["project"]["role"] == "owner" and doc["video"] is None and doc["revision"] == 0
    (vocabulary,) = doc["vocabularies"]
    assert vocabulary["name"] == "HamNoSys handshapes"
    flathand = next(e for e in vocabulary["entries"] if e["id"] == "hs_flathand")
    assert flathand["values"][0]["value"] == "flathand" and flathand["attributes"]["symbols"] == "\ue001"
    handshape_type = next(t for t in doc["tier_types"] if t["name"] == "handshape")
    assert handshape_type["vocabulary_id"] == vocabulary["id"]


def test_whole_document_loads_in_one_request_with_a_bounded_number_of_queries(
    api, unannotated_project, django_assert_max_num_queries
):
    gloss = unannotated_project.tiers.get(name="Gloss")
    m.Annotation.objects.bulk_create(
        m.Annotation(
            project=unannotated_project,
            tier=gloss,
            key=f"g{i}",
            value=f"G{i}",
            start_ms=i * 100,
            end_ms=i * 100 + 90,
            position=i,
        )
        for i in range(300)
    )
    with django_assert_max_num_queries(10):
        r = api.get("/document")
    assert r.status_code == 200
    annotations = next(t for t in r.json()["tiers"] if t["name"] == "Gloss")["annotations"]
    assert [a["id"] for a in annotations] == [f"g{i}" for i in range(300)]


# ---- annotation edits ------------------------------------------------------------------------------
def test_create_update_delete_annotation_bump_versions_and_revision(api, unannotated_project):
    created = api.create("Gloss", value="СӘЛЕМ", start_ms=100, end_ms=900, attributes={"confidence": 0.8})
    assert created == {
        "id": "a1",
        "value": "СӘЛЕМ",
        "start_ms": 100,
        "end_ms": 900,
        "parent": None,
        "previous": None,
        "cv_entry": None,
        "attributes": {"confidence": 0.8},
        "version": 1,
        "annotator": "ayana",
    }
    assert revision(unannotated_project) == 1
    r = api.patch("/annotations/a1", {"version": 1, "start_ms": 50, "value": "РАХМЕТ"})
    assert r.status_code == 200 and r.json()["version"] == 2
    assert (r.json()["start_ms"], r.json()["end_ms"], r.json()["value"]) == (50, 900, "РАХМЕТ")
    assert revision(unannotated_project) == 2
    saved = load_document(unannotated_project).tier("Gloss").annotations[0]
    assert (saved.value, saved.start_ms, saved.version) == ("РАХМЕТ", 50, 2)
    r = api.delete("/annotations/a1?version=2")
    assert r.status_code == 200 and r.json() == {"deleted": ["a1"], "revision": 3}
    assert load_document(unannotated_project).tier("Gloss").annotations == []


def test_new_ids_never_repeat_and_annotations_stay_in_time_order(api, unannotated_project):
    for start in (2000, 0, 1000):
        api.create("Gloss", value=str(start), start_ms=start, end_ms=start + 500)
    assert [a.value for a in load_document(unannotated_project).tier("Gloss").annotations] == ["0", "1000", "2000"]
    api.delete("/annotations/a3?version=1")
    assert api.create("Gloss", start_ms=5000, end_ms=5100)["id"] == "a4"


def test_stale_version_is_refused_with_the_current_state(api, unannotated_project):
    api.create("Gloss", value="A", start_ms=0, end_ms=500)
    assert api.patch("/annotations/a1", {"version": 1, "value": "B"}).status_code == 200
    r = api.patch("/annotations/a1", {"version": 1, "value": "C"})
    assert r.status_code == 409
    assert "changed by someone else" in r.json()["detail"]
    assert r.json()["current"]["value"] == "B" and r.json()["current"]["version"] == 2
    r = api.delete("/annotations/a1?version=1")
    assert r.status_code == 409 and r.json()["current"]["version"] == 2
    assert load_document(unannotated_project).tier("Gloss").annotations[0].value == "B"


def test_edit_of_a_deleted_annotation_is_a_conflict_with_no_current(api):
    api.create("Gloss", value="A", start_ms=0, end_ms=500)
    api.delete("/annotations/a1?version=1")
    r = api.patch("/annotations/a1", {"version": 1, "value": "B"})
    assert r.status_code == 409 and r.json()["current"] is None and "deleted" in r.json()["detail"]


@pytest.mark.parametrize("key", ["a2", "a99", "zzz", "a" + "1" * 5000])
def test_edit_of_an_annotation_that_never_existed_is_not_found(api, unannotated_project, key):
    """Only ids the project gave out can have been deleted by someone else (409); any other is simply missing."""
    api.create("Gloss", value="A", start_ms=0, end_ms=500)
    r = api.patch(f"/annotations/{key}", {"version": 1, "value": "B"})
    assert r.status_code == 404 and r.json() == {"detail": "Not found"}
    assert api.delete(f"/annotations/{key}?version=1").status_code == 404
    r = api.post("/annotations/batch", {"operations": [{"op": "update", "id": key, "version": 1, "value": "B"}]})
    assert r.status_code == 404
    assert revision(unannotated_project) == 1


def test_edit_of_a_deleted_annotation_stays_a_conflict_in_a_project_without_an_id_counter(api, unannotated_project):
    """Projects stored before the id counter existed (or filled without it) still know a deleted id was theirs."""
    gloss = unannotated_project.tiers.get(name="Gloss")
    m.Annotation.objects.create(project=unannotated_project, tier=gloss, key="a7", value="A", start_ms=0, end_ms=500)
    assert api.delete("/annotations/a7?version=1").status_code == 200
    r = api.patch("/annotations/a7", {"version": 1, "value": "B"})
    assert r.status_code == 409 and r.json()["current"] is None


def test_edit_racing_the_deletion_of_its_project_is_not_found(api, unannotated_project, monkeypatch):
    """The project passes the access check, then its owner deletes it before the edit locks it."""
    from kslars.web.annotation import api as annotation_api
    from kslars.web.projects.services import delete_project

    checked = annotation_api.project_for

    def deleted_after_the_check(*args, **kwargs):
        found = checked(*args, **kwargs)
        delete_project(Project.objects.get(pk=unannotated_project.pk))
        return found

    api.create("Gloss", value="A", start_ms=0, end_ms=500)
    monkeypatch.setattr(annotation_api, "project_for", deleted_after_the_check)
    r = api.patch("/annotations/a1", {"version": 1, "value": "B"})
    assert r.status_code == 404 and r.json() == {"detail": "Not found"}


def test_two_editors_with_the_same_version_exactly_one_wins(owner, unannotated_project):
    editor = make_user("dana")
    Share.objects.create(project=unannotated_project, user=editor, role=Role.EDITOR)
    first, second = Api(client_for(owner), unannotated_project), Api(client_for(editor), unannotated_project)
    first.create("Gloss", value="A", start_ms=0, end_ms=500)
    r1 = first.patch("/annotations/a1", {"version": 1, "value": "from ayana"})
    r2 = second.patch("/annotations/a1", {"version": 1, "value": "from dana"})
    assert (r1.status_code, r2.status_code) == (200, 409)
    assert r2.json()["current"]["value"] == "from ayana"
    assert load_document(unannotated_project).tier("Gloss").annotations[0].value == "from ayana"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("race", ["same version", "overlapping creates"])
def test_concurrent_edits_from_threads_exactly_one_wins(owner, unannotated_project, race):
    editor = make_user("dana")
    Share.objects.create(project=unannotated_project, user=editor, role=Role.EDITOR)
    Api(client_for(owner), unannotated_project).create("Gloss", value="A", start_ms=0, end_ms=500)
    gloss = unannotated_project.tiers.get(name="Gloss").id
    clients = [Api(client_for(owner), unannotated_project), Api(client_for(editor), unannotated_project)]
    codes, barrier = [], threading.Barrier(2)

    def edit(api: Api, n: int) -> None:
        barrier.wait()
        if race == "same version":
            r = api.patch("/annotations/a1", {"version": 1, "value": f"edit {n}"})
        else:
            r = api.post("/annotations", {"tier_id": gloss, "start_ms": 1000 + n * 100, "end_ms": 1500 + n * 100})
        codes.append(r.status_code)
        connection.close()

    threads = [threading.Thread(target=edit, args=(c, n)) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if race == "same version":
        assert sorted(codes) == [200, 409]
        assert m.Annotation.objects.get(key="a1").version == 2
    else:
        assert sorted(codes) == [201, 400]
        assert m.Annotation.objects.filter(project=unannotated_project).count() == 2
    load_document(unannotated_project).validate()


# ---- batches ------------------------------------------------------------------------------------------
def test_batch_split_is_one_change(api, unannotated_project):
    api.create("Gloss", value="AB", start_ms=0, end_ms=1000)
    gloss = api.tier("Gloss")["id"]
    r = api.post(
        "/annotations/batch",
        {
            "operations": [
                {"op": "update", "id": "a1", "version": 1, "end_ms": 400, "value": "A"},
                {"op": "create", "tier_id": gloss, "value": "B", "start_ms": 400, "end_ms": 1000},
            ]
        },
    )
    assert r.status_code == 200, r.content
    results = r.json()["results"]
    assert [(a["id"], a["value"], a["start_ms"], a["end_ms"], a["version"]) for a in results] == [
        ("a1", "A", 0, 400, 2),
        ("a2", "B", 400, 1000, 1),
    ]
    assert r.json()["revision"] == revision(unannotated_project) == 2


def test_batch_is_all_or_nothing(api, unannotated_project):
    api.create("Gloss", value="A", start_ms=0, end_ms=500)
    api.create("Gloss", value="B", start_ms=600, end_ms=900)
    before, rev = load_document(unannotated_project), revision(unannotated_project)
    gloss = api.tier("Gloss")["id"]
    r = api.post(
        "/annotations/batch",
        {
            "operations": [
                {"op": "update", "id": "a1", "version": 1, "value": "changed"},
                {"op": "delete", "id": "a2", "version": 1},
                {"op": "create", "tier_id": gloss, "value": "C", "start_ms": 1000, "end_ms": 1200},
                {"op": "create", "tier_id": gloss, "value": "bad", "start_ms": 100, "end_ms": 200},  # overlaps a1
            ]
        },
    )
    assert r.status_code == 400 and "overlaps annotation 'a1'" in r.json()["detail"]
    assert load_document(unannotated_project) == before and revision(unannotated_project) == rev
    r = api.post(
        "/annotations/batch",
        {
            "operations": [
                {"op": "update", "id": "a1", "version": 1, "value": "changed"},
                {"op": "delete", "id": "a2", "version": 7},
            ]
        },
    )
    assert r.status_code == 409 and r.json()["current"]["id"] == "a2"
    assert load_document(unannotated_project) == before


def test_batch_merge_and_its_undo(api, unannotated_project):
    api.create("Gloss", value="A", start_ms=0, end_ms=400)
    api.create("Gloss", value="B", start_ms=400, end_ms=1000)
    gloss = api.tier("Gloss")["id"]
    r = api.post(
        "/annotations/batch",
        {
            "operations": [
                {"op": "update", "id": "a1", "version": 1, "end_ms": 1000, "value": "AB"},
                {"op": "delete", "id": "a2", "version": 1},
            ]
        },
    )
    assert r.json()["results"][1] == {"id": "a2", "deleted": True}
    r = api.post(
        "/annotations/batch",
        {
            "operations": [
                {"op": "update", "id": "a1", "version": 2, "end_ms": 400, "value": "A"},
                {"op": "create", "tier_id": gloss, "value": "B", "start_ms": 400, "end_ms": 1000},
            ]
        },
    )
    assert r.status_code == 200
    assert [(a.value, a.start_ms, a.end_ms) for a in load_document(unannotated_project).tier("Gloss").annotations] == [
        ("A", 0, 400),
        ("B", 400, 1000),
    ]


# ---- constraints ------------------------------------------------------------------------------------
def test_free_tier_refuses_overlaps_bad_times_and_missing_times(api):
    api.create("Gloss", start_ms=100, end_ms=500)
    r = api.post("/annotations", {"tier_id": api.tier("Gloss")["id"], "start_ms": 400, "end_ms": 700})
    assert r.status_code == 400 and "overlaps annotation 'a1' (100-500 ms)" in r.json()["detail"]
    assert "not after start" in api.create("Gloss", 400, start_ms=900, end_ms=900)["detail"]
    assert "negative" in api.create("Gloss", 400, start_ms=-5, end_ms=20)["detail"]
    assert "needs start_ms and end_ms" in api.create("Gloss", 400, value="x")["detail"]
    api.create("Gloss", start_ms=500, end_ms=700)  # touching is fine
    assert "overlaps" in api.patch("/annotations/a2", {"version": 1, "start_ms": 450}).json()["detail"]


def test_included_in_children_stay_within_their_parent(api, unannotated_project):
    api.add_tier("Mouth", "Included_In", parent="Gloss")
    api.create("Gloss", value="A", start_ms=1000, end_ms=2000)
    api.create("Mouth", value="m", start_ms=1200, end_ms=1500)
    api.create("Mouth", value="n", start_ms=1600, end_ms=1700)  # gaps are allowed
    r = api.post("/annotations", {"tier_id": api.tier("Mouth")["id"], "start_ms": 1900, "end_ms": 2100})
    assert r.status_code == 400 and "outside its parent annotation 'a1'" in r.json()["detail"]
    assert "not within any annotation" in api.create("Mouth", 400, start_ms=3000, end_ms=3100)["detail"]
    # Moving the parent so that a child falls outside is refused, and nothing moves.
    r = api.patch("/annotations/a1", {"version": 1, "start_ms": 1300})
    assert r.status_code == 400
    assert "leaving its annotation 'a2' on tier 'Mouth' (1200-1500 ms) outside it" in r.json()["detail"]
    assert load_document(unannotated_project).tier("Gloss").annotations[0].start_ms == 1000
    assert api.patch("/annotations/a1", {"version": 1, "end_ms": 1800}).status_code == 200  # still contains both
    r = api.post(
        "/annotations/batch",
        {
            "operations": [  # move the parent with its children
                {"op": "update", "id": "a1", "version": 2, "start_ms": 5000, "end_ms": 5800},
                {"op": "update", "id": "a2", "version": 1, "start_ms": 5200, "end_ms": 5500},
                {"op": "update", "id": "a3", "version": 1, "start_ms": 5600, "end_ms": 5700},
            ]
        },
    )
    assert r.status_code == 200, r.content


def test_deleting_a_parent_deletes_every_dependent_annotation(api, unannotated_project):
    api.add_tier("Mouth", "Included_In", parent="Gloss")
    api.add_tier("Mouth gloss", "Symbolic_Association", parent="Mouth")
    api.create("Gloss", value="A", start_ms=0, end_ms=1000)
    api.create("Gloss", value="B", start_ms=1000, end_ms=2000)
    api.create("Mouth", value="m", start_ms=100, end_ms=300)
    api.create("Mouth", value="n", start_ms=1100, end_ms=1300)
    api.create("Mouth gloss", value="salem", parent="a3")
    r = api.delete("/annotations/a1?version=1")
    assert r.status_code == 200 and r.json()["deleted"] == ["a1", "a3", "a5"]
    doc = load_document(unannotated_project)
    assert [a.id for _, a in doc.annotations()] == ["a2", "a4"]


def test_time_subdivision_pieces_fill_their_parent_without_gaps(api, unannotated_project):
    api.add_tier("Phases", "Time_Subdivision", parent="Gloss")
    api.create("Gloss", value="A", start_ms=1000, end_ms=2000)
    first = api.create("Phases", value="prep", start_ms=1200, end_ms=1500)  # the first piece fills the parent
    assert (first["start_ms"], first["end_ms"]) == (1000, 2000)
    phases = api.tier("Phases")["id"]
    r = api.post("/annotations", {"tier_id": phases, "start_ms": 1500, "end_ms": 1800})  # overlaps, not a split
    assert r.status_code == 400 and "overlaps annotation 'a2'" in r.json()["detail"]
    r = api.post(
        "/annotations/batch",
        {
            "operations": [  # split
                {"op": "update", "id": "a2", "version": 1, "end_ms": 1400},
                {"op": "create", "tier_id": phases, "value": "stroke", "start_ms": 1400, "end_ms": 2000},
            ]
        },
    )
    assert r.status_code == 200, r.content
    r = api.patch("/annotations/a2", {"version": 2, "end_ms": 1300})  # would leave a gap
    assert r.status_code == 400
    assert "'a2' ends at 1300 ms but the next piece 'a3' starts at 1400 ms" in r.json()["detail"]
    r = api.delete("/annotations/a3?version=1")  # would leave the parent's end uncovered
    assert r.status_code == 400 and "the last piece 'a2' ends at 1400 ms" in r.json()["detail"]
    r = api.patch("/annotations/a1", {"version": 1, "end_ms": 2500})  # the parent alone cannot grow
    assert r.status_code == 400
    api.create("Gloss", value="B", start_ms=3000, end_ms=3600)  # a4
    r = api.patch("/annotations/a3", {"version": 1, "start_ms": 3000, "end_ms": 3600})  # fills B, leaves A short
    assert r.status_code == 400 and "the last piece 'a2' ends at 1400 ms" in r.json()["detail"]
    assert len(load_document(unannotated_project).tier("Phases").annotations) == 2


def test_symbolic_subdivision_pieces_follow_their_previous(api, unannotated_project):
    api.add_tier("Morphemes", "Symbolic_Subdivision", parent="Gloss")
    api.create("Gloss", value="A", start_ms=0, end_ms=1000)
    assert "needs the id of its parent" in api.create("Morphemes", 400, value="x")["detail"]
    assert (
        "take their times from the parent"
        in api.create("Morphemes", 400, value="x", parent="a1", start_ms=0, end_ms=10)["detail"]
    )
    assert "not on parent tier" in api.create("Morphemes", 400, value="x", parent="nope")["detail"]
    api.create("Morphemes", value="one", parent="a1")  # a2, first
    api.create("Morphemes", value="three", parent="a1")  # a3, appended after a2
    two = api.create("Morphemes", value="two", parent="a1", previous="a2")  # a4, between
    zero = api.create("Morphemes", value="zero", parent="a1", previous=None)  # a5, first
    assert (two["previous"], zero["previous"]) == ("a2", None)
    pieces = load_document(unannotated_project).tier("Morphemes").annotations
    assert [(a.value, a.previous) for a in pieces] == [("zero", None), ("one", "a5"), ("two", "a2"), ("three", "a4")]
    api.delete("/annotations/a4?version=1")
    pieces = load_document(unannotated_project).tier("Morphemes").annotations
    assert [(a.value, a.previous) for a in pieces] == [("zero", None), ("one", "a5"), ("three", "a2")]
    assert "is not a piece of parent" in api.create("Morphemes", 400, value="x", parent="a1", previous="a1")["detail"]
    load_document(unannotated_project).validate()


def test_symbolic_association_allows_one_annotation_per_parent(api):
    api.add_tier("Translation gloss", "Symbolic_Association", parent="Gloss")
    api.create("Gloss", value="A", start_ms=0, end_ms=1000)
    created = api.create("Translation gloss", value="hello", parent="a1")
    assert (created["start_ms"], created["parent"]) == (None, "a1")
    r = api.post("/annotations", {"tier_id": api.tier("Translation gloss")["id"], "value": "again", "parent": "a1"})
    assert r.status_code == 400 and "already has associated annotation 'a2'" in r.json()["detail"]
    r = api.patch("/annotations/a2", {"version": 1, "start_ms": 5})
    assert r.status_code == 400 and "takes its times from its parent" in r.json()["detail"]


# ---- vocabularies -----------------------------------------------------------------------------------
def test_handshape_values_must_come_from_the_hamnosys_vocabulary(api, unannotated_project):
    created = api.create("Right handshape", value="flathand", start_ms=0, end_ms=500)
    assert created["cv_entry"] == "hs_flathand"
    r = api.post(
        "/annotations",
        {"tier_id": api.tier("Right handshape")["id"], "value": "banana", "start_ms": 600, "end_ms": 900},
    )
    assert r.status_code == 400
    assert "'banana' is not in the controlled vocabulary 'HamNoSys handshapes'" in r.json()["detail"]
    assert "allowed values: fist, fist_thumbout" in r.json()["detail"]
    by_entry = api.patch("/annotations/a1", {"version": 1, "cv_entry": "hs_finger2"}).json()
    assert (by_entry["value"], by_entry["cv_entry"]) == ("finger2", "hs_finger2")
    assert api.patch("/annotations/a1", {"version": 2, "value": "banana"}).status_code == 400
    assert api.create("Gloss", 400, value="x", start_ms=0, end_ms=10, cv_entry="hs_fist")["detail"].endswith(
        "has no controlled vocabulary: leave out cv_entry"
    )
    assert load_document(unannotated_project).tier("Right handshape").annotations[0].value == "finger2"


def test_vocabulary_edits_keep_values_valid(api, unannotated_project):
    r = api.post(
        "/vocabularies",
        {
            "name": "Mouth",
            "entries": [
                {"values": [{"value": "pa", "lang": "eng"}, {"value": "па", "lang": "rus"}]},
                {"values": [{"value": "mm", "lang": "eng"}]},
            ],
        },
    )
    assert r.status_code == 201 and [e["id"] for e in r.json()["entries"]] == ["cve_1", "cve_2"]
    vocabulary_id = r.json()["id"]
    gloss_type = api.type_id("gloss")
    api.create("Gloss", value="па", start_ms=0, end_ms=100)
    api.create("Gloss", value="free text", start_ms=200, end_ms=300)
    r = api.patch(f"/tier-types/{gloss_type}", {"vocabulary_id": vocabulary_id})
    assert r.status_code == 400 and "'free text' is not in the controlled vocabulary 'Mouth'" in r.json()["detail"]
    api.delete("/annotations/a2?version=1")
    assert api.patch(f"/tier-types/{gloss_type}", {"vocabulary_id": vocabulary_id}).status_code == 200
    assert load_document(unannotated_project).tier("Gloss").annotations[0].cv_entry == "cve_1"  # matched in Russian
    r = api.patch(f"/vocabularies/{vocabulary_id}", {"entries": [{"id": "cve_2", "values": [{"value": "mm"}]}]})
    assert r.status_code == 400 and "'па' is not in the controlled vocabulary" in r.json()["detail"]
    r = api.delete(f"/vocabularies/{vocabulary_id}")
    assert r.status_code == 400 and "used by tier types 'gloss'" in r.json()["detail"]
    assert api.patch(f"/tier-types/{gloss_type}", {"vocabulary_id": None}).status_code == 200
    assert api.delete(f"/vocabularies/{vocabulary_id}").status_code == 204
    assert api.post("/vocabularies", {"name": "HamNoSys handshapes"}).status_code == 400


# ---- tiers and tier types ------------------------------------------------------------------------------
def test_tiers_add_rename_reorder_hide_delete(api, unannotated_project):
    r = api.post("/tiers", {"name": "Notes", "type_id": api.type_id("translation")})
    assert r.status_code == 201 and r.json()["position"] == 4 and r.json()["annotations"] == []
    notes = r.json()["id"]
    assert api.post("/tiers", {"name": "Gloss", "type_id": api.type_id("gloss")}).status_code == 400
    r = api.patch(f"/tiers/{notes}", {"name": "Gloss"})
    assert r.status_code == 400 and "already has a tier named 'Gloss'" in r.json()["detail"]
    r = api.patch(f"/tiers/{notes}", {"name": "Comments", "hidden": True})
    assert r.status_code == 200 and (r.json()["name"], r.json()["hidden"], r.json()["version"]) == ("Comments", True, 2)
    assert api.patch(f"/tiers/{notes}", {"version": 1, "hidden": False}).status_code == 409
    ids = [t["id"] for t in api.document()["tiers"]]
    new_order = [ids[4], ids[1], ids[0], ids[2], ids[3]]
    r = api.post("/tiers/order", {"tier_ids": new_order})
    assert r.status_code == 200 and [t["id"] for t in r.json()] == new_order
    assert [t["id"] for t in api.document()["tiers"]] == new_order
    assert "missing" in api.post("/tiers/order", {"tier_ids": new_order[:3]}).json()["detail"]
    api.add_tier("Mouth", "Included_In", parent="Gloss")
    api.create("Gloss", value="A", start_ms=0, end_ms=1000)
    api.create("Mouth", value="m", start_ms=0, end_ms=500)
    assert api.delete(f"/tiers/{api.tier('Gloss')['id']}").status_code == 204
    names = [t["name"] for t in api.document()["tiers"]]
    assert "Gloss" not in names and "Mouth" not in names
    assert not m.Annotation.objects.filter(project=unannotated_project).exists()


def test_tier_types_and_parents(api, unannotated_project):
    r = api.post("/tier-types", {"name": "phase", "constraint": "Time_Subdivision"})
    phase = r.json()["id"]
    assert api.post("/tier-types", {"name": "phase"}).status_code == 400
    r = api.post("/tiers", {"name": "Phases", "type_id": phase})
    assert r.status_code == 400 and "needs a parent tier" in r.json()["detail"]
    r = api.post("/tiers", {"name": "Loose", "type_id": api.type_id("gloss"), "parent_id": api.tier("Gloss")["id"]})
    assert r.status_code == 400 and "needs a constraint" in r.json()["detail"]
    r = api.post("/tiers", {"name": "Phases", "type_id": phase, "parent_id": api.tier("Gloss")["id"]})
    assert r.status_code == 201 and r.json()["parent_id"] == api.tier("Gloss")["id"]
    assert api.post("/tiers", {"name": "X", "type_id": 99999}).status_code == 404
    r = api.delete(f"/tier-types/{phase}")
    assert r.status_code == 400 and "used by tiers 'Phases'" in r.json()["detail"]
    r = api.patch(f"/tiers/{api.tier('Gloss')['id']}", {"parent_id": api.tier("Phases")["id"]})  # a cycle
    assert r.status_code == 400 and "below itself" in r.json()["detail"]


def test_tier_type_change_must_suit_the_annotations(api, unannotated_project):
    api.create("Gloss", value="A", start_ms=0, end_ms=1000)
    api.create("Translation", value="hello", start_ms=0, end_ms=1000)
    api.create("Translation", value="world", start_ms=1200, end_ms=1500)
    inc = api.post("/tier-types", {"name": "inside", "constraint": "Included_In"}).json()["id"]
    translation = api.tier("Translation")["id"]
    r = api.patch(f"/tiers/{translation}", {"type_id": inc, "parent_id": api.tier("Gloss")["id"]})
    assert r.status_code == 400
    assert "cannot change like this" in r.json()["detail"] and "'a3'" in r.json()["detail"]
    assert api.tier("Translation")["parent_id"] is None
    api.delete("/annotations/a3?version=1")
    r = api.patch(f"/tiers/{translation}", {"type_id": inc, "parent_id": api.tier("Gloss")["id"]})
    assert r.status_code == 200 and r.json()["type_id"] == inc
    r = api.patch(f"/tiers/{api.tier('Gloss')['id']}", {"type_id": api.type_id("handshape")})
    assert r.status_code == 400 and "'A' is not in the controlled vocabulary" in r.json()["detail"]
    r = api.patch(f"/tier-types/{inc}", {"constraint": "Symbolic_Association"})
    assert r.status_code == 400 and "needs a parent annotation" in r.json()["detail"]
    api.patch("/annotations/a2", {"version": 1, "end_ms": 600})
    r = api.patch(f"/tier-types/{inc}", {"constraint": "Time_Subdivision"})  # a2 no longer fills a1
    assert r.status_code == 400 and "the last piece 'a2' ends at 600 ms" in r.json()["detail"]
    load_document(unannotated_project).validate()


# ---- polling, roles, CSRF ------------------------------------------------------------------------------
def test_changes_since_a_revision(api):
    assert api.get("/changes?since=0").json() == {"revision": 0, "unchanged": True}
    api.create("Gloss", value="A", start_ms=0, end_ms=500)
    r = api.get("/changes?since=0").json()
    assert r["revision"] == 1 and any(t["annotations"] for t in r["tiers"])
    assert DocumentOut.model_validate(r).tiers[1].annotations[0].value == "A"
    assert api.get("/changes?since=1").json() == {"revision": 1, "unchanged": True}


def test_viewers_read_but_cannot_edit(unannotated_project):
    viewer = make_user("bota")
    Share.objects.create(project=unannotated_project, user=viewer, role=Role.VIEWER)
    api = Api(client_for(viewer), unannotated_project)
    assert api.document()["project"]["role"] == "viewer"
    r = api.post("/annotations", {"tier_id": api.tier("Gloss")["id"], "start_ms": 0, "end_ms": 10})
    assert r.status_code == 403
    assert revision(unannotated_project) == 0


def test_read_only_links_load_the_document_until_revoked(unannotated_project):
    link = ShareLink.objects.create(project=unannotated_project)
    anonymous = Client(headers={"X-Share-Token": link.token})
    r = anonymous.get(f"/api/projects/{unannotated_project.id}/document")
    assert r.status_code == 200 and r.json()["project"]["role"] == "viewer"
    assert anonymous.get(f"/api/projects/{unannotated_project.id}/changes?since=0").json()["unchanged"] is True
    link.revoked_at = timezone.now()
    link.save()
    assert anonymous.get(f"/api/projects/{unannotated_project.id}/document").status_code == 404


def test_csrf_token_is_required_for_session_edits(owner, unannotated_project):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    api = Api(client, unannotated_project)
    gloss = api.tier("Gloss")["id"]
    body = {"tier_id": gloss, "value": "A", "start_ms": 0, "end_ms": 500}
    r = api.post("/annotations", body)
    assert r.status_code == 403 and not m.Annotation.objects.exists()
    token = secrets.token_hex(16)  # 32 characters, as Django's CSRF cookie
    client.cookies["csrftoken"] = token
    r = client.post(
        api.base + "/annotations", json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert r.status_code == 201, r.content


# ---- stored order ------------------------------------------------------------------------------------
def test_new_positions_go_between_neighbours_and_renumber_only_when_there_is_no_room():
    spaced = {"a": 0, "new": None, "b": 1024, "c": 2048}
    assert plan_positions(["a", "new", "b", "c"], spaced) == {"a": 0, "new": 512, "b": 1024, "c": 2048}
    packed = {"a": 0, "new": None, "b": 1, "c": 2}  # as imported: no room between a and b
    assert plan_positions(["a", "new", "b", "c"], packed) == {"a": 1024, "new": 2048, "b": 3072, "c": 4096}
    assert plan_positions(["new", "a"], {"a": 0, "new": None}) == {"a": 0, "new": -1024}
    moved = plan_positions(["b", "a", "c"], {"a": None, "b": 1024, "c": 2048})  # a moved after b
    assert moved == {"b": 1024, "a": 1536, "c": 2048}


def test_replacing_the_whole_document_counts_a_revision_and_never_reuses_ids(api, unannotated_project):
    for start in (0, 1000, 2000):
        api.create("Gloss", start_ms=start, end_ms=start + 500)
    editor_revision = revision(unannotated_project)
    save_document(unannotated_project, default_document())  # e.g. an import replacing everything
    assert revision(unannotated_project) == editor_revision + 1
    assert api.get(f"/changes?since={editor_revision}").json()["tiers"][1]["annotations"] == []
    assert api.create("Gloss", start_ms=0, end_ms=500)["id"] == "a4"
