"""The segmentation model's configuration, importable without torch (the pipeline needs its frame rate early)."""

from __future__ import annotations

from dataclasses import dataclass

from kslars.engine.segmentation.features import FEATURE_SIZE


@dataclass
class SegmentationConfig:
    """Shape of the network and the frame rate it works at."""

    fps: float = 15.0  # signing needs no more; the engine samples video at this rate
    features: int = FEATURE_SIZE
    hidden: int = 32
    layers: int = 2
    dropout: float = 0.3
    members: int = 3  # taggers (seeds) whose probabilities are averaged
    b_threshold: float = 0.5  # decoding: probability of B that starts a segment
    sign_inside_threshold: float = 0.5  # decoding signs: P(B) + P(I) above this is inside a sign
    sign_min_frames: int = 1  # decoding signs: shorter segments are dropped
