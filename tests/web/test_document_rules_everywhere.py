"""The same invalid documents through every entry point: the core's check, ``kslars convert``, a new project from a
file, an import into a project and (where an edit can break the rule) the annotation and tier API. Each refuses
with the same rule's message, from kslars.document_rules, and nothing is written."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kslars.cli import main
from kslars.document import Annotation, Constraint, Document, DocumentError, Tier, TierType
from kslars.document_rules import check_document
from kslars.formats import jsonfmt
from kslars.krsl import default_document
from kslars.web.annotation import models as am
from kslars.web.annotation.services import COUNTER_KEY
from kslars.web.annotation.store import add_to_project
from kslars.web.projects.models import Project
from tests.web.site_helpers import client_for

pytestmark = pytest.mark.django_db

ID = "'[^']+'"  # an annotation id: the file's own, or the one the server would have given


def base_document() -> Document:
    """The KRSL default tiers, Gloss with a1 (100-500 ms) and a2 (1000-2000 ms), and three tiers below Gloss:
    Inside (Included_In), Parts (Time_Subdivision) and Meaning (Symbolic_Association, m1 on a1)."""
    doc = default_document()
    doc.tier_types += [
        TierType("inside", Constraint.INCLUDED_IN),
        TierType("parts", Constraint.TIME_SUBDIVISION),
        TierType("meaning", Constraint.SYMBOLIC_ASSOCIATION),
    ]
    doc.tier("Gloss").annotations = [Annotation("a1", "HOUSE", 100, 500), Annotation("a2", "TREE", 1000, 2000)]
    doc.tiers += [
        Tier("Inside", "inside", parent="Gloss"),
        Tier("Parts", "parts", parent="Gloss"),
        Tier("Meaning", "meaning", parent="Gloss", annotations=[Annotation("m1", "a house", parent="a1")]),
    ]
    return doc


def add(tier: str, *annotations: Annotation, first: bool = False) -> Callable[[Document], None]:
    def change(doc: Document) -> None:
        t = doc.tier(tier)
        t.annotations = [*annotations, *t.annotations] if first else [*t.annotations, *annotations]

    return change


def set_parent(tier: str, parent: str) -> Callable[[Document], None]:
    def change(doc: Document) -> None:
        doc.tier(tier).parent = parent

    return change


@dataclass
class Case:
    """An invalid document (the base with ``change``), the rule's message as a regular expression, and the API
    calls that try to make the same document by editing (None where no edit can)."""

    change: Callable[[Document], None]
    message: str
    edit: Callable[[Api], dict] | None
    in_files: bool = True  # False: the file formats refuse it first, naming the place (JSON schema: times >= 0)


class Api:
    """A logged-in JSON client for one project's API."""

    def __init__(self, client: Client, project: Project) -> None:
        self.client, self.base = client, f"/api/projects/{project.id}"
        self.tier_ids = dict(project.tiers.values_list("name", "id"))

    def send(self, method: str, path: str, body: dict) -> dict:
        r = getattr(self.client, method)(self.base + path, body, content_type="application/json")
        return {"status": r.status_code, **r.json()}

    def create(self, tier: str, **fields) -> dict:
        return self.send("post", "/annotations", {"tier_id": self.tier_ids[tier], **fields})


def split_then_shorten(api: Api) -> dict:
    piece = api.create("Parts", start_ms=100, end_ms=300)  # the first piece of a1 spans all of it, as in ELAN
    assert piece["status"] == 201, piece
    return api.send("patch", f"/annotations/{piece['id']}", {"version": piece["version"], "end_ms": 450})


