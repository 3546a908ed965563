"""Recognised glosses as an annotation document: one gloss tier over a window of a video's landmarks, with
times on the video's clock, ready for the web tool to add to a project the way it adds the engine's tiers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kslars.document import Annotation, Constraint, Document, Tier, TierType

if TYPE_CHECKING:  # torch and the engine are imported when glosses are recognised, not with the tier's name
    from kslars.recognition.checkpoint import RecognisedGloss, Recognizer
    from kslars.vision.pose_file import Landmarks

GLOSS_TIER = "Glosses (recognised)"
GLOSS_TYPE = "gloss"  # the type of the KRSL starting document's Gloss tier (kslars.krsl)
ANNOTATOR = "K-SLARS recognition"


def recognise_window(
    recognizer: Recognizer, landmarks: Landmarks, start_ms: int | None = None, end_ms: int | None = None
) -> list[RecognisedGloss]:
    """The glosses signed between ``start_ms`` and ``end_ms`` (None: the start or end of the landmarks), with
    times in milliseconds of the video, each inside the window and inside the landmarks' time."""
    from kslars.engine.pipeline import landmarks_window
    from kslars.engine.segmentation.features import skeleton_from_landmarks
    from kslars.recognition.checkpoint import RecognisedGloss

    first, window = landmarks_window(landmarks, start_ms, end_ms)
    offset = round(first * 1000 / landmarks.fps)
    low = start_ms or 0
    high = min(end_ms if end_ms is not None else landmarks.duration_ms, landmarks.duration_ms)
    found = []
    for gloss in recognizer.recognize(skeleton_from_landmarks(window)):
        start, end = max(low, gloss.start_ms + offset), min(high, gloss.end_ms + offset)
        if start < end:
            found.append(RecognisedGloss(gloss.gloss, start, end))
    return found


def gloss_document(glosses: list[RecognisedGloss], checkpoint: str, tier_name: str = GLOSS_TIER) -> Document:
    """A validated document with one unconstrained gloss tier holding ``glosses``, each annotation naming the
    ``checkpoint`` that recognised it (``attributes["checkpoint"]``)."""
    tier = Tier(
        id=tier_name,
        type=GLOSS_TYPE,
        annotator=ANNOTATOR,
        annotations=[
            Annotation(
                id=f"a{i}", value=g.gloss, start_ms=g.start_ms, end_ms=g.end_ms, attributes={"checkpoint": checkpoint}
            )
            for i, g in enumerate(glosses, start=1)
        ],
    )
    doc = Document(tier_types=[TierType(GLOSS_TYPE, Constraint.NONE)], tiers=[tier], author=ANNOTATOR)
    doc.validate()
    return doc
