"""The HamNoSys parser against lingpy/pysign's symbol table and expected parses, malformed strings, and the
coverage of the Ham2Pose lexicon."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

import pytest

from kslars.dictionary.hamnosys_parser import HamNoSysError, ParsedSign, parse_hamnosys
from kslars.dictionary.symbols import KIND_OF, NAME_OF, SYMBOL_OF
from tests.conftest import shared_file

PYSIGN = "lingpy__pysign"
HAM2POSE = "rotem-shalev__Ham2Pose/data/hamnosys/data.json"
S = SYMBOL_OF  # HamNoSys name -> symbol


def ham(*names: str) -> str:
    """A HamNoSys string from symbol names without the "ham" prefix ("space" for a space)."""
    return "".join(S["ham" + name] for name in names)


def test_symbol_table_is_pysigns_table() -> None:
    rows = list(
        csv.DictReader(shared_file(f"{PYSIGN}/src/pysign/data/hamsymbols.tsv").open(encoding="utf-8"), delimiter="\t")
    )
    assert {r["NAME"]: chr(int(r["UNICODE"], 16)) for r in rows} == SYMBOL_OF
    assert len(NAME_OF) == len(KIND_OF) == 208


def expected_rows() -> list[tuple[str, str, list[str]]]:
    """(sign, property, expected segments) of every row of pysign's examples/test-signs.tsv.

    The expected column is "none" (nothing), one JSON string, a JSON list, or list items without the brackets
    ("a", "b"); one row has spaces where the tabs belong, and is split at them.
    """
    lines = shared_file(f"{PYSIGN}/examples/test-signs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    rows = []
    for line in lines:
        fields = line.split("\t")
        if len(fields) != 3:
            fields = list(re.fullmatch(r'(".*") (\S+) (.*)', line).groups())
        sign, prop, expected = json.loads(fields[0]), fields[1], fields[2]
        segments = [] if expected == "none" else json.loads(expected if expected.startswith("[") else f"[{expected}]")
        rows.append((sign, prop, segments))
    return rows


def pysign_view(parsed: ParsedSign, prop: str) -> list[str]:
    """Our parse in the terms of one pysign property (``dominant['shape']``, ``meta['contact']``, ...)."""
    if prop == "symmetry":
        return [parsed.symmetry] if parsed.symmetry else []
    if prop == "initial position":
        return [parsed.initial_position] if parsed.initial_position else []
    hand, key = re.fullmatch(r"(\w+)\['(\w+)'\]", prop).groups()
    if hand == "meta":
        return [parsed.rest] if key == "rest" else parsed.groups.get(key, [])
    parts = parsed.dominant if hand == "dominant" else parsed.nondominant
    fields = {
        "shape": "shapes",
        "orientation": "orientations",
        "location": "locations",
        "contact": "contacts",
        "movement": "movements",
        "repetition": "repetitions",
    }
    segments = list(getattr(parts, fields[key]))
    return segments + ["simultaneous"] if key == "movement" and parts.simultaneous else segments


# Rows where pysign's expectation is not what HamNoSys says (or what pysign says for the same construction
# in other rows): (first symbols of the sign, property) -> why we differ.
DISAGREEMENTS = {
    (
        ham(
            "parbegin",
            "finger2",
            "plus",
            "flathand",
            "parend",
            "space",
            "parbegin",
            "extfingeru",
            "palml",
            "plus",
            "extfingero",
            "palmd",
            "parend",
            "space",
            "parbegin",
            "shoulders",
            "lrat",
            "plus",
            "lrat",
            "chest",
            "parend",
            "space",
            "parbegin",
            "parbegin",
        ),
        "dominant['shape']",
    ): "pysign drops the handshape change inside a two-hand movement; it keeps it in one-hand signs (rows 6, 8)",
    (
        ham("symmlr", "space", "finger2345"),
        "dominant['location']",
    ): "( fingertip + fingertip ) names each hand's location; pysign leaves those finger parts out",
    (ham("symmlr", "space", "finger2345"), "nondominant['location']"): "as above, the non-dominant fingertip",
    (
        ham("symmlr", "space", "pinchall"),
        "dominant['location']",
    ): "( chin ... + handback ... ) is dominant + non-dominant, as pysign itself splits ( thumbball + handback )",
    (ham("symmlr", "space", "pinchall"), "nondominant['location']"): "as above: handback is the other hand's",
    (ham("symmlr", "space", "pinchall"), "dominant['contact']"): "as above: the second contact is the other hand's",
    (ham("symmlr", "space", "pinchall"), "nondominant['contact']"): "as above",
    (
        ham("cee12"),
        "dominant['movement']",
    ): "a repetition symbol is a repetition, also inside [ ... ] (pysign lists it as one when outside, row 5)",
    (ham("cee12"), "dominant['repetition']"): "as above",
    (ham("cee12"), "meta['orientation']"): "pysign lists the orientation itself among the grouping symbols",
}


def disagreement(sign: str, prop: str) -> str | None:
    """Why our parse differs from pysign's expectation for this row, or None when it should agree."""
    matches = [why for (start, p), why in DISAGREEMENTS.items() if p == prop and sign.startswith(start)]
    return matches[0] if matches else None


