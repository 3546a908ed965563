"""The document rules (kslars.document_rules): real files pass; the O(log n) lookups that check one annotation
agree with a plain quadratic reading of each rule, on many mutated copies of real files; each rule's message."""

from __future__ import annotations

import copy
import random

import pytest

from kslars import formats
from kslars.document import Annotation, Constraint, Document, DocumentError, Tier, TierType
from kslars.document_rules import DocumentIndex, check_document, check_tiers
from kslars.krsl import default_document
from tests.conftest import shared_file

SAMPLE = "dopefishh__pympi/test/sample_3.0.eaf"
DGS = "Shogun6855__signlanguage-german-text2sign/dataset/1418836-15524810-15550340.eaf"


@pytest.fixture(scope="module")
def sample():
    return formats.read(shared_file(SAMPLE))


@pytest.fixture(scope="module")
def dgs():
    return formats.read(shared_file(DGS))


def outcome(check) -> str | None:
    try:
        check()
    except DocumentError as exc:
        return str(exc)
    return None


def test_real_files_pass(sample, dgs):
    for doc in (sample, dgs):
        check_document(doc)
        check_tiers(doc, [t.id for t in doc.tiers])


def plain_reading(doc: Document) -> str | None:
    """The time rules read literally, comparing every annotation with every other: the id of the first annotation
    that breaks one, or None."""
    for tier in doc.tiers:
        constraint = doc.constraint_of(tier)
        for a in tier.annotations:
            if not constraint.time_alignable:
                parents = doc.tier(tier.parent).annotations
                if all(p.id != a.parent for p in parents):
                    return a.id
                if constraint is Constraint.SYMBOLIC_ASSOCIATION and any(
                    x is not a and x.parent == a.parent for x in tier.annotations
                ):
                    return a.id
                continue
            s, e = a.start_ms, a.end_ms
            if s is not None and s < 0 or e is not None and e < 0 or s is not None and e is not None and e <= s:
                return a.id
            if s is not None and e is not None:
                for x in tier.annotations:
                    if x is not a and x.start_ms is not None and x.end_ms is not None:
                        if x.start_ms < e and s < x.end_ms:
                            return a.id
            if constraint in (Constraint.INCLUDED_IN, Constraint.TIME_SUBDIVISION) and (s is not None or e is not None):
                inside = [
                    p
                    for p in doc.tier(tier.parent).annotations
                    if p.start_ms is not None
                    and p.end_ms is not None
                    and (p.start_ms <= s < p.end_ms if s is not None else p.start_ms < e <= p.end_ms)
                ]
                if not inside or (e is not None and e > inside[0].end_ms) or (s is not None and s < inside[0].start_ms):
                    return a.id
    return None


def mutate(doc: Document, rng: random.Random) -> None:
    """One random change of the kind a hand-edited file has: moved, stretched, duplicated or re-parented."""
    tier = rng.choice([t for t in doc.tiers if t.annotations])
    a = rng.choice(tier.annotations)
    kind = rng.choice(["shift", "stretch", "swap", "zero", "copy", "reparent", "negative"])
    if kind == "shift" and a.start_ms is not None and a.end_ms is not None:
        d = rng.choice([-2000, -300, -40, 40, 300, 2000])
        a.start_ms, a.end_ms = a.start_ms + d, a.end_ms + d
    elif kind == "stretch" and a.end_ms is not None:
        a.end_ms += rng.choice([40, 500, 5000])
    elif kind == "swap" and a.start_ms is not None and a.end_ms is not None:
        a.start_ms, a.end_ms = a.end_ms, a.start_ms
    elif kind == "zero" and a.start_ms is not None:
        a.end_ms = a.start_ms
    elif kind == "copy":
        tier.annotations.append(
            Annotation(id=a.id + "_copy", value=a.value, start_ms=a.start_ms, end_ms=a.end_ms, parent=a.parent)
        )
    elif kind == "reparent" and a.parent is not None:
        siblings = [x for x in tier.annotations if x.parent is not None and x.parent != a.parent]
        if siblings:
            a.parent = rng.choice(siblings).parent
    elif kind == "negative" and a.start_ms is not None:
        a.start_ms = -a.start_ms - 1


