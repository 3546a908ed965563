"""Bad EAF input gives one clear error (what and where), quickly, and changes nothing."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kslars import formats
from kslars.document import Annotation, Document, ExternalRef, Tier, TierType
from kslars.formats import FormatError

GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-01-01T00:00:00" FORMAT="3.0" VERSION="3.0">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
    <TIME_ORDER>
        <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="100"/>
        <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="900"/>
    </TIME_ORDER>
    <TIER TIER_ID="Gloss" LINGUISTIC_TYPE_REF="gloss">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2" CVE_REF="c1">
                <ANNOTATION_VALUE>HOUSE</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER TIER_ID="Translation" LINGUISTIC_TYPE_REF="assoc" PARENT_REF="Gloss">
        <ANNOTATION>
            <REF_ANNOTATION ANNOTATION_ID="a2" ANNOTATION_REF="a1">
                <ANNOTATION_VALUE>a house</ANNOTATION_VALUE>
            </REF_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="gloss" TIME_ALIGNABLE="true" CONTROLLED_VOCABULARY_REF="signs"/>
    <LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="assoc" TIME_ALIGNABLE="false" CONSTRAINTS="Symbolic_Association"/>
    <LANGUAGE LANG_ID="eng"/>
    <CONSTRAINT STEREOTYPE="Symbolic_Association"/>
    <CONTROLLED_VOCABULARY CV_ID="signs">
        <CV_ENTRY_ML CVE_ID="c1"><CVE_VALUE LANG_REF="eng">HOUSE</CVE_VALUE></CV_ENTRY_ML>
    </CONTROLLED_VOCABULARY>
</ANNOTATION_DOCUMENT>
"""


def read(text: str) -> Document:
    return formats.read_bytes(text.encode("utf-8"), "eaf", name="sample.eaf")


