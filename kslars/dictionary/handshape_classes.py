"""HamNoSys handshapes as classes of the K-SLARS inventory (kslars.hamnosys), as the classifier predicts them.

A written handshape is a base form followed by modifiers. Its class is the base form plus its first thumb
modifier plus its first bending modifier, named as :class:`kslars.hamnosys.Handshape` names them
(``hamfinger2 hamthumboutmod`` -> ``finger2_thumbout``). The inventory has a class only for the common
combinations; for another one the nearest class is taken: without the bending, else without the thumb, else
the base form alone. Finger specifications (``hamthumb``, ``hampinky``) and the second form of an
intermediate handshape (after ``hambetween``) do not change the class.
"""

from __future__ import annotations

from kslars.dictionary.symbols import SYMBOL_OF
from kslars.hamnosys import BASE_FORMS, BENDING_MODIFIERS, HANDSHAPES, THUMB_MODIFIERS, Handshape

CLASS_NAMES: tuple[str, ...] = tuple(h.name for h in HANDSHAPES)
_CLASSES = set(CLASS_NAMES)
_BASE_OF = {symbol: name for name, symbol in BASE_FORMS.items()}
_THUMB_OF = {symbol: name for name, symbol in THUMB_MODIFIERS.items()}
_BENDING_OF = {symbol: name for name, symbol in BENDING_MODIFIERS.items()}
_BETWEEN = SYMBOL_OF["hambetween"]


def handshape_class(segment: str) -> str | None:
    """The inventory class of a written handshape (HamNoSys string), or None when it has no base form."""
    segment = segment.split(_BETWEEN, 1)[0]
    base = next((_BASE_OF[c] for c in segment if c in _BASE_OF), None)
    if base is None:
        return None
    thumb = next((_THUMB_OF[c] for c in segment if c in _THUMB_OF), None)
    bending = next((_BENDING_OF[c] for c in segment if c in _BENDING_OF), None)
    for candidate in (Handshape(base, thumb, bending), Handshape(base, thumb), Handshape(base, None, bending)):
        if candidate.name in _CLASSES:
            return candidate.name
    return base


def handshape_from_query(query: str) -> str:
    """The class a user names: a class name (``finger2_thumbout``) or HamNoSys symbol names joined by commas
    (``hamfinger2,hamthumboutmod``); ValueError naming the unknown part otherwise."""
    query = query.strip()
    if query in _CLASSES:
        return query
    names = [name.strip() for name in query.split(",") if name.strip()]
    unknown = [name for name in names if name not in SYMBOL_OF]
    if unknown or not names:
        raise ValueError(
            f"unknown handshape {query!r}: give a HamNoSys symbol name such as hamflathand (modifiers after a comma: "
            f"hamfinger2,hamthumboutmod) or a class name such as finger2_thumbout"
        )
    segment = "".join(SYMBOL_OF[name] for name in names)
    found = handshape_class(segment)
    if found is None:
        raise ValueError(f"{query!r} has no handshape base form (hamfist, hamflathand, hamfinger2, ...)")
    return found