CASES = {
    "overlap": Case(
        add("Gloss", Annotation("bad", "X", 400, 800), first=True),
        f"annotation {ID} on tier 'Gloss': 400-800 ms overlaps annotation 'a1' \\(100-500 ms\\)",
        lambda api: api.create("Gloss", start_ms=400, end_ms=800),
    ),
    "empty span": Case(
        add("Gloss", Annotation("bad", "X", 800, 800)),
        f"annotation {ID} on tier 'Gloss': end 800 ms is not after start 800 ms",
        lambda api: api.create("Gloss", start_ms=800, end_ms=800),
    ),
    "negative time": Case(
        add("Gloss", Annotation("bad", "X", -5, 50), first=True),
        f"annotation {ID} on tier 'Gloss': start -5 ms is negative",
        lambda api: api.create("Gloss", start_ms=-5, end_ms=50),
        in_files=False,
    ),
    "outside the parent": Case(
        add("Inside", Annotation("bad", "X", 400, 600)),
        f"annotation {ID} on tier 'Inside': 400-600 ms goes outside its parent annotation 'a1' \\(100-500 ms\\)",
        lambda api: api.create("Inside", start_ms=400, end_ms=600),
    ),
    "pieces leave a gap": Case(
        add("Parts", Annotation("p1", "x", 100, 300), Annotation("bad", "y", 300, 450)),
        "the pieces of annotation 'a1' \\(100-500 ms\\) on Time_Subdivision tier 'Parts' must follow each other "
        f"without gaps and fill it exactly: the last piece {ID} ends at 450 ms",
        split_then_shorten,
    ),
    "value not in the vocabulary": Case(
        add("Right handshape", Annotation("bad", "nonsense", 100, 200)),
        "'nonsense' is not in the controlled vocabulary 'HamNoSys handshapes' of tier 'Right handshape'",
        lambda api: api.create("Right handshape", start_ms=100, end_ms=200, value="nonsense"),
    ),
    "two associations": Case(
        add("Meaning", Annotation("bad", "a home", parent="a1"), first=True),
        f"annotation {ID} on tier 'Meaning': parent 'a1' already has associated annotation 'm1'",
        lambda api: api.create("Meaning", parent="a1", value="a home"),
    ),
    "parent on another tier": Case(
        add("Meaning", Annotation("bad", "?", parent="nope")),
        f"annotation {ID} on tier 'Meaning': refers to parent annotation 'nope', which is not on parent tier 'Gloss'",
        lambda api: api.create("Meaning", parent="nope", value="?"),
    ),
    "free tier under another": Case(
        set_parent("Translation", "Gloss"),
        "tier 'Translation' has parent tier 'Gloss', so its type needs a constraint",
        lambda api: api.send("patch", f"/tiers/{api.tier_ids['Translation']}", {"parent_id": api.tier_ids["Gloss"]}),
    ),
    "two annotations with one id": Case(
        add("Gloss", Annotation("a1", "X", 3000, 4000)), "two annotations have the id 'a1'", None
    ),
}


def invalid(name: str) -> Document:
    doc = base_document()
    CASES[name].change(doc)
    return doc


def test_the_base_document_is_valid():
    check_document(base_document())


@pytest.fixture
def owner():
    return get_user_model().objects.create_user("saule", password="a-long-test-password-7")


@pytest.fixture
def client(owner) -> Client:
    return client_for(owner)


@pytest.fixture
def base_project(owner) -> Project:
    """A project holding base_document()."""
    project = Project.objects.create(owner=owner, name="Rules")
    add_to_project(project, base_document())
    project.document_meta = {COUNTER_KEY: 2}
    project.save()
    return project


def stored(project: Project) -> tuple:
    project.refresh_from_db()
    annotations = am.Annotation.objects.filter(project=project).order_by("key")
    tiers = project.tiers.order_by("name")
    return (
        project.revision,
        list(annotations.values_list("key", "value", "start_ms", "end_ms", "parent_key", "version")),
        list(tiers.values_list("name", "parent_id", "tier_type_id")),
    )


IN_FILES = [name for name, case in CASES.items() if case.in_files]


@pytest.mark.parametrize("name", CASES)
def test_the_core_refuses_with_the_rules_message(name):
    with pytest.raises(DocumentError) as info:
        check_document(invalid(name))
    assert re.search(CASES[name].message, str(info.value)), str(info.value)


@pytest.mark.parametrize("name", IN_FILES)
def test_convert_refuses_with_the_rules_message(name, tmp_path):
    case = CASES[name]
    source, target = tmp_path / "bad.json", tmp_path / "out.eaf"
    source.write_bytes(jsonfmt.write(invalid(name)))  # the format's own writer: no rules checked on the way
    result = CliRunner().invoke(main, ["convert", str(source), str(target)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert "Error: bad.json: " in result.output and re.search(case.message, result.output), result.output
    assert not target.exists()


@pytest.mark.parametrize("name", IN_FILES)
def test_web_imports_refuse_with_the_rules_message(name, client, base_project):
    data = jsonfmt.write(invalid(name))
    before, projects = stored(base_project), Project.objects.count()
    r = client.post("/api/projects/import", {"file": SimpleUploadedFile("bad.json", data)})
    assert r.status_code == 400, r.content
    assert re.search(CASES[name].message, r.json()["detail"]), r.json()
    assert Project.objects.count() == projects
    r = client.post(f"/api/projects/{base_project.id}/import", {"file": SimpleUploadedFile("bad.json", data)})
    assert r.status_code == 400, r.content
    assert re.search(CASES[name].message, r.json()["detail"]), r.json()
    assert stored(base_project) == before


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.edit is not None])
def test_api_edits_refuse_with_the_rules_message(name, client, base_project):
    before = stored(base_project)
    answer = CASES[name].edit(Api(client, base_project))
    assert answer["status"] == 400, answer
    assert re.search(CASES[name].message, answer["detail"]), answer
    if name != "pieces leave a gap":  # there the first request (a valid split) was saved
        assert stored(base_project) == before
