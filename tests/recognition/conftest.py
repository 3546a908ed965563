"""Recognition fixtures: the real DGS sentence clips, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kslars.recognition.data import Sample
from kslars.recognition.datasets.dgs import load_dgs_sentences
from tests.conftest import shared_file

DGS = "Shogun6855__signlanguage-german-text2sign"


@pytest.fixture(scope="session")
def dgs_samples() -> list[Sample]:
    """The 358 DGS sentences of the shared data (skipped when absent, failing under CI=true)."""
    return load_dgs_sentences(shared_file(DGS))


EXAMPLE_POSE = "sign-language-processing__pose/src/js/pose_viewer/src/sample-data/example.pose"


def write_pose_file(path: Path, frames: int, fps: float = 25.0) -> Path:
    """A holistic .pose file of ``frames`` frames at ``fps`` made of the real landmarks of the pose viewer's
    example (repeated as often as needed; no face mesh)."""
    from kslars.vision.pose_file import COMPONENTS, TOTAL_POINTS, read_landmarks, write_pose

    source = read_landmarks(shared_file(EXAMPLE_POSE))
    take = np.arange(frames) % source.frame_count
    data = np.zeros((frames, TOTAL_POINTS, 3), np.float32)
    confidence = np.zeros((frames, TOTAL_POINTS), np.float32)
    starts = dict(zip([name for name, _ in COMPONENTS], np.cumsum([0] + [n for _, n in COMPONENTS])[:-1], strict=True))
    for name, xyz, seen in (
        ("POSE_LANDMARKS", source.body, source.body_confidence),
        ("LEFT_HAND_LANDMARKS", source.left_hand, source.left_confidence),
        ("RIGHT_HAND_LANDMARKS", source.right_hand, source.right_confidence),
    ):
        first = starts[name]
        data[:, first : first + xyz.shape[1]] = xyz[take]
        confidence[:, first : first + xyz.shape[1]] = seen[take]
    path.parent.mkdir(parents=True, exist_ok=True)
    write_pose(path, source.width, source.height, fps, [data], [confidence], frames)
    return path
