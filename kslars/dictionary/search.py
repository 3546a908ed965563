"""Search the lexicon by handshape (palette names, hand landmarks, a photo) or by text (gloss, translations).

Handshape queries become probability distributions over the inventory's classes (a palette choice is one
class with probability 1; landmarks give the classifier's distribution) and :func:`score_signs` ranks every
sign at once with numpy. Ties are broken by gloss, then id, so the order never depends on the file's order.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import numpy as np

from kslars.dictionary.handshape_classes import CLASS_NAMES, handshape_from_query
from kslars.dictionary.lexicon import HandshapeIndex, Lexicon, Sign, SignForm
from kslars.dictionary.transliteration import search_key
from kslars.hamnosys import FINGER_DIRECTIONS, PALM_DIRECTIONS, handshape

SAME_BASE_CREDIT = 0.5  # a sign whose class shares the asked class's base form (finger2 for finger2_thumbout)
ONE_HANDED_FACTOR = 0.1  # a one-handed sign when a non-dominant handshape is asked
ORIENTATION_BONUS = 0.1  # per matching orientation part (finger direction, palm) when the query has them
FUZZY_CUTOFF = 0.6  # difflib similarity below which a text is no match
DEFAULT_LIMIT = 20
VIDEO_FPS = 10.0  # frames a second that search by video looks at
MAX_VIDEO_MS = 10_000  # search by video takes clips of one sign, not recordings

_BASES = [handshape(name).base_form for name in CLASS_NAMES]
# SIMILARITY[i, j]: how well asked class i matches a sign of class j.
SIMILARITY = np.where(
    np.equal.outer(np.arange(len(CLASS_NAMES)), np.arange(len(CLASS_NAMES))),
    1.0,
    np.where(np.equal.outer(_BASES, _BASES), SAME_BASE_CREDIT, 0.0),
)


class SearchError(ValueError):
    """A query that cannot be answered (an unknown handshape, landmarks of the wrong shape, no hand, ...)."""


@dataclass(frozen=True)
class SearchResult:
    """One sign found, with the form search matched and its score (higher is better)."""

    sign: Sign
    form: SignForm
    score: float

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data: the sign's fields, the form its HamNoSys gives, and the score."""
        form = self.form
        return {
            **self.sign.to_dict(),
            "handshapes": {"dominant": form.dominant, "nondominant": form.nondominant},
            "orientation": {"finger_direction": form.finger_direction, "palm": form.palm},
            "location": form.location,
            "movement": form.movement,
            "score": round(self.score, 6),
        }


def score_signs(
    index: HandshapeIndex,
    dominant: np.ndarray,
    nondominant: np.ndarray | None = None,
    finger: str | None = None,
    palm: str | None = None,
) -> np.ndarray:
    """The score of every sign (N,) for a query given as probabilities over CLASS_NAMES for each hand.

    A hand matches a sign's class c with m = sum_i P(i) * SIMILARITY[i, c]: P(c), plus SAME_BASE_CREDIT
    times the probability of the other classes of c's base form. The score is m(dominant), times
    m(non-dominant) when a non-dominant hand is asked (ONE_HANDED_FACTOR for signs without one), times
    (1 + ORIENTATION_BONUS per matching finger direction and palm) / (1 + ORIENTATION_BONUS per part asked),
    so a score of 1 is a perfect match in everything asked.
    """

    def match(probabilities: np.ndarray, classes: np.ndarray, missing: float) -> np.ndarray:
        expected = np.append(probabilities @ SIMILARITY, missing)  # index -1 (no class) -> ``missing``
        return expected[classes]

    score = match(dominant, index.dominant, 0.0)
    if nondominant is not None:
        score = score * match(nondominant, index.nondominant, ONE_HANDED_FACTOR)
    bonus, asked = np.ones(len(score)), 1.0
    asked_parts = ((finger, list(FINGER_DIRECTIONS), index.finger), (palm, list(PALM_DIRECTIONS), index.palm))
    for value, names, column in asked_parts:
        if value is not None:
            bonus += ORIENTATION_BONUS * (column == names.index(value))
            asked += ORIENTATION_BONUS
    return score * bonus / asked


