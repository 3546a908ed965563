"""Fingerspelling recognition: manual-alphabet letters from hand landmarks, pictures and videos.

```python
from kslars.dictionary.fingerspelling import recognise_hands, recognise_image, read_video

recognise_hands(hands, "ru")[0].top      # [("В", 0.91), ("Б", 0.04), ("С", 0.02)]
recognise_image("photo.jpg", "kk").top    # one hand per picture
read_video("word.mp4", "ru").word         # "МАМА", with each letter's times in .letters
```

Hands are (N, 21, 3) arrays in the MediaPipe Hands convention (x, y normalised by the picture's width and height,
z relative depth), as `kslars handshape` reads them. The alphabets are in ``kslars.dictionary.alphabets``; the
shipped classifiers (``kslars/dictionary/weights/``) are built by ``python -m kslars.dictionary.fingerspelling_train``
and described in docs/dictionary/fingerspelling.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kslars.dictionary.alphabets import Alphabet, get_alphabet
from kslars.dictionary.fingerspelling_video import DecoderOptions, SpelledWord, decode_letters, hand_motion
from kslars.engine.handshape.features import as_hands

if TYPE_CHECKING:
    from kslars.dictionary.fingerspelling_model import LetterNet

# In a still picture a moving letter cannot be told from its static twin: the twin keeps this share of their
# probability when the classifier has never seen the moving letter itself (Ё, which no source here shows).
STILL_TWIN_SHARE = 0.8


class FingerspellingError(ValueError):
    """Input that cannot be read as fingerspelling; the message says what is wrong and where."""


@dataclass(frozen=True)
class LetterPrediction:
    """The most likely letters of one hand, best first, with their probabilities."""

    top: list[tuple[str, float]]

    @property
    def letter(self) -> str:
        """The best letter."""
        return self.top[0][0]


class FingerspellingModel:
    """A letter classifier of one alphabet, answering over all of the alphabet's letters."""

    def __init__(self, alphabet: Alphabet, net: LetterNet) -> None:
        self.alphabet = alphabet
        self.net = net
        known = net.config.letters
        self._columns = [known.index(letter) if letter in known else -1 for letter in alphabet.letters]

    def probabilities(
        self, hands: np.ndarray, is_left: np.ndarray | None = None, aspect: float | np.ndarray = 1.0
    ) -> np.ndarray:
        """Probabilities (N, L) of the alphabet's letters, in alphabet order, for hands (N, 21, 3)."""
        from kslars.dictionary.fingerspelling_model import letter_features

        hands = as_hands(hands)
        if hands.shape[2] != 3:
            raise FingerspellingError(f"fingerspelling needs 3D landmarks (N, 21, 3) or (21, 3); got {hands.shape}")
        is_left = np.zeros(len(hands), bool) if is_left is None else np.broadcast_to(is_left, (len(hands),))
        known = self.net.probabilities(letter_features(hands, is_left, aspect))
        probs = np.zeros((len(hands), len(self.alphabet.letters)), np.float64)
        for j, column in enumerate(self._columns):
            if column >= 0:
                probs[:, j] = known[:, column]
        letters = self.alphabet.letters
        for moving, static in self.alphabet.twins.items():
            i, s = letters.index(moving), letters.index(static)
            if self._columns[i] < 0 and self._columns[s] >= 0:  # never seen: it looks like its twin
                probs[:, i] = probs[:, s] * (1 - STILL_TWIN_SHARE)
                probs[:, s] *= STILL_TWIN_SHARE
        return probs

    def predict(
        self, hands: np.ndarray, is_left: np.ndarray | None = None, aspect: float | np.ndarray = 1.0, top: int = 3
    ) -> list[LetterPrediction]:
        """The ``top`` most likely letters of each hand (N, 21, 3); left hands are mirrored first."""
        probs = self.probabilities(hands, is_left, aspect)
        order = np.argsort(-probs, axis=1)[:, : max(1, top)]
        return [
            LetterPrediction([(self.alphabet.letters[j], float(probs[i, j])) for j in row])
            for i, row in enumerate(order)
        ]


