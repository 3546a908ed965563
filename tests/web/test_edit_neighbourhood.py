"""An annotation edit loads only what it can touch (the annotation, its neighbours on its tier, its parent and the
annotations below it), whatever the tier's size, and still keeps every rule and the stored order."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kslars.document import Annotation, Constraint, Tier, TierType
from kslars.document_rules import check_document
from kslars.krsl import default_document
from kslars.web.annotation import models as am
from kslars.web.annotation import services
from kslars.web.annotation.store import add_to_project, load_document
from kslars.web.projects.models import Project

pytestmark = pytest.mark.django_db

N = 400  # glosses, 1000 ms apart, each 800 ms long, each split into two pieces on "Parts"


@pytest.fixture
def project():
    owner = get_user_model().objects.create_user("dana", password="a-long-test-password-5")
    doc = default_document()
    doc.tier_types += [
        TierType("parts", Constraint.TIME_SUBDIVISION),
        TierType("note", Constraint.SYMBOLIC_ASSOCIATION),
    ]
    doc.tier("Gloss").annotations = [Annotation(f"a{i + 1}", f"G{i}", i * 1000, i * 1000 + 800) for i in range(N)]
    parts = [
        Annotation(f"a{N + 2 * i + k + 1}", "p", i * 1000 + 400 * k, i * 1000 + 400 * (k + 1))
        for i in range(N)
        for k in range(2)
    ]
    notes = [Annotation(f"a{3 * N + i + 1}", "note", parent=f"a{i + 1}") for i in range(0, N, 10)]
    doc.tiers += [
        Tier("Parts", "parts", parent="Gloss", annotations=parts),
        Tier("Note", "note", "Gloss", annotations=notes),
    ]
    project = Project.objects.create(owner=owner, name="Long")
    add_to_project(project, doc)
    project.client = Client()
    project.client.force_login(owner)
    return project


@pytest.fixture
def loaded(monkeypatch):
    """The number of annotations each edit loaded, and whether it loaded a window."""
    seen: list[tuple[int, bool]] = []
    original = services.load_view

    def spy(*args, **kwargs):
        view = original(*args, **kwargs)
        seen.append((len(view.rows), view.window is not None))
        return view

    monkeypatch.setattr(services, "load_view", spy)
    return seen


def send(project, method: str, path: str, body: dict | None = None):
    return getattr(project.client, method)(
        f"/api/projects/{project.id}{path}", json.dumps(body or {}), content_type="application/json"
    )


def gloss_id(project) -> int:
    return project.tiers.get(name="Gloss").id


def test_a_value_edit_loads_a_few_annotations_of_a_long_tier(project, loaded):
    r = send(project, "patch", "/annotations/a200", {"version": 1, "value": "HOUSE"})
    assert r.status_code == 200, r.content
    count, windowed = loaded[-1]
    assert windowed and count <= 10  # a200, its neighbours a199 and a201, its two pieces and the next ones
    assert load_document(project).find_annotation("a200")[1].value == "HOUSE"


def test_moving_next_to_a_neighbour_outside_the_old_place_is_refused(project, loaded):
    r = send(project, "patch", "/annotations/a200", {"version": 1, "start_ms": 250_500, "end_ms": 250_700})
    assert r.status_code == 400 and "overlaps annotation 'a251'" in r.json()["detail"]
    assert loaded[-1][1] and loaded[-1][0] < 200  # the old and new places and what lies between, not the tier


def test_a_parent_may_not_leave_its_pieces_behind_and_deleting_it_takes_them(project, loaded):
    r = send(project, "patch", "/annotations/a200", {"version": 1, "end_ms": 199_600})
    assert r.status_code == 400 and f"leaving its annotation 'a{N + 400}'" in r.json()["detail"]
    r = send(project, "delete", "/annotations/a201?version=1")
    assert r.status_code == 200, r.content
    assert set(r.json()["deleted"]) == {"a201", f"a{N + 401}", f"a{N + 402}", f"a{3 * N + 201}"}
    assert loaded[-1][1] and loaded[-1][0] <= 12


def test_inserts_in_one_gap_keep_the_order_of_the_whole_tier(project, loaded):
    """Eleven inserts into one gap leave no room between two stored positions: the tier is renumbered whole."""
    gloss = gloss_id(project)
    for k in range(12):  # 10 ms each, one after the other into the gap 200_800-201_000 ms
        r = send(
            project,
            "post",
            "/annotations",
            {"tier_id": gloss, "start_ms": 200_800 + 15 * k, "end_ms": 200_810 + 15 * k},
        )
        assert r.status_code == 201, r.content
    assert all(windowed for _, windowed in loaded)
    keys = list(am.Annotation.objects.filter(tier_id=gloss).order_by("position").values_list("key", "start_ms"))
    assert [s for _, s in keys] == sorted(s for _, s in keys)
    assert len(set(am.Annotation.objects.filter(tier_id=gloss).values_list("position", flat=True))) == N + 12
    check_document(load_document(project))


def test_first_and_last_places_and_a_note_on_a_parent(project, loaded):
    gloss = gloss_id(project)
    r = send(project, "post", "/annotations", {"tier_id": gloss, "start_ms": N * 1000, "end_ms": N * 1000 + 500})
    assert r.status_code == 201, r.content
    r = send(project, "patch", "/annotations/a1", {"version": 1, "start_ms": 0, "end_ms": 800, "value": "FIRST"})
    assert r.status_code == 200, r.content
    note = project.tiers.get(name="Note").id
    r = send(project, "post", "/annotations", {"tier_id": note, "parent": "a2", "value": "n"})
    assert r.status_code == 201, r.content
    r = send(project, "post", "/annotations", {"tier_id": note, "parent": "a11", "value": "again"})
    assert r.status_code == 400 and "already has associated annotation" in r.json()["detail"]
    assert all(windowed and count < 20 for count, windowed in loaded)
    doc = load_document(project)
    starts = [a.start_ms for a in doc.tier("Gloss").annotations]
    assert starts == sorted(starts) and starts[-1] == N * 1000
    check_document(doc)


def test_the_children_of_a_symbolic_tier_are_found_through_an_index(project):
    """An edit loads a symbolic tier's annotations by their parents' ids: the database finds them with an index on
    (project, tier, parent key) instead of reading the whole tier."""
    with CaptureQueriesContext(connection) as queries:
        r = send(project, "patch", "/annotations/a11", {"version": 1, "value": "HOUSE"})
    assert r.status_code == 200, r.content
    [children] = [q["sql"] for q in queries if '"parent_key" IN' in q["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # small test tables: ask which index it would take
            cursor.execute(f"EXPLAIN {children}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {children}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "annotation_tier_parent" in plan, plan


def test_a_neighbour_loaded_by_time_keeps_its_attributes(project):
    """The neighbours an edit reads by time come back as the ORM reads them (attributes as a dict, not JSON text),
    so writing the edited annotation back keeps its attributes."""
    r = send(project, "patch", "/annotations/a200", {"version": 1, "attributes": {"confidence": 0.8}})
    assert r.status_code == 200, r.content
    r = send(project, "patch", "/annotations/a200", {"version": 2, "value": "HOUSE"})
    assert r.status_code == 200, r.content
    assert r.json()["attributes"] == {"confidence": 0.8}
    assert am.Annotation.objects.get(project=project, key="a200").attributes == {"confidence": 0.8}


def test_the_neighbours_by_time_are_a_range_on_the_index(project):
    """The query that reads an edit's neighbours on a time-aligned tier searches the (tier, start) index."""
    with CaptureQueriesContext(connection) as queries:
        r = send(project, "patch", "/annotations/a200", {"version": 1, "value": "HOUSE"})
    assert r.status_code == 200, r.content
    neighbours = [q["sql"] for q in queries if "COALESCE" in q["sql"]]
    assert len(neighbours) == 2  # on Gloss and on its time-aligned child tier Parts
    [index] = [ix.name for ix in am.Annotation._meta.indexes if ix.fields == ["tier", "start_ms"]]
    for sql in neighbours:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {sql}")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert index in plan, plan