def ranked(lexicon: Lexicon, scores: np.ndarray, limit: int) -> list[SearchResult]:
    """The ``limit`` best signs with a positive score, best first, ties by gloss then id."""
    candidates = np.flatnonzero(scores > 0)
    order = candidates[np.lexsort((lexicon.index.gloss_rank[candidates], -scores[candidates]))][:limit]
    return [SearchResult(lexicon.signs[i], lexicon.forms[i], float(scores[i])) for i in order]


def one_hot(class_name: str) -> np.ndarray:
    """The distribution that puts all probability on one class."""
    probabilities = np.zeros(len(CLASS_NAMES))
    probabilities[CLASS_NAMES.index(class_name)] = 1.0
    return probabilities


def search_by_handshape(
    lexicon: Lexicon, dominant: str, nondominant: str | None = None, limit: int = DEFAULT_LIMIT
) -> list[SearchResult]:
    """Signs with the handshapes picked in the palette (HamNoSys names like ``hamflathand`` or class names)."""
    try:
        wanted = one_hot(handshape_from_query(dominant))
        other = one_hot(handshape_from_query(nondominant)) if nondominant else None
    except ValueError as error:
        raise SearchError(str(error)) from None
    return ranked(lexicon, score_signs(lexicon.index, wanted, other), limit)


def class_probabilities(
    hands: np.ndarray, is_left: np.ndarray, aspect: float = 1.0, classifier: Any = None
) -> np.ndarray:
    """The classifier's probabilities (N, C) over CLASS_NAMES for hands (N, 21, 3) of MediaPipe landmarks."""
    from kslars.engine.handshape import load_classifier

    classifier = classifier or load_classifier()
    missing = [name for name in CLASS_NAMES if name not in classifier.labels]
    if missing:
        raise SearchError("the handshape model predicts project labels, not the HamNoSys classes search needs")
    probabilities, _ = classifier.probabilities(hands, is_left, aspect)
    return probabilities[:, [classifier.labels.index(name) for name in CLASS_NAMES]]


def single_hand(landmarks: np.ndarray) -> np.ndarray:
    """One hand (21, 3) from an array of shape (21, 3) or (1, 21, 3); SearchError for any other shape."""
    array = np.asarray(landmarks)
    if array.shape == (1, 21, 3):
        array = array[0]
    if array.shape != (21, 3) or not np.issubdtype(array.dtype, np.number) or not np.all(np.isfinite(array)):
        raise SearchError(
            f"hand landmarks must be one hand of 21 MediaPipe landmarks, shape (21, 3) or (1, 21, 3) of finite "
            f"numbers; got shape {array.shape} of {array.dtype}"
        )
    return array.astype(np.float64)


def search_by_landmarks(
    lexicon: Lexicon,
    landmarks: np.ndarray,
    is_left: bool = False,
    aspect: float = 1.0,
    classifier: Any = None,
    limit: int = DEFAULT_LIMIT,
) -> list[SearchResult]:
    """Signs whose dominant handshape (and orientation) fit one hand's 21 MediaPipe landmarks."""
    from kslars.engine.orientation import finger_direction, palm_orientation

    hand = single_hand(landmarks)
    side = np.array([is_left])
    probabilities = class_probabilities(hand[None], side, aspect, classifier)[0]
    finger = finger_direction(hand[None], side, aspect)[0]
    palm = palm_orientation(hand[None], side, aspect)[0]
    return ranked(lexicon, score_signs(lexicon.index, probabilities, finger=finger, palm=palm), limit)


def search_by_image(
    lexicon: Lexicon, path: Any, classifier: Any = None, limit: int = DEFAULT_LIMIT
) -> list[SearchResult]:
    """Signs whose handshape fits the one hand in a photo (MediaPipe Hands, then the classifier)."""
    from kslars.vision.hands import ImageError, read_one_hand

    try:
        hand, aspect = read_one_hand(path)
    except ImageError as error:
        raise SearchError(str(error)) from None
    return search_by_landmarks(lexicon, hand.landmarks, hand.is_left, aspect, classifier, limit)


