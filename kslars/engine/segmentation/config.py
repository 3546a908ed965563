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
    b_threshold: float = 0.5  # decoding phrases: probability of B that starts a segment
    sign_b_threshold: float = 0.4  # decoding signs: probability of B that starts a segment
    sign_inside_threshold: float = 0.4  # decoding signs: P(B) + P(I) above this is inside a sign
    sign_min_frames: int = 1  # decoding signs: shorter segments are dropped
    # decoding signs: a further start at each peak of P(B) at or above sign_b_threshold this many frames or more
    # from every other start (densely signed signs keep P(B) high from one start to the next); None: one start
    # per run of likely-B frames
    sign_peak_gap_frames: int | None = 2
    # Decoding phrases (None switches a rule off): a phrase is cut where P(O) + P(B) of the phrase head peaks
    # at or above this, so that sentences following each other with only a short pause come apart ...
    phrase_boundary_threshold: float | None = 0.3
    phrase_min_ms: float = 700.0  # ... unless a piece would be shorter than this (a tenth of DGS sentences are)
    # ... and a phrase longer than this (a twentieth of DGS sentences are) is cut at its likeliest boundary
    phrase_max_ms: float | None = 6000.0
    # phrases shorter than this are dropped: a stray B or a blip of inside frames in a pause, not a sentence
    phrase_drop_ms: float | None = 500.0
