"""How an engine result joins a project (kslars.web.processing.results.write_result), on small documents built here:
tiers that cannot take the result, predictions other annotations depend on, annotation ids, bad choices."""

from __future__ import annotations

import pytest
from django.utils import translation

from kslars.engine import annotation_tiers as engine_tiers
from kslars.proposals import ENGINE_SOURCE, REPLACE_PREDICTIONS
from kslars.web.annotation import models as am
from kslars.web.annotation.store import load_document
from kslars.web.processing.results import write_result
from kslars.web.projects.models import Project
from kslars.web.projects.services import create_project

pytestmark = pytest.mark.django_db


def engine_result(signs: list[tuple[int, int]], handshapes: list[tuple[int, int, str]]):
    """A document shaped like the engine's output, with the given signs and right-hand handshapes."""
    doc = engine_tiers.new_document("clip.mp4")
    tier = engine_tiers.add_tier(doc, engine_tiers.SIGNS_TIER, engine_tiers.SEGMENT_TYPE)
    for start, end in signs:
        engine_tiers.add_annotation(doc, tier, start, end, "", {"confidence": 0.9})
    tier = engine_tiers.add_tier(doc, "Right handshape", engine_tiers.HANDSHAPE_TYPE)
    for start, end, value in handshapes:
        engine_tiers.add_annotation(
            doc,
            tier,
            start,
            end,
            value,
            {"confidence": 0.8, "alternatives": [[value, 0.8], ["fist", 0.1], ["flathand", 0.1]]},
            doc.tier_type(engine_tiers.HANDSHAPE_TYPE).vocabulary,
        )
    return doc


def test_a_tier_whose_type_cannot_take_the_result_gets_a_new_version(unannotated_project):
    gloss_type = unannotated_project.tier_types.get(name="gloss")
    am.Tier.objects.filter(project=unannotated_project, name="Right handshape").update(
        tier_type=gloss_type
    )  # no vocabulary
    summary = write_result(unannotated_project, engine_result([(0, 500)], [(0, 500, "fist")]))
    doc = load_document(unannotated_project)
    assert not doc.tier("Right handshape").annotations
    [hand] = doc.tier("Right handshape (2)").annotations
    assert doc.tier("Right handshape (2)").type == engine_tiers.HANDSHAPE_TYPE and hand.value == "fist"
    assert hand.cv_entry == "hs_fist" and hand.attributes["source"] == ENGINE_SOURCE
    assert summary.tiers_created == ["Signs", "Right handshape (2)"] and summary.added == 2
    doc.validate()


def test_a_prediction_that_other_annotations_depend_on_is_kept(unannotated_project):
    write_result(unannotated_project, engine_result([(0, 500), (600, 900)], []))
    signs = unannotated_project.tiers.get(name="Signs")
    child_type = am.TierType.objects.create(project=unannotated_project, name="inside", constraint="Included_In")
    child = am.Tier.objects.create(
        project=unannotated_project, name="Sign parts", tier_type=child_type, parent=signs, position=9
    )
    am.Annotation.objects.create(
        project=unannotated_project, tier=child, key="a99", start_ms=100, end_ms=200, position=1
    )
    first, second = am.Annotation.objects.filter(tier=signs).order_by("start_ms")
    summary = write_result(
        unannotated_project, engine_result([(50, 450), (650, 950)], []), existing=REPLACE_PREDICTIONS
    )
    kept = list(am.Annotation.objects.filter(tier=signs).order_by("start_ms").values_list("key", "start_ms"))
    assert kept[0] == (first.key, 0)  # has a piece on "Sign parts": stays, and the new 50-450 overlaps it
    assert (second.key, 600) not in kept and [s for _, s in kept] == [0, 650]
    assert summary.replaced == 1 and summary.added == 1
    load_document(unannotated_project).validate()


