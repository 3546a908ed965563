"""The DGS sentence clips as recognition samples, against the real manifest."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kslars.recognition.data import Sample
from kslars.recognition.datasets import load_corpus
from kslars.recognition.datasets.dgs import MANIFEST, load_dgs_sentences, normalise_dgs_gloss
from tests.conftest import shared_file
from tests.recognition.conftest import DGS


def test_every_clip_is_a_sentence_with_the_manifest_glosses(dgs_samples: list[Sample]) -> None:
    manifest = {s["id"]: s for s in json.loads(shared_file(f"{DGS}/{MANIFEST}").read_text("utf-8"))["segments"]}
    assert len(dgs_samples) == 358
    for sample in dgs_samples:
        segment = manifest[sample.id]
        expected = [g for g in map(normalise_dgs_gloss, segment["gloss_sequence"]) if g]
        assert sample.glosses == expected
        assert sample.metadata["translation"] == sample.metadata["sentence"] == segment["german_text"]
        assert sample.metadata["source"] == "dgs"
        assert sample.skeleton.fps == 50.0
        assert abs(sample.seconds * 1000 - (segment["end_ms"] - segment["start_ms"])) <= 40


def test_signers_are_the_five_transcripts(dgs_samples: list[Sample]) -> None:
    counts = Counter(s.signer for s in dgs_samples)
    assert counts == {"1413451": 105, "1413683": 30, "1413703": 137, "1414123": 53, "1418836": 33}
    assert all(s.metadata["recording"] == s.signer for s in dgs_samples)
    twins = {s.signer: s.metadata.get("same_person_as") for s in dgs_samples}
    assert twins["1413683"] == "1413703" and twins["1413703"] == "1413683" and twins["1413451"] is None


def test_signs_recur_across_sentences(dgs_samples: list[Sample]) -> None:
    counts = Counter(g for s in dgs_samples for g in s.glosses)
    assert counts["ICH1"] > 100 and counts["SEHEN1"] >= 2
    assert not any("*" in g or "^" in g or g.startswith("$GEST-OFF") for g in counts)


def test_raw_glosses_on_request() -> None:
    samples = load_corpus("dgs", shared_file(DGS), normalise=False)
    assert samples[0].glosses == ["SEHEN1*", "SELBST1A*", "LEBEN1A*", "SEHEN1", "$GEST-OFF^"]


@pytest.mark.parametrize(
    ("gloss", "label"),
    [
        ("SEHEN1*", "SEHEN1"),
        ("MERKWÜRDIG1^*", "MERKWÜRDIG1"),
        ("$INDEX1", "$INDEX1"),
        ("$GEST^", "$GEST"),
        ("$NUM-EINER1A:1d*", "$NUM-EINER1A:1d"),
        ("$GEST-OFF^*", None),
        ("$$EXTRA-LING-MAN^", None),
        (" ", None),
    ],
)
def test_gloss_normalisation(gloss: str, label: str | None) -> None:
    assert normalise_dgs_gloss(gloss) == label


def test_missing_or_malformed_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="segments_manifest.json"):
        load_dgs_sentences(tmp_path)
    with pytest.raises(ValueError, match="no option"):
        load_corpus("dgs", tmp_path, glosses="raw")
    with pytest.raises(ValueError, match="unknown corpus"):
        load_corpus("nope", tmp_path)
    (tmp_path / "backend/data/motion").mkdir(parents=True)
    shutil.copy(shared_file(f"{DGS}/{MANIFEST}"), tmp_path / MANIFEST)
    (tmp_path / "backend/data/motion/seg_0001.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="seg_0001.npz: not a keypoint clip"):
        load_dgs_sentences(tmp_path)
    (tmp_path / "backend/data/motion/seg_0001.npz").rename(tmp_path / "backend/data/motion/seg_9999.npz")
    with pytest.raises(ValueError, match="seg_9999 is not in"):
        load_dgs_sentences(tmp_path)
