"""Sentences from annotation files: the real DGS-Korpus .eaf files with generated landmarks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kslars import formats
from kslars.recognition.datasets import load_corpus
from kslars.recognition.datasets.annotations import load_annotations
from kslars.recognition.datasets.dgs import MANIFEST
from tests.conftest import shared_file
from tests.recognition.conftest import DGS, write_pose_file

EAF = f"{DGS}/dataset/1418836-15524810-15550340.eaf"  # 33 sentences of speaker A within 136 s
TIERS = {"gloss_tier": "Lexem_Gebärde_r_A", "sentence_tier": "Deutsche_Übersetzung_A"}


@pytest.fixture(scope="module")
def landmarks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .pose file covering the whole .eaf at 5 frames per second, named like the annotation file."""
    return write_pose_file(tmp_path_factory.mktemp("eaf") / f"{Path(EAF).stem}.pose", frames=700, fps=5.0)


def test_one_sample_per_sentence_with_the_manifest_glosses(landmarks: Path) -> None:
    samples = load_annotations(shared_file(EAF), landmarks=landmarks, **TIERS)
    manifest = json.loads(shared_file(f"{DGS}/{MANIFEST}").read_text("utf-8"))["segments"]
    expected = {(s["start_ms"], s["end_ms"]): s for s in manifest if "1418836" in s.get("source_eaf", "")}
    assert len(samples) == len(expected) == 33
    for sample in samples:
        segment = expected[int(sample.metadata["start_ms"]), int(sample.metadata["end_ms"])]
        assert sample.glosses == segment["gloss_sequence"]
        assert sample.metadata["translation"] == sample.metadata["sentence"] == segment["german_text"]
        assert abs(len(sample.skeleton) - (segment["end_ms"] - segment["start_ms"]) / 200) <= 1
    assert samples[0].id == f"{Path(EAF).stem}/{samples[0].metadata['start_ms']}-{samples[0].metadata['end_ms']}"
    assert samples[0].metadata["source"] == "annotations" and samples[0].signer
    normalised = load_annotations(shared_file(EAF), landmarks=landmarks, normalise="dgs", signer="A", **TIERS)
    assert all("*" not in g for s in normalised for g in s.glosses) and normalised[0].signer == "A"


def test_a_folder_of_slan_exports_with_landmarks_beside_them(landmarks: Path, tmp_path: Path) -> None:
    doc = formats.read(shared_file(EAF))
    formats.write(doc, tmp_path / "talk.json")
    shutil.copy(landmarks, tmp_path / "talk.pose")
    whole = load_corpus("eaf", tmp_path, gloss_tier="Lexem_Gebärde_r_A")
    assert len(whole) == 1 and whole[0].id.startswith("talk/0-")
    assert len(whole[0].glosses) == len(doc.tier("Lexem_Gebärde_r_A").annotations)
    assert len(whole[0].skeleton) == 700
    doc.media[0].time_origin = 2000  # the annotations start 2 s into the video
    formats.write(doc, tmp_path / "talk.json")
    shifted = load_annotations(tmp_path / "talk.json", gloss_tier="Lexem_Gebärde_r_A")
    assert len(shifted[0].skeleton) == 700 - 10


def test_missing_tier_landmarks_and_files(landmarks: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no tier 'Gloss'.*Lexem_Gebärde_r_A"):
        load_annotations(shared_file(EAF), landmarks=landmarks)
    with pytest.raises(FileNotFoundError, match="no landmarks.*kslars extract"):
        load_annotations(shared_file(EAF), landmarks=tmp_path, **TIERS)
    with pytest.raises(FileNotFoundError, match="no .eaf or .json"):
        load_annotations(tmp_path)
    short = write_pose_file(tmp_path / "short.pose", frames=10, fps=5.0)
    with pytest.raises(ValueError, match="beyond the 10 frames"):
        load_annotations(shared_file(EAF), landmarks=short, **TIERS)
