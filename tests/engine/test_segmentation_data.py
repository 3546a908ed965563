"""Segmentation data: all five DGS transcripts by recording, and the signer augmentation of training runs."""

from __future__ import annotations

import numpy as np
import pytest

from kslars.engine.segmentation.augment import Augmentation, augment_run, mirror
from kslars.engine.segmentation.body25 import L_WRIST, NECK, R_WRIST
from kslars.engine.segmentation.dgs_data import DATASET, Run, load_recordings, load_runs
from kslars.engine.segmentation.features import Skeleton, frame_features
from kslars.engine.segmentation.metrics import f1_at_half, score
from tests.conftest import shared_file


def test_recordings_hold_every_clip_of_the_five_transcripts_in_continuous_runs():
    recordings = load_recordings(shared_file(DATASET))
    assert list(recordings) == ["1413451", "1413683", "1413703", "1414123", "1418836"]
    clips = {name: sum(len(r.clip_ids) for r in runs) for name, runs in recordings.items()}
    assert clips == {"1413451": 105, "1413683": 30, "1413703": 137, "1414123": 53, "1418836": 33}
    first = load_runs(shared_file(DATASET), "train")[0]
    assert recordings["1413451"][0].clip_ids[: len(first.clip_ids)] == first.clip_ids
    assert sum(len(r.signs) for runs in recordings.values() for r in runs) == 741 + 1337
    for runs in recordings.values():
        for run in runs:
            duration_ms = len(run.skeleton) * 1000 / run.skeleton.fps
            assert len(run.phrases) <= len(run.clip_ids) and all(0 <= s < e <= duration_ms + 20 for s, e in run.signs)


def test_symmetric_iou_punishes_one_segment_over_everything():
    gold = [(0, 10), (20, 30), (40, 50)]
    tags = np.zeros(50, dtype=np.int64)
    one = score([(tags, tags, [(0, 50)], gold)])
    exact = score([(tags, tags, gold, gold)])
    assert one.segment_iou == pytest.approx(0.2) and one.symmetric_iou == pytest.approx(2 * 0.2 * 0.2 / 0.4)
    assert exact.symmetric_iou == pytest.approx(1.0)
    assert score([(tags, tags, [], gold)]).symmetric_iou == 0.0


def test_f1_at_half_pairs_segments_one_to_one_at_iou_one_half():
    gold = [(0, 10), (20, 30), (40, 50)]
    # IoU 0.9 and 10/14 pair; (20, 24) covers too little of its gold sign (0.4); (60, 70) overlaps nothing
    found = [(0, 9), (20, 24), (38, 52), (60, 70)]
    assert f1_at_half([(found, gold)]) == pytest.approx(2 * 2 / (4 + 3))
    assert f1_at_half([([(0, 30)], gold[:2])]) == 0.0  # one segment over two signs pairs with neither
    assert f1_at_half([([(0, 5), (5, 10)], [(0, 10)])]) == pytest.approx(2 * 1 / 3)  # each half: IoU 0.5, one pair
    assert f1_at_half([(gold, gold), ([], [(0, 4)])]) == pytest.approx(2 * 3 / (3 + 4))  # pooled over sequences
    assert f1_at_half([([], [])]) == 1.0
    tags = np.zeros(70, dtype=np.int64)
    assert score([(tags, tags, found, gold)]).f1_at_half == pytest.approx(4 / 7)


def _skeleton(frames: int = 20) -> Skeleton:
    rng = np.random.default_rng(0)
    body = rng.normal(size=(frames, 25, 2)).astype(np.float32)
    body[:, 2], body[:, 5] = [-2, 0], [2, 0]
    seen = np.ones(frames, bool)
    right, left = rng.normal(size=(2, frames, 21, 2)).astype(np.float32)
    return Skeleton(50.0, body, np.ones((frames, 25), bool), left, seen & (np.arange(frames) < 10), right, seen)


def test_mirroring_swaps_sides_and_twice_gives_the_skeleton_back():
    s = _skeleton()
    m = mirror(s)
    np.testing.assert_allclose(m.body[:, L_WRIST], s.body[:, R_WRIST] * [-1, 1])
    np.testing.assert_allclose(m.left, s.right * [-1, 1])
    assert (m.right_seen == s.left_seen).all()
    twice = mirror(m)
    np.testing.assert_allclose(twice.body, s.body)
    np.testing.assert_allclose(twice.right, s.right)


def test_augmented_runs_change_speed_with_their_times_and_keep_the_features_finite():
    run = Run(["x"], 0, _skeleton(), signs=[(100, 200)], phrases=[(100, 300)])
    rng = np.random.default_rng(1)
    for _ in range(5):
        copy = augment_run(run, Augmentation(mirror=0.5, proportions=0.15, speed=0.25), rng)
        factor = copy.skeleton.fps / 50.0
        assert 1 / 1.25 - 1e-6 <= factor <= 1.25 + 1e-6
        assert copy.signs == [(round(100 / factor), round(200 / factor))]
        # stretched about the neck (mirroring negates x)
        np.testing.assert_allclose(np.abs(copy.skeleton.body[:, NECK]), np.abs(run.skeleton.body[:, NECK]))
        assert np.isfinite(frame_features(copy.skeleton)).all()
    still = augment_run(run, Augmentation(mirror=0.0, proportions=0.0, speed=0.0), rng)
    np.testing.assert_array_equal(still.skeleton.body, run.skeleton.body)
    assert still.signs == run.signs


def test_evaluation_cli_scores_every_transcript_and_training_refuses_an_unknown_one(tmp_path):
    from click.testing import CliRunner

    from kslars.cli import main

    data = str(shared_file(DATASET))
    result = CliRunner().invoke(main, ["evaluate", "segmentation", "--data", data])
    assert result.exit_code == 0, result.output
    assert all(
        f"transcript {name}" in result.output for name in ("1413451", "1413683", "1413703", "1414123", "1418836")
    )
    assert "sym IoU" in result.output
    result = CliRunner().invoke(
        main, ["train", "segmentation", "--data", data, "--hold-out", "999", "-o", str(tmp_path / "m.pt")]
    )
    assert result.exit_code != 0 and "no transcript '999'" in result.output and not (tmp_path / "m.pt").exists()