@cache
def load_fingerspelling_model(alphabet: str, path: str | Path | None = None) -> FingerspellingModel:
    """The shipped classifier of ``alphabet`` (``ru``, ``kk``, ``asl``), or the one in ``path``."""
    from kslars.dictionary.fingerspelling_model import load_checkpoint
    from kslars.dictionary.fingerspelling_train import weights_path

    code = get_alphabet(alphabet)
    path = Path(path) if path is not None else weights_path(alphabet)
    if not path.exists():
        raise FileNotFoundError(
            f"fingerspelling model {path} does not exist "
            f"(run `python -m kslars.dictionary.fingerspelling_train {alphabet}`)"
        )
    net, checkpoint = load_checkpoint(path)
    if checkpoint["alphabet"] != alphabet:
        raise ValueError(f"{path} is a model of the {checkpoint['alphabet']!r} alphabet, not {alphabet!r}")
    return FingerspellingModel(code, net)


def recognise_hands(
    hands: np.ndarray, alphabet: str, is_left: np.ndarray | None = None, aspect: float | np.ndarray = 1.0, top: int = 3
) -> list[LetterPrediction]:
    """The ``top`` letters of each hand in ``hands`` (N, 21, 3) or (21, 3), MediaPipe Hands convention."""
    try:
        hands = as_hands(hands)
    except ValueError as error:
        raise FingerspellingError(str(error)) from None
    if not np.all(np.isfinite(hands)):
        raise FingerspellingError("the landmarks contain NaN or infinite values")
    return load_fingerspelling_model(alphabet).predict(hands, is_left, aspect, top)


def recognise_image(path: str | Path, alphabet: str, top: int = 3) -> LetterPrediction:
    """The ``top`` letters of the one hand in the picture at ``path``; FingerspellingError for none or two."""
    from kslars.vision.hands import ImageError, read_one_hand

    model = load_fingerspelling_model(alphabet)
    try:
        hand, aspect = read_one_hand(path)
    except ImageError as error:
        raise FingerspellingError(str(error)) from None
    return model.predict(hand.landmarks[None], np.array([hand.is_left]), aspect, top)[0]


def read_hand_sequence(
    hands: np.ndarray,
    times_ms: np.ndarray,
    alphabet: str,
    is_left: np.ndarray | None = None,
    aspect: float = 1.0,
    options: DecoderOptions = DecoderOptions(),
    model: FingerspellingModel | None = None,
) -> SpelledWord:
    """The letters spelled by one hand over time: hands (T, 21, 3) with NaN rows where no hand was seen.

    ``model`` replaces the shipped classifier of ``alphabet`` (the held-out evaluation passes its own).
    """
    model = model or load_fingerspelling_model(alphabet)
    hands = as_hands(hands)
    seen = np.all(np.isfinite(hands.reshape(len(hands), -1)), axis=1)
    is_left = np.zeros(len(hands), bool) if is_left is None else np.asarray(is_left, bool)
    probs = np.full((len(hands), len(model.alphabet.letters)), np.nan)
    if seen.any():
        probs[seen] = model.probabilities(hands[seen], is_left[seen], aspect)
    return decode_letters(probs, hand_motion(hands, times_ms, aspect), np.asarray(times_ms), model.alphabet, options)


def read_video(
    path: str | Path, alphabet: str, fps: float = 15.0, options: DecoderOptions = DecoderOptions()
) -> SpelledWord:
    """The letters fingerspelled in a video, with their times, and the word they spell."""
    from kslars.vision.hands import HandDetector
    from kslars.vision.video import VideoError, probe_video, sample_frames

    load_fingerspelling_model(alphabet)  # an unknown alphabet fails before the video is decoded
    try:
        info = probe_video(path)
        rate = min(fps, info.fps)
        hands, left, times = [], [], []
        with HandDetector(max_hands=1, video=True) as detector:
            for frame in sample_frames(path, rate):
                found = detector.detect(frame.rgb)
                hands.append(found[0].landmarks if found else np.full((21, 3), np.nan))
                left.append(bool(found and found[0].is_left))
                times.append(frame.slots[0] * 1000.0 / rate)
    except VideoError as error:
        raise FingerspellingError(str(error)) from None
    if not any(np.isfinite(h).all() for h in hands):
        raise FingerspellingError(f"{path}: no hand found in the video")
    return read_hand_sequence(
        np.array(hands), np.array(times), alphabet, np.array(left), info.width / info.height, options
    )
