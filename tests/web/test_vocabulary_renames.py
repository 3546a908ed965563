"""Renaming a controlled vocabulary entry renames the annotations that refer to it (ELAN's behaviour); removing
an entry still in use is refused, and the handshape entries' attributes survive an edit of another entry."""

from __future__ import annotations

import json

import pytest

from kslars.web.annotation import models as m
from kslars.web.projects.services import create_project
from tests.web.site_helpers import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    owner = make_user("ayana")
    project = create_project(owner, "Mouthings")
    client = client_for(owner)
    base = f"/api/projects/{project.id}"

    def call(method: str, path: str, body: dict | None = None):
        return getattr(client, method)(
            base + path, json.dumps(body) if body is not None else None, content_type="application/json"
        )

    return project, call


def mouth_vocabulary(call) -> dict:
    """A two-entry vocabulary on the Gloss tier's type, with one annotation in Russian and one in English."""
    r = call(
        "post",
        "/vocabularies",
        {
            "name": "Mouth",
            "entries": [
                {"values": [{"value": "pa", "lang": "eng"}, {"value": "па", "lang": "rus", "description": "губы"}]},
                {"values": [{"value": "mm", "lang": "eng"}], "attributes": {"kind": "closed"}},
            ],
        },
    )
    assert r.status_code == 201, r.content
    vocabulary = r.json()
    doc = call("get", "/document").json()
    gloss_type = next(t["id"] for t in doc["tier_types"] if t["name"] == "gloss")
    assert call("patch", f"/tier-types/{gloss_type}", {"vocabulary_id": vocabulary["id"]}).status_code == 200
    gloss = next(t["id"] for t in doc["tiers"] if t["name"] == "Gloss")
    for value, start in (("па", 0), ("pa", 200), ("mm", 400)):
        r = call("post", "/annotations", {"tier_id": gloss, "value": value, "start_ms": start, "end_ms": start + 100})
        assert r.status_code == 201, r.content
    return vocabulary


def test_renaming_an_entry_renames_its_annotations_in_each_language(setup):
    project, call = setup
    vocabulary = mouth_vocabulary(call)
    entries = vocabulary["entries"]
    entries[0]["values"] = [
        {"value": "pah", "lang": "eng"},
        {"value": "пах", "lang": "rus", "description": "губы"},
    ]
    r = call("patch", f"/vocabularies/{vocabulary['id']}", {"entries": entries})
    assert r.status_code == 200, r.content
    assert r.json()["entries"][1]["attributes"] == {"kind": "closed"}
    stored = m.Annotation.objects.filter(project=project, tier__name="Gloss").order_by("start_ms")
    assert [(a.value, a.cv_entry, a.version) for a in stored] == [
        ("пах", "cve_1", 2),
        ("pah", "cve_1", 2),
        ("mm", "cve_2", 1),
    ]


def test_removing_an_entry_in_use_is_refused_and_changes_nothing(setup):
    project, call = setup
    vocabulary = mouth_vocabulary(call)
    r = call("patch", f"/vocabularies/{vocabulary['id']}", {"entries": vocabulary["entries"][:1]})
    assert r.status_code == 400 and "'mm' is not in the controlled vocabulary" in r.json()["detail"]
    row = m.Vocabulary.objects.get(pk=vocabulary["id"])
    assert [e["id"] for e in row.entries] == ["cve_1", "cve_2"]
    assert sorted(project.annotations.values_list("value", flat=True)) == ["mm", "pa", "па"]


def test_editing_one_handshape_keeps_every_other_entrys_attributes(setup):
    project, call = setup
    doc = call("get", "/document").json()
    (handshapes,) = doc["vocabularies"]
    entries = handshapes["entries"]
    entries[0]["values"][0]["description"] = "a closed fist"
    r = call("patch", f"/vocabularies/{handshapes['id']}", {"entries": entries})
    assert r.status_code == 200, r.content
    after = r.json()["entries"]
    assert after[0]["values"][0]["description"] == "a closed fist"
    assert [e["attributes"] for e in after] == [e["attributes"] for e in handshapes["entries"]]
    assert all(e["attributes"]["symbols"] for e in after)