def test_the_base_file_is_fine():
    doc = read(GOOD)
    assert doc.tier("Translation").annotations[0].parent == "a1"
    assert doc.tier("Gloss").annotations[0].cv_entry == "c1"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            'TIME_SLOT_REF2="ts2"',
            'TIME_SLOT_REF2="ts99"',
            "sample.eaf line 10: annotation a1 refers to time slot ts99, which does not exist",
        ),
        (
            'ANNOTATION_REF="a1"',
            'ANNOTATION_REF="a77"',
            "sample.eaf line 17: annotation a2 refers to parent annotation a77, which does not exist",
        ),
        (
            'ANNOTATION_REF="a1">',
            'ANNOTATION_REF="a1" PREVIOUS_ANNOTATION="a9">',
            "line 17: annotation a2 follows annotation a9, which is not on tier 'Translation'",
        ),
        (
            'CVE_REF="c1"',
            'CVE_REF="c7"',
            "line 10: annotation a1 refers to entry 'c7', which is not in controlled vocabulary 'signs'",
        ),
        (
            'PARENT_REF="Gloss"',
            'PARENT_REF="Glosses"',
            "line 15: tier 'Translation' has parent tier 'Glosses', which does not exist",
        ),
        (
            'LINGUISTIC_TYPE_REF="gloss"',
            'LINGUISTIC_TYPE_REF="glossy"',
            "line 8: tier 'Gloss' has tier type 'glossy', which does not exist",
        ),
        (
            'CONTROLLED_VOCABULARY_REF="signs"',
            'CONTROLLED_VOCABULARY_REF="nope"',
            "refers to controlled vocabulary 'nope', which does not exist",
        ),
        (
            'TIME_VALUE="900"',
            'TIME_VALUE="50"',
            "line 10: annotation a1 ends (50 ms, ts2) before it starts (100 ms, ts1)",
        ),
        ('TIME_VALUE="900"', 'TIME_VALUE="-5"', "line 6: time slot ts2 has a negative time (-5 ms)"),
        (
            'TIME_VALUE="900"',
            'TIME_VALUE="nine"',
            "line 6: time slot ts2 has TIME_VALUE='nine', which is not a whole number",
        ),
        (
            'FORMAT="3.0" VERSION="3.0"',
            'FORMAT="4.2" VERSION="4.2"',
            "line 2: EAF version '4.2' is not supported; K-SLARS reads EAF 2.7, 2.8, 3.0",
        ),
        ('ANNOTATION_ID="a2"', 'ANNOTATION_ID="a1"', "line 17: two annotations have the id 'a1'"),
        ("<ANNOTATION_VALUE>HOUSE</ANNOTATION_VALUE>", "", "line 10: annotation a1 has no <ANNOTATION_VALUE>"),
        (
            "<ANNOTATION_VALUE>HOUSE</ANNOTATION_VALUE>",
            '<ANNOTATION_VALUE><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/hostname"/></ANNOTATION_VALUE>',
            "line 11: <ANNOTATION_VALUE> holds an element <xi:include>, but EAF allows only text there",
        ),
        (
            ">a house<",
            ">a <b>big</b> house<",
            "line 18: <ANNOTATION_VALUE> holds an element <b>, but EAF allows only text there",
        ),
        (
            '<CVE_VALUE LANG_REF="eng">HOUSE</CVE_VALUE>',
            '<CVE_VALUE LANG_REF="eng"><i>HOUSE</i></CVE_VALUE>',
            "line 27: <CVE_VALUE> holds an element <i>",
        ),
        (
            'CONSTRAINTS="Symbolic_Association"',
            'CONSTRAINTS="Sideways"',
            "tier type 'assoc' has unknown constraint 'Sideways'",
        ),
        ('TIME_UNITS="milliseconds"', 'TIME_UNITS="PAL-frames"', "TIME_UNITS='PAL-frames'"),
        (
            '<TIER TIER_ID="Translation" LINGUISTIC_TYPE_REF="assoc" PARENT_REF="Gloss">',
            '<TIER TIER_ID="Translation" LINGUISTIC_TYPE_REF="assoc">',
            "tier 'Translation' is Symbolic_Association (tier type 'assoc') but has no parent tier",
        ),
        (
            '<REF_ANNOTATION ANNOTATION_ID="a2" ANNOTATION_REF="a1">',
            '<ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">',
            None,
        ),
        (
            "</ANNOTATION_DOCUMENT>",
            "",
            "sample.eaf line 30, column 1: the file is not well-formed XML (Premature end of data in tag ANNOTATION_DOCUMENT line 2)",
        ),
        ("<ANNOTATION_DOCUMENT ", "<TEI ", "the root element is <TEI>, not <ANNOTATION_DOCUMENT>"),
    ],
)
def test_broken_files_say_what_and_where(old, new, expected):
    broken = GOOD.replace(old, new, 1)
    assert broken != GOOD
    if old.startswith("<REF_ANNOTATION"):
        broken = broken.replace("</REF_ANNOTATION>", "</ALIGNABLE_ANNOTATION>")
        expected = "line 17: annotation a2 has its own times, but tier 'Translation' is Symbolic_Association"
    if new == "<TEI ":
        broken = broken.replace("</ANNOTATION_DOCUMENT>", "</TEI>")
    with pytest.raises(FormatError) as info:
        read(broken)
    assert expected in str(info.value)


def test_eaf_2_7_and_2_8_are_read():
    for version in ("2.7", "2.8"):
        doc = read(GOOD.replace('FORMAT="3.0" VERSION="3.0"', f'FORMAT="{version}" VERSION="{version}"'))
        assert doc.tier("Gloss").annotations[0].value == "HOUSE"


def test_oversized_input_is_refused_before_parsing(tmp_path):
    with pytest.raises(FormatError, match=r"is 1,234 bytes, more than the limit of 1,000 bytes"):
        formats.read_bytes(b" " * 1234, "eaf", name="upload.eaf", max_bytes=1000)
    path = tmp_path / "big.eaf"
    path.write_bytes(GOOD.encode() + b" " * 5000)
    with pytest.raises(FormatError, match="big.eaf is"):
        formats.read(path, max_bytes=len(GOOD))


XXE = """<?xml version="1.0"?>
<!DOCTYPE ANNOTATION_DOCUMENT [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ANNOTATION_DOCUMENT AUTHOR="&secret;" DATE="2024-01-01T00:00:00" VERSION="3.0"><HEADER/><TIME_ORDER/></ANNOTATION_DOCUMENT>"""
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + ']>\n<ANNOTATION_DOCUMENT AUTHOR="&lol9;" DATE="2024-01-01T00:00:00" VERSION="3.0"><HEADER/><TIME_ORDER/></ANNOTATION_DOCUMENT>'
)
REMOTE_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE ANNOTATION_DOCUMENT SYSTEM "http://10.255.255.1/eaf.dtd">\n'
    + GOOD.split("\n", 1)[1]
)


