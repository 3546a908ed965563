"""Annotator attribution: each annotation records who made or last changed it. Edits through the API record the
user, jobs the engine; the document API, JSON and CSV exports carry it per annotation and EAF per tier (ELAN has
no annotator per annotation); imported files keep their own attribution."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kslars import formats
from kslars.document import Annotation, Document, Tier
from kslars.krsl import default_document
from kslars.web.annotation import models as am
from kslars.web.annotation.attribution import ENGINE
from kslars.web.annotation.store import add_to_project, load_document
from kslars.web.processing.results import write_result
from kslars.web.projects.models import Project, Role, Share
from tests.web.site_helpers import client_for
from tests.web.test_process_write import engine_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    users = get_user_model().objects
    aigerim, dana = users.create_user("aigerim", password="a-long-pass-1"), users.create_user("dana", password="x-9")
    project = Project.objects.create(owner=aigerim, name="Two annotators")
    add_to_project(project, default_document())
    Share.objects.create(project=project, user=dana, role=Role.EDITOR)
    return {"project": project, "aigerim": client_for(aigerim), "dana": client_for(dana)}


def base(team) -> str:
    return f"/api/projects/{team['project'].pk}"


def create(client: Client, team, value: str, start: int, end: int) -> dict:
    gloss = team["project"].tiers.get(name="Gloss").pk
    body = {"tier_id": gloss, "value": value, "start_ms": start, "end_ms": end}
    r = client.post(base(team) + "/annotations", body, content_type="application/json")
    assert r.status_code == 201, r.content
    return r.json()


def stored(team) -> dict[str, str | None]:
    return dict(am.Annotation.objects.filter(project=team["project"]).values_list("value", "annotator"))


def test_each_edit_records_who_made_or_last_changed_the_annotation(team):
    first = create(team["aigerim"], team, "СӘЛЕМ", 0, 400)
    create(team["dana"], team, "РАХМЕТ", 500, 900)
    assert first["annotator"] == "aigerim"
    assert stored(team) == {"СӘЛЕМ": "aigerim", "РАХМЕТ": "dana"}
    r = team["dana"].patch(
        base(team) + f"/annotations/{first['id']}", {"version": 1, "value": "СӘЛЕМ2"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["annotator"] == "dana"
    batch = {"operations": [{"op": "update", "id": first["id"], "version": 2, "end_ms": 450}]}
    r = team["aigerim"].post(base(team) + "/annotations/batch", batch, content_type="application/json")
    assert r.status_code == 200, r.content
    assert stored(team) == {"СӘЛЕМ2": "aigerim", "РАХМЕТ": "dana"}
    document = team["dana"].get(base(team) + "/document").json()
    gloss = next(t for t in document["tiers"] if t["name"] == "Gloss")
    assert {a["value"]: a["annotator"] for a in gloss["annotations"]} == {"СӘЛЕМ2": "aigerim", "РАХМЕТ": "dana"}


def test_a_job_records_the_engine_and_leaves_peoples_annotations_theirs(team):
    create(team["aigerim"], team, "СӘЛЕМ", 0, 400)
    write_result(team["project"], engine_result([(0, 500)], [(0, 500, "fist")]))
    doc = load_document(team["project"])
    assert {a.annotator for a in doc.tier("Signs").annotations} == {ENGINE}
    assert {a.annotator for a in doc.tier("Right handshape").annotations} == {ENGINE}
    assert [a.annotator for a in doc.tier("Gloss").annotations] == ["aigerim"]


def export(team, fmt: str) -> bytes:
    r = team["aigerim"].get(base(team) + f"/export?format={fmt}")
    assert r.status_code == 200, r.content
    return r.content


def test_exports_carry_the_annotators(team):
    create(team["aigerim"], team, "СӘЛЕМ", 0, 400)
    create(team["dana"], team, "РАХМЕТ", 500, 900)
    write_result(team["project"], engine_result([(0, 500)], []))
    rows = list(csv.DictReader(io.StringIO(export(team, "csv").decode())))
    assert {(r["value"], r["annotator"]) for r in rows} >= {("СӘЛЕМ", "aigerim"), ("РАХМЕТ", "dana"), ("", ENGINE)}
    data = json.loads(export(team, "json"))
    gloss = next(t for t in data["document"]["tiers"] if t["id"] == "Gloss")
    assert [a["annotator"] for a in gloss["annotations"]] == ["aigerim", "dana"]
    eaf = formats.read_bytes(export(team, "eaf"), "eaf", name="export.eaf")
    assert eaf.tier("Gloss").annotator is None  # two annotators: EAF has no place for them on one tier
    assert eaf.tier("Signs").annotator == ENGINE  # one annotator: the tier's ANNOTATOR
    assert eaf.tier("Translation").annotator is None  # nobody yet


def test_the_tiers_own_annotator_is_kept_in_eaf(team):
    am.Tier.objects.filter(project=team["project"], name="Gloss").update(annotator="Ayana (checked)")
    create(team["dana"], team, "РАХМЕТ", 500, 900)
    assert formats.read_bytes(export(team, "eaf"), "eaf", name="x.eaf").tier("Gloss").annotator == "Ayana (checked)"


def test_imported_files_keep_their_own_attribution(team):
    doc = Document.from_dict(formats.read_bytes(export(team, "json"), "json").to_dict())
    doc.tier("Gloss").annotations = [
        Annotation(id="a1", value="ҮЙ", start_ms=0, end_ms=300, annotator="Bota"),
        Annotation(id="a2", value="ДОМ", start_ms=400, end_ms=700),
    ]
    for fmt in ("json", "csv"):
        upload = io.BytesIO(formats.write_bytes(doc, fmt))
        upload.name = f"lesson.{fmt}"
        r = team["dana"].post("/api/projects/import", {"file": upload})
        assert r.status_code == 201, r.content
        imported = load_document(Project.objects.get(pk=r.json()["id"])).tier("Gloss").annotations
        assert [(a.value, a.annotator) for a in imported] == [("ҮЙ", "Bota"), ("ДОМ", None)], fmt


def test_formats_read_and_write_the_annotator():
    doc = Document(tiers=[Tier(id="Gloss", type="gloss")])
    doc.tier_types = [t for t in default_document().tier_types if t.id == "gloss"]
    doc.tier("Gloss").annotations = [
        Annotation(id="a1", value="A", start_ms=0, end_ms=10, annotator="aigerim"),
        Annotation(id="a2", value="B, with a comma", start_ms=20, end_ms=30),
    ]
    for fmt in ("json", "csv"):
        again = formats.read_bytes(formats.write_bytes(doc, fmt), fmt)
        assert [a.annotator for a in again.tier("Gloss").annotations] == ["aigerim", None], fmt
    old_csv = b"tier,start_ms,end_ms,duration_ms,value,annotation_id,parent_annotation_id\nT,1,5,4,v,a1,\n"
    assert formats.read_bytes(old_csv, "csv").tier("T").annotations[0].annotator is None
    doc.tier("Gloss").annotations[1].annotator = "aigerim"
    assert formats.read_bytes(formats.write_bytes(doc, "eaf"), "eaf").tier("Gloss").annotator == "aigerim"
