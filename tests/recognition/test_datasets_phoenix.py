"""PHOENIX-2014 and -2014-T layouts, made small in a temporary folder from the real ground-truth ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from kslars.recognition.datasets import load_corpus
from kslars.recognition.datasets.phoenix import load_phoenix, read_stm
from tests.conftest import shared_file
from tests.recognition.conftest import write_pose_file

STM_2014 = "VIPL-SLP__VAC_CSLR/evaluation/slr_eval"
STM_2014T = "hulianyuyy__CorrNet/preprocess/phoenix2014-T"


def first_lines(stm: Path, count: int) -> list[list[str]]:
    return [line.split() for line in stm.read_text(encoding="utf-8").splitlines()[:count]]


def make_phoenix2014(root: Path, per_split: int = 2) -> Path:
    """annotations/manual/{train,dev,test}.corpus.csv with the first sentences of each real .stm, and landmarks."""
    manual = root / "annotations" / "manual"
    manual.mkdir(parents=True)
    for split in ("train", "dev", "test"):
        lines = first_lines(shared_file(f"{STM_2014}/phoenix2014-groundtruth-{split}.stm"), per_split)
        rows = [f"{f[0]}|{f[0]}/1/*.png|{f[2]}|{' '.join(f[5:])} __PU__" for f in lines]
        (manual / f"{split}.corpus.csv").write_text("id|folder|signer|annotation\n" + "\n".join(rows) + "\n")
        for n, f in enumerate(lines):
            write_pose_file(root / "landmarks" / f"{f[0]}.pose", frames=30 + 10 * n)
    return root


def test_phoenix2014_sentences_with_landmarks_and_glosses(tmp_path: Path) -> None:
    root = make_phoenix2014(tmp_path)
    samples = load_corpus("phoenix", root)
    dev = first_lines(shared_file(f"{STM_2014}/phoenix2014-groundtruth-dev.stm"), 2)
    assert [s.metadata["split"] for s in samples] == ["train", "train", "dev", "dev", "test", "test"]
    sample = samples[2]
    assert (sample.id, sample.signer) == (dev[0][0], dev[0][2].lower())
    assert sample.glosses == dev[0][5:] + ["__PU__"]
    assert sample.metadata["source"] == "phoenix2014" and sample.metadata["sentence"] == " ".join(sample.glosses)
    assert len(sample.skeleton) == 30 and sample.skeleton.fps == 25.0 and sample.skeleton.right_seen.any()
    assert samples[0].signer == samples[0].signer.lower()
    from_stm = load_phoenix(root, splits=["dev"], stm=shared_file(STM_2014))
    assert [s.glosses for s in from_stm] == [f[5:] for f in dev]


def test_phoenix2014t_layout(tmp_path: Path) -> None:
    lines = first_lines(shared_file(f"{STM_2014T}/phoenix2014-T-groundtruth-test.stm"), 3)
    rows = [f"{f[0]}|{f[0]}/1/*.png|-1|-1|{f[2]}|{' '.join(f[5:])}|am tag {n} regen" for n, f in enumerate(lines)]
    (tmp_path / "PHOENIX-2014-T.test.corpus.csv").write_text(
        "name|video|start|end|speaker|orth|translation\n" + "\n".join(rows) + "\n"
    )
    for f in lines:
        write_pose_file(tmp_path / "poses" / f"{f[0]}.pose", frames=12)
    samples = load_phoenix(tmp_path, landmarks=tmp_path / "poses", splits=["test"])
    assert [s.id for s in samples] == [f[0] for f in lines]
    assert samples[1].glosses == lines[1][5:] and samples[1].metadata["translation"] == "am tag 1 regen"
    assert samples[1].metadata["source"] == "phoenix2014t" and samples[1].metadata["sentence"] == "am tag 1 regen"
    truth = read_stm(shared_file(f"{STM_2014T}/phoenix2014-T-groundtruth-test.stm"))
    assert truth[lines[0][0]].glosses == lines[0][5:]


def test_missing_landmarks_and_annotations_are_explained(tmp_path: Path) -> None:
    root = make_phoenix2014(tmp_path, per_split=1)
    victim = next((root / "landmarks").glob("*.pose"))
    victim.unlink()
    with pytest.raises(FileNotFoundError, match=f"1 sentence.*{victim.name}.*kslars extract"):
        load_phoenix(root)
    assert len(load_phoenix(root, skip_missing=True)) == 2
    with pytest.raises(FileNotFoundError, match="no PHOENIX annotation files"):
        load_phoenix(tmp_path / "landmarks")
    with pytest.raises(ValueError, match="unknown PHOENIX split"):
        load_phoenix(root, splits=["val"])
    (root / "annotations/manual/dev.corpus.csv").write_text("name;signer\nx;y\n")
    with pytest.raises(ValueError, match="header"):
        load_phoenix(root)
