"""RWTH-BOSTON-104 hand tracks as recognition samples."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from kslars.engine.segmentation.body25 import NOSE, R_WRIST
from kslars.recognition.datasets import load_corpus
from kslars.recognition.datasets.boston104 import load_boston104
from kslars.recognition.features import FEATURE_SIZE, sequence_features, signer_frame
from tests.conftest import shared_file

BOSTON = "udacity__AIND-Recognizer/data"


@pytest.fixture(scope="module")
def samples():  # noqa: ANN201
    return load_corpus("boston104", shared_file(BOSTON))


def test_201_sentences_by_3_signers_with_glosses_in_time_order(samples) -> None:  # noqa: ANN001
    assert len(samples) == 201
    assert Counter(s.signer for s in samples) == {"man-1": 79, "woman-1": 62, "woman-2": 60}
    assert Counter(s.metadata["split"] for s in samples) == {"train": 161, "test": 40}
    first = samples[0]
    assert (first.id, first.glosses, first.metadata["sentence"]) == (
        "1",
        ["JOHN", "WRITE", "HOMEWORK"],
        "JOHN WRITE HOMEWORK",
    )
    assert sum(len(s.glosses) for s in samples) == 888
    assert len({s.metadata["sentence"] for s in samples}) == 140


def test_the_skeleton_holds_only_the_tracked_points(samples) -> None:  # noqa: ANN001
    skeleton = next(s for s in samples if s.id == "98").skeleton
    assert skeleton.fps == 30.0
    np.testing.assert_array_equal(skeleton.body[0, NOSE], [161, 62])
    np.testing.assert_array_equal(skeleton.body[0, R_WRIST], [170, 175])
    np.testing.assert_array_equal(skeleton.right[0], np.repeat([[170, 175]], 21, axis=0))
    assert skeleton.body_seen.sum(axis=1).max() == 3


def test_features_are_in_shoulder_widths_and_stable_per_signer(samples) -> None:  # noqa: ANN001
    features = sequence_features(samples[0].skeleton, fps=30.0)
    assert features.shape == (len(samples[0].skeleton), FEATURE_SIZE) and np.isfinite(features).all()
    for signer in ("man-1", "woman-1"):
        units = np.array([signer_frame(s.skeleton)[1] for s in samples if s.signer == signer])
        assert units.std() / units.mean() < 0.1
    hands = features[:, 18 + 42 : 18 + 44]  # the right hand's position from the nose
    assert 0.2 < np.abs(hands).max() < 3


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="speaker.csv"):
        load_boston104(tmp_path)
    for name in ("speaker.csv", "train_words.csv", "test_words.csv"):
        shutil.copy(shared_file(f"{BOSTON}/{name}"), tmp_path / name)
    (tmp_path / "hands_condensed.csv").write_text("video,frame\n1,0\n")
    with pytest.raises(ValueError, match="left-x"):
        load_boston104(tmp_path)
