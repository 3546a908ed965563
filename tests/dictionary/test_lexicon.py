"""The dictionary file, the importers (Ham2Pose lexicon, ELAN/SLAN documents) and export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kslars import formats
from kslars.dictionary.handshape_classes import handshape_class, handshape_from_query
from kslars.dictionary.importers import ImportFailed, export_signs, read_signs
from kslars.dictionary.lexicon import Lexicon, LexiconError, Sign
from kslars.dictionary.symbols import SYMBOL_OF
from kslars.document import Annotation
from kslars.krsl import default_document
from tests.dictionary.conftest import run


def ham(*names: str) -> str:
    return "".join(SYMBOL_OF["ham" + name] for name in names)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("flathand",), "flathand"),
        (("finger2", "thumboutmod"), "finger2_thumbout"),
        (("finger2", "fingerhookmod"), "finger2_hooked"),
        (("finger2345", "fingerbendmod", "thumboutmod", "thumb"), "finger2345_thumbout"),  # no thumbout+bent class
        (("pinch12open", "fingerhookmod", "pinky"), "pinch12open"),
        (("cee12", "thumbopenmod"), "cee12_thumbopen"),
        (("finger2", "between", "fist", "thumboutmod"), "finger2"),  # the first form of an intermediate shape
        (("finger2", "fingerstraightmod"), "finger2"),
    ],
)
def test_written_handshapes_map_to_inventory_classes(names: tuple[str, ...], expected: str) -> None:
    assert handshape_class(ham(*names)) == expected


def test_handshape_queries() -> None:
    assert handshape_from_query("hamflathand") == "flathand"
    assert handshape_from_query("hamfinger2,hamthumboutmod") == "finger2_thumbout"
    assert handshape_from_query("finger23spread") == "finger23spread"
    for bad in ("hamflathandd", "flat hand", "", "hamthumboutmod"):
        with pytest.raises(ValueError):
            handshape_from_query(bad)


def test_ham2pose_import(ham2pose_json: Path, ham2pose_lexicon: Lexicon) -> None:
    result = read_signs(ham2pose_json)
    assert len(result.signs) == 5747 and len(ham2pose_lexicon) == 5747
    assert sorted(key for key, _ in result.skipped) == ["31004", "43977", "9682", "pjm_3452", "pjm_3460"]
    assert dict(result.skipped)["pjm_3452"] == "no gloss (type_name)"
    sign = next(s for s in ham2pose_lexicon.signs if s.id == "data:10010")
    assert sign.gloss == "PILL1^" and sign.video.endswith("g13899.mp4") and "DGS-Korpus" in sign.source
    form = ham2pose_lexicon.forms[ham2pose_lexicon.signs.index(sign)]
    assert (form.dominant, form.nondominant, form.finger_direction, form.palm) == ("pinch12", None, "ul", "l")


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    signs = [
        Sign("a", "ПРИВЕТ", ham("flathand", "extfingeru", "palml"), {"ru": "привет", "en": "hello"}, "test"),
        Sign("b", "HAUS", ham("symmpar", "flathand", "extfingerul", "palmdl"), video="haus.mp4"),
    ]
    path = tmp_path / "d.json"
    Lexicon(signs).save(path)
    loaded = Lexicon.load(path)
    assert loaded.signs == signs
    assert loaded.forms[1].nondominant == "flathand"  # the symmetry operator gives both hands the shape
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "kslars-dictionary"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a readable dictionary file"),
        ('{"format": "something"}', "not a K-SLARS dictionary"),
        ('{"format": "kslars-dictionary", "version": 9, "signs": []}', "dictionary version 9"),
        (
            '{"format": "kslars-dictionary", "version": 1, "signs": [{"id": "x", "gloss": "X"}]}',
            "sign 0: 'hamnosys' must be a non-empty string",
        ),
        (
            '{"format": "kslars-dictionary", "version": 1, "signs": [{"id": "x", "gloss": "X", "hamnosys": "abc"}]}',
            "sign 'x' (X): HamNoSys position 0",
        ),
    ],
)
def test_bad_dictionary_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "d.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Lexicon.load(path)


def krsl_document_file(tmp_path: Path, suffix: str) -> Path:
    """A KRSL document with three glosses and their handshapes, written as .eaf or SLAN's JSON. Its handshape tiers
    have no controlled vocabulary (as in a file made elsewhere), so one of them can hold a value that is no
    handshape."""
    doc = default_document()
    doc.tier_type(doc.tier("Right handshape").type).vocabulary = None
    rows = [
        (
            "Gloss",
            [
                (0, 800, "ПРИВЕТ"),
                (1000, 1800, "СПАСИБО"),
                (2000, 2600, "ДОМ"),
                (3000, 3500, "ПРИВЕТ"),
                (4000, 4500, "ЖОҚ"),
            ],
        ),
        (
            "Right handshape",
            [
                (0, 800, "flathand"),
                (1000, 1800, "flathand_thumbout"),
                (2000, 2600, "finger2"),
                (3000, 3500, "flathand"),
                (4000, 4500, "no such shape"),
            ],
        ),
        ("Left handshape", [(2000, 2600, "flathand")]),
    ]
    for tier_id, spans in rows:
        doc.tier(tier_id).annotations = [
            Annotation(id=f"{tier_id[0]}{i}", value=v, start_ms=s, end_ms=e) for i, (s, e, v) in enumerate(spans)
        ]
    path = tmp_path / f"krsl{suffix}"
    formats.write(doc, path)
    return path


@pytest.mark.parametrize("suffix", [".eaf", ".json"])
def test_import_of_annotated_documents(tmp_path: Path, suffix: str) -> None:
    result = read_signs(krsl_document_file(tmp_path, suffix))
    assert [(s.gloss, s.hamnosys) for s in result.signs] == [
        ("ПРИВЕТ", ham("flathand")),
        ("СПАСИБО", ham("flathand", "thumboutmod")),
        ("ДОМ", ham("parbegin", "finger2", "plus", "flathand", "parend")),
    ]  # the second ПРИВЕТ is the same sign
    assert result.skipped == [
        ("ЖОҚ at 4000 ms", "handshape 'no such shape' is not a HamNoSys class or HamNoSys symbols")
    ]
    assert Lexicon(result.signs).forms[2].nondominant == "flathand"


def test_import_refuses_other_files(tmp_path: Path) -> None:
    other = tmp_path / "data.json"
    other.write_text('{"a": {"gloss": "x"}}', encoding="utf-8")
    with pytest.raises(ImportFailed, match="not a HamNoSys lexicon"):
        read_signs(other)
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(ImportFailed, match="cannot import .txt"):
        read_signs(text)


def test_export_json_imports_again_and_csv_lists_the_signs(tmp_path: Path, ham2pose_lexicon: Lexicon) -> None:
    small = Lexicon(ham2pose_lexicon.signs[:50])
    export_signs(small, tmp_path / "out.json")
    again = read_signs(tmp_path / "out.json")
    assert [(s.gloss, s.hamnosys) for s in again.signs] == [(s.gloss, s.hamnosys) for s in small.signs]
    export_signs(small, tmp_path / "out.csv")
    rows = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8")))
    assert len(rows) == 50 and rows[0]["dominant"] == small.forms[0].dominant


def test_cli_import_merges_and_bad_input_leaves_the_dictionary_as_it_was(tmp_path: Path) -> None:
    dictionary = tmp_path / "d.json"
    eaf = krsl_document_file(tmp_path, ".eaf")
    first = run("import", eaf, "--dictionary", dictionary)
    assert first.exit_code == 0, first.output
    assert "imported 3 signs from krsl.eaf" in first.output and "left out 1 entries" in first.output
    before = dictionary.read_bytes()
    for bad_content, name in (
        ("{broken", "bad.json"),
        ('{"x": 1}', "other.json"),
        ("<EAF", "bad.eaf"),
        ("text", "notes.txt"),
    ):
        bad = tmp_path / name
        bad.write_text(bad_content, encoding="utf-8")
        result = run("import", bad, "--dictionary", dictionary)
        assert result.exit_code == 2, (name, result.output)
        assert name in result.output
        assert dictionary.read_bytes() == before
    again = run("import", eaf, "--dictionary", dictionary)
    assert again.exit_code == 0 and f"{dictionary} holds 3 signs" in again.output  # same ids: replaced
    assert sorted(tmp_path.iterdir()) == sorted(
        [dictionary, eaf, *(tmp_path / n for n in ("bad.json", "other.json", "bad.eaf", "notes.txt"))]
    )


def test_cli_refuses_a_corrupt_dictionary_without_touching_it(tmp_path: Path) -> None:
    dictionary = tmp_path / "d.json"
    dictionary.write_text('{"format": "kslars-dictionary", "version": 1, "signs": [7]}', encoding="utf-8")
    eaf = krsl_document_file(tmp_path, ".eaf")
    result = run("import", eaf, "--dictionary", dictionary)
    assert result.exit_code == 2 and "sign 0: a sign must be a JSON object" in result.output
    assert dictionary.read_text(encoding="utf-8").endswith("[7]}")


def test_cli_export(tmp_path: Path, ham2pose_dictionary: Path) -> None:
    result = run("export", "--dictionary", ham2pose_dictionary, tmp_path / "all.csv")
    assert result.exit_code == 0 and "wrote 5747 signs" in result.output
    assert run("export", "--dictionary", ham2pose_dictionary, tmp_path / "all.xml").exit_code == 2
