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
    b_threshold: float = 0.5  # decoding: probability of B that starts a segment
