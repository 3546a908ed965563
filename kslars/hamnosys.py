"""The HamNoSys inventory K-SLARS uses: handshapes (base form, thumb, bending), palm and finger directions.

HamNoSys 4 symbols live in the Unicode Private Use Area (U+E000...). A handshape *class* is a base form
plus an optional thumb modifier plus an optional finger-bending modifier; its name joins the HamNoSys
symbol names with ``_`` (``finger2_thumbout``), and its ``symbols`` are the matching code points.
"""

from __future__ import annotations

from dataclasses import dataclass

from kslars.document import LocalizedValue, Vocabulary, VocabularyEntry

# The 12 HamNoSys base forms, in HamNoSys order, with their code points.
BASE_FORMS: dict[str, str] = {
    "fist": "\ue000",
    "flathand": "\ue001",
    "finger2": "\ue002",
    "finger23": "\ue003",
    "finger23spread": "\ue004",
    "finger2345": "\ue005",
    "pinch12": "\ue006",
    "pinchall": "\ue007",
    "pinch12open": "\ue008",
    "cee12": "\ue009",
    "ceeall": "\ue00a",
    "ceeopen": "\ue00b",
}

THUMB_MODIFIERS: dict[str, str] = {
    "thumbout": "\ue00c",
    "thumbacross": "\ue00d",
    "thumbopen": "\ue00e",
}

BENDING_MODIFIERS: dict[str, str] = {
    "bent": "\ue011",  # hamfingerbendmod: bent at the base joint
    "hooked": "\ue012",  # hamfingerhookmod: bent at the two distal joints
    "doublebent": "\ue013",
    "doublehooked": "\ue014",
}

# Palette categories, in display order, and the base forms in each.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "fist": ("fist",),
    "one finger": ("finger2",),
    "two fingers": ("finger23",),
    "two fingers spread": ("finger23spread",),
    "four fingers / flat hand": ("flathand", "finger2345"),
    "pinch": ("pinch12", "pinchall", "pinch12open"),
    "cee": ("cee12", "ceeall", "ceeopen"),
}

# Which modifier combinations form a class of its own, per base form: (thumb, bending) pairs.
_VARIANTS: dict[str, tuple[tuple[str | None, str | None], ...]] = {
    "fist": ((None, None), ("thumbout", None), ("thumbacross", None)),
    "flathand": ((None, None), ("thumbout", None), ("thumbacross", None), (None, "bent")),
    "finger2": ((None, None), ("thumbout", None), ("thumbacross", None), (None, "bent"), (None, "hooked")),
    "finger23": ((None, None), ("thumbout", None), ("thumbacross", None), (None, "bent"), (None, "hooked")),
    "finger23spread": ((None, None), ("thumbout", None), ("thumbacross", None), (None, "bent"), (None, "hooked")),
    "finger2345": ((None, None), ("thumbout", None), (None, "bent"), (None, "hooked")),
    "pinch12": ((None, None),),
    "pinchall": ((None, None),),
    "pinch12open": ((None, None),),
    "cee12": ((None, None), ("thumbopen", None)),
    "ceeall": ((None, None),),
    "ceeopen": ((None, None),),
}


@dataclass(frozen=True)
class Handshape:
    """One handshape class: a base form with optional thumb and bending modifiers."""

    base_form: str
    thumb: str | None = None
    bending: str | None = None

    @property
    def name(self) -> str:
        """The class name, e.g. ``finger2_thumbout``."""
        return "_".join(p for p in (self.base_form, self.thumb, self.bending) if p)

    @property
    def symbols(self) -> str:
        """The HamNoSys code points of the class, base form first."""
        return (
            BASE_FORMS[self.base_form]
            + (THUMB_MODIFIERS[self.thumb] if self.thumb else "")
            + (BENDING_MODIFIERS[self.bending] if self.bending else "")
        )

    @property
    def category(self) -> str:
        """The palette category of the base form."""
        return next(c for c, forms in CATEGORIES.items() if self.base_form in forms)


HANDSHAPES: tuple[Handshape, ...] = tuple(
    Handshape(base, thumb, bending) for base, variants in _VARIANTS.items() for thumb, bending in variants
)


def handshape(name: str) -> Handshape:
    """The handshape class called ``name``; KeyError if it is not in the inventory."""
    for h in HANDSHAPES:
        if h.name == name:
            return h
    raise KeyError(f"unknown handshape class {name!r}")


# HamNoSys palm orientations (8) and extended-finger directions (18), with their code points.
PALM_DIRECTIONS: dict[str, str] = {
    "u": "\ue038", "ur": "\ue039", "r": "\ue03a", "dr": "\ue03b",
    "d": "\ue03c", "dl": "\ue03d", "l": "\ue03e", "ul": "\ue03f",
}  # fmt: skip

FINGER_DIRECTIONS: dict[str, str] = {
    "u": "\ue020", "ur": "\ue021", "r": "\ue022", "dr": "\ue023", "d": "\ue024", "dl": "\ue025",
    "l": "\ue026", "ul": "\ue027", "ol": "\ue028", "o": "\ue029", "or": "\ue02a", "il": "\ue02b",
    "i": "\ue02c", "ir": "\ue02d", "ui": "\ue02e", "di": "\ue02f", "do": "\ue030", "uo": "\ue031",
}  # fmt: skip

HANDSHAPE_VOCABULARY_ID = "HamNoSys handshapes"


def handshape_vocabulary() -> Vocabulary:
    """The handshape inventory as a controlled vocabulary: value = class name, with symbols and category."""
    return Vocabulary(
        id=HANDSHAPE_VOCABULARY_ID,
        descriptions=[LocalizedValue(value="HamNoSys handshapes: base form, thumb and bending", lang="eng")],
        entries=[
            VocabularyEntry(
                id=f"hs_{h.name}",
                values=[LocalizedValue(value=h.name, lang="eng", description=h.category)],
                attributes={
                    "symbols": h.symbols,
                    "base_form": h.base_form,
                    "thumb": h.thumb,
                    "bending": h.bending,
                    "category": h.category,
                },
            )
            for h in HANDSHAPES
        ],
    )
