"""``kslars cslr train``, ``evaluate`` and ``recognize`` on the real DGS clips and real .pose and video files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kslars.cli import main
from kslars.recognition.scoring.wer import score_files
from tests.conftest import shared_file

EXAMPLE_POSE = "sign-language-processing__pose/src/js/pose_viewer/src/sample-data/example.pose"
SHORT_VIDEO = "sign-language-processing__pose/sample-data/video/video.mp4"


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """A small model trained for two epochs by the CLI on a signer-independent split of the DGS clips."""
    folder = tmp_path_factory.mktemp("cslr")
    dgs = shared_file("Shogun6855__signlanguage-german-text2sign")
    (folder / "train.toml").write_text(
        f"""
corpus = "dgs"
path = "{dgs.as_posix()}"
output = "run"
split = "signer"
split_options = {{ test = ["1414123"] }}
epochs = 2
iterations = 1
extractor_epochs = 1
sequence_epochs = 1
batch_size = 16
device = "cpu"
model = {{ channels = 32, hidden = 32, layers = 1 }}
[decoding]
beam = 4
lm_order = 2
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["cslr", "train", str(folder / "train.toml")])
    assert result.exit_code == 0, result.output
    assert "272 training, 33 development, 53 test sentences" in result.output
    return folder


@pytest.mark.slow
def test_train_writes_checkpoints_and_a_log_of_every_phase(trained):
    run = trained / "run"
    assert {"best.pt", "final.pt", "last.pt", "log.csv"} <= {p.name for p in run.iterdir()}
    rows = (run / "log.csv").read_text().splitlines()
    assert rows[0].startswith("phase,iteration,epoch,train_loss,dev_wer")
    assert [r.split(",")[:2] for r in rows[1:]] == [["ctc", "0"], ["ctc", "0"], ["units", "1"], ["ctc", "1"]]
    again = CliRunner().invoke(main, ["cslr", "train", str(trained / "train.toml")])
    assert again.exit_code == 0, again.output
    assert "resumed after 4 of 4 epochs" in again.output


@pytest.mark.slow
def test_evaluate_prints_the_wer_and_writes_files_sclite_can_score(trained, tmp_path, dgs_samples):
    ctm = tmp_path / "test.ctm"
    result = CliRunner().invoke(
        main, ["cslr", "evaluate", str(trained / "run" / "final.pt"), "--split", "test", "--json", "--ctm", str(ctm)]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["sentences"] == 53 and scores["split"] == "test"
    assert scores["reference_words"] == sum(len(s.glosses) for s in dgs_samples if s.signer == "1414123")
    rescored = score_files(ctm.with_suffix(".stm"), ctm, rules="none").counts
    assert rescored.wer == pytest.approx(scores["wer"])
    text = CliRunner().invoke(main, ["cslr", "evaluate", str(trained / "run" / "final.pt"), "--split", "dev"])
    assert text.exit_code == 0
    assert text.output.splitlines()[-1].startswith("WER ")


@pytest.mark.slow
def test_recognize_a_pose_file_and_a_video(trained):
    checkpoint = trained / "run" / "final.pt"
    result = CliRunner().invoke(main, ["cslr", "recognize", str(checkpoint), str(shared_file(EXAMPLE_POSE)), "--json"])
    assert result.exit_code == 0, result.output
    glosses = json.loads(result.output)["glosses"]
    assert all(set(g) == {"gloss", "start_ms", "end_ms"} and g["start_ms"] < g["end_ms"] for g in glosses)
    video = subprocess.run(
        [sys.executable, "-m", "kslars.cli", "cslr", "recognize", str(checkpoint), str(shared_file(SHORT_VIDEO))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert video.returncode == 0, video.stderr


def test_bad_inputs_exit_with_code_2_and_a_message(tmp_path):
    not_a_checkpoint = tmp_path / "model.pt"
    not_a_checkpoint.write_bytes(b"not a checkpoint")
    corrupt_video = tmp_path / "clip.mp4"
    corrupt_video.write_bytes(b"\x00" * 100)
    bad_config = tmp_path / "bad.toml"
    bad_config.write_text('corpus = "dgs"\npath = "."\nepocs = 3\n')
    unknown_corpus = tmp_path / "unknown.toml"
    unknown_corpus.write_text('corpus = "nope"\npath = "."\n')
    runner = CliRunner()
    cases = [
        (["cslr", "recognize", str(not_a_checkpoint), str(corrupt_video)], "not a K-SLARS recognition checkpoint"),
        (["cslr", "evaluate", str(not_a_checkpoint)], "not a K-SLARS recognition checkpoint"),
        (["cslr", "train", str(bad_config)], "unknown training setting(s): epocs"),
        (["cslr", "train", str(unknown_corpus)], "unknown corpus 'nope'"),
    ]
    for arguments, message in cases:
        result = runner.invoke(main, arguments)
        assert result.exit_code == 2, (arguments, result.output)
        assert message in result.output


@pytest.mark.slow
def test_recognize_refuses_a_corrupt_video_with_code_2(trained, tmp_path):
    corrupt_video = tmp_path / "clip.mp4"
    corrupt_video.write_bytes(b"\x00" * 100)
    result = CliRunner().invoke(main, ["cslr", "recognize", str(trained / "run" / "final.pt"), str(corrupt_video)])
    assert result.exit_code == 2
    assert "clip.mp4" in result.output
