"""Learning a project's handshapes from its corrected handshape tiers: the labelled examples, and a project model
measured against the shipped classifier on examples it did not learn from.

An annotation of the right or left handshape tier counts as a correction when it is not an untouched prediction
(``kslars.proposals.is_prediction``: made by hand, or a prediction relabelled, moved or resized) and has a value.
Its hand is taken at the frame nearest its middle where that hand was seen (as automatic annotation takes it,
:func:`kslars.engine.pipeline.hand_samples`). Its value is the label: a HamNoSys class name of the palette or a
project label of a controlled vocabulary. Per label, the last fifth of the examples in time (at least one) is
kept back; the project model (:func:`kslars.engine.handshape.fewshot.train_custom`) learns from the rest, and it
and the shipped classifier are scored on the kept-back examples (top-1 accuracy). The model kept then learns from
all the examples, the kept-back ones too: with a few examples each, every one counts. It carries the name of
the labels' controlled vocabulary, so that the tiers automatic annotation writes take the project's vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kslars.document import Document
from kslars.engine.annotation_tiers import HANDSHAPE_TIERS
from kslars.engine.handshape import HandshapeClassifier
from kslars.engine.handshape.features import canonical
from kslars.engine.segmentation.corrections import role_tier
from kslars.proposals import is_prediction
from kslars.vision.pose_file import Landmarks

MIN_PER_LABEL = 3  # examples a label needs to be learnt (one is kept back to measure on)
MIN_LABELS = 2
HELD_BACK = 0.2  # the share of each label's examples (the last in time, at least one) kept back


@dataclass(frozen=True)
class HandshapeCorrection:
    """One annotation of a corrected handshape tier: which hand, when, and the label given to it."""

    hand: str  # "right" or "left"
    start_ms: int
    end_ms: int
    label: str
    vocabulary: str | None = None  # the controlled vocabulary of its tier's type


@dataclass
class HandshapeLearning:
    """The outcome: ``checkpoint`` (None when skipped, with the reason in ``skipped``) and the ``report``."""

    checkpoint: dict[str, Any] | None
    report: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None

    def better(self) -> bool:
        """Whether the project model beat the shipped classifier on the kept-back examples."""
        scores = self.report.get("scores")
        if not scores:
            return False
        return scores["project"]["accuracy"] > scores["default"]["accuracy"]


def find_handshape_corrections(doc: Document, roles: dict[str, str] | None = None) -> list[HandshapeCorrection]:
    """The labelled handshapes made or changed by hand on ``doc``'s right and left handshape tiers (for each hand,
    the tier playing that role, or named so, with the most hand work), in time order."""
    found = []
    for hand, role in HANDSHAPE_TIERS.items():
        tier = role_tier(doc, roles or {}, role, None)
        if tier is None:
            continue
        vocabulary = next((t.vocabulary for t in doc.tier_types if t.id == tier.type), None)
        for a in tier.annotations:
            if a.start_ms is None or a.end_ms is None or a.end_ms <= a.start_ms or is_prediction(a):
                continue
            if a.value.strip():
                found.append(HandshapeCorrection(hand, a.start_ms, a.end_ms, a.value.strip(), vocabulary))
    return sorted(found, key=lambda c: (c.start_ms, c.hand))


def too_few(corrections: list[HandshapeCorrection]) -> str | None:
    """Why ``corrections`` are too few to learn from (fewer than MIN_LABELS labels with MIN_PER_LABEL examples
    each), or None when they are enough."""
    counts = _counts(corrections)
    if sum(n >= MIN_PER_LABEL for n in counts.values()) >= MIN_LABELS:
        return None
    found = f" (found {', '.join(f'{k}: {v}' for k, v in counts.items())})" if counts else ""
    return (
        f"too few corrected handshapes to learn from: at least {MIN_PER_LABEL} examples each of {MIN_LABELS} "
        f"labels are needed{found}"
    )


def _counts(corrections: list[HandshapeCorrection]) -> dict[str, int]:
    """How many examples each label has, by label."""
    return {label: sum(c.label == label for c in corrections) for label in sorted({c.label for c in corrections})}


def correction_hands(
    landmarks: Landmarks, corrections: list[HandshapeCorrection]
) -> tuple[list[HandshapeCorrection], np.ndarray]:
    """The corrections whose hand was seen, and their hands (N, 21, 3) normalised to the frame."""
    from kslars.engine.pipeline import hand_samples

    kept, hands = [], []
    for c in corrections:
        sample = hand_samples(landmarks, [(c.start_ms, c.end_ms)], c.hand)
        if sample:
            kept.append(c)
            hands.append(sample[0][2])
    return kept, np.array(hands, dtype=np.float64).reshape(len(hands), 21, 3)


def learn_handshapes(
    corrections: list[HandshapeCorrection], hands: np.ndarray, aspect: float, base: HandshapeClassifier
) -> HandshapeLearning:
    """Learn the labels of ``corrections`` (with their ``hands`` as :func:`correction_hands` gives them, from a
    video of width / height ``aspect``) and score the result beside ``base`` on the kept-back examples; skipped
    with a reason when fewer than MIN_LABELS labels have MIN_PER_LABEL examples each."""
    from kslars.engine.handshape.fewshot import train_custom

    counts = _counts(corrections)
    labels = sorted(label for label, n in counts.items() if n >= MIN_PER_LABEL)
    report: dict[str, Any] = {
        "examples": {label: counts[label] for label in labels},
        "too_few": {label: n for label, n in counts.items() if n < MIN_PER_LABEL},
    }
    if (reason := too_few(corrections)) is not None:
        return HandshapeLearning(None, report, reason)
    chosen = [i for i, c in enumerate(corrections) if c.label in labels]
    held = set()
    for label in labels:
        of_label = [i for i in chosen if corrections[i].label == label]  # in time order
        held.update(of_label[len(of_label) - max(1, round(len(of_label) * HELD_BACK)) :])
    learn = [i for i in chosen if i not in held]
    test = [i for i in chosen if i in held]
    is_left = np.array([c.hand == "left" for c in corrections])
    flat = canonical(hands, is_left, aspect)  # right hands on one scale: how train_custom reads them

    def accuracy(classifier: HandshapeClassifier) -> float:
        predictions = classifier.predict(hands[test], is_left[test], aspect, top=1)
        right = sum(p.top[0][0] == corrections[i].label for p, i in zip(predictions, test, strict=True))
        return round(right / len(test), 4)

    measured = HandshapeClassifier(train_custom([corrections[i].label for i in learn], flat[learn], base))
    report["held_back"] = len(test)
    report["scores"] = {"default": {"accuracy": accuracy(base)}, "project": {"accuracy": accuracy(measured)}}
    checkpoint = train_custom([corrections[i].label for i in chosen], flat[chosen], base)
    vocabularies = [corrections[i].vocabulary for i in chosen if corrections[i].vocabulary]
    if vocabularies:
        checkpoint["vocabulary"] = max(set(vocabularies), key=vocabularies.count)
    return HandshapeLearning(checkpoint, report)
