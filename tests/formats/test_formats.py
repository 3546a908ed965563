"""JSON, CSV, subtitles, TextGrid, tier selection and the format registry, on real and small files."""

from __future__ import annotations

import json
import re

import pytest

from kslars import formats
from kslars.document import Constraint
from kslars.formats import FormatError
from tests.conftest import shared_file

DGS_SMALL = "Shogun6855__signlanguage-german-text2sign/dataset/1418836-15524810-15550340.eaf"


@pytest.fixture(scope="module")
def dgs():
    return formats.read(shared_file(DGS_SMALL))


@pytest.fixture(scope="module")
def sample():
    return formats.read(shared_file("dopefishh__pympi/test/sample_3.0.eaf"))


# ---- registry and selection -------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, fmt",
    [
        ("a.eaf", "eaf"),
        ("b.JSON", "json"),
        ("c.csv", "csv"),
        ("d.srt", "srt"),
        ("e.vtt", "vtt"),
        ("f.TextGrid", "textgrid"),
    ],
)
def test_format_for_path(name, fmt):
    assert formats.format_for_path(name) == fmt


def test_a_written_file_is_named_so_that_it_is_read_as_its_format_again():
    names = {fmt: "f" + spec.extension for fmt, spec in formats.FORMATS.items() if spec.writable}
    assert names["textgrid"] == "f.TextGrid" and names["eaf"] == "f.eaf"  # as Praat and ELAN name their files
    assert {fmt: formats.format_for_path(name) for fmt, name in names.items()} == {fmt: fmt for fmt in names}


def test_unknown_extension_and_format_are_clear_errors():
    with pytest.raises(FormatError, match=r"notes.docx: unknown file type '.docx'; K-SLARS reads and writes .eaf"):
        formats.format_for_path("notes.docx")
    with pytest.raises(FormatError, match="unknown format 'xls'"):
        formats.write_bytes(formats.Document(), "xls")


def test_tier_selection_keeps_what_the_tiers_need(sample):
    doc = formats.read_bytes(formats.write_bytes(sample, "eaf", tiers=["words-pos"]), "eaf")
    assert [t.id for t in doc.tiers] == ["text", "words-symsub", "words-pos"]
    assert {tt.id for tt in doc.tier_types} == {"text", "words_symsub", "pos"}
    assert [v.id for v in doc.vocabularies] == ["POS"]
    with pytest.raises(FormatError, match="there is no tier named 'nope'"):
        formats.write_bytes(sample, "json", tiers=["nope"])


# ---- JSON -------------------------------------------------------------------------------------
def test_json_round_trip_of_a_real_file_validates_against_the_shipped_schema(dgs):
    jsonschema = pytest.importorskip("jsonschema")
    from kslars.formats.jsonfmt import schema

    data = formats.write_bytes(dgs, "json")
    payload = json.loads(data)
    assert payload["format"] == "kslars-document" and payload["version"] == 1
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.Draft202012Validator(schema()).validate(payload)
    assert formats.read_bytes(data, "json") == dgs


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda p: p.update(version=7), "K-SLARS JSON version 7 is not supported"),
        (lambda p: p.update(format="other"), 'not a K-SLARS document (expected "format": "kslars-document"'),
        (
            lambda p: p["document"]["tiers"][0]["annotations"][1].update(start_ms=-4),
            "at document.tiers[0].annotations[1].start_ms: -4 is less than the minimum of 0",
        ),
        (
            lambda p: p["document"]["tiers"][1].update(type="missing"),
            "tier 'Lexem_Gebärde_r_A' has tier type 'missing', which does not exist",
        ),
        (
            lambda p: p["document"]["tiers"][2]["annotations"][0].update(parent="zzz"),
            "refers to parent annotation 'zzz', which is not on parent tier 'Lexem_Gebärde_r_A'",
        ),
        (lambda p: p["document"]["tiers"][0]["annotations"][0].update(start_ms=999999), "is not after start 999999 ms"),
    ],
)
def test_bad_json_is_refused_with_the_place(dgs, change, expected):
    payload = json.loads(formats.write_bytes(dgs, "json"))
    change(payload)
    with pytest.raises(FormatError) as info:
        formats.read_bytes(json.dumps(payload).encode(), "json", name="up.json")
    assert expected in str(info.value)
    assert str(info.value).startswith("up.json")


def test_malformed_json_names_line_and_column():
    with pytest.raises(FormatError, match=r"x.json line 2, column 1: not valid JSON"):
        formats.read_bytes(b'{"format":\n}', "json", name="x.json")


def test_json_number_too_long_for_python_names_its_place(dgs):
    """Python refuses to read integers of more than 4,300 digits (sys.get_int_max_str_digits): a clear error, not a crash."""
    text = formats.write_bytes(dgs, "json").decode()
    at = text.index('"start_ms"')
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at) + len('"start_ms": ')
    huge = re.sub(r'"start_ms": \d+', '"start_ms": ' + "1" * 5000, text, count=1)
    with pytest.raises(FormatError) as info:
        formats.read_bytes(huge.encode(), "json", name="up.json")
    assert str(info.value).startswith(f"up.json line {line}, column {column}: a number with 5000 digits")
    ints = "[0, " + "9" * 4300 + ", 1.5, -" + "7" * 4301 + "]"  # the limit itself is fine; a sign does not count
    with pytest.raises(FormatError, match=rf"x.json line 1, column {ints.index('-') + 1}: a number with 4301 digits"):
        formats.read_bytes(ints.encode(), "json", name="x.json")


