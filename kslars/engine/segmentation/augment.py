"""Signer augmentation for training: other body proportions, another signing speed, the other dominant hand.

Each training run is seen several times, each copy changed at random (see :class:`Augmentation`), so that the
model does not learn one signer's arm length, build, tempo or handedness:

- proportions: the body stretched about the neck by its own factor per axis (build, camera aspect), each arm's
  upper arm and forearm by one factor per arm, and each hand about its wrist;
- speed: the whole run played faster or slower (its frame rate and its sign and phrase times scaled together);
- mirroring: left and right swapped (x negated, BODY_25 joints and the two hands exchanged), as a left-handed
  signer would sign; the signs stay where they are in time.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from kslars.engine.segmentation.body25 import L_ELBOW, L_SHOULDER, L_WRIST, NECK, R_ELBOW, R_SHOULDER, R_WRIST
from kslars.engine.segmentation.dgs_data import Run
from kslars.engine.segmentation.features import Skeleton

# BODY_25 joints that swap places in a mirror image (shoulders, elbows, wrists, hips, knees, ankles, eyes, ears, feet)
MIRROR_PAIRS = ((2, 5), (3, 6), (4, 7), (9, 12), (10, 13), (11, 14), (15, 16), (17, 18), (19, 22), (20, 23), (21, 24))


@dataclass
class Augmentation:
    """How much each copy of a run may change (0 switches a change off)."""

    mirror: float = 0.5  # probability of mirroring
    proportions: float = 0.15  # body, arm and hand factors drawn from 1 +- this
    speed: float = 0.25  # speed factor drawn log-uniformly from 1 / (1 + this) .. 1 + this

    @property
    def active(self) -> bool:
        """Whether any change is switched on."""
        return bool(self.mirror or self.proportions or self.speed)


def augment_run(run: Run, augmentation: Augmentation, rng: np.random.Generator) -> Run:
    """A randomly changed copy of ``run`` (its skeleton and, for speed, its sign and phrase times)."""
    skeleton = _proportions(run.skeleton, augmentation.proportions, rng) if augmentation.proportions else run.skeleton
    if augmentation.mirror and rng.random() < augmentation.mirror:
        skeleton = mirror(skeleton)
    factor = float(np.exp(rng.uniform(-1, 1) * np.log1p(augmentation.speed))) if augmentation.speed else 1.0
    skeleton = dataclasses.replace(skeleton, fps=skeleton.fps * factor)

    def scaled(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(round(s / factor), round(e / factor)) for s, e in spans]

    return dataclasses.replace(run, skeleton=skeleton, signs=scaled(run.signs), phrases=scaled(run.phrases))


def mirror(skeleton: Skeleton) -> Skeleton:
    """The skeleton seen in a mirror: x negated, left and right joints and hands exchanged."""
    order = np.arange(skeleton.body.shape[1])
    for a, b in MIRROR_PAIRS:
        order[a], order[b] = b, a
    flip = np.array([-1.0, 1.0], np.float32)
    return Skeleton(
        fps=skeleton.fps,
        body=skeleton.body[:, order] * flip,
        body_seen=skeleton.body_seen[:, order],
        left=skeleton.right * flip,
        left_seen=skeleton.right_seen,
        right=skeleton.left * flip,
        right_seen=skeleton.left_seen,
    )


def _proportions(skeleton: Skeleton, amount: float, rng: np.random.Generator) -> Skeleton:
    """Body stretched per axis about the neck, each arm and hand scaled by its own factor."""

    def factor(size: int = 1) -> np.ndarray:
        return (1 + rng.uniform(-amount, amount, size)).astype(np.float32)

    neck = skeleton.body[:, NECK : NECK + 1]
    body = neck + (skeleton.body - neck) * factor(2)
    hands = {"right": skeleton.right, "left": skeleton.left}
    for side, (shoulder, elbow, wrist) in (
        ("right", (R_SHOULDER, R_ELBOW, R_WRIST)),
        ("left", (L_SHOULDER, L_ELBOW, L_WRIST)),
    ):
        arm = factor()
        old_wrist = body[:, wrist].copy()
        new_elbow = body[:, shoulder] + (body[:, elbow] - body[:, shoulder]) * arm
        body[:, wrist] = new_elbow + (body[:, wrist] - body[:, elbow]) * arm
        body[:, elbow] = new_elbow
        hand = hands[side]
        base = hand[:, :1] + (body[:, wrist] - old_wrist)[:, None]  # the hand follows the wrist's shift ...
        hands[side] = base + (hand - hand[:, :1]) * factor()  # ... and grows or shrinks about its own wrist
    return dataclasses.replace(
        skeleton,
        body=body.astype(np.float32),
        right=hands["right"].astype(np.float32),
        left=hands["left"].astype(np.float32),
    )
