"""``kslars agreement``: the JSON on real parallel tiers, two files, and the input it refuses with status 2."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kslars.cli import main
from tests.corpus.helpers import dgs_file, write_eaf

REPORT_KEYS = {
    "kappa",
    "percent_agreement",
    "matched",
    "unmatched_a",
    "unmatched_b",
    "boundaries",
    "confusion",
    "kappa_max",
    "raw_agreement",
    "cohen_kappa",
    "per_value",
    "staccato",
}


def run(*args: str):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(main, ["agreement", *args])


def test_json_for_the_right_and_left_hand_of_one_signer() -> None:
    path = str(dgs_file("1413703.eaf"))
    result = run(path, "--tier", "Lexem_Gebärde_r_B", "--tier2", "Lexem_Gebärde_l_B", "--json", "--iterations", "100")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert REPORT_KEYS <= set(report)
    assert (report["a"]["segments"], report["b"]["segments"]) == (1297, 142)
    assert report["matched"] + report["unmatched_a"] == 1297 and report["matched"] + report["unmatched_b"] == 142
    assert 0 <= report["kappa"] <= 1 and 0 <= report["percent_agreement"] <= 100
    assert len(report["boundaries"]["pairs"]) == report["matched"]


def test_two_files_and_the_text_report(tmp_path: Path) -> None:
    first = write_eaf(tmp_path / "anna.eaf", {"Gloss": [(0, 1000, "HOUSE"), (1200, 2000, "GO"), (2500, 3000, "I")]})
    second = write_eaf(tmp_path / "boris.eaf", {"Gloss": [(0, 900, "HOUSE"), (1250, 2000, "WALK")]})
    result = run(str(first), str(second), "--tier", "Gloss", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    counts = report["matched"], report["unmatched_a"], report["unmatched_b"], report["percent_agreement"]
    assert counts == (2, 1, 0, 50.0)
    assert report["boundaries"]["start_ms"]["max_abs"] == 50 and report["boundaries"]["end_ms"]["max_abs"] == 100
    text = run(str(first), str(second), "--tier", "Gloss")
    assert text.exit_code == 0
    assert "'GO' -> 'WALK': 1" in text.output and "Linked at 60% overlap: 2 pairs" in text.output


def test_input_that_cannot_be_compared_exits_with_2(tmp_path: Path) -> None:
    early = write_eaf(tmp_path / "early.eaf", {"Gloss": [(0, 1000, "A")], "Other": [(0, 500, "B")]})
    late = write_eaf(tmp_path / "late.eaf", {"Gloss": [(5000, 6000, "A")]})
    broken = tmp_path / "broken.eaf"
    broken.write_text("<ANNOTATION_DOCUMENT><TIER")
    cases = {
        "no tier 'Missing'": [str(early), str(late), "--tier", "Missing"],
        "do not overlap anywhere": [str(early), str(late), "--tier", "Gloss"],
        "broken.eaf": [str(broken), str(late), "--tier", "Gloss"],
        "--tier2": [str(early), "--tier", "Gloss"],
    }
    for message, args in cases.items():
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output
    assert run(str(early), "--tier", "Gloss", "--tier2", "Other").exit_code == 0
