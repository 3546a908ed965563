"""`kslars corpus export-training` on real videos: FOOTBALL with its existing .pose file, SOUP through MediaPipe;
the set is read back by the recognition loader (compared with the .eaf loader on the same files) and the engine's
segmentation training."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from kslars import formats
from kslars.cli import main
from kslars.corpus.training_set import INDEX, read_index
from kslars.recognition.datasets import load_corpus
from kslars.vision.pose_file import read_landmarks
from tests.conftest import shared_file

pytestmark = pytest.mark.slow

POSE = "sign-language-processing__pose"
FOOTBALL = {
    "Translation": [(0, 2000, "we play football")],
    "Gloss": [(200, 900, "FOOTBALL"), (900, 1800, "PLAY")],
    "Right handshape": [(250, 800, "flat")],
}
SOUP = {"Translation": [(0, 1300, "soup")], "Gloss": [(100, 1200, "SOUP")], "Right handshape": []}


def write_annotations(path: Path, tiers: dict[str, list[tuple[int, int, str]]], media: str, signer: str) -> None:
    """An EAF beside its video, every tier's participant ``signer``."""
    from kslars.document import Annotation, Document, MediaDescriptor, Tier, TierType

    counter = iter(range(1, 1000))
    doc = Document(
        media=[MediaDescriptor(url=f"file:///nowhere/{media}", relative_url=f"./{media}")],
        tier_types=[TierType("default")],
        tiers=[
            Tier(
                name,
                "default",
                participant=signer,
                annotations=[Annotation(f"a{next(counter)}", v, s, e) for s, e, v in spans],
            )
            for name, spans in tiers.items()
        ],
    )
    formats.write(doc, path)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """FOOTBALL.mp4 with FOOTBALL.pose, SOUP.mp4 without landmarks, and lost.eaf whose video is missing."""
    folder = tmp_path_factory.mktemp("corpus")
    for name in ("FOOTBALL.mp4", "SOUP.mp4"):
        shutil.copy(shared_file(f"{POSE}/videos/{name}"), folder / name)
    shutil.copy(shared_file(f"{POSE}/poses/FOOTBALL.pose"), folder / "FOOTBALL.pose")
    write_annotations(folder / "FOOTBALL.eaf", FOOTBALL, "FOOTBALL.mp4", "Anna Petrova")
    write_annotations(folder / "SOUP.eaf", SOUP, "SOUP.mp4", "Boris Ivanov")
    write_annotations(folder / "lost.eaf", SOUP, "lost.mp4", "Boris Ivanov")
    return folder


@pytest.fixture(scope="module")
def exported(corpus: Path, tmp_path_factory) -> tuple[Path, Path, str]:
    """The sentence export of the corpus, anonymised: (training set, private mapping, command output)."""
    out = tmp_path_factory.mktemp("export") / "set"
    mapping = out.parent / "ids.private.csv"
    arguments = ["corpus", "export-training", str(corpus), "-o", str(out), "--sentence-tier", "Translation"]
    arguments += ["--handshape-tier", "Right handshape", "--anonymise", str(mapping)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    return out, mapping, result.output


def test_the_recognition_loader_reads_the_same_glosses_and_frames_as_the_eaf_loader(corpus, exported):
    out, _, output = exported
    samples = load_corpus("export", out)
    assert [s.glosses for s in samples] == [["FOOTBALL", "PLAY"], ["SOUP"]]
    assert [s.metadata["sentence"] for s in samples] == ["we play football", "soup"]
    assert [s.metadata["handshapes"] for s in samples] == ["flat", ""]
    poses = [corpus / "FOOTBALL.pose", out / "landmarks" / "SOUP.pose"]  # SOUP's landmarks extracted by the export
    for sample, name, pose in zip(samples, ("FOOTBALL", "SOUP"), poses, strict=True):
        [reference] = load_corpus(
            "eaf", corpus / f"{name}.eaf", gloss_tier="Gloss", sentence_tier="Translation", landmarks=pose
        )
        assert sample.glosses == reference.glosses
        assert len(sample.skeleton) == len(reference.skeleton)
        np.testing.assert_array_equal(sample.skeleton.right, reference.skeleton.right)
        np.testing.assert_array_equal(sample.skeleton.body, reference.skeleton.body)
    football = read_landmarks(corpus / "FOOTBALL.pose")  # 62 frames at 29.97 fps: 0-2000 ms holds frames 0-59
    assert len(samples[0].skeleton) == math.ceil(2000 * football.fps / 1000) == 60
    assert "lost.eaf: no landmarks and no video" in output


def test_signers_are_subjects_and_the_mapping_is_kept_apart(exported):
    out, mapping, _ = exported
    records = read_index(out)
    assert sorted(r.signer for r in records) == ["Subject_1", "Subject_2"]
    assert {r.source for r in records} == {"FOOTBALL.eaf", "SOUP.eaf"}
    assert [(r.start_ms, r.end_ms) for r in records] == [(0, 2000), (0, 1300)]
    text = (out / INDEX).read_text(encoding="utf-8")
    assert "Anna" not in text and "Boris" not in text
    rows = mapping.read_text(encoding="utf-8")
    assert "Anna Petrova" in rows and "Boris Ivanov" in rows


def test_gloss_segments_and_segmentation_training(corpus, exported, tmp_path):
    from kslars.engine.segmentation.exported_runs import runs_from_training_set
    from kslars.engine.segmentation.model import load_segmentation_model

    out = tmp_path / "glosses"
    landmarks = exported[0] / "landmarks"  # reuse SOUP's extracted landmarks
    arguments = ["corpus", "export-training", str(corpus), "-o", str(out), "--landmarks", str(landmarks)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    records = read_index(out)
    assert [r.gloss for r in records] == [["FOOTBALL"], ["PLAY"], ["SOUP"]]
    assert [r.signer for r in records] == ["Anna Petrova", "Anna Petrova", "Boris Ivanov"]
    fps = records[0].fps
    assert records[0].frames == math.ceil(900 * fps / 1000) - math.ceil(200 * fps / 1000)

    runs = runs_from_training_set(exported[0])
    assert [len(r.signs) for r in runs] == [2, 1]
    assert runs[0].signs[0] == (200, 900) and len(runs[0].skeleton) == 60
    weights = tmp_path / "seg.pt"
    result = CliRunner().invoke(
        main, ["train", "segmentation", "--training-set", str(exported[0]), "--steps", "2", "-o", str(weights)]
    )
    assert result.exit_code == 0, result.output
    assert load_segmentation_model(weights).metadata["data"].endswith("2 segments")


def test_bad_input_exits_with_status_2(corpus, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(main, ["corpus", "export-training", str(tmp_path / "nothing"), "-o", str(tmp_path / "o")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    no_sentences = runner.invoke(
        main, ["corpus", "export-training", str(corpus), "-o", str(tmp_path / "o"), "--unit", "sentence"]
    )
    assert no_sentences.exit_code == 2 and "sentence tier" in no_sentences.output
    wrong_tier = runner.invoke(
        main, ["corpus", "export-training", str(corpus), "-o", str(tmp_path / "o"), "--gloss-tier", "Glosses"]
    )
    assert wrong_tier.exit_code == 2 and "no tier 'Glosses'" in wrong_tier.output
