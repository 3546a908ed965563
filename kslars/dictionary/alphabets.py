"""Manual alphabets: the letters of each fingerspelling alphabet and which of them move.

``ru`` is the Russian dactyl used in Kazakh-Russian Sign Language (33 letters), ``kk`` the Kazakh dactyl (the
Russian letters plus Ә Ғ Қ Ң Ө Ұ Ү Һ І, 42), ``asl`` the American manual alphabet (26).

A *moving* letter is signed with a movement: a still picture cannot show it. Where a moving letter has the
handshape of a static one (Й is И with a movement), the static letter is its *twin*: in a single picture the
twin is read and the moving letter ranks right behind it; in a video the movement decides between them.
Moving letters without a twin (З, ASL Z) trace a shape with their own handshape and are read by that shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RUSSIAN_LETTERS = tuple("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
KAZAKH_EXTRA = tuple("ӘҒҚҢӨҰҮҺІ")
KAZAKH_LETTERS = tuple("АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ")
ASL_LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True)
class Alphabet:
    """One manual alphabet: its letters in order, its moving letters and their static twins."""

    code: str
    name: str
    letters: tuple[str, ...]
    moving: frozenset[str]
    twins: dict[str, str] = field(default_factory=dict)  # moving letter -> static letter of the same handshape

    def twin_of(self, letter: str) -> str | None:
        """The moving letter whose handshape is ``letter``'s, or None."""
        return next((moving for moving, static in self.twins.items() if static == letter), None)


# Moving letters of the Russian dactyl: Ё (Е shaken), Й (И with a turn), Щ (Ш moved down), Ъ (moved; the
# Kazakh photos show it with its own handshape, not Ь's), З, which draws the letter's shape with the index
# finger, and Д, which the lexicon's signer moves (12 palm lengths a second, more than any static letter).
_CYRILLIC_TWINS = {"Ё": "Е", "Й": "И", "Щ": "Ш"}
_CYRILLIC_MOVING = frozenset({*_CYRILLIC_TWINS, "Ъ", "З", "Д"})

ALPHABETS: dict[str, Alphabet] = {
    "ru": Alphabet("ru", "Russian dactyl (KRSL)", RUSSIAN_LETTERS, _CYRILLIC_MOVING, _CYRILLIC_TWINS),
    "kk": Alphabet("kk", "Kazakh dactyl", KAZAKH_LETTERS, _CYRILLIC_MOVING, _CYRILLIC_TWINS),
    "asl": Alphabet("asl", "American manual alphabet", ASL_LETTERS, frozenset({"J", "Z"}), {"J": "I"}),
}


def get_alphabet(code: str | None) -> Alphabet:
    """The alphabet named ``code`` (``ru``, ``kk`` or ``asl``); ValueError naming the known ones otherwise."""
    alphabet = ALPHABETS.get(code) if code is not None else None
    if alphabet is None:
        raise ValueError(f"unknown alphabet {code!r}; choose one of {', '.join(ALPHABETS)}")
    return alphabet
