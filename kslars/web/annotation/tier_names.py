"""Default and automatic tiers in the project's language, and the role that finds them again whatever their name.

A project made in Russian or Kazakh names its default tiers (Translation, Gloss, Right/Left handshape) and the tiers
automatic annotation adds (Signs, Right palm orientation, ...) in that language. Each such tier keeps the English name
of the part it plays in ``Tier.extra["role"]``, so the engine, whose tiers are always named in English, finds
"Конфигурация правой руки" as its "Right handshape" tier, even after a rename. Projects made before roles were kept
have none: their tiers are found by their (English) names, as before.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kslars.document import Document

ROLE = "role"  # the key in Tier.extra

# English name (kslars.krsl and kslars.engine.annotation_tiers) -> its translation
NAMES = {
    "Translation": _("Translation"),
    "Gloss": _("Gloss"),
    "Right handshape": _("Right handshape"),
    "Left handshape": _("Left handshape"),
    "Signing segments": _("Signing segments"),
    "Signs": _("Signs"),
    "Right palm orientation": _("Right palm orientation"),
    "Left palm orientation": _("Left palm orientation"),
    "Right finger direction": _("Right finger direction"),
    "Left finger direction": _("Left finger direction"),
    "Eyebrows": _("Eyebrows"),
    "Head": _("Head"),
    "Mouth": _("Mouth"),
}
# the default KRSL tier types' names (kslars.krsl), shown in tooltips and dialogs
TYPE_NAMES = {"translation": _("translation"), "gloss": _("gloss"), "handshape": _("handshape")}


def localised(name: str, language: str, names: dict = NAMES) -> str:
    """``name`` in ``language`` when it is a default or automatic tier's English name; any other name as it is."""
    if name not in names or language in ("", "en"):
        return name
    with translation.override(language):
        return str(names[name])


def localise_defaults(document: Document, language: str) -> dict[str, str]:
    """Name the tiers and tier types of the default ``document`` in ``language``, in place; each tier's new name ->
    its role (English name)."""
    types = {t.id: localised(t.id, language, TYPE_NAMES) for t in document.tier_types}
    for tier_type in document.tier_types:
        tier_type.id = types[tier_type.id]
    roles = {}
    for tier in document.tiers:
        tier.type = types.get(tier.type, tier.type)
        english, tier.id = tier.id, localised(tier.id, language)
        roles[tier.id] = english
    return roles