def test_parser_against_every_row_of_pysigns_expected_parses() -> None:
    rows = expected_rows()
    assert len(rows) == 190  # 10 signs x 19 properties
    agreed, differed = 0, []
    for sign, prop, expected in rows:
        got = pysign_view(parse_hamnosys(sign), prop)
        why = disagreement(sign, prop)
        if why is None:
            assert got == expected, (" ".join(NAME_OF[c] for c in sign), prop)
            agreed += 1
        else:
            assert got != expected, f"now agrees with pysign, drop the disagreement: {why}"
            differed.append(why)
    assert (agreed, len(differed)) == (180, 10)


def test_parts_of_a_two_handed_sign() -> None:
    parsed = parse_hamnosys(
        ham(
            "parbegin",
            "finger2",
            "plus",
            "flathand",
            "parend",
            "extfingeru",
            "palml",
            "shoulders",
            "movedo",
            "replace",
            "fist",
            "thumboutmod",
        )
    )
    assert parsed.dominant.shapes == [ham("finger2"), ham("fist", "thumboutmod")]
    assert parsed.nondominant.shapes == [ham("flathand")]
    assert parsed.dominant.orientations == [ham("extfingeru", "palml")]
    assert parsed.dominant.movements == [ham("movedo"), ham("replace")]
    assert parsed.nondominant_shape == ham("flathand")


def test_symmetry_gives_the_other_hand_the_same_shape_and_compounds_are_kept() -> None:
    parsed = parse_hamnosys(
        ham(
            "symmlr",
            "largemod",
            "fist",
            "extfingero",
            "palmd",
            "chest",
            "moved",
            "plus",
            "flathand",
            "extfingeru",
            "palml",
            "nomotion",
        )
    )
    assert parsed.symmetry == ham("symmlr", "largemod")
    assert parsed.nondominant_shape == ham("fist")
    assert [c.dominant.shapes for c in parsed.compound] == [[ham("flathand")]]


def test_intermediate_forms_and_alternatives() -> None:
    parsed = parse_hamnosys(
        ham(
            "finger2",
            "between",
            "finger2",
            "fingerstraightmod",
            "extfingerul",
            "palmu",
            "between",
            "palmur",
            "altbegin",
            "chest",
            "metaalt",
            "stomach",
            "altend",
            "moveo",
        )
    )
    assert parsed.dominant.shapes == [ham("finger2", "between", "finger2", "fingerstraightmod")]
    assert parsed.dominant.orientations == [ham("extfingerul", "palmu", "between", "palmur")]
    assert parsed.dominant.locations == [ham("chest")]  # the first alternative


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty HamNoSys string"),
        ("   ", "empty HamNoSys string"),
        ("hello", "position 0: 'h' (U+0068) is not a HamNoSys symbol"),
        (ham("flathand") + "\ue0ff", "position 1: '\\ue0ff' (U+E0FF) is not a HamNoSys symbol"),
        (ham("extfingeru", "palmd", "chest"), "position 0: hamextfingeru comes before any handshape"),
        (ham("thumboutmod", "flathand"), "position 0: hamthumboutmod modifies a shape, but none comes before it"),
        (ham("parbegin", "flathand", "plus", "fist"), "position 0: hamparbegin is never closed"),
        (ham("flathand", "parend"), "position 1: hamparend closes no bracket"),
        (ham("parbegin", "flathand", "seqend"), "position 2: hamseqend closes hamparbegin of position 0"),
        (ham("seqbegin", "flathand", "plus", "fist", "seqend"), "position 2: hamplus stands inside a bracket group"),
        (ham("symmlr", "chest"), "position 1: hamchest comes before any handshape"),
        (ham("symmlr"), "no handshape symbol"),
        (ham("flathand", "plus", "chest"), "position 2: in the compound's next sign: hamchest comes before any"),
    ],
)
def test_malformed_strings_raise_clear_errors(text: str, message: str) -> None:
    with pytest.raises(HamNoSysError) as raised:
        parse_hamnosys(text)
    assert str(raised.value).startswith(message)


def test_ham2pose_lexicon_parse_coverage() -> None:
    entries = json.loads(shared_file(HAM2POSE).read_text(encoding="utf-8"))
    failures: dict[str, str] = {}
    for key, entry in entries.items():
        try:
            parse_hamnosys(entry["hamnosys"])
        except HamNoSysError as error:
            failures[key] = error.message
    assert len(entries) == 5752
    assert len(entries) - len(failures) == 5748
    assert failures == {
        "31004": "hamseqend closes hamparbegin of position 14",  # [ ... ) : mismatched brackets
        "43977": "hamplus stands inside a bracket group that is not ( dominant + non-dominant )",
        "9682": "hamextfingeru comes before any handshape (a sign starts with its handshape)",
        "pjm_3460": "hamparbegin is never closed",  # the string is cut off
    }


def test_every_parsed_ham2pose_sign_has_an_inventory_handshape() -> None:
    from kslars.dictionary.handshape_classes import CLASS_NAMES, handshape_class

    entries = json.loads(shared_file(HAM2POSE).read_text(encoding="utf-8"))
    classes = Counter()
    for entry in entries.values():
        try:
            parsed = parse_hamnosys(entry["hamnosys"])
        except HamNoSysError:
            continue
        classes[handshape_class(parsed.dominant.shapes[0])] += 1
    assert None not in classes and set(classes) <= set(CLASS_NAMES)
    assert classes.most_common(1)[0][0] == "flathand"
