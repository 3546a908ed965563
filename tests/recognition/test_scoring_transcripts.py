"""Reading .stm and .ctm transcripts, and the errors that name the file and line of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from kslars.recognition.scoring.transcripts import (
    Sentence,
    TranscriptError,
    read_ctm,
    read_hypothesis,
    read_stm,
    write_ctm,
    write_stm,
)
from kslars.recognition.scoring.wer import score_files
from tests.conftest import shared_file

PHOENIX_2014T_TEST = "hulianyuyy__CorrNet/preprocess/phoenix2014-T/phoenix2014-T-groundtruth-test.stm"


def write(tmp_path: Path, name: str, text: str) -> Path:
    """A file ``name`` in ``tmp_path`` holding ``text``."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_stm_lines_comments_and_labels(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ref.stm",
        ";; a comment\n\nb 1 Signer01 0.0 1.79769e+308 REGEN WIND\na 1 s2 0 5 <o,f0,male> SONNE\nc 1 s3 0 5\n",
    )
    sentences = read_stm(path)
    assert list(sentences) == ["b", "a", "c"]
    assert sentences["b"] == Sentence("b", ("REGEN", "WIND"), 3, "Signer01")
    assert sentences["a"].glosses == ("SONNE",)
    assert sentences["c"].glosses == ()


def test_ctm_words_are_grouped_by_id_and_ordered_by_time(tmp_path: Path) -> None:
    path = write(tmp_path, "hyp.ctm", "a 1 0.20 0.1 WIND\nb 1 0.00 0.1 SONNE\na 1 0.10 0.1 REGEN 0.9\n")
    sentences = read_ctm(path)
    assert sentences["a"] == Sentence("a", ("REGEN", "WIND"), 1)
    assert sentences["b"].glosses == ("SONNE",)
    assert read_hypothesis(path) == sentences


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("ref.stm", "a 1 s 0.0 1.0 A\nb 1 s 0.0\n", "ref.stm line 2: an STM line needs"),
        ("ref.stm", "a 1 s zero 1.0 A\n", "ref.stm line 1: begin time 'zero' is not a number"),
        ("ref.stm", "a 1 s 0 1 <o,f0 A\n", "ref.stm line 1: unterminated label field"),
        ("ref.stm", "a 1 s 0 1 A\n\na 1 s 0 1 B\n", "ref.stm line 3: id 'a' was already given on line 1"),
        ("ref.stm", "a 1 s 0 1 A { B / C }\n", "ref.stm line 1: '{' is sclite's NULL word or alternation"),
        ("ref.stm", "", "ref.stm: empty file"),
        ("ref.stm", ";; only a comment\n", "ref.stm: empty file"),
        ("hyp.ctm", "a 1 0.0 0.1 A\na 1 0.1 B\n", "hyp.ctm line 2: a CTM line needs"),
        ("hyp.ctm", "a 1 0.0 0.1 A B C\n", "hyp.ctm line 1: a CTM line needs"),
        ("hyp.ctm", "a 1 0.0 long A\n", "hyp.ctm line 1: duration 'long' is not a number"),
        ("hyp.ctm", "a 1 0.0 0.1 A high\n", "hyp.ctm line 1: confidence 'high' is not a number"),
        ("hyp.ctm", "a 1 0.0 0.1 @\n", "hyp.ctm line 1: '@' is sclite's NULL word"),
        ("hyp.ctm", "\n", "hyp.ctm: empty file"),
        ("hyp.txt", "a 1 0.0 0.1 A\n", "unknown hypothesis format '.txt'"),
    ],
)
def test_bad_input_names_the_file_and_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = write(tmp_path, name, text)
    reader = read_stm if name.endswith(".stm") else read_hypothesis
    with pytest.raises(TranscriptError) as caught:
        reader(path)
    assert message in str(caught.value)


def test_non_utf8_and_missing_files_are_transcript_errors(tmp_path: Path) -> None:
    path = tmp_path / "ref.stm"
    path.write_bytes(b"a 1 s 0 1 \xff\n")
    with pytest.raises(TranscriptError, match="not UTF-8"):
        read_stm(path)
    with pytest.raises(TranscriptError, match="cannot be read"):
        read_stm(tmp_path / "absent.stm")


def test_a_hypothesis_for_an_unknown_id_names_its_line(tmp_path: Path) -> None:
    reference = write(tmp_path, "ref.stm", "a 1 s 0 1 A B\n")
    hypothesis = write(tmp_path, "hyp.ctm", "a 1 0.0 0.1 A\nzz 1 0.0 0.1 B\n")
    with pytest.raises(TranscriptError, match=r"hyp.ctm line 2: id 'zz' is not in the reference"):
        score_files(reference, hypothesis)


def test_written_files_read_back_sorted(tmp_path: Path) -> None:
    sentences = [Sentence("b", ("REGEN", "WIND"), 0, "s1"), Sentence("a", ("SONNE",), 0, "s2")]
    write_stm(tmp_path / "out.stm", sentences)
    write_ctm(tmp_path / "out.ctm", sentences)
    assert (tmp_path / "out.stm").read_text().splitlines()[0] == "a 1 s2 0.0 1.79769e+308 SONNE"
    assert [s.glosses for s in read_stm(tmp_path / "out.stm").values()] == [("SONNE",), ("REGEN", "WIND")]
    assert {k: s.glosses for k, s in read_ctm(tmp_path / "out.ctm").items()} == {
        "a": ("SONNE",),
        "b": ("REGEN", "WIND"),
    }


def test_the_real_phoenix_2014t_ground_truth_reads() -> None:
    sentences = read_stm(shared_file(PHOENIX_2014T_TEST))
    assert len(sentences) == 642
    assert sum(len(s.glosses) for s in sentences.values()) > 4000
