"""Hands in still pictures and video frames with MediaPipe Hands: 21 landmarks per hand and its handedness.

Landmarks follow the MediaPipe Hands convention (x, y normalised by the picture's width and height, y down,
z relative depth on the scale of x), the convention `kslars handshape` and `kslars fingerspell` read.
MediaPipe names handedness as if the picture were a mirrored selfie; here pictures are taken as they are
(an unmirrored camera facing the signer), so its "Left" is the signer's right hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


class ImageError(ValueError):
    """A picture cannot be read; the message names the file and says what is wrong."""


@dataclass(frozen=True)
class DetectedHand:
    """One hand found in a picture: landmarks (21, 3), the signer's handedness and MediaPipe's score."""

    landmarks: np.ndarray
    is_left: bool
    score: float


def read_image(path: str | Path) -> np.ndarray:
    """The picture in ``path`` as RGB (H, W, 3) uint8; ImageError when it is not a readable image."""
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    try:
        with Image.open(path) as image:
            image.load()
            return np.asarray(image.convert("RGB"))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ImageError(f"{path}: not a readable image ({error})") from error


class HandDetector:
    """MediaPipe Hands on still pictures (each picture on its own) or on the frames of one video in order."""

    def __init__(self, max_hands: int = 2, video: bool = False, min_confidence: float = 0.5) -> None:
        import mediapipe as mp

        from kslars.vision.landmarks import _native_logs_silenced

        with _native_logs_silenced():
            self._hands = mp.solutions.hands.Hands(
                static_image_mode=not video,
                max_num_hands=max_hands,
                model_complexity=1,
                min_detection_confidence=min_confidence,
                min_tracking_confidence=min_confidence,
            )
            self._hands.process(np.zeros((64, 64, 3), np.uint8))  # the first call loads the models (and logs)
        self._found_any = False

    def detect(self, rgb: np.ndarray) -> list[DetectedHand]:
        """The hands in one RGB picture (H, W, 3) uint8, most confident first."""
        from kslars.vision.landmarks import _native_logs_silenced

        if self._found_any:
            results = self._hands.process(np.ascontiguousarray(rgb))
        else:  # the first picture with a hand in it logs once more
            with _native_logs_silenced():
                results = self._hands.process(np.ascontiguousarray(rgb))
        if not results.multi_hand_landmarks:
            return []
        self._found_any = True
        hands = []
        for landmarks, handedness in zip(results.multi_hand_landmarks, results.multi_handedness, strict=True):
            label = handedness.classification[0]
            points = np.array([[p.x, p.y, p.z] for p in landmarks.landmark], dtype=np.float64)
            hands.append(DetectedHand(points, is_left=label.label == "Right", score=float(label.score)))
        return sorted(hands, key=lambda hand: -hand.score)

    def close(self) -> None:
        """Free MediaPipe's graph."""
        self._hands.close()

    def __enter__(self) -> HandDetector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_one_hand(path: str | Path) -> tuple[DetectedHand, float]:
    """The one hand in the picture at ``path`` and the picture's aspect (width / height).

    ImageError when the file is not a picture, or when it shows no hand or more than one.
    """
    rgb = read_image(path)
    with HandDetector(max_hands=2) as detector:
        hands = detector.detect(rgb)
    if not hands:
        raise ImageError(f"{path}: no hand found in the picture")
    if len(hands) > 1:
        raise ImageError(f"{path}: {len(hands)} hands found; crop the picture to the one hand to read")
    height, width = rgb.shape[:2]
    return hands[0], width / height
