"""Time slots on export: shared where ELAN expects, split where an edit moved a boundary, ordered for ELAN."""

from __future__ import annotations

import pytest
from lxml import etree

from kslars import formats
from kslars.document import Annotation, Constraint, Document, Tier, TierType
from tests.conftest import shared_file


def subdivided(inner_unaligned: bool = False) -> Document:
    """A sentence 1000-4000 ms split into three contiguous words, made without any slot ids."""
    words = [
        Annotation("w1", "my", 1000, 2000),
        Annotation("w2", "name", 2000, 3000),
        Annotation("w3", "is", 3000, 4000),
    ]
    if inner_unaligned:
        words[0].end_ms = words[1].start_ms = words[1].end_ms = words[2].start_ms = None
    return Document(
        tier_types=[TierType("sentence"), TierType("words", Constraint.TIME_SUBDIVISION)],
        tiers=[
            Tier("Sentence", "sentence", annotations=[Annotation("s1", "my name is", 1000, 4000)]),
            Tier("Words", "words", parent="Sentence", annotations=words),
        ],
        date="2024-01-01T00:00:00",
    )


def slot_refs(data: bytes) -> tuple[list[tuple[str, str | None]], dict[str, tuple[str, str]]]:
    root = etree.fromstring(data)
    order = [(s.get("TIME_SLOT_ID"), s.get("TIME_VALUE")) for s in root.iter("TIME_SLOT")]
    refs = {
        a.get("ANNOTATION_ID"): (a.get("TIME_SLOT_REF1"), a.get("TIME_SLOT_REF2"))
        for a in root.iter("ALIGNABLE_ANNOTATION")
    }
    return order, refs


@pytest.mark.parametrize("inner_unaligned", [False, True])
def test_new_time_subdivisions_share_slots_like_elan(inner_unaligned, tmp_path):
    data = formats.write_bytes(subdivided(inner_unaligned), "eaf")
    order, refs = slot_refs(data)
    assert refs["w1"][0] == refs["s1"][0] and refs["w3"][1] == refs["s1"][1]  # outer boundaries: the parent's
    assert refs["w1"][1] == refs["w2"][0] and refs["w2"][1] == refs["w3"][0]  # contiguous pieces share
    assert len(order) == 4
    ids = [slot for slot, _ in order]
    assert ids.index(refs["s1"][0]) < ids.index(refs["w2"][0]) < ids.index(refs["w3"][0]) < ids.index(refs["s1"][1])
    xmlschema = pytest.importorskip("xmlschema")
    xmlschema.XMLSchema(str(shared_file("dopefishh__pympi/test/EAFv3.0.xsd"))).validate(data.decode())
    pympi = pytest.importorskip("pympi")
    path = tmp_path / "words.eaf"
    path.write_bytes(data)
    eaf = pympi.Elan.Eaf(str(path))
    expected = [(1000, 4000, "my name is")]
    assert eaf.get_annotation_data_for_tier("Sentence") == expected


def test_an_edited_boundary_gets_its_own_slot_and_the_rest_stay_shared():
    doc = formats.read_bytes(formats.write_bytes(subdivided(), "eaf"), "eaf")
    words = doc.tier("Words").annotations
    assert words[0].end_slot == words[1].start_slot
    doc.tier_type("words").constraint = Constraint.INCLUDED_IN  # pieces that may leave gaps (Time_Subdivision: not)
    words[0].end_ms = 1500  # moved in an editor without touching the neighbour
    order, refs = slot_refs(formats.write_bytes(doc, "eaf"))
    assert refs["w1"][1] != refs["w2"][0]
    assert dict(order)[refs["w1"][1]] == "1500" and dict(order)[refs["w2"][0]] == "2000"
    assert refs["w2"][1] == refs["w3"][0]
    values = [int(v) for _, v in order if v is not None]
    assert values == sorted(values)


def test_slot_ids_that_cannot_be_xml_ids_are_replaced():
    doc = subdivided()
    doc.tiers[0].annotations[0].start_slot = "slot one"  # e.g. from a hand-edited JSON file
    doc.tiers[0].annotations[0].end_slot = "w2"  # the id of an annotation
    order, refs = slot_refs(formats.write_bytes(doc, "eaf"))
    assert refs["s1"][0] != "slot one" and refs["s1"][1] != "w2"
    assert len({slot for slot, _ in order}) == len(order)
