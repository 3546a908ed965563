"""The annotation document model: lookups, constraint rules, validation and plain-data round trips."""

import pytest

from kslars.document import (
    Annotation,
    Constraint,
    Document,
    DocumentError,
    Tier,
    TierType,
)
from kslars.document_rules import DocumentIndex
from kslars.hamnosys import BASE_FORMS, HANDSHAPES, handshape_vocabulary
from kslars.krsl import default_document


def doc_with(constraint: Constraint) -> Document:
    """A Gloss tier with one annotation (100-900 ms) and a child tier of the given constraint."""
    doc = Document(
        tier_types=[TierType("gloss"), TierType("child", constraint=constraint)],
        tiers=[
            Tier("Gloss", "gloss", annotations=[Annotation("a1", "HELLO", 100, 900)]),
            Tier("Child", "child", parent="Gloss"),
        ],
    )
    doc.validate()
    return doc


def test_default_document_has_krsl_tiers_and_handshape_vocabulary():
    doc = default_document()
    doc.validate()
    assert [t.id for t in doc.tiers] == ["Translation", "Gloss", "Right handshape", "Left handshape"]
    vocab = doc.vocabulary(doc.tier_type(doc.tier("Right handshape").type).vocabulary)
    names = {e.value for e in vocab.entries}
    assert set(BASE_FORMS) <= names
    assert vocab.entry_by_value("finger2_thumbout").attributes["symbols"] == "\ue002\ue00c"


def test_every_handshape_has_a_category_and_symbols():
    assert len({h.name for h in HANDSHAPES}) == len(HANDSHAPES)
    for entry in handshape_vocabulary().entries:
        assert entry.attributes["category"]
        assert entry.attributes["symbols"][0] == BASE_FORMS[entry.attributes["base_form"]]


@pytest.mark.parametrize(
    "start,end,message", [(500, 400, "not after start"), (-5, 10, "negative"), (None, 10, "needs a start")]
)
def test_time_aligned_annotation_needs_ordered_times(start, end, message):
    doc = doc_with(Constraint.INCLUDED_IN)
    gloss = doc.tier("Gloss")
    with pytest.raises(DocumentError, match=message):
        DocumentIndex(doc).check_annotation(gloss, Annotation("a9", "X", start, end))


def test_overlap_on_one_tier_is_refused():
    doc = doc_with(Constraint.INCLUDED_IN)
    gloss = doc.tier("Gloss")
    with pytest.raises(DocumentError, match="overlaps annotation 'a1'"):
        DocumentIndex(doc).check_annotation(gloss, Annotation("a2", "X", 800, 1200))
    DocumentIndex(doc).check_annotation(gloss, Annotation("a2", "X", 900, 1200))  # touching is fine


@pytest.mark.parametrize("constraint", [Constraint.INCLUDED_IN, Constraint.TIME_SUBDIVISION])
def test_included_child_stays_within_its_parent(constraint):
    doc = doc_with(constraint)
    child = doc.tier("Child")
    DocumentIndex(doc).check_annotation(child, Annotation("c1", "x", 100, 500))
    with pytest.raises(DocumentError, match="outside its parent annotation 'a1'"):
        DocumentIndex(doc).check_annotation(child, Annotation("c2", "x", 500, 1000))
    with pytest.raises(DocumentError, match="not within any annotation"):
        DocumentIndex(doc).check_annotation(child, Annotation("c3", "x", 950, 1000))


def test_symbolic_association_allows_one_per_parent():
    doc = doc_with(Constraint.SYMBOLIC_ASSOCIATION)
    child = doc.tier("Child")
    child.annotations.append(Annotation("c1", "hello", parent="a1"))
    doc.validate()
    assert doc.times_of(child.annotations[0]) == (100, 900)
    with pytest.raises(DocumentError, match="already has associated annotation 'c1'"):
        DocumentIndex(doc).check_annotation(child, Annotation("c2", "again", parent="a1"))
    with pytest.raises(DocumentError, match="needs a parent annotation"):
        DocumentIndex(doc).check_annotation(child, Annotation("c3", "orphan"))


def test_symbolic_subdivision_refers_to_parent_tier_annotations():
    doc = doc_with(Constraint.SYMBOLIC_SUBDIVISION)
    child = doc.tier("Child")
    DocumentIndex(doc).check_annotation(child, Annotation("c1", "HEL", parent="a1"))
    with pytest.raises(DocumentError, match="is not on parent tier 'Gloss'"):
        DocumentIndex(doc).check_annotation(child, Annotation("c2", "LO", parent="missing"))


def test_validate_finds_broken_references():
    doc = doc_with(Constraint.INCLUDED_IN)
    doc.tiers.append(Tier("Orphan", "child", parent="Nowhere"))
    with pytest.raises(DocumentError, match="has parent tier 'Nowhere', which does not exist"):
        doc.validate()
    doc = doc_with(Constraint.INCLUDED_IN)
    doc.tier("Child").parent = None
    with pytest.raises(DocumentError, match="needs a parent tier"):
        doc.validate()
    doc = doc_with(Constraint.INCLUDED_IN)
    doc.tier("Child").annotations.append(Annotation("a1", "dup", 100, 200))
    with pytest.raises(DocumentError, match="two annotations have the id 'a1'"):
        doc.validate()


def test_tier_cycles_are_refused():
    doc = doc_with(Constraint.INCLUDED_IN)
    doc.tier("Gloss").parent = "Child"
    doc.tier_types[0].constraint = Constraint.INCLUDED_IN
    with pytest.raises(DocumentError, match="its own ancestor"):
        doc.validate()


def test_new_annotation_id_is_unused():
    doc = doc_with(Constraint.INCLUDED_IN)
    doc.tier("Child").annotations.append(Annotation("a2", "x", 100, 200))
    new = doc.new_annotation_id()
    assert new not in {a.id for _, a in doc.annotations()}


def test_plain_data_round_trip_keeps_everything():
    doc = default_document()
    doc.properties.append(("lastUsedAnnotationId", "3"))
    doc.tier("Gloss").annotations.append(
        Annotation("a1", "HELLO", 0, 400, attributes={"confidence": 0.7, "alternatives": [["HI", 0.2]]}, version=4)
    )
    assert Document.from_dict(doc.to_dict()) == doc
