"""The tiers, tier types and vocabularies of an automatically annotated document.

Tier names are fixed so that users, the web tool and exported .eaf files always find the engine's
output in the same place.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from kslars.document import (
    Annotation,
    Constraint,
    Document,
    Language,
    LocalizedValue,
    MediaDescriptor,
    Tier,
    TierType,
    Vocabulary,
    VocabularyEntry,
)
from kslars.hamnosys import FINGER_DIRECTIONS, PALM_DIRECTIONS, handshape_vocabulary

PHRASES_TIER = "Signing segments"
SIGNS_TIER = "Signs"
HANDSHAPE_TIERS = {"right": "Right handshape", "left": "Left handshape"}
PALM_TIERS = {"right": "Right palm orientation", "left": "Left palm orientation"}
FINGER_TIERS = {"right": "Right finger direction", "left": "Left finger direction"}
NONMANUAL_TIERS = ("Eyebrows", "Head", "Mouth")

SEGMENT_TYPE = "Automatic segments"
HANDSHAPE_TYPE = "Handshape"
PROJECT_HANDSHAPE_TYPE = "Project handshape"  # handshape tiers holding a project model's own labels
PROJECT_HANDSHAPE_VOCABULARY = "Project handshapes"  # their vocabulary when the model names none
PALM_TYPE = "Palm orientation"
FINGER_TYPE = "Finger direction"
PALM_VOCABULARY = "HamNoSys palm orientations"
FINGER_VOCABULARY = "HamNoSys finger directions"
# each non-manual tier has its own tier type and vocabulary, so that a tier offers only its own values
NONMANUAL_TYPES = {"Eyebrows": "Eyebrow action", "Head": "Head movement", "Mouth": "Mouth action"}
NONMANUAL_VOCABULARIES = {"Eyebrows": "Eyebrow actions", "Head": "Head movements", "Mouth": "Mouth actions"}
# (tier, value, description) of every non-manual signal the engine proposes
NONMANUAL_SIGNALS = (
    ("Eyebrows", "raised", "eyebrows raised above the signer's neutral level"),
    ("Eyebrows", "furrowed", "inner eyebrows lowered and drawn together"),
    ("Head", "nod", "head moved down and up repeatedly (pitch oscillation)"),
    ("Head", "shake", "head turned from side to side repeatedly (yaw oscillation)"),
    ("Head", "tilt", "head tilted towards a shoulder (roll away from neutral)"),
    ("Mouth", "open", "lips apart: a mouthing or mouth gesture"),
)
ANNOTATOR = "K-SLARS engine"


def _direction_vocabulary(vocabulary_id: str, prefix: str, symbols: dict[str, str], description: str) -> Vocabulary:
    return Vocabulary(
        id=vocabulary_id,
        descriptions=[LocalizedValue(value=description, lang="eng")],
        entries=[
            VocabularyEntry(
                id=f"{prefix}_{name}", values=[LocalizedValue(value=name, lang="eng")], attributes={"symbols": symbol}
            )
            for name, symbol in symbols.items()
        ],
    )


def new_document(video_path: str | Path) -> Document:
    """An empty document for ``video_path`` with the engine's tier types and vocabularies."""
    path = Path(video_path)
    mime = mimetypes.guess_type(path.name)[0] or "video/mp4"
    return Document(
        media=[MediaDescriptor(url=path.resolve().as_uri(), mime_type=mime, relative_url=f"./{path.name}")],
        tier_types=[
            TierType(SEGMENT_TYPE, Constraint.NONE),
            TierType(HANDSHAPE_TYPE, Constraint.NONE, vocabulary=handshape_vocabulary().id),
            TierType(PALM_TYPE, Constraint.NONE, vocabulary=PALM_VOCABULARY),
            TierType(FINGER_TYPE, Constraint.NONE, vocabulary=FINGER_VOCABULARY),
        ],
        vocabularies=[
            handshape_vocabulary(),
            _direction_vocabulary(PALM_VOCABULARY, "palm", PALM_DIRECTIONS, "HamNoSys palm orientation"),
            _direction_vocabulary(FINGER_VOCABULARY, "finger", FINGER_DIRECTIONS, "HamNoSys extended finger direction"),
        ],
        languages=[Language(id="eng", def_url="http://cdb.iso.org/lg/CDB-00138502-001", label="English (eng)")],
        author=ANNOTATOR,
    )


def add_nonmanual_types(doc: Document) -> None:
    """Add the tier types and vocabularies of the non-manual tiers to ``doc`` (asked for separately, so that a
    document without them keeps exactly the engine's other types)."""
    for tier_id in NONMANUAL_TIERS:
        vocabulary = NONMANUAL_VOCABULARIES[tier_id]
        doc.tier_types.append(TierType(NONMANUAL_TYPES[tier_id], Constraint.NONE, vocabulary=vocabulary))
        doc.vocabularies.append(
            Vocabulary(
                id=vocabulary,
                descriptions=[LocalizedValue(value=f"Non-manual signals: {vocabulary.lower()}", lang="eng")],
                entries=[
                    VocabularyEntry(
                        id=f"nm_{tier.lower()}_{value}",
                        values=[LocalizedValue(value=value, lang="eng", description=description)],
                    )
                    for tier, value, description in NONMANUAL_SIGNALS
                    if tier == tier_id
                ],
            )
        )


def handshape_type(doc: Document, labels: list[str], vocabulary: str | None = None) -> str:
    """The tier type of handshape tiers whose values are ``labels``: the engine's (HamNoSys) one when they are
    all HamNoSys class names, else PROJECT_HANDSHAPE_TYPE, added to ``doc`` with a vocabulary of the labels named
    ``vocabulary`` (the project's own, so that its tiers take them) or PROJECT_HANDSHAPE_VOCABULARY."""
    hamnosys = doc.vocabulary(handshape_vocabulary().id)
    if all(hamnosys.entry_by_value(label) for label in labels):
        return HANDSHAPE_TYPE
    name = vocabulary or PROJECT_HANDSHAPE_VOCABULARY
    entries = [
        VocabularyEntry(id=f"project_hs_{i}", values=[LocalizedValue(value=label, lang="eng")])
        for i, label in enumerate(labels, start=1)
    ]
    doc.vocabularies.append(Vocabulary(id=name, entries=entries))
    doc.tier_types.append(TierType(PROJECT_HANDSHAPE_TYPE, Constraint.NONE, vocabulary=name))
    return PROJECT_HANDSHAPE_TYPE


def add_tier(doc: Document, tier_id: str, tier_type: str) -> Tier:
    """Append an empty tier made by the engine."""
    tier = Tier(id=tier_id, type=tier_type, annotator=ANNOTATOR)
    doc.tiers.append(tier)
    return tier


def add_annotation(
    doc: Document,
    tier: Tier,
    start_ms: int,
    end_ms: int,
    value: str,
    attributes: dict[str, Any],
    vocabulary_id: str | None = None,
) -> Annotation:
    """Append a time-aligned annotation; ``value`` is linked to its entry of ``vocabulary_id`` when it has one."""
    entry = doc.vocabulary(vocabulary_id).entry_by_value(value) if vocabulary_id else None
    annotation = Annotation(
        id=f"a{sum(len(t.annotations) for t in doc.tiers) + 1}",
        value=value,
        start_ms=start_ms,
        end_ms=end_ms,
        cv_entry=entry.id if entry else None,
        attributes=attributes,
    )
    tier.annotations.append(annotation)
    return annotation
