"""Segmentation: decoding thresholds, hand-motion features, trivial baselines, the ensemble and seeded training."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from kslars.engine.segmentation.baselines import all_inside, evenly_spaced, sign_rhythm
from kslars.engine.segmentation.bio import decode_bio, decode_signs
from kslars.engine.segmentation.config import SegmentationConfig
from kslars.engine.segmentation.dgs_data import DATASET, Run, load_runs
from kslars.engine.segmentation.features import FEATURE_SIZE, HAND_MOTION_SIZE, Skeleton, frame_features
from tests.conftest import shared_file


def test_inside_threshold_decides_which_frames_are_inside():
    o, weak, strong = [0.9, 0.05, 0.05], [0.6, 0.1, 0.3], [0.1, 0.1, 0.8]
    p = np.array([o, weak, strong, weak, o, weak, o])
    assert [(s.start, s.end) for s in decode_bio(p)] == [(2, 3)]
    assert [(s.start, s.end) for s in decode_bio(p, inside_threshold=0.35)] == [(1, 4), (5, 6)]
    config = SegmentationConfig(sign_inside_threshold=0.35, sign_min_frames=2)
    assert [(s.start, s.end) for s in decode_signs(p, config)] == [(1, 4)]


def _still_skeleton(frames: int, fps: float = 10.0) -> Skeleton:
    body = np.zeros((frames, 25, 2), np.float32)
    body[:, 2], body[:, 5] = [-2, 0], [2, 0]  # shoulders 4 units apart: one shoulder width = 4
    hand = np.zeros((frames, 21, 2), np.float32)
    hand[:, 4] = [4, 0]  # thumb tip one shoulder width right of the wrist
    hand[:, 8] = [4, 4]  # index tip
    seen = np.ones(frames, bool)
    return Skeleton(fps, body, np.ones((frames, 25), bool), hand.copy(), seen.copy(), hand.copy(), seen.copy())


def test_hand_motion_features_give_fingertip_distances_speed_and_acceleration():
    s = _still_skeleton(12)
    s.right = s.right + (np.arange(12, dtype=np.float32) * 2.0)[:, None, None] * np.array([1, 0], np.float32)
    s.left_seen[:] = False
    f = frame_features(s)
    assert f.shape == (12, FEATURE_SIZE)
    right = f[:, FEATURE_SIZE - HAND_MOTION_SIZE : FEATURE_SIZE - HAND_MOTION_SIZE // 2]
    left = f[:, FEATURE_SIZE - HAND_MOTION_SIZE // 2 :]
    # thumb to index tip 1 shoulder width, to the others (at the wrist) 1; tips to wrist: 1, sqrt(2), 0, 0, 0
    np.testing.assert_allclose(right[5, :9], [1, 1, 1, 1, 1, np.sqrt(2), 0, 0, 0], atol=1e-5)
    # the hand moves 2 units (half a shoulder width) per frame at 10 fps: speed 5 per second, steady
    np.testing.assert_allclose(right[2:10, 11], 5.0, atol=1e-4)
    np.testing.assert_allclose(right[3:9, 9:11], 0.0, atol=1e-3)
    assert not left.any()


def test_trivial_baselines():
    assert [(s.start, s.end) for s in all_inside(7)] == [(0, 7)] and all_inside(0) == []
    spans = [(s.start, s.end) for s in evenly_spaced(10, fps=10, rhythm=(200.0, 300.0))]
    assert spans == [(0, 2), (3, 5), (6, 8), (9, 10)]
    run = Run([], 0, _still_skeleton(2), signs=[(0, 100), (200, 400), (1000, 1300)], phrases=[(0, 400), (1000, 1300)])
    assert sign_rhythm([run]) == (pytest.approx(200.0), pytest.approx(200.0))
    with pytest.raises(ValueError, match="two signs in one phrase"):
        sign_rhythm([Run([], 0, _still_skeleton(2), signs=[(0, 100)], phrases=[(0, 100)])])


def test_ensemble_averages_its_members_probabilities_and_survives_a_checkpoint(tmp_path):
    torch = pytest.importorskip("torch")
    from kslars.engine.segmentation.model import SegmentationModel, load_segmentation_model, save_checkpoint

    torch.manual_seed(0)
    config = SegmentationConfig(hidden=8, members=2, sign_inside_threshold=0.4)
    model = SegmentationModel(config).eval()
    x = np.random.default_rng(0).normal(size=(30, FEATURE_SIZE)).astype(np.float32)
    sign_p, phrase_p = model.probabilities(x)
    with torch.no_grad():
        h = model.normalise(torch.from_numpy(x)[None])
        expected = np.mean([m(h)[0].softmax(-1)[0].numpy() for m in model.members], axis=0)
    np.testing.assert_allclose(sign_p, expected, atol=1e-5)
    np.testing.assert_allclose(phrase_p.sum(axis=1), 1.0, atol=1e-5)
    save_checkpoint(model, tmp_path / "m.pt", {"note": "test"})
    loaded = load_segmentation_model(tmp_path / "m.pt")
    assert dataclasses.asdict(loaded.config) == dataclasses.asdict(config) and loaded.metadata == {"note": "test"}
    np.testing.assert_allclose(loaded.probabilities(x)[0], sign_p, atol=5e-3)  # half-precision weights
    checkpoint = torch.load(tmp_path / "m.pt", weights_only=True)
    del checkpoint["config"]["sign_b_threshold"]  # weights saved before signs had their own B threshold ...
    checkpoint["config"]["b_threshold"] = 0.6
    torch.save(checkpoint, tmp_path / "older.pt")
    assert load_segmentation_model(tmp_path / "older.pt").config.sign_b_threshold == 0.6  # ... start signs as phrases
    checkpoint["config"]["members"] = 3  # weights of two members under a config asking for three
    torch.save(checkpoint, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="do not fit this version.*kslars train segmentation"):
        load_segmentation_model(tmp_path / "other.pt")


def test_training_is_seeded_and_members_differ():
    torch = pytest.importorskip("torch")
    from kslars.engine.segmentation.training import TrainingOptions, fit

    runs = load_runs(shared_file(DATASET), "validation")
    options, config = TrainingOptions(steps=3, batch=2, window=50), SegmentationConfig(hidden=8, members=2)
    first, second = fit(runs, options, config, log=lambda m: None), fit(runs, options, config, log=lambda m: None)
    for (name, a), b in zip(first.state_dict().items(), second.state_dict().values(), strict=True):
        assert torch.equal(a, b), name
    assert not torch.equal(first.members[0].sign_head.weight, first.members[1].sign_head.weight)