@pytest.mark.parametrize("name", ["dgs", pytest.param("sample", marks=pytest.mark.slow)])
def test_fast_checks_agree_with_the_plain_reading_on_mutated_files(name, request):
    source = request.getfixturevalue(name)
    rng = random.Random(7)
    refused = 0
    rounds = 60 if name == "dgs" else 12
    for _ in range(rounds):
        doc = copy.deepcopy(source)
        mutate(doc, rng)
        expected = plain_reading(doc)
        index = DocumentIndex(doc)
        found = None
        for tier in doc.tiers:
            for a in tier.annotations:
                if found is None and outcome(lambda t=tier, a=a, i=index: i.check_annotation(t, a)) is not None:
                    found = a.id
        assert found == expected, (found, expected)
        assert (outcome(lambda d=doc: check_document(d)) is None) == (expected is None)
        refused += expected is not None
    assert refused > rounds // 4  # the mutations do break rules


def two_tiers(constraint: Constraint) -> Document:
    """Gloss (a1: 100-900, a2: 1000-2000) and a Child tier of ``constraint`` under it."""
    return Document(
        tier_types=[TierType("gloss"), TierType("child", constraint)],
        tiers=[
            Tier(
                "Gloss", "gloss", annotations=[Annotation("a1", "HELLO", 100, 900), Annotation("a2", "YOU", 1000, 2000)]
            ),
            Tier("Child", "child", parent="Gloss"),
        ],
    )


def test_time_subdivision_pieces_tile_their_parent():
    doc = two_tiers(Constraint.TIME_SUBDIVISION)
    doc.tier("Child").annotations = [Annotation("p1", "x", 100, 400), Annotation("p2", "y", 400, 900)]
    check_document(doc)
    doc.tier("Child").annotations[1].end_ms = 800
    with pytest.raises(DocumentError, match="the last piece 'p2' ends at 800 ms"):
        check_document(doc)
    doc.tier("Child").annotations[1].start_ms, doc.tier("Child").annotations[1].end_ms = 500, 900
    with pytest.raises(DocumentError, match="'p1' ends at 400 ms but the next piece 'p2' starts at 500 ms"):
        check_document(doc)
    # unaligned boundaries (ELAN's time slots without a time) fit wherever they are
    doc.tier("Child").annotations = [Annotation("p1", "x", 100, None), Annotation("p2", "y", None, 900)]
    check_document(doc)


def test_vocabulary_values_and_entries():
    doc = default_document()
    hand = doc.tier("Right handshape")
    entry = doc.vocabulary(doc.tier_type(hand.type).vocabulary).entries[0]
    hand.annotations = [Annotation("h1", entry.value, 100, 200, cv_entry=entry.id)]
    check_document(doc)
    hand.annotations[0].value = "not a handshape"
    with pytest.raises(DocumentError, match=f"value 'not a handshape' is not a value of entry '{entry.id}'"):
        check_document(doc)
    hand.annotations[0].cv_entry = None
    with pytest.raises(DocumentError, match="'not a handshape' is not in the controlled vocabulary"):
        check_document(doc)
    hand.annotations[0].cv_entry = "hs_nowhere"
    with pytest.raises(DocumentError, match="has no entry 'hs_nowhere'"):
        check_document(doc)


def test_tier_structure():
    doc = two_tiers(Constraint.INCLUDED_IN)
    doc.tier_types[1].constraint = Constraint.NONE
    with pytest.raises(DocumentError, match="so its type needs a constraint"):
        check_document(doc)
    doc = Document(
        tier_types=[
            TierType("gloss"),
            TierType("child", Constraint.SYMBOLIC_ASSOCIATION),
            TierType("inc", Constraint.INCLUDED_IN),
        ],
        tiers=[Tier("Top", "gloss"), Tier("Sym", "child", parent="Top"), Tier("Inc", "inc", parent="Sym")],
    )
    with pytest.raises(DocumentError, match="'Inc' \\(Included_In\\) needs a time-aligned parent tier"):
        check_document(doc)
    doc.tiers.append(Tier("Top", "gloss"))
    with pytest.raises(DocumentError, match="two tiers are named 'Top'"):
        check_document(doc)
