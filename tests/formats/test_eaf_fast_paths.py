"""The EAF reader's fast path (XPath, eaf_columns.py) reads exactly what the element-by-element reader reads.

Every test reads the same bytes two ways: with the fast path and without it (every element one by one, the
reader's reference behaviour), and expects the same document or the same error message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kslars import formats
from kslars.document import Document
from kslars.formats import FormatError, eaf_columns, eaf_reader, xmlsafe
from tests.conftest import shared_file
from tests.formats.strategies import documents
from tests.formats.test_eaf_errors import GOOD
from tests.formats.test_eaf_real_files import SAMPLES

DGS = "Shogun6855__signlanguage-german-text2sign/dataset/1413451-11105600-11163240.eaf"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _give_up(*args: object) -> None:
    return None


PATHS = {
    "xpath": (eaf_columns.time_slots, eaf_columns.tier_columns),
    "one by one": (_give_up, _give_up),
}
FAST = ["xpath"]


@contextmanager
def using(path: str) -> Iterator[None]:
    """Read EAF with the given fast path (or none) inside the block."""
    saved = eaf_columns.time_slots, eaf_columns.tier_columns
    eaf_columns.time_slots, eaf_columns.tier_columns = PATHS[path]
    try:
        yield
    finally:
        eaf_columns.time_slots, eaf_columns.tier_columns = saved


def outcome(data: bytes, path: str) -> Document | str:
    """The document read from ``data`` with ``path``, or the error message."""
    with using(path):
        try:
            return formats.read_bytes(data, "eaf", name="x.eaf")
        except FormatError as e:
            return str(e)


def assert_same_on_every_path(data: bytes) -> Document | str:
    expected = outcome(data, "one by one")
    for path in FAST:
        assert outcome(data, path) == expected, f"the {path} fast path reads this differently"
    return expected


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: Path(p).name)
def test_real_files_read_the_same_on_every_path(sample):
    doc = assert_same_on_every_path(shared_file(sample).read_bytes())
    assert isinstance(doc, Document) and sum(len(t.annotations) for t in doc.tiers) > 0


@pytest.mark.parametrize("path", FAST)
def test_fast_paths_take_every_tier_of_a_corpus_file(path):
    """The DGS file is the plain form throughout: no tier may fall back (else the fast path would go untested)."""
    time_slots, tier_columns = PATHS[path]
    root = xmlsafe.parse(shared_file(DGS).read_bytes(), "dgs")
    slots = time_slots(root.find("TIME_ORDER"))
    assert slots is not None and len(slots) == len(root.find("TIME_ORDER"))
    doc = outcome(shared_file(DGS).read_bytes(), "one by one")
    kinds = {t.id: t.constraint.time_alignable for t in doc.tier_types}
    for element, tier in zip(root.iter("TIER"), doc.tiers, strict=True):
        columns = tier_columns(element, kinds[tier.type], slots)
        assert columns is not None, f"tier {tier.id} fell back"
        assert list(columns[0]) == [a.id for a in tier.annotations]
        assert list(columns[1]) == [a.value for a in tier.annotations]


@SETTINGS
@given(doc=documents())
def test_generated_documents_read_the_same_on_every_path(doc):
    assert isinstance(assert_same_on_every_path(formats.write_bytes(doc, "eaf")), Document)


# Forms the fast path must read like the one-by-one reader, whether it reads them or gives up on them.
VARIANTS = {
    "no whitespace": GOOD.replace("\n", "").replace("    ", ""),
    "CDATA and entities": GOOD.replace(">HOUSE<", "><![CDATA[H<O>U]]>SE &amp; &#x4E00;<"),
    "empty value": GOOD.replace("<ANNOTATION_VALUE>a house</ANNOTATION_VALUE>", "<ANNOTATION_VALUE/>"),
    "empty attribute": GOOD.replace('ANNOTATION_ID="a2"', 'ANNOTATION_ID=""'),
    "unaligned slot": GOOD.replace(' TIME_VALUE="900"', ""),
    "leading zeros": GOOD.replace('TIME_VALUE="900"', 'TIME_VALUE="0900"'),
    "signed time": GOOD.replace('TIME_VALUE="900"', 'TIME_VALUE="+900"'),
    "spaced time": GOOD.replace('TIME_VALUE="900"', 'TIME_VALUE=" 900 "'),
    "unicode digits": GOOD.replace('TIME_VALUE="900"', 'TIME_VALUE="９００"'),
    "huge time": GOOD.replace('TIME_VALUE="900"', 'TIME_VALUE="12345678901234567890"'),
    "negative time": GOOD.replace('TIME_VALUE="900"', 'TIME_VALUE="-900"'),
    "duplicate slot": GOOD.replace('TIME_SLOT_ID="ts2"', 'TIME_SLOT_ID="ts1"'),
    "missing slot": GOOD.replace('TIME_SLOT_REF2="ts2"', 'TIME_SLOT_REF2="ts9"'),
    "backwards": GOOD.replace('TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2"', 'TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts1"'),
    "other element in the time order": GOOD.replace("</TIME_ORDER>", "<NOTE/></TIME_ORDER>"),
    "extra attribute": GOOD.replace('ANNOTATION_ID="a1"', 'ANNOTATION_ID="a1" EXT_REF="nowhere"'),
    "namespaced attribute": GOOD.replace('ANNOTATION_ID="a1"', 'ANNOTATION_ID="a1" xml:lang="en"'),
    "foreign element": GOOD.replace("<ANNOTATION_VALUE>HOUSE", "<NOTE/><ANNOTATION_VALUE>HOUSE"),
    "element in the value": GOOD.replace(">HOUSE<", "><b>HOUSE</b><"),
    "XInclude in the value": GOOD.replace(
        ">a house<", '><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="x"/><'
    ),
    "text around an element in the value": GOOD.replace(">a house<", ">a <b>big</b> house<"),
    "bare annotation": GOOD.replace("<ANNOTATION>\n            <ALIGNABLE", "<ALIGNABLE").replace(
        "</ALIGNABLE_ANNOTATION>\n        </ANNOTATION>", "</ALIGNABLE_ANNOTATION>"
    ),
    "wrong kind": GOOD.replace('LINGUISTIC_TYPE_REF="assoc"', 'LINGUISTIC_TYPE_REF="gloss"'),
    "unknown entry": GOOD.replace('CVE_REF="c1"', 'CVE_REF="c9"'),
    "no vocabulary": GOOD.replace(' CONTROLLED_VOCABULARY_REF="signs"', ""),
    "duplicate id": GOOD.replace('ANNOTATION_ID="a2"', 'ANNOTATION_ID="a1"'),
    "missing parent": GOOD.replace('ANNOTATION_REF="a1"', 'ANNOTATION_REF="a7"'),
    "no parent attribute": GOOD.replace(' ANNOTATION_REF="a1"', ""),
    "dangling previous": GOOD.replace('ANNOTATION_REF="a1"', 'ANNOTATION_REF="a1" PREVIOUS_ANNOTATION="a9"'),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_unusual_forms_read_the_same_on_every_path(variant):
    assert VARIANTS[variant] != GOOD
    assert_same_on_every_path(VARIANTS[variant].encode("utf-8"))


@pytest.mark.parametrize(
    "variant", ["element in the value", "XInclude in the value", "text around an element in the value"]
)
def test_a_value_holding_an_element_is_refused_on_every_path(variant):
    """Never a value silently emptied or cut short: every path refuses the file, naming the line."""
    result = assert_same_on_every_path(VARIANTS[variant].encode("utf-8"))
    assert isinstance(result, str) and "> holds an element <" in result, result


def test_fast_paths_read_cdata_entities_and_unaligned_slots():
    """The fast path takes these plain-but-varied forms itself rather than falling back (it gives up on time
    slots without a time, which the one-by-one reader then reads)."""
    for name, tier in [("CDATA and entities", "Gloss"), ("empty value", "Translation")]:
        root = xmlsafe.parse(VARIANTS[name].encode("utf-8"), name)
        slots = eaf_columns.time_slots(root.find("TIME_ORDER"))
        element = next(e for e in root.iter("TIER") if e.get("TIER_ID") == tier)
        assert slots is not None and eaf_columns.tier_columns(element, tier == "Gloss", slots) is not None, name
    doc = outcome(VARIANTS["CDATA and entities"].encode("utf-8"), "xpath")
    assert doc.tier("Gloss").annotations[0].value == "H<O>USE & 一"
    assert "needs a start and an end" in outcome(VARIANTS["unaligned slot"].encode("utf-8"), "xpath")
    with using("xpath"):  # the reader itself keeps the unaligned slot; the document rules then refuse it
        doc = eaf_reader.read(VARIANTS["unaligned slot"].encode("utf-8"), "x.eaf")
    assert doc.tier("Gloss").annotations[0].end_ms is None


def test_fuzzed_corpus_file_gives_the_same_document_or_clean_error_on_every_path():
    original = shared_file(
        "Shogun6855__signlanguage-german-text2sign/dataset/1418836-15524810-15550340.eaf"
    ).read_bytes()

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        edits=st.lists(
            st.tuples(st.integers(0, len(original) - 1), st.integers(0, 40), st.binary(max_size=8)),
            min_size=1,
            max_size=3,
        )
    )
    def check(edits):
        data = bytearray(original)
        for at, remove, insert in edits:
            data[at : at + remove] = insert
        result = assert_same_on_every_path(bytes(data))
        assert isinstance(result, Document) or result.startswith("x.eaf")

    check()