def test_new_ids_continue_the_projects_counter(unannotated_project):
    unannotated_project.document_meta = {**unannotated_project.document_meta, "last_annotation_number": 100}
    unannotated_project.save(update_fields=["document_meta"])
    write_result(unannotated_project, engine_result([(0, 500)], [(0, 500, "fist")]))
    keys = sorted(am.Annotation.objects.filter(project=unannotated_project).values_list("key", flat=True))
    assert keys == ["a101", "a102"]
    assert Project.objects.get(pk=unannotated_project.pk).document_meta["last_annotation_number"] == 102


def test_a_vocabulary_missing_values_is_not_written_into(unannotated_project):
    vocabulary = unannotated_project.vocabularies.get(name="HamNoSys handshapes")
    vocabulary.entries = [e for e in vocabulary.entries if e["id"] != "hs_fist"]
    vocabulary.save()
    write_result(unannotated_project, engine_result([], [(0, 500, "fist")]))
    doc = load_document(unannotated_project)
    assert doc.tier("Right handshape (2)").annotations[0].value == "fist"
    assert doc.vocabulary("HamNoSys handshapes (2)").entry_by_value("fist") is not None
    doc.validate()


def test_unknown_choice_is_refused_before_anything_is_written(unannotated_project):
    revision = Project.objects.get(pk=unannotated_project.pk).revision
    with pytest.raises(ValueError, match="existing must be one of"):
        write_result(unannotated_project, engine_result([(0, 500)], []), existing="overwrite")
    assert Project.objects.get(pk=unannotated_project.pk).revision == revision and not unannotated_project.tiers.filter(
        name="Signs"
    )


def test_result_tiers_keep_their_engine_order_after_the_projects_tiers(unannotated_project):
    write_result(unannotated_project, engine_result([(0, 500)], [(0, 500, "fist")]))
    names = list(unannotated_project.tiers.order_by("position").values_list("name", flat=True))
    assert names == ["Translation", "Gloss", "Right handshape", "Left handshape", "Signs"]
    assert [a.id for a in load_document(unannotated_project).tier("Signs").annotations] == ["a1"]


def test_a_russian_project_gets_russian_tiers_that_the_engine_finds_again(people):
    """Made in Russian: the default tiers are Russian and keep their roles; the engine's handshapes go into the
    Russian right-hand tier, its new Signs tier is named in Russian, and a second run makes versions of those."""
    with translation.override("ru"):
        project = create_project(people["owner"], "Урок")
    assert project.language == "ru"
    right = project.tiers.get(extra__role="Right handshape")
    assert right.name == "Конфигурация правой руки" and right.tier_type.name == "конфигурация руки"
    summary = write_result(project, engine_result([(0, 500)], [(0, 500, "fist")]))
    assert summary.tiers_created == ["Жесты"] and summary.tiers_updated == ["Конфигурация правой руки"]
    assert [a.value for a in right.annotations.all()] == ["fist"]
    assert project.tiers.get(name="Жесты").extra["role"] == "Signs"
    right.name = "RH"  # renamed by hand: still the engine's right-hand tier
    right.save()
    summary = write_result(project, engine_result([(0, 500)], [(0, 500, "flathand")]))
    assert summary.tiers_created == ["Жесты (2)", "RH (2)"]
    assert not project.tiers.filter(name__in=["Signs", "Right handshape"]).exists()


def test_an_english_project_made_before_roles_is_still_found_by_name(unannotated_project):
    """Old projects' tiers have no role: the engine finds "Right handshape" by its name, as before."""
    assert not any(t.extra.get("role") for t in unannotated_project.tiers.all())
    write_result(unannotated_project, engine_result([(0, 500)], [(0, 500, "fist")]))
    summary = write_result(unannotated_project, engine_result([(0, 500)], [(0, 500, "flathand")]))
    assert summary.tiers_created == ["Signs (2)", "Right handshape (2)"]
    assert [a.value for a in unannotated_project.tiers.get(name="Right handshape").annotations.all()] == ["fist"]
