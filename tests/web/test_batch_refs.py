"""A batch can create annotations together with symbolic children that point to them: a create names itself with
a ``ref`` of the client's choosing, and the ``parent`` or ``previous`` of a later create in the same batch may be
that ref. The editor's Undo of deleted annotations with their symbolic children is then one all-or-nothing request,
never parents without their children."""

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


def deleted_gloss_with_children(api: Api) -> list[dict]:
    """HOUSE on Gloss with the pieces 'a' and 'building' on Morphemes (Symbolic_Subdivision) and 'a building' on
    Meaning (Symbolic_Association), then HOUSE deleted (and with it its children). Returns the batch that creates
    them again, parents first, the children naming their parent (and previous piece) by ref."""
    api.add_tier("Morphemes", "Symbolic_Subdivision", parent="Gloss")
    api.add_tier("Meaning", "Symbolic_Association", parent="Gloss")
    house = api.create("Gloss", value="HOUSE", start_ms=100, end_ms=900)
    api.create("Morphemes", value="a", parent=house["id"])
    api.create("Morphemes", value="building", parent=house["id"])
    api.create("Meaning", value="a building", parent=house["id"])
    r = api.delete(f"/annotations/{house['id']}?version=1")
    assert r.status_code == 200 and len(r.json()["deleted"]) == 4
    tier = {name: api.tier(name)["id"] for name in ("Gloss", "Morphemes", "Meaning")}
    return [
        {"op": "create", "ref": "house", "tier_id": tier["Gloss"], "value": "HOUSE", "start_ms": 100, "end_ms": 900},
        {"op": "create", "ref": "piece-a", "tier_id": tier["Morphemes"], "value": "a", "parent": "house"},
        {"op": "create", "tier_id": tier["Morphemes"], "value": "building", "parent": "house", "previous": "piece-a"},
        {"op": "create", "tier_id": tier["Meaning"], "value": "a building", "parent": "house"},
    ]


def stored(project: Project | int) -> list[tuple[str, str, str | None, str | None]]:
    """Every annotation of ``project`` (or the project with that id) as (tier, value, its parent's value, its
    previous piece's value)."""
    rows = {a.key: a for a in m.Annotation.objects.filter(project=project).select_related("tier")}

    def value(key: str | None) -> str | None:
        return rows[key].value if key else None

    return sorted((a.tier.name, a.value, value(a.parent_key), value(a.previous_key)) for a in rows.values())


def test_children_follow_the_parents_created_in_the_same_batch(api, unannotated_project):
    operations = deleted_gloss_with_children(api)
    r = api.post("/annotations/batch", {"operations": operations})
    assert r.status_code == 200, r.content
    assert stored(unannotated_project) == [
        ("Gloss", "HOUSE", None, None),
        ("Meaning", "a building", "HOUSE", None),
        ("Morphemes", "a", "HOUSE", None),
        ("Morphemes", "building", "HOUSE", "a"),
    ]
    house, a, building, meaning = r.json()["results"]
    assert a["parent"] == building["parent"] == meaning["parent"] == house["id"]
    assert building["previous"] == a["id"]
    load = api.document()  # the answer is what is stored
    assert {x["id"]: x["parent"] for t in load["tiers"] for x in t["annotations"]}[meaning["id"]] == house["id"]


def test_one_refused_child_restores_nothing(api, unannotated_project):
    operations = deleted_gloss_with_children(api)
    operations.append({**operations[-1], "value": "a house"})  # a second association of one parent: refused
    before, revision = stored(unannotated_project), api.document()["revision"]
    r = api.post("/annotations/batch", {"operations": operations})
    assert r.status_code == 400 and "already has associated annotation" in r.json()["detail"]
    assert stored(unannotated_project) == before == []  # no parent came back alone
    assert api.document()["revision"] == revision


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ops: ops[1].update(ref="house"), "ref 'house' is given to more than one"),
        (lambda ops: ops[0].update(ref="a7"), "ref 'a7' looks like an annotation id"),
        (lambda ops: ops.insert(0, ops.pop(2)), "ref 'house' of an operation after it"),
    ],
)
def test_refs_that_do_not_fit_are_refused_with_a_message(api, unannotated_project, change, message):
    operations = deleted_gloss_with_children(api)
    change(operations)
    r = api.post("/annotations/batch", {"operations": operations})
    assert r.status_code == 400 and message in r.json()["detail"], r.content
    assert stored(unannotated_project) == []
