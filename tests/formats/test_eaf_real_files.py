"""Real EAF files (pympi samples, Public DGS Corpus excerpts) survive import -> EAF 3.0 export -> import."""

from __future__ import annotations

from pathlib import Path

import pytest

from kslars import formats
from kslars.document import Constraint
from tests.conftest import shared_file

SAMPLES = [
    "dopefishh__pympi/test/sample_3.0.eaf",
    "dopefishh__pympi/test/sample_2.7.eaf",
    "Shogun6855__signlanguage-german-text2sign/dataset/1413451-11105600-11163240.eaf",
    "Shogun6855__signlanguage-german-text2sign/dataset/1418836-15524810-15550340.eaf",
]


@pytest.fixture(scope="module")
def schema():
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(shared_file("dopefishh__pympi/test/EAFv3.0.xsd")))


@pytest.fixture(params=SAMPLES, ids=lambda p: Path(p).name)
def sample(request, tmp_path):
    """(original path, path of its K-SLARS EAF 3.0 export, the document read from the original)."""
    original = shared_file(request.param)
    doc = formats.read(original)
    exported = tmp_path / "export.eaf"
    formats.write(doc, exported)
    return original, exported, doc


def test_round_trip_gives_the_same_document(sample):
    original, exported, doc = sample
    again = formats.read(exported)
    assert again == doc
    assert [t.id for t in again.tiers] == [t.id for t in doc.tiers]
    assert sum(len(t.annotations) for t in again.tiers) > 900


@pytest.mark.parametrize(
    "relative",
    [pytest.param(p, marks=pytest.mark.slow) if "pympi" in p else p for p in SAMPLES],  # pympi samples: ~5 s each
    ids=lambda p: Path(p).name,
)
def test_export_validates_against_the_official_schema(relative, schema, tmp_path):
    exported = tmp_path / "export.eaf"
    formats.write(formats.read(shared_file(relative)), exported)
    errors = list(schema.iter_errors(str(exported)))
    assert errors == []


def _pympi_view(path: Path) -> dict:
    """What pympi-ling, the independent reader, sees: tier parameters, aligned and referring annotations."""
    pympi = pytest.importorskip("pympi")
    eaf = pympi.Elan.Eaf(str(path))
    view = {}
    for name in eaf.get_tier_names():
        aligned, referring, params, _ = eaf.tiers[name]
        view[name] = (
            params,
            {aid: (eaf.timeslots[s], eaf.timeslots[e], v) for aid, (s, e, v, _svg) in aligned.items()},
            {aid: (ref, v, prev) for aid, (ref, v, prev, _svg) in referring.items()},
        )
    return view


def test_pympi_reads_our_export_like_the_original(sample):
    original, exported, _ = sample
    pympi = pytest.importorskip("pympi")
    theirs, ours = _pympi_view(original), _pympi_view(exported)
    assert list(ours) == list(theirs)
    for name in theirs:
        assert ours[name] == theirs[name], name
    a, b = pympi.Elan.Eaf(str(original)), pympi.Elan.Eaf(str(exported))
    assert b.media_descriptors == a.media_descriptors
    assert b.linked_file_descriptors == a.linked_file_descriptors
    assert b.properties == a.properties
    assert b.external_refs == a.external_refs
    assert b.locales == a.locales
    graphic_default = {"GRAPHIC_REFERENCES": "false"}  # optional in EAF, "false" when absent; always written
    assert b.linguistic_types == {k: {**graphic_default, **v} for k, v in a.linguistic_types.items()}
    for name in list(theirs)[:3]:
        assert sorted(b.get_annotation_data_for_tier(name), key=repr) == sorted(
            a.get_annotation_data_for_tier(name), key=repr
        )


def test_sample_3_0_keeps_vocabularies_slots_and_header():
    doc = formats.read(shared_file("dopefishh__pympi/test/sample_3.0.eaf"))
    pos = doc.vocabulary("POS")
    assert [(v.value, v.lang, v.description) for v in pos.entry("cveid0").values] == [
        ("v", "eng", "verb"),
        ("ww", "nld", "werkwoord"),
    ]
    assert pos.entry("cveid0").ext_ref == "er6"
    assert doc.vocabulary("Contact 2011").ext_ref == "er5" and doc.vocabulary("Contact 2011").entries == []
    assert [lang.id for lang in doc.languages] == ["eng", "und", "nld"]
    assert doc.tier_type("pos").constraint is Constraint.SYMBOLIC_ASSOCIATION
    assert doc.tier_type("gesture").ext_ref == "er4"
    assert doc.licenses[0].url == "http://www.mpi.nl/license.txt"
    assert doc.media[0].relative_url == "../../DemoMaterial/yele/r03_v20_s5.wav"
    assert len(doc.linked_files) == 2
    assert ("lastUsedAnnotationId", "8778") in doc.properties
    words = doc.tier("words-timesub")
    first = next(a for a in words.annotations if a.id == "a410")
    second = next(a for a in words.annotations if a.id == "a411")
    parent = next(a for a in doc.tier("text").annotations if a.id == "a3")
    assert first.start_slot == parent.start_slot == "ts38"  # shared with the parent's start
    assert first.end_slot == second.start_slot and first.end_ms is None  # contiguous, unaligned
    assert doc.tier("words-symsub").default_locale == "en"
    assert any(a.cv_entry for _, a in doc.annotations())
    assert any(a.previous for a in doc.tier("words-symsub").annotations)


def test_sample_2_7_vocabularies_get_the_undetermined_language():
    doc = formats.read(shared_file("dopefishh__pympi/test/sample_2.7.eaf"))
    gesture = doc.vocabulary("Gesture")
    assert [e.value for e in gesture.entries] == ["prep", "hold", "stroke", "retr"]
    assert {v.lang for e in gesture.entries for v in e.values} == {"und"}
    assert gesture.entries[0].values[0].description == "preparation"
    assert any(lang.id == "und" for lang in doc.languages)


def test_dgs_excerpt_keeps_media_and_participants():
    doc = formats.read(shared_file("Shogun6855__signlanguage-german-text2sign/dataset/1413451-11105600-11163240.eaf"))
    assert len(doc.media) == 3 and all(m.time_origin == 0 for m in doc.media)
    assert doc.linked_files[0].mime_type == "application/x-cmdi+xml"
    assert doc.tier("Moderator").participant == "ber-mod-1"
    assert doc.author == "meinedgs.de"
    assert sum(len(t.annotations) for t in doc.tiers) == 3613
