"""The KRSL starting point for a new project: default tier types, the handshape vocabulary and tiers."""

from __future__ import annotations

from kslars.document import Constraint, Document, Language, MediaDescriptor, Tier, TierType
from kslars.hamnosys import HANDSHAPE_VOCABULARY_ID, handshape_vocabulary

DEFAULT_TIERS: tuple[tuple[str, str], ...] = (
    ("Translation", "translation"),
    ("Gloss", "gloss"),
    ("Right handshape", "handshape"),
    ("Left handshape", "handshape"),
)


def default_document(media: list[MediaDescriptor] | None = None) -> Document:
    """A new KRSL document: Translation, Gloss, Right/Left handshape tiers and their types."""
    return Document(
        media=list(media or []),
        languages=[
            Language(id="rus", label="Russian"),
            Language(id="kaz", label="Kazakh"),
            Language(id="eng", label="English"),
        ],
        tier_types=[
            TierType(id="translation", constraint=Constraint.NONE),
            TierType(id="gloss", constraint=Constraint.NONE),
            TierType(id="handshape", constraint=Constraint.NONE, vocabulary=HANDSHAPE_VOCABULARY_ID),
        ],
        vocabularies=[handshape_vocabulary()],
        tiers=[Tier(id=name, type=type_id) for name, type_id in DEFAULT_TIERS],
    )
