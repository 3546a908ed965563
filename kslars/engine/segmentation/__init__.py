"""Sign and phrase segmentation from pose landmarks (BIO tagging per frame, after Moryossef et al. 2023).

``segment_landmarks(landmarks)`` returns time-aligned sign and phrase segments; ``load_segmentation_model()``
loads the shipped weights (trained on DGS clips by ``kslars train segmentation``). torch is imported only when
a model is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kslars.engine.segmentation.bio import decode_phrases, decode_signs

if TYPE_CHECKING:
    from kslars.engine.segmentation.model import SegmentationModel
    from kslars.vision.pose_file import Landmarks


@dataclass(frozen=True)
class TimedSegment:
    """A segment in milliseconds with the model's mean probability of its frames being inside it."""

    start_ms: int
    end_ms: int
    confidence: float


@dataclass
class Segmentation:
    """The signs and signing phrases found in one video."""

    signs: list[TimedSegment]
    phrases: list[TimedSegment]


def load_segmentation_model(path: str | None = None) -> SegmentationModel:
    """The segmentation model saved at ``path`` (default: the shipped weights)."""
    from kslars.engine.segmentation.model import load_segmentation_model as load

    return load(path)


def segment_landmarks(landmarks: Landmarks, model: SegmentationModel | None = None) -> Segmentation:
    """Sign and phrase segments of ``landmarks``; times are relative to the first landmark frame."""
    from kslars.engine.segmentation.features import landmark_features

    model = model or load_segmentation_model()
    fps = model.config.fps
    features = landmark_features(landmarks, fps)
    sign_p, phrase_p = model.probabilities(features)
    end_ms = landmarks.duration_ms

    def timed(segments) -> list[TimedSegment]:  # noqa: ANN001
        return [
            TimedSegment(round(s.start * 1000 / fps), min(end_ms, round(s.end * 1000 / fps)), round(s.confidence, 4))
            for s in segments
        ]

    signs = timed(decode_signs(sign_p, model.config))
    phrases = timed(decode_phrases(phrase_p, model.config))
    return Segmentation(
        signs=[s for s in signs if s.end_ms > s.start_ms], phrases=[s for s in phrases if s.end_ms > s.start_ms]
    )
