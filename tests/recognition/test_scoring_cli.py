"""``kslars cslr score``: its output line, --per-sentence, --json, --write-cleaned, and bad input as exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kslars.recognition.cli import cslr
from kslars.recognition.scoring.transcripts import read_ctm, read_stm
from tests.conftest import REPO_ROOT, shared_file

PHOENIX_2014_TEST = "VIPL-SLP__VAC_CSLR/evaluation/slr_eval/phoenix2014-groundtruth-test.stm"
REFERENCE = (
    "a 1 s1 0.0 1.79769e+308 __ON__ REGEN WIND SONNE NORD\n"
    "b 1 s1 0.0 1.79769e+308 loc-REGEN WIND\n"
    "c 1 s2 0.0 1.0 NEBEL FROST\n"
    "d 1 s2 0.0 1.0 NEBEL\n"
)
HYPOTHESIS = (
    "a 1 0.00 0.01 __ON__\na 1 0.01 0.01 REGEN\na 1 0.02 0.01 FROST\n"
    "a 1 0.03 0.01 SONNE\na 1 0.04 0.01 NORD\na 1 0.05 0.01 SUED\n"
    "b 1 0.00 0.01 REGEN\nb 1 0.01 0.01 WIND\nb 1 0.02 0.01 __PU__\n"
    "d 1 0.00 0.01 __EPENTHESIS__\n"
)


def run(*args: str) -> tuple[int, str]:
    """Exit status and output (stdout and stderr) of ``kslars cslr ARGS``."""
    result = CliRunner().invoke(cslr, list(args))
    return result.exit_code, result.output


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    """A small reference .stm and hypothesis .ctm: a has errors, b is right after clean-up, c is missing and d is
    empty after clean-up."""
    (tmp_path / "ref.stm").write_text(REFERENCE)
    (tmp_path / "hyp.ctm").write_text(HYPOTHESIS)
    return str(tmp_path / "ref.stm"), str(tmp_path / "hyp.ctm")


def test_prints_the_wer_line_and_notes_missing_hypotheses(files: tuple[str, str]) -> None:
    status, output = run("score", *files)
    assert status == 0
    # a: WIND->FROST and SUED inserted; c: [EMPTY] for NEBEL FROST (1 S, 1 D); d: [EMPTY] for NEBEL (1 S)
    assert "WER 50.00% (S=3 D=1 I=1 N=10)" in output.splitlines()
    assert "1 reference sentence(s) had no hypothesis and were scored as [EMPTY], e.g. c" in output


def test_per_sentence_shows_each_sentence_and_its_alignment(files: tuple[str, str]) -> None:
    status, output = run("score", "--per-sentence", *files)
    assert status == 0
    lines = output.splitlines()
    assert lines[0] == "a  WER 40.00% (S=1 D=0 I=1 N=5)"
    assert lines[1] == "  REF: __ON__ REGEN WIND  SONNE NORD ***"
    assert lines[2] == "  HYP: __ON__ REGEN FROST SONNE NORD SUED"
    assert lines[3] == "b  WER 0.00% (S=0 D=0 I=0 N=2)"
    assert lines[4].startswith("c  WER 100.00%")


def test_json_has_the_totals_and_the_rows(files: tuple[str, str]) -> None:
    status, output = run("score", "--json", "--per-sentence", *files)
    assert status == 0
    document = json.loads(output)
    assert document["wer"] == pytest.approx(50.0)
    assert (document["substitutions"], document["deletions"], document["insertions"]) == (3, 1, 1)
    assert (document["reference_words"], document["sentences"], document["missing_hypotheses"]) == (10, 4, 1)
    assert [row["id"] for row in document["per_sentence"]] == ["a", "b", "c", "d"]
    assert document["per_sentence"][2]["alignment"] == [["D", "NEBEL", None], ["S", "FROST", "[EMPTY]"]]
    status, output = run("score", "--json", *files)
    assert "per_sentence" not in json.loads(output)


def test_rules_none_scores_the_files_as_they_are(files: tuple[str, str]) -> None:
    status, output = run("score", "--rules", "none", *files)
    assert status == 0
    # b: REGEN is now a substitution for loc-REGEN and __PU__ an insertion
    assert "WER 70.00% (S=4 D=1 I=2 N=10)" in output


def test_write_cleaned_leaves_the_files_that_were_scored(files: tuple[str, str], tmp_path: Path) -> None:
    status, _ = run("score", "--write-cleaned", str(tmp_path / "cleaned"), *files)
    assert status == 0
    assert read_stm(tmp_path / "cleaned" / "ref.stm")["b"].glosses == ("REGEN", "WIND")
    hypotheses = read_ctm(tmp_path / "cleaned" / "hyp.ctm")
    assert hypotheses["b"].glosses == ("REGEN", "WIND")
    assert hypotheses["c"].glosses == hypotheses["d"].glosses == ("[EMPTY]",)


@pytest.mark.parametrize(
    ("reference", "hypothesis", "hypothesis_name", "message"),
    [
        (REFERENCE, HYPOTHESIS + "zz 1 0 1 A\n", "hyp.ctm", "hyp.ctm line 11: id 'zz' is not in the reference"),
        (REFERENCE, "a 1 0.0 A\n", "hyp.ctm", "hyp.ctm line 1: a CTM line needs"),
        (REFERENCE + "e 1 s\n", HYPOTHESIS, "hyp.ctm", "ref.stm line 5: an STM line needs"),
        ("", HYPOTHESIS, "hyp.ctm", "ref.stm: empty file"),
        (REFERENCE, "", "hyp.ctm", "hyp.ctm: empty file"),
        (REFERENCE, "a 1 s 0 1 A\n", "hyp.txt", "expected .ctm or .stm"),
        ("a 1 s 0 1 __PU__\n", HYPOTHESIS[:21], "hyp.ctm", "the reference has no glosses after the 'phoenix2014'"),
    ],
)
def test_bad_input_is_exit_status_2_with_the_line(
    tmp_path: Path, reference: str, hypothesis: str, hypothesis_name: str, message: str
) -> None:
    (tmp_path / "ref.stm").write_text(reference)
    (tmp_path / hypothesis_name).write_text(hypothesis)
    result = CliRunner().invoke(cslr, ["score", str(tmp_path / "ref.stm"), str(tmp_path / hypothesis_name)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # click's clean exit, not an escaped exception


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    status, output = run("score", str(tmp_path / "absent.stm"), str(tmp_path / "absent.ctm"))
    assert status == 2
    assert "does not exist" in output


def test_the_installed_command_scores_the_real_ground_truth_as_zero() -> None:
    reference = shared_file(PHOENIX_2014_TEST)
    kslars = Path(sys.executable).parent / "kslars"  # .venv/bin/kslars beside .venv/bin/python
    result = subprocess.run(
        [str(kslars), "cslr", "score", str(reference), str(reference)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "WER 0.00% (S=0 D=0 I=0 N=6500)"