def search_by_video(
    lexicon: Lexicon, path: Any, fps: float = VIDEO_FPS, classifier: Any = None, limit: int = DEFAULT_LIMIT
) -> list[SearchResult]:
    """Signs whose handshape fits the hand seen most in a short video (at most MAX_VIDEO_MS).

    MediaPipe Hands follows the hands over frames sampled at ``fps``; the hand seen in most frames (the signer's
    right or left) is taken as the dominant one, the classifier's probabilities are averaged over its frames, and
    its most frequent finger direction and palm orientation count as the query's orientation.
    """
    from collections import Counter

    from kslars.engine.orientation import finger_direction, palm_orientation
    from kslars.vision.hands import HandDetector
    from kslars.vision.video import VideoError, probe_video, sample_frames

    try:
        info = probe_video(path)
        if info.duration_ms is not None and info.duration_ms > MAX_VIDEO_MS:
            raise SearchError(
                f"{path}: the video is {info.duration_ms / 1000:.1f} s long; give a clip of one sign "
                f"(at most {MAX_VIDEO_MS // 1000} s)"
            )
        with HandDetector(max_hands=2, video=True) as detector:
            seen = [hand for frame in sample_frames(path, fps) for hand in detector.detect(frame.rgb)]
    except VideoError as error:
        raise SearchError(str(error)) from None
    if not seen:
        raise SearchError(f"{path}: no hand found in the video")
    is_left = Counter(hand.is_left for hand in seen).most_common(1)[0][0]
    hands = np.stack([hand.landmarks for hand in seen if hand.is_left == is_left])  # (F, 21, 3)
    sides, aspect = np.full(len(hands), is_left), info.width / info.height
    probabilities = class_probabilities(hands, sides, aspect, classifier).mean(axis=0)
    finger = Counter(finger_direction(hands, sides, aspect)).most_common(1)[0][0]
    palm = Counter(palm_orientation(hands, sides, aspect)).most_common(1)[0][0]
    return ranked(lexicon, score_signs(lexicon.index, probabilities, finger=finger, palm=palm), limit)


def search_by_text(lexicon: Lexicon, query: str, limit: int = DEFAULT_LIMIT) -> list[SearchResult]:
    """Signs whose gloss or a translation matches ``query``: exact, then prefix, then fuzzy; either script.

    Scores: 1 for an exact key, 0.5-1 for a key or word starting with the query (longer remainders lower),
    under 0.5 for fuzzy matches (0.5 times difflib's similarity, at least FUZZY_CUTOFF).
    """
    key = search_key(query)
    if not key:
        raise SearchError(f"the text {query!r} has no letters or digits to search for")
    scores = np.zeros(len(lexicon))
    fuzzy = difflib.SequenceMatcher(autojunk=False)
    fuzzy.set_seq2(key)
    for i, texts in enumerate(lexicon.text_keys):
        for text in texts:
            scores[i] = max(scores[i], text_score(key, text, fuzzy))
    return ranked(lexicon, scores, limit)


def text_score(key: str, text: str, fuzzy: difflib.SequenceMatcher) -> float:
    """How well a normalised query ``key`` matches a normalised text (see :func:`search_by_text`)."""
    if text == key:
        return 1.0
    words = text.split(" ")
    if text.startswith(key) or any(word.startswith(key) for word in words):
        return 0.5 + 0.5 * len(key) / len(text)
    best = 0.0
    for candidate in (text, *words) if len(words) > 1 else (text,):
        fuzzy.set_seq1(candidate)
        if fuzzy.real_quick_ratio() >= FUZZY_CUTOFF and fuzzy.quick_ratio() >= FUZZY_CUTOFF:
            ratio = fuzzy.ratio()
            if ratio >= FUZZY_CUTOFF:
                best = max(best, 0.5 * ratio)
    return best
