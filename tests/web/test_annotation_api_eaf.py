"""The annotation API on a real ELAN file: pympi's sample_3.0.eaf has all five constraints, controlled
vocabularies in two languages and Time_Subdivision chains with unaligned time slots (8778 annotations)."""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kslars import formats
from kslars.document import Document
from kslars.web.annotation.store import add_to_project, load_document
from kslars.web.projects.models import Project
from tests.conftest import shared_file

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # each test stores the 8778 annotations anew

SAMPLE = "dopefishh__pympi/test/sample_3.0.eaf"


@pytest.fixture(scope="module")
def sample() -> Document:
    return formats.read(shared_file(SAMPLE))


@pytest.fixture
def sample_project(sample):
    """A project holding the ELAN sample 3.0 file, with its owner's logged-in client as ``.client``."""
    owner = get_user_model().objects.create_user("linguist", password="a-long-test-password-1")
    project = Project.objects.create(owner=owner, name="sample 3.0")
    add_to_project(project, copy.deepcopy(sample))  # the reader's own tests validate the file
    project.client = Client()
    project.client.force_login(owner)
    return project


def send(project, method: str, path: str, body: dict | None = None):
    url = f"/api/projects/{project.id}{path}"
    if body is None:
        return project.client.generic(method, url)
    return project.client.generic(method, url, json.dumps(body), content_type="application/json")


def subdivision_of(doc: Document, tier: str, parent_id: str) -> list[str]:
    """The Time_Subdivision pieces of ``parent_id`` found the way ELAN links them: by shared time slots."""
    parent = doc.find_annotation(parent_id)[1]
    pieces = {a.start_slot: a for a in doc.tier(tier).annotations}
    chain, slot = [], parent.start_slot
    while slot != parent.end_slot:
        chain.append(pieces[slot].id)
        slot = pieces[slot].end_slot
    return chain


def test_the_whole_file_loads_in_one_request(sample_project, sample, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        r = send(sample_project, "GET", "/document")
    assert r.status_code == 200
    doc = r.json()
    constraint_of = {t["id"]: t["constraint"] for t in doc["tier_types"]}
    assert {t["name"]: constraint_of[t["type_id"]] for t in doc["tiers"]} == {
        t.id: sample.constraint_of(t).value for t in sample.tiers
    }
    loaded = {
        a["id"]: (a["value"], a["start_ms"], a["end_ms"], a["parent"], a["previous"], a["cv_entry"])
        for t in doc["tiers"]
        for a in t["annotations"]
    }
    assert loaded == {
        a.id: (a.value, a.start_ms, a.end_ms, a.parent, a.previous, a.cv_entry) for _, a in sample.annotations()
    }
    assert len(loaded) == 8778


def test_deleting_a_sentence_deletes_every_piece_below_it(sample_project, sample):
    timesub = subdivision_of(sample, "words-timesub", "a3")
    assert any(sample.find_annotation(i)[1].start_ms is None for i in timesub)  # unaligned pieces included
    symsub = [a.id for a in sample.tier("words-symsub").annotations if a.parent == "a3"]
    pos = [a.id for a in sample.tier("words-pos").annotations if a.parent in symsub]
    gestures = [a.id for a in sample.tier("gest_included").annotations if 8000 <= a.start_ms < 11000]
    r = send(sample_project, "DELETE", "/annotations/a3?version=1")
    assert r.status_code == 200, r.content
    assert sorted(r.json()["deleted"]) == sorted(["a3", *timesub, *symsub, *pos, *gestures])
    after = load_document(sample_project)
    after.validate()
    assert sum(1 for _ in after.annotations()) == 8778 - len(r.json()["deleted"])
    assert subdivision_of(sample, "words-timesub", "a4")[0] in {a.id for a in after.tier("words-timesub").annotations}


def test_a_sentence_cannot_shrink_away_from_its_words(sample_project):
    before = load_document(sample_project)
    r = send(sample_project, "PATCH", "/annotations/a1", {"version": 1, "end_ms": 4500})
    assert r.status_code == 400
    assert "would end at 2000-4500 ms" in r.json()["detail"] and "outside it" in r.json()["detail"]
    assert load_document(sample_project) == before


def test_splitting_an_aligned_word_keeps_the_subdivision_whole(sample_project):
    words = sample_project.tiers.get(name="words-timesub").id
    r = send(
        sample_project,
        "POST",
        "/annotations/batch",
        {
            "operations": [
                {"op": "update", "id": "a400", "version": 1, "end_ms": 2200},
                {"op": "create", "tier_id": words, "value": "split", "start_ms": 2200, "end_ms": 2470},
            ]
        },
    )
    assert r.status_code == 200, r.content
    new_id = r.json()["results"][1]["id"]
    assert int(new_id[1:]) > 8778  # ids continue after the file's own
    ids = [a.id for a in load_document(sample_project).tier("words-timesub").annotations]
    assert ids[ids.index("a400") + 1] == new_id  # stored in order, next to the piece it came from
    r = send(sample_project, "PATCH", "/annotations/a400", {"version": 2, "end_ms": 2100})
    assert r.status_code == 400 and "without gaps" in r.json()["detail"]


def test_part_of_speech_values_come_from_the_bilingual_vocabulary(sample_project):
    r = send(sample_project, "PATCH", "/annotations/a6784", {"version": 1, "value": "ww"})  # Dutch for "verb"
    assert r.status_code == 200 and r.json()["cv_entry"] == "cveid0"
    r = send(sample_project, "PATCH", "/annotations/a6784", {"version": 2, "value": "banana"})
    assert r.status_code == 400 and "'banana' is not in the controlled vocabulary 'POS'" in r.json()["detail"]
    assert "allowed values: v, n, adj" in r.json()["detail"]
    r = send(
        sample_project,
        "POST",
        "/annotations",
        {"tier_id": sample_project.tiers.get(name="words-pos").id, "value": "n", "parent": "a2395"},
    )
    assert r.status_code == 400 and "already has associated annotation 'a6784'" in r.json()["detail"]
