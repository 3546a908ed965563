"""The document survives being stored in the tables and loaded back."""

import pytest
from django.contrib.auth import get_user_model

from kslars.document import Annotation, Constraint, DocumentError, Tier, TierType
from kslars.krsl import default_document
from kslars.web.annotation.store import load_document, save_document

pytestmark = pytest.mark.django_db


def test_default_document_round_trips(empty_project):
    doc = default_document()
    doc.tier("Gloss").annotations.append(Annotation(id="a1", value="СӘЛЕМ", start_ms=100, end_ms=900))
    doc.tier("Right handshape").annotations.append(
        Annotation(
            id="a2",
            value="flathand",
            start_ms=120,
            end_ms=800,
            cv_entry="hs_flathand",
            attributes={"confidence": 0.9, "alternatives": [["flathand", 0.9], ["finger2345", 0.05]]},
        )
    )
    doc.tier_types.append(TierType(id="mouthing", constraint=Constraint.SYMBOLIC_ASSOCIATION))
    doc.tiers.append(
        Tier(
            id="Mouthing",
            type="mouthing",
            parent="Gloss",
            annotations=[Annotation(id="a3", value="salem", parent="a1")],
        )
    )
    save_document(empty_project, doc)
    assert load_document(empty_project) == doc


def test_invalid_document_leaves_stored_one_untouched(empty_project):
    doc = default_document()
    doc.tier("Gloss").annotations.append(Annotation(id="a1", value="A", start_ms=0, end_ms=500))
    save_document(empty_project, doc)
    broken = default_document()
    broken.tier("Gloss").annotations.append(Annotation(id="a1", value="B", start_ms=500, end_ms=100))
    with pytest.raises(DocumentError, match="not after start"):
        save_document(empty_project, broken)
    assert load_document(empty_project) == doc


def test_eaf_time_slots_and_header_survive_the_database(empty_project):
    from kslars.formats import read, write_bytes
    from tests.conftest import shared_file

    doc = read(shared_file("dopefishh__pympi/test/sample_3.0.eaf"))
    save_document(empty_project, doc)
    loaded = load_document(empty_project)
    assert loaded == doc
    assert write_bytes(loaded, "eaf") == write_bytes(doc, "eaf")


def test_new_projects_keep_the_default_header():
    from kslars.web.projects.services import create_project

    owner = get_user_model().objects.create_user("dana", password="x-very-long-pass-2")
    created = create_project(owner, "Lesson 1")
    assert load_document(created) == default_document()
