"""Property tests: write-then-read gives back what each format holds, for generated documents."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kslars import formats
from kslars.document import Constraint
from tests.conftest import shared_file
from tests.formats.strategies import documents, plain, text, without_slots

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def schema():
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(shared_file("dopefishh__pympi/test/EAFv3.0.xsd")))


@SETTINGS
@given(doc=documents())
def test_eaf_write_then_read_is_identity(doc, schema):
    data = formats.write_bytes(doc, "eaf")
    again = formats.read_bytes(data, "eaf")
    assert without_slots(again) == doc
    assert formats.read_bytes(formats.write_bytes(again, "eaf"), "eaf") == again  # slots kept exactly
    schema.validate(data.decode("utf-8"))


@SETTINGS
@given(
    doc=documents(),
    extra=st.dictionaries(plain, st.integers() | text, max_size=2),
    hidden=st.booleans(),
    version=st.integers(1, 50),
)
def test_json_write_then_read_is_identity(doc, extra, hidden, version):
    doc.tiers[0].hidden = hidden
    for a in doc.tiers[0].annotations:
        a.attributes, a.version, a.start_slot = dict(extra), version, "ts_x"
    doc.vocabularies[0].entries[0].attributes = {"hamnosys": "\ue001\ue00c", "category": "fist"}
    data = formats.write_bytes(doc, "json")
    assert formats.read_bytes(data, "json") == doc


@SETTINGS
@given(doc=documents(time_scale=1000), frames=st.booleans(), fps=st.sampled_from([25.0, 29.97, 50.0]))
def test_csv_write_read_write_is_stable(doc, frames, fps):
    """(Times in whole seconds: an annotation shorter than a frame, or an unaligned piece spread over less than a
    millisecond, would come back empty and be refused.)"""
    options = {"frame_based": True, "fps": fps} if frames else {}
    data = formats.write_bytes(doc, "csv", **options)
    again = formats.read_bytes(data, "csv", fps=fps)
    assert formats.write_bytes(again, "csv", **options) == data
    original = {a.id: a.value for _, a in doc.annotations()}
    assert {a.id: a.value for _, a in again.annotations()} == original
    assert [t.id for t in again.tiers] == [t.id for t in doc.tiers if t.annotations]


cue_text = (
    st.text(st.characters(whitelist_categories=("L", "N", "P", "Zs"), max_codepoint=0x4FF), min_size=1, max_size=15)
    .map(str.strip)
    .filter(bool)
)


@SETTINGS
@given(doc=documents(values=cue_text, symbolic=False, max_children=0), fmt=st.sampled_from(["srt", "vtt"]))
def test_subtitles_write_then_read_keeps_cues(doc, fmt):
    data = formats.write_bytes(doc, fmt, tiers=["Gloss"])
    again = formats.read_bytes(data, fmt)
    cues = lambda d: [(a.start_ms, a.end_ms, a.value) for a in d.tiers[0].annotations]  # noqa: E731
    assert cues(again) == sorted(cues(dataclasses.replace(doc, tiers=[doc.tiers[0]])))
    if fmt == "vtt":
        assert [a.id for a in again.tiers[0].annotations] == [a.id for a in doc.tiers[0].annotations]


@SETTINGS
@given(doc=documents(values=cue_text | st.just('say "hi"'), symbolic=False, unaligned=False))
def test_textgrid_write_then_read_keeps_intervals(doc):
    data = formats.write_bytes(doc, "textgrid")
    again = formats.read_bytes(data, "textgrid")
    intervals = lambda d: {t.id: [(a.start_ms, a.end_ms, a.value) for a in t.annotations] for t in d.tiers}  # noqa: E731
    expected = {t.id: sorted((a.start_ms, a.end_ms, a.value) for a in t.annotations) for t in doc.tiers}
    assert intervals(again) == expected


def test_generated_documents_follow_the_model_rules():
    """The strategy itself makes valid documents (so identity failures are the formats' fault)."""

    @settings(max_examples=30, deadline=None)
    @given(doc=documents())
    def check(doc):
        doc.validate()
        assert {doc.constraint_of(t) for t in doc.tiers} <= set(Constraint)

    check()
