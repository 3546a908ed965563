"""``kslars cslr score`` against the real NIST sclite on perturbed PHOENIX hypotheses: S, D, I and N must be equal.

Each hypothesis is the real PHOENIX ground truth with random substitutions, deletions, insertions, repetitions,
markers and prefixes (so the clean-up rules have work to do), sentences emptied or left out, from fixed seeds.
Our scorer cleans both sides and writes the files it scored; sclite scores those same files the way the official
script calls it (``sclite -h hyp.ctm ctm -r ref.stm stm -f 0``), and every sentence's counts are compared.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kslars.recognition.scoring.sclite_alignment import ErrorCounts
from kslars.recognition.scoring.transcripts import Sentence, read_stm, write_ctm, write_stm
from kslars.recognition.scoring.wer import WerResult, score, score_files
from tests.conftest import shared_file

GROUND_TRUTHS = [
    "VIPL-SLP__VAC_CSLR/evaluation/slr_eval/phoenix2014-groundtruth-dev.stm",
    "VIPL-SLP__VAC_CSLR/evaluation/slr_eval/phoenix2014-groundtruth-test.stm",
    "hulianyuyy__CorrNet/preprocess/phoenix2014-T/phoenix2014-T-groundtruth-dev.stm",
    "hulianyuyy__CorrNet/preprocess/phoenix2014-T/phoenix2014-T-groundtruth-test.stm",
]
NOISE = ["__EPENTHESIS__", "__PU__", "__EMOTION__", "A", "B", "SCH"]


def sclite_command() -> list[str]:
    """How to run sclite here: ``sclite`` on the PATH or Debian's ``sctk sclite``; skipped (failed under CI) if
    neither is installed."""
    if sclite := shutil.which("sclite"):
        return [sclite]
    if sctk := shutil.which("sctk"):
        return [sctk, "sclite"]
    message = "NIST sclite is not installed (Debian: apt-get install sctk, as scripts/test.sh does)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def sclite_counts(folder: Path) -> dict[str, ErrorCounts]:
    """sclite's counts per file id (lowered, as sclite reports ids) for ``folder``'s ref.stm and hyp.ctm."""
    command = [*sclite_command(), "-h", str(folder / "hyp.ctm"), "ctm", "-r", str(folder / "ref.stm"), "stm"]
    report = subprocess.run(
        [*command, "-f", "0", "-o", "pra", "stdout"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    files = re.findall(r"^File: (\S+)$", report, re.M)
    scores = re.findall(r"^Scores: \(#C #S #D #I\) (\d+) (\d+) (\d+) (\d+)$", report, re.M)
    assert files and len(files) == len(scores), report[-2000:]
    counts = {}
    for file_id, (correct, sub, dele, ins) in zip(files, scores, strict=True):
        counts[file_id] = ErrorCounts(int(sub), int(dele), int(ins), int(correct) + int(sub) + int(dele))
    return counts


def assert_same_as_sclite(result: WerResult, folder: Path) -> ErrorCounts:
    """Write the cleaned files ``result`` scored into ``folder``, run sclite on them and compare every sentence."""
    write_stm(folder / "ref.stm", result.references)
    write_ctm(folder / "hyp.ctm", result.hypotheses)
    theirs = sclite_counts(folder)
    ours = {sentence.id.lower(): sentence.counts for sentence in result.sentences}
    assert ours == theirs
    return result.counts


def perturbed(glosses: tuple[str, ...], vocabulary: list[str], rng: random.Random) -> list[str]:
    """The glosses with random edits: about 10 % deleted, 10 % substituted, 8 % followed by an insertion."""
    if rng.random() < 0.05:
        return rng.choice([[], ["__PU__"]])  # an emptied sentence (nothing left after the clean-up)
    result = []
    for gloss in glosses:
        draw = rng.random()
        if draw < 0.1:
            continue
        result.append(rng.choice(vocabulary) if draw < 0.2 else gloss)
        if draw > 0.92:
            result.append(rng.choice([*vocabulary[:50], gloss, gloss, "loc-" + gloss, gloss + "-PLUSPLUS", *NOISE]))
    return result


def perturbed_hypothesis(reference: Path, seed: int, folder: Path) -> Path:
    """A .ctm hypothesis for ``reference``: every sentence perturbed, about 2 % left out."""
    references = read_stm(reference)
    vocabulary = sorted({gloss for sentence in references.values() for gloss in sentence.glosses})
    rng = random.Random(seed)
    hypotheses = [
        Sentence(key, tuple(perturbed(sentence.glosses, vocabulary, rng)), 0)
        for key, sentence in references.items()
        if rng.random() > 0.02
    ]
    path = folder / "raw-hypothesis.ctm"
    write_ctm(path, hypotheses)
    return path


def compare_on_perturbed(ground_truth: str, seed: int, folder: Path) -> ErrorCounts:
    """Score a perturbed hypothesis of a real ground truth both ways; the totals."""
    reference = shared_file(ground_truth)
    result = score_files(reference, perturbed_hypothesis(reference, seed, folder))
    assert result.missing_hypotheses
    return assert_same_as_sclite(result, folder)


@pytest.mark.parametrize("ground_truth", GROUND_TRUTHS)
def test_perturbed_phoenix_hypotheses_score_as_sclite(ground_truth: str, tmp_path: Path) -> None:
    counts = compare_on_perturbed(ground_truth, seed=7, folder=tmp_path)
    assert counts.substitutions and counts.deletions and counts.insertions
    assert 20 < counts.wer < 45


def test_the_ground_truth_against_itself_is_zero_for_both(tmp_path: Path) -> None:
    reference = shared_file(GROUND_TRUTHS[0])
    counts = assert_same_as_sclite(score_files(reference, reference), tmp_path)
    assert counts == ErrorCounts(0, 0, 0, counts.reference_words)
    assert counts.reference_words > 5000


def test_tie_breaking_examples_score_as_sclite(tmp_path: Path) -> None:
    references = {
        "a": Sentence("a", ("A", "B"), 1, "s"),
        "b": Sentence("b", ("X", "A", "B"), 2, "s"),
        "c": Sentence("c", ("A", "B", "C", "D"), 3, "s"),
        "d": Sentence("d", ("neg-HABEN", "REGEN"), 4, "s"),
        "e": Sentence("e", ("X", "Y", "A", "B", "C"), 5, "s"),
    }
    hypotheses = {
        "a": Sentence("a", ("B", "C"), 1),
        "b": Sentence("b", ("C", "D", "X"), 2),
        "d": Sentence("d", ("NEG-haben", "regen", "REGEN"), 4),
        "e": Sentence("e", ("D", "E", "F", "X", "Y"), 5),
    }
    counts = assert_same_as_sclite(score(references, hypotheses, rules="none"), tmp_path)
    assert counts == ErrorCounts(substitutions=4, deletions=7, insertions=5, reference_words=16)


@pytest.mark.slow
@pytest.mark.parametrize("ground_truth", GROUND_TRUTHS)
def test_many_seeds_score_as_sclite(ground_truth: str, tmp_path: Path) -> None:
    for seed in range(10):
        folder = tmp_path / str(seed)
        folder.mkdir()
        compare_on_perturbed(ground_truth, seed, folder)


@pytest.mark.slow
def test_random_sentences_over_six_glosses_score_as_sclite(tmp_path: Path) -> None:
    """Many equal-cost alignments: random sentences over a six-gloss vocabulary, where tie-breaking decides."""
    rng = random.Random(2014)
    vocabulary = ["REGEN", "WIND", "SONNE", "NORD", "SUED", "IX"]
    references = {
        f"s{index:04d}": Sentence(f"s{index:04d}", tuple(rng.choices(vocabulary, k=rng.randint(1, 12))), index, "s")
        for index in range(1000)
    }
    hypotheses = {key: Sentence(key, tuple(rng.choices(vocabulary, k=rng.randint(0, 14))), 0) for key in references}
    assert_same_as_sclite(score(references, hypotheses, rules="none"), tmp_path)
