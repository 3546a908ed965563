"""Merging an automatic tool's proposals into an annotator's document (kslars.proposals), without a database:
new tiers and versions, replacing untouched predictions while keeping the annotator's edits, roles, vocabularies,
child tiers, annotation ids, and the work document left as it was."""

from __future__ import annotations

import copy

import pytest

from kslars.document import Annotation, Constraint, Document, DocumentError, Tier, TierType
from kslars.engine import annotation_tiers as engine_tiers
from kslars.krsl import default_document
from kslars.proposals import (
    ENGINE_SOURCE,
    NEW_VERSION,
    REPLACE_PREDICTIONS,
    is_prediction,
    merge_proposals,
    tiers_read,
)


def proposals(signs: list[tuple[int, int]], handshapes: list[tuple[int, int, str]] = ()) -> Document:
    """A document shaped like the engine's output, with the given signs and right-hand handshapes."""
    doc = engine_tiers.new_document("clip.mp4")
    tier = engine_tiers.add_tier(doc, engine_tiers.SIGNS_TIER, engine_tiers.SEGMENT_TYPE)
    for start, end in signs:
        engine_tiers.add_annotation(doc, tier, start, end, "", {"confidence": 0.9})
    tier = engine_tiers.add_tier(doc, "Right handshape", engine_tiers.HANDSHAPE_TYPE)
    vocabulary = doc.tier_type(engine_tiers.HANDSHAPE_TYPE).vocabulary
    for start, end, value in handshapes:
        engine_tiers.add_annotation(doc, tier, start, end, value, {"confidence": 0.8}, vocabulary)
    return doc


def merged_once(work: Document, proposed: Document, **options) -> Document:
    result = merge_proposals(work, proposed, **options)
    result.document.validate()
    return result.document


def test_a_first_merge_fills_the_empty_tiers_and_makes_new_ones_after_the_others():
    work = default_document()
    before = copy.deepcopy(work)
    result = merge_proposals(work, proposals([(0, 500), (600, 900)], [(0, 500, "fist")]))
    doc = result.document
    doc.validate()
    assert [t.id for t in doc.tiers] == ["Translation", "Gloss", "Right handshape", "Left handshape", "Signs"]
    assert [(a.id, a.start_ms, a.end_ms) for a in doc.tier("Signs").annotations] == [("a1", 0, 500), ("a2", 600, 900)]
    [hand] = doc.tier("Right handshape").annotations
    assert (hand.id, hand.value, hand.cv_entry, hand.attributes["source"]) == ("a3", "fist", "hs_fist", ENGINE_SOURCE)
    assert result.summary.tiers_created == ["Signs"] and result.summary.tiers_updated == ["Right handshape"]
    assert result.summary.added == 3 and result.next_number == 4
    assert result.roles == {"Signs": "Signs"}
    assert work == before  # the annotator's document itself is not changed


def test_a_second_merge_makes_new_versions_and_keeps_the_first():
    first = merged_once(default_document(), proposals([(0, 500)], [(0, 500, "fist")]))
    result = merge_proposals(first, proposals([(100, 400)], [(100, 400, "flathand")]), first_number=10)
    assert result.summary.tiers_created == ["Signs (2)", "Right handshape (2)"]
    assert [a.start_ms for a in result.document.tier("Signs").annotations] == [0]
    assert [a.id for a in result.document.tier("Signs (2)").annotations] == ["a10"]
    assert result.document.tier("Right handshape (2)").type == result.document.tier("Right handshape").type
    assert result.roles == {}  # versions play no role: the first tier stays the engine's
    result.document.validate()


