"""Recognition features are the signer's own, whatever their place and size; augmentation is bounded and
reproducible."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from kslars.engine.segmentation.body25 import L_WRIST, NOSE, R_WRIST
from kslars.engine.segmentation.features import Skeleton
from kslars.recognition.data import Sample
from kslars.recognition.features import FEATURE_SIZE, Augmentation, augment, sequence_features, signer_frame


def moved(skeleton: Skeleton, shift: tuple[float, float], factor: float) -> Skeleton:
    """The same signer ``factor`` times larger and shifted by ``shift`` in the picture."""
    offset = np.array(shift, np.float32)
    return replace(
        skeleton,
        body=skeleton.body * factor + offset,
        left=skeleton.left * factor + offset,
        right=skeleton.right * factor + offset,
    )


def test_shape_rate_and_unseen_zeros(dgs_samples: list[Sample]) -> None:
    sample = dgs_samples[0]
    features = sequence_features(sample.skeleton, fps=25.0)
    assert features.dtype == np.float32 and features.shape[1] == FEATURE_SIZE
    assert abs(len(features) - len(sample.skeleton) / 2) <= 1  # 50 fps -> 25 fps
    assert np.isfinite(features).all()
    hidden = replace(sample.skeleton, left_seen=np.zeros(len(sample.skeleton), bool))
    unseen = sequence_features(hidden, fps=50.0)
    assert unseen[:, 18 + 45 : 18 + 90].max() == 0  # the left hand's shape, position and flag
    assert sequence_features(replace(sample.skeleton, body=sample.skeleton.body[:0]), 25.0).shape == (0, FEATURE_SIZE)


# DGS keypoints are in picture heights (0..1): 0.6 is a large move, 720 is the picture in pixels
@pytest.mark.parametrize(("shift", "factor"), [((0.6, -0.25), 1.0), ((0.0, 0.0), 2.5), ((-300.0, 40.0), 720.0)])
def test_features_do_not_depend_on_where_the_signer_is_or_their_size(
    dgs_samples: list[Sample],
    shift: tuple[float, float],
    factor: float,
) -> None:
    for sample in dgs_samples[::60]:
        reference = sequence_features(sample.skeleton)
        np.testing.assert_allclose(sequence_features(moved(sample.skeleton, shift, factor)), reference, atol=2e-3)


def test_without_shoulders_the_nose_and_hands_set_the_frame() -> None:
    rng = np.random.default_rng(1)  # hand tracks as in RWTH-BOSTON-104: pixels, no shoulders
    body = np.zeros((40, 25, 2), np.float32)
    seen = np.zeros((40, 25), bool)
    body[:, NOSE] = [160, 60]
    swing = 20 * np.sin(np.linspace(0, 6, 40))[:, None]
    body[:, R_WRIST] = [140, 140] + swing + rng.normal(0, 1, (40, 2))
    body[:, L_WRIST] = [185, 190] - swing
    seen[:, [NOSE, R_WRIST, L_WRIST]] = True
    hands_seen = np.ones(40, bool)
    skeleton = Skeleton(
        30.0,
        body,
        seen,
        np.repeat(body[:, L_WRIST, None], 21, 1),
        hands_seen,
        np.repeat(body[:, R_WRIST, None], 21, 1),
        hands_seen,
    )
    centre, unit = signer_frame(skeleton)
    np.testing.assert_allclose(centre[0], [160, 60])
    assert 50 < unit < 150
    reference = sequence_features(skeleton, fps=30.0)
    np.testing.assert_allclose(sequence_features(moved(skeleton, (50.0, 9.0), 3.0), fps=30.0), reference, atol=1e-3)
    assert np.abs(reference).max() < 50


def test_augmentation_changes_the_pose_within_bounds_and_repeats_from_a_seed(dgs_samples: list[Sample]) -> None:
    skeleton = dgs_samples[5].skeleton
    options = Augmentation(rotation_degrees=15, scale=0.2, time_warp=0.25, frame_drop=0.0, noise=0.01)
    n = len(skeleton)
    for seed in range(8):
        changed = augment(skeleton, np.random.default_rng(seed), options)
        assert changed.fps == skeleton.fps
        assert (n - 1) / 1.25 <= len(changed) <= (n - 1) / 0.75 + 1
        again = augment(skeleton, np.random.default_rng(seed), options)
        np.testing.assert_array_equal(changed.body, again.body)
        np.testing.assert_array_equal(changed.right, again.right)
    turned = augment(skeleton, np.random.default_rng(0), replace(options, time_warp=0.0))
    assert len(turned) == n and np.abs(turned.body - skeleton.body)[skeleton.body_seen].mean() > 0.005
    first = augment(skeleton, np.random.default_rng(0), options)
    other = augment(skeleton, np.random.default_rng(1), options)
    assert len(first) != len(other) or not np.allclose(first.body, other.body)


def test_augmentation_keeps_unseen_parts_and_drops_frames(dgs_samples: list[Sample]) -> None:
    skeleton = dgs_samples[5].skeleton
    still = augment(skeleton, np.random.default_rng(3), Augmentation(0, 0, 0, 0, 0))
    np.testing.assert_allclose(still.body, skeleton.body, atol=1e-4)
    dropped = augment(skeleton, np.random.default_rng(3), Augmentation(0, 0, 0, frame_drop=0.5, noise=0))
    assert 0.3 * len(skeleton) < len(dropped) < 0.7 * len(skeleton)
    hidden = skeleton.right_seen.copy()
    hidden[10:20] = False
    changed = augment(replace(skeleton, right_seen=hidden), np.random.default_rng(3), Augmentation())
    unseen = ~changed.right_seen
    assert unseen.any() and (sequence_features(changed, fps=50.0)[unseen, 18:63] == 0).all()
    with pytest.raises(ValueError):
        Augmentation(time_warp=1.5)