@pytest.mark.timeout(10)
@pytest.mark.parametrize("attack", [XXE, LAUGHS, REMOTE_DTD], ids=["external-entity", "billion-laughs", "remote-dtd"])
def test_xml_attacks_are_refused_quickly(attack):
    start = time.perf_counter()
    with pytest.raises(FormatError) as info:
        read(attack)
    assert time.perf_counter() - start < 2
    message = str(info.value)
    assert "DOCTYPE" in message or "entity" in message.lower()
    assert "root:" not in message


def test_schema_location_is_not_fetched():
    doc = read(
        GOOD.replace(
            'VERSION="3.0">',
            'VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://10.255.255.1/EAFv3.0.xsd">',
            1,
        )
    )
    assert doc.has_tier("Gloss")


@pytest.mark.timeout(10)
def test_absurdly_deep_nesting_is_refused():
    deep = GOOD.replace("<HEADER", "<X>" * 20000 + "</X>" * 20000 + "<HEADER", 1)
    with pytest.raises(FormatError, match="not well-formed XML"):
        read(deep)


def test_failed_write_leaves_the_existing_file_alone(tmp_path):
    target = tmp_path / "session.eaf"
    target.write_bytes(b"precious")
    doc = Document(tier_types=[TierType("t")], tiers=[Tier("T", "t", annotations=[Annotation("a1", "x", 500, 100)])])
    with pytest.raises(FormatError, match="annotation 'a1' on tier 'T': end 100 ms is not after start 500 ms"):
        formats.write(doc, target)
    assert target.read_bytes() == b"precious"
    assert list(tmp_path.iterdir()) == [target]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(GOOD.encode()) - 1), st.integers(0, 8), st.binary(max_size=6)),
        min_size=1,
        max_size=4,
    ),
    cut=st.none() | st.integers(0, len(GOOD.encode())),
)
def test_fuzzed_files_give_a_document_or_a_clean_error(edits, cut):
    data = bytearray(GOOD.encode())
    for at, remove, insert in edits:
        data[at : at + remove] = insert
    if cut is not None:
        data = data[:cut]
    try:
        doc = formats.read_bytes(bytes(data), "eaf", name="fuzz.eaf")
    except FormatError as e:
        assert str(e).startswith("fuzz.eaf")
    else:
        assert isinstance(doc, Document)
        formats.write_bytes(doc, "eaf")  # whatever was accepted can be written back


def test_export_refuses_undeclared_languages_and_bad_ids():
    doc = read(GOOD)
    doc.tier("Gloss").language = "kaz"
    with pytest.raises(FormatError, match="tier 'Gloss' refers to language 'kaz', which the document does not declare"):
        formats.write_bytes(doc, "eaf")
    doc = read(GOOD)
    doc.tier("Translation").annotations[0].id = "1 house"
    with pytest.raises(FormatError, match="annotation '1 house' cannot be written to EAF"):
        formats.write_bytes(doc, "eaf")
    doc = read(GOOD)
    doc.tier("Gloss").annotations[0].value = "bell\x07"
    doc.vocabularies[0].entries[0].values[0].value = "bell\x07"  # still the value of its vocabulary entry
    with pytest.raises(FormatError, match="control character U\\+0007"):
        formats.write_bytes(doc, "eaf")


def test_export_refuses_names_eaf_needs_unique_or_from_its_list():
    doc = read(GOOD)
    doc.vocabularies[0].entries.append(doc.vocabularies[0].entries[0])
    with pytest.raises(FormatError, match="vocabulary 'signs' has two entries with the id 'c1'"):
        formats.write_bytes(doc, "eaf")
    doc = read(GOOD)
    doc.external_refs.append(ExternalRef("er1", "website", "https://example.org"))
    with pytest.raises(FormatError, match="external reference 'er1' has type 'website'; EAF allows iso12620"):
        formats.write_bytes(doc, "eaf")