def test_replacing_removes_untouched_predictions_and_keeps_the_annotators_work():
    work = merged_once(default_document(), proposals([(0, 500), (600, 900), (1000, 1400), (3000, 3500)]))
    signs = work.tier("Signs")
    signs.annotations[1].value, signs.annotations[1].version = "HOUSE", 2  # corrected by the annotator
    signs.annotations.insert(3, Annotation(id="a50", start_ms=2000, end_ms=2400, value="by hand"))
    result = merge_proposals(
        work,
        proposals([(50, 450), (700, 800), (1600, 1900), (2100, 2300), (3100, 3400)]),
        existing=REPLACE_PREDICTIONS,
        start_ms=0,
        end_ms=2500,
        first_number=60,
    )
    doc = result.document
    doc.validate()
    got = [(a.id, a.start_ms, a.value) for a in doc.tier("Signs").annotations]
    # a1 and a3 were untouched predictions inside the range: replaced; a2 (changed) and a50 (by hand) are kept, and
    # the proposals overlapping them are left out; a4 lies outside the range and stays
    assert got == [
        ("a60", 50, ""),
        ("a2", 600, "HOUSE"),
        ("a61", 1600, ""),
        ("a50", 2000, "by hand"),
        ("a4", 3000, ""),
    ]
    assert (result.summary.replaced, result.summary.kept, result.summary.added) == (2, 2, 2)
    assert [a.id for a in work.tier("Signs").annotations] == ["a1", "a2", "a3", "a50", "a4"]  # work unchanged
    assert result.summary.tiers_updated == ["Signs"] and not result.summary.tiers_created
    assert all(is_prediction(a) for a in doc.tier("Signs").annotations if a.id in ("a60", "a61", "a4"))


def test_a_prediction_with_a_changed_dependant_is_kept_and_one_with_untouched_dependants_goes_with_them():
    work = merged_once(default_document(), proposals([(0, 500), (600, 900)]))
    work.tier_types.append(TierType(id="inside", constraint=Constraint.INCLUDED_IN))
    parts = Tier(id="Sign parts", type="inside", parent="Signs")
    parts.annotations = [
        Annotation(id="a90", start_ms=100, end_ms=200, value="by hand"),
        Annotation(id="a91", start_ms=650, end_ms=700, attributes={"source": ENGINE_SOURCE}),
    ]
    work.tiers.append(parts)
    result = merge_proposals(work, proposals([(50, 450), (650, 950)]), existing=REPLACE_PREDICTIONS)
    doc = result.document
    # a1 has a piece changed by hand on "Sign parts": it stays, and the proposal overlapping it is left out
    assert [(a.id, a.start_ms) for a in doc.tier("Signs").annotations] == [("a1", 0), ("a92", 650)]
    assert [a.id for a in doc.tier("Sign parts").annotations] == ["a90"]  # a91 went with its untouched parent a2
    assert result.summary.replaced == 2 and result.summary.added == 1
    doc.validate()


def test_an_empty_tier_of_the_right_kind_is_filled_even_when_asked_for_new_versions():
    work = merged_once(default_document(), proposals([(0, 500)]))
    work.tier("Signs").annotations.clear()
    result = merge_proposals(work, proposals([(100, 300)]), existing=NEW_VERSION)
    assert not result.summary.tiers_created and result.summary.tiers_updated == ["Signs"]
    assert [a.start_ms for a in result.document.tier("Signs").annotations] == [100]


def test_a_tier_whose_type_cannot_take_the_proposals_gets_a_new_version_with_the_proposed_type():
    work = default_document()
    work.tier("Right handshape").type = "gloss"  # no vocabulary
    result = merge_proposals(work, proposals([], [(0, 500, "fist")]))
    doc = result.document
    assert not doc.tier("Right handshape").annotations
    assert doc.tier("Right handshape (2)").type == engine_tiers.HANDSHAPE_TYPE
    assert doc.tier("Right handshape (2)").annotations[0].cv_entry == "hs_fist"
    doc.validate()


def test_a_vocabulary_missing_proposed_values_is_copied_under_a_new_name():
    work = default_document()
    vocabulary = work.vocabulary("HamNoSys handshapes")
    vocabulary.entries = [e for e in vocabulary.entries if e.id != "hs_fist"]
    doc = merged_once(work, proposals([], [(0, 500, "fist")]))
    assert doc.vocabulary("HamNoSys handshapes (2)").entry_by_value("fist") is not None
    assert doc.tier("Right handshape (2)").annotations[0].value == "fist"
    assert doc.vocabulary("HamNoSys handshapes").entry_by_value("fist") is None