# ---- CSV --------------------------------------------------------------------------------------
def test_csv_rows_of_a_real_file(dgs):
    text = formats.write_bytes(dgs, "csv").decode()
    lines = text.splitlines()
    assert lines[0] == "tier,start_ms,end_ms,duration_ms,value,annotation_id,parent_annotation_id,annotator"
    assert len(lines) == 1 + sum(len(t.annotations) for t in dgs.tiers)
    ref_tier = next(t for t in dgs.tiers if dgs.constraint_of(t) is Constraint.SYMBOLIC_ASSOCIATION)
    child = ref_tier.annotations[0]
    parent = dgs.find_annotation(child.parent)[1]
    row = next(line for line in lines if f",{child.id},{parent.id}" in line)
    assert row.startswith(f"{ref_tier.id},{parent.start_ms},{parent.end_ms},{parent.end_ms - parent.start_ms},")
    again = formats.read_bytes(text.encode(), "csv")
    assert again.constraint_of(again.tier(ref_tier.id)) is Constraint.SYMBOLIC_ASSOCIATION
    assert again.tier(ref_tier.id).annotations[0].parent == parent.id


def test_frame_based_csv_uses_the_frame_rate(dgs):
    lines = formats.write_bytes(dgs, "csv", frame_based=True, fps=50.0).decode().splitlines()
    first = dgs.tiers[0].annotations[0]
    assert lines[0].startswith("tier,start_frame,end_frame,duration_frames")
    assert lines[1].startswith(
        f"{dgs.tiers[0].id},{round(first.start_ms * 50 / 1000)},{round(first.end_ms * 50 / 1000)},"
    )
    with pytest.raises(FormatError, match="frame-based CSV needs the video's frame rate"):
        formats.write_bytes(dgs, "csv", frame_based=True)


@pytest.mark.parametrize(
    "body, expected",
    [
        ("tier,start,end\n", "line 1: the columns must be tier,start_ms,end_ms"),
        (
            "tier,start_ms,end_ms,duration_ms,value,annotation_id,parent_annotation_id\nT,5,x,,v,a1,\n",
            "line 2: end_ms 'x' is not a whole number",
        ),
        (
            "tier,start_ms,end_ms,duration_ms,value,annotation_id,parent_annotation_id\nT,5,1,,v,a1,\n",
            "line 2: annotation a1 ends (1) before it starts (5)",
        ),
        (
            "tier,start_ms,end_ms,duration_ms,value,annotation_id,parent_annotation_id\nT,1,5,4,v,a1,\nU,1,5,4,w,a1,\n",
            "line 3: annotation id 'a1' appears twice",
        ),
        (
            "tier,start_ms,end_ms,duration_ms,value,annotation_id,parent_annotation_id\nT,1,5,4,v,a1,a9\n",
            "annotation a1 refers to parent annotation 'a9', which is not in the file",
        ),
    ],
)
def test_bad_csv_says_which_line(body, expected):
    with pytest.raises(FormatError) as info:
        formats.read_bytes(body.encode(), "csv", name="t.csv")
    assert expected in str(info.value)


# ---- subtitles and TextGrid --------------------------------------------------------------------
def test_srt_and_vtt_of_the_translation_tier(dgs):
    srt = formats.write_bytes(dgs, "srt").decode()  # picks the one tier called Translation...
    first = dgs.tier("Translation_into_English_A").annotations[0]
    assert srt.startswith(f"1\n00:00:00,000 --> 00:00:03,460\n{first.value}\n\n2\n")
    vtt = formats.write_bytes(dgs, "vtt", tiers=["Deutsche_Übersetzung_A"]).decode()
    assert vtt.startswith("WEBVTT\n\n") and "00:00:00.000 --> 00:00:03.460" in vtt
    back = formats.read_bytes(vtt.encode(), "vtt", tier="Deutsch")
    assert [a.value for a in back.tier("Deutsch").annotations] == [
        a.value for a in dgs.tier("Deutsche_Übersetzung_A").annotations
    ]
    with pytest.raises(FormatError, match="subtitles hold one tier"):
        formats.write_bytes(dgs, "srt", tiers=["Sign_r_A", "Sign_l_A"])


def test_bad_subtitle_timing_names_the_line():
    with pytest.raises(FormatError, match=r"s.srt line 2: '00:00:01 -> 00:00:02' is not a timing line"):
        formats.read_bytes(b"1\n00:00:01 -> 00:00:02\nhello\n", "srt", name="s.srt")


def test_textgrid_export_of_a_real_file_is_read_by_praatio(sample, tmp_path):
    from praatio import textgrid

    path = tmp_path / "sample.TextGrid"
    formats.write(sample, path)
    grid = textgrid.openTextgrid(str(path), includeEmptyIntervals=False)
    assert grid.tierNames == tuple(t.id for t in sample.tiers) or list(grid.tierNames) == [t.id for t in sample.tiers]
    words = grid.getTier("words-symsub").entries
    assert len(words) == len(sample.tier("words-symsub").annotations)
    first_text = sample.tier("text").annotations[0]
    assert grid.getTier("text").entries[0][:2] == (first_text.start_ms / 1000, first_text.end_ms / 1000)


def test_options_a_format_does_not_take_are_named(dgs):
    with pytest.raises(FormatError, match=r"option 'fps' does not apply to eaf"):
        formats.write_bytes(dgs, "eaf", fps=25.0)
    with pytest.raises(FormatError, match=r"option 'frame_based' does not apply to json \(it takes: indent\)"):
        formats.write_bytes(dgs, "json", frame_based=True)


def test_missing_files_and_folders_are_format_errors(tmp_path, dgs):
    with pytest.raises(FormatError, match=r"cannot read .*nothing.eaf"):
        formats.read(tmp_path / "nothing.eaf")
    with pytest.raises(FormatError, match=r"cannot write .*no/such/dir/out.json"):
        formats.write(dgs, tmp_path / "no" / "such" / "dir" / "out.json")
