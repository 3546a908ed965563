"""What an annotator corrected: the sign and phrase tiers of a document that hold work done by hand.

The engine marks what it writes (``attributes.source``, version 1: :func:`kslars.proposals.is_prediction`). A
tier counts as corrected when some of its annotations are not such untouched predictions: predictions the
annotator moved, resized or relabelled, and annotations made by hand (a tier made by hand holds nothing else).
The stretch from the first to the last annotation made or changed by hand, over both tiers, is taken as reviewed:
inside it every annotation of a corrected tier is the truth to learn from, untouched predictions included (they
were left as they were). Deleted predictions leave no trace in the document; that they are gone from the reviewed
stretch is what is learnt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kslars.document import Annotation, Document, Tier
from kslars.engine.annotation_tiers import PHRASES_TIER, SIGNS_TIER
from kslars.proposals import is_prediction

Span = tuple[int, int]


@dataclass(frozen=True)
class Corrections:
    """The corrected tiers (None: not corrected) and the reviewed stretch (start_ms, end_ms)."""

    signs_tier: str | None
    phrases_tier: str | None
    signs: list[Span] | None
    phrases: list[Span] | None
    window: Span


def find_corrections(
    doc: Document, roles: dict[str, str] | None = None, signs_tier: str | None = None, phrases_tier: str | None = None
) -> Corrections:
    """The corrected sign and phrase tiers of ``doc``: the tiers named ``signs_tier`` / ``phrases_tier``, else
    among the tiers playing the engine's "Signs" / "Signing segments" role (``roles``: tier name -> role) or
    named so (or a version of it, "Signs (2)"), the one with the most annotations made or changed by hand.
    ValueError when neither tier holds any."""
    roles = roles or {}
    chosen = {
        "signs": role_tier(doc, roles, SIGNS_TIER, signs_tier),
        "phrases": role_tier(doc, roles, PHRASES_TIER, phrases_tier),
    }
    edited = {
        key: [a for a in tier.annotations if _timed(a) and not is_prediction(a)] if tier else []
        for key, tier in chosen.items()
    }
    corrected = {key: chosen[key] if edited[key] else None for key in chosen}
    if not any(corrected.values()):
        raise ValueError(
            "There are no corrections to learn from yet: correct the automatic signs or signing segments "
            "(move, resize, add or relabel them), or annotate them by hand, then try again."
        )
    by_hand = [span for key in edited for a in edited[key] if (span := _timed(a)) is not None]
    window = (min(start for start, _ in by_hand), max(end for _, end in by_hand))

    def spans(tier: Tier | None) -> list[Span] | None:
        if tier is None:
            return None
        return sorted(span for a in tier.annotations if (span := _timed(a)) is not None)

    return Corrections(
        signs_tier=corrected["signs"].id if corrected["signs"] else None,
        phrases_tier=corrected["phrases"].id if corrected["phrases"] else None,
        signs=spans(corrected["signs"]),
        phrases=spans(corrected["phrases"]),
        window=window,
    )


def _timed(a: Annotation) -> Span | None:
    """``a``'s (start_ms, end_ms) when it has both times and lasts, else None."""
    return (a.start_ms, a.end_ms) if a.start_ms is not None and a.end_ms is not None and a.end_ms > a.start_ms else None


def role_tier(doc: Document, roles: dict[str, str], role: str, name: str | None) -> Tier | None:
    """The tier named ``name`` (ValueError when missing), else the candidate for ``role`` with most hand work."""
    if name:
        if not doc.has_tier(name):
            raise ValueError(f"The project has no tier {name!r}.")
        return doc.tier(name)
    version = re.compile(re.escape(role) + r"( \(\d+\))?")
    candidates = [
        t
        for t in doc.tiers
        if t.parent is None and (roles.get(t.id) == role or (t.id not in roles and version.fullmatch(t.id)))
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda t: sum(1 for a in t.annotations if _timed(a) and not is_prediction(a)))