def test_roles_find_renamed_tiers_and_new_tiers_are_named_by_the_caller():
    work = default_document()
    work.tier("Right handshape").id = "RH"
    result = merge_proposals(
        work,
        proposals([(0, 500)], [(0, 500, "fist")]),
        roles={"RH": "Right handshape"},
        name_tier=lambda name: {"Signs": "Жесты"}.get(name, name),
    )
    assert result.summary.tiers_created == ["Жесты"] and result.summary.tiers_updated == ["RH"]
    assert result.roles == {"Жесты": "Signs"}
    # a tier of the proposed name that plays another role is not the proposal's tier
    other = merge_proposals(default_document(), proposals([], [(0, 500, "fist")]), roles={"Right handshape": "Gloss"})
    assert other.summary.tiers_created == ["Right handshape (2)"]


def test_a_proposed_child_tier_goes_under_the_tier_its_parents_went_to():
    proposed = proposals([(0, 1000), (2000, 2500)])
    proposed.tier_types.append(TierType(id="letter", constraint=Constraint.INCLUDED_IN))
    letters = Tier(id="Signs letters", type="letter", parent="Signs")
    letters.annotations = [
        Annotation(id="x1", start_ms=100, end_ms=300, value="К"),
        Annotation(id="x2", start_ms=400, end_ms=600, value="О"),
        Annotation(id="x3", start_ms=2100, end_ms=2200, value="Т"),  # its sign lies outside: left out
    ]
    proposed.tiers.append(letters)
    proposed.validate()
    work = default_document()
    doc = merged_once(work, proposed, start_ms=0, end_ms=1500)  # the second sign lies outside: not added
    assert [a.start_ms for a in doc.tier("Signs").annotations] == [0]
    assert doc.tier("Signs letters").parent == "Signs"
    assert [(a.id, a.value) for a in doc.tier("Signs letters").annotations] == [("a2", "К"), ("a3", "О")]


def test_overlapping_a_kept_annotation_of_a_child_tier_is_refused():
    proposed = proposals([(0, 1000)])
    proposed.tier_types.append(TierType(id="letter", constraint=Constraint.INCLUDED_IN))
    proposed.tiers.append(
        Tier(id="Parts", type="letter", parent="Signs", annotations=[Annotation(id="x1", start_ms=100, end_ms=300)])
    )
    work = merged_once(default_document(), proposed)
    work.tier("Signs").annotations.clear()  # the word tier emptied; its letter stays (invalid, but kept)
    work.tier("Parts").annotations[0].start_ms = 150
    with pytest.raises(DocumentError, match="would overlap"):
        merge_proposals(work, proposed)


def test_an_unknown_way_of_merging_is_refused():
    with pytest.raises(ValueError, match="existing must be one of new_version, replace_predictions"):
        merge_proposals(default_document(), proposals([(0, 500)]), existing="overwrite")


def test_a_merge_reads_only_the_tiers_playing_or_named_like_a_proposed_one_and_gives_the_same_result_from_them():
    work = merged_once(default_document(), proposals([(0, 500)], [(0, 500, "fist")]))
    work.tier("Gloss").annotations = [Annotation(id="g1", start_ms=0, end_ms=400, value="HOUSE")]
    roles = {"Signs": "Signs", "RH": "Right handshape"}
    work.tier("Right handshape").id = "RH"
    read = tiers_read(proposals([]), {t.id: roles.get(t.id) for t in work.tiers})
    assert read == {"Signs", "RH"}
    partial = copy.deepcopy(work)
    for tier in partial.tiers:
        if tier.id not in read:
            tier.annotations = []  # what a caller that loads only those tiers sees
    whole = merge_proposals(work, proposals([(600, 900)], [(600, 900, "flathand")]), REPLACE_PREDICTIONS, roles=roles)
    part = merge_proposals(partial, proposals([(600, 900)], [(600, 900, "flathand")]), REPLACE_PREDICTIONS, roles=roles)
    assert [(t.id, t.annotations) for t in whole.document.tiers if t.id in read] == [
        (t.id, t.annotations) for t in part.document.tiers if t.id in read
    ]
    assert whole.summary == part.summary
