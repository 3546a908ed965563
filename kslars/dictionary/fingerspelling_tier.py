"""Fingerspelling read from a window of a video's landmarks, as an annotation document: a word tier with one
annotation over the window whose value is the word spelled, and a child tier of the letters with their times,
ready for the web tool to add to a project the way it adds the engine's tiers.

The landmarks are MediaPipe Holistic's (``kslars.vision.pose_file.Landmarks``), which see both hands; the reader
follows one. The *signing hand* is the one that spells: among the hands seen in at least half as many frames of
the window as the hand seen most, the one whose shape changes most from frame to frame (the mean movement of its
21 points relative to its wrist, in palm lengths). A hand resting in view keeps its shape; a spelling hand
changes it with every letter. When both change alike, the right hand is taken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kslars.document import Annotation, Constraint, Document, Tier, TierType

if TYPE_CHECKING:  # the model and the decoder are imported when a word is read, not with the tier's name
    from kslars.dictionary.fingerspelling_video import SpelledWord
    from kslars.vision.pose_file import Landmarks

FINGERSPELLING_TIER = "Fingerspelling"
LETTERS_SUFFIX = " letters"  # the letters' tier is the word tier's name with this suffix
WORD_TYPE = "fingerspelling"
LETTER_TYPE = "fingerspelled letter"  # Included_In: letters lie inside their word, with gaps between them
ANNOTATOR = "K-SLARS fingerspelling"
_MIN_SHARE = 0.5  # a hand seen in fewer frames than this share of the most-seen hand's is not the signing hand


def signing_hand(landmarks: Landmarks) -> str | None:
    """ "right" or "left": the hand that spells in ``landmarks`` (see the module docstring), or None for none."""
    seen = {"right": landmarks.right_confidence.max(axis=1) > 0, "left": landmarks.left_confidence.max(axis=1) > 0}
    most = max(int(s.sum()) for s in seen.values())
    if most == 0:
        return None
    candidates = [hand for hand in ("right", "left") if seen[hand].sum() >= max(1, _MIN_SHARE * most)]
    points = {"right": landmarks.right_hand, "left": landmarks.left_hand}
    return max(candidates, key=lambda hand: _shape_change(points[hand][seen[hand]]))


def _shape_change(hands: np.ndarray) -> float:
    """Mean change of the hand's shape between consecutive seen frames (T, 21, 3), in palm lengths."""
    if len(hands) < 2:
        return 0.0
    shape = hands[..., :2] - hands[:, :1, :2]  # relative to the wrist
    palm = float(np.median(np.linalg.norm(shape[:, 9], axis=1))) or 1.0  # wrist to the middle finger's base
    return float(np.linalg.norm(np.diff(shape, axis=0), axis=2).mean()) / palm


def read_landmarks(landmarks: Landmarks, alphabet: str, first_frame: int = 0) -> tuple[SpelledWord, str]:
    """The word fingerspelled by the signing hand in ``landmarks`` (a window starting at frame ``first_frame`` of
    its video) with letter times on the video's clock, and which hand it was; ValueError when no hand is seen."""
    from kslars.dictionary.fingerspelling import read_hand_sequence

    hand = signing_hand(landmarks)
    if hand is None:
        raise ValueError(
            "No hand is seen in the chosen part of the video: select a segment where the signer fingerspells."
        )
    points = landmarks.right_hand if hand == "right" else landmarks.left_hand
    confidence = landmarks.right_confidence if hand == "right" else landmarks.left_confidence
    hands = points / np.array([landmarks.width, landmarks.height, 1.0], np.float32)  # the Hands convention
    hands[confidence.max(axis=1) <= 0] = np.nan
    times = (first_frame + np.arange(landmarks.frame_count)) * 1000.0 / landmarks.fps
    spelled = read_hand_sequence(
        hands, times, alphabet, np.full(len(hands), hand == "left"), landmarks.width / landmarks.height
    )
    return spelled, hand


def fingerspelling_document(
    spelled: SpelledWord,
    alphabet: str,
    start_ms: int,
    end_ms: int,
    hand: str,
    frame_ms: float,
    tier_name: str = FINGERSPELLING_TIER,
) -> Document:
    """A validated document: ``tier_name`` with the word over ``start_ms``-``end_ms`` and its Included_In child
    tier of letters, each lasting from its first held frame to the end of its last (``frame_ms`` a frame), cut to
    the window. Annotations name the ``alphabet``; letters carry their mean probability. No letters: no word."""
    letters = []
    for number, letter in enumerate(spelled.letters, start=2):
        start, end = max(start_ms, letter.start_ms), min(end_ms, round(letter.end_ms + frame_ms))
        if start < end:
            letters.append(
                Annotation(
                    id=f"a{number}",
                    value=letter.letter,
                    start_ms=start,
                    end_ms=end,
                    attributes={"alphabet": alphabet, "confidence": round(letter.probability, 4)},
                )
            )
    word = (
        [
            Annotation(
                id="a1",
                value="".join(a.value for a in letters),
                start_ms=start_ms,
                end_ms=end_ms,
                attributes={"alphabet": alphabet, "hand": hand},
            )
        ]
        if letters
        else []
    )
    doc = Document(
        tier_types=[TierType(WORD_TYPE, Constraint.NONE), TierType(LETTER_TYPE, Constraint.INCLUDED_IN)],
        tiers=[
            Tier(id=tier_name, type=WORD_TYPE, annotator=ANNOTATOR, annotations=word),
            Tier(
                id=tier_name + LETTERS_SUFFIX,
                type=LETTER_TYPE,
                parent=tier_name,
                annotator=ANNOTATOR,
                annotations=letters,
            ),
        ],
        author=ANNOTATOR,
    )
    doc.validate()
    return doc
