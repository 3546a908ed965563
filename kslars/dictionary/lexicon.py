"""The lexicon: signs with gloss, translations and HamNoSys, stored in one JSON file (docs/dictionary.md).

    {"format": "kslars-dictionary", "version": 1, "signs": [{"id": ..., "gloss": ..., "translations": {"ru": ...},
     "hamnosys": "<Unicode HamNoSys>", "source": ..., "video": ..., "pose": ...}, ...]}

Only what people write is stored; the handshapes, orientation, location and movement of each sign are parsed
from its HamNoSys when the file is loaded (about 20 microseconds a sign) into :class:`SignForm` and a numpy
index for search, so the file can never disagree with itself. Saving writes a temporary file beside the
target and renames it over the target, so a reader sees the old or the new dictionary, never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from kslars.dictionary.hamnosys_parser import HamNoSysError, ParsedSign, parse_hamnosys
from kslars.dictionary.handshape_classes import CLASS_NAMES, handshape_class
from kslars.hamnosys import FINGER_DIRECTIONS, PALM_DIRECTIONS

FORMAT_NAME = "kslars-dictionary"
FORMAT_VERSION = 1
LANGUAGES = ("ru", "kk", "en")
_FINGER_OF = {symbol: name for name, symbol in FINGER_DIRECTIONS.items()}
_PALM_OF = {symbol: name for name, symbol in PALM_DIRECTIONS.items()}


class LexiconError(ValueError):
    """A dictionary file or a sign that cannot be used: what is wrong and where."""


@dataclass
class Sign:
    """One sign as stored: gloss, translations by language (ru, kk, en), HamNoSys, where it comes from."""

    id: str
    gloss: str
    hamnosys: str
    translations: dict[str, str] = field(default_factory=dict)
    source: str = ""
    video: str | None = None
    pose: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The sign as stored in the dictionary file."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Sign:
        """A sign from its stored form; LexiconError naming ``where`` when a field is missing or of the wrong type."""
        if not isinstance(data, dict):
            raise LexiconError(f"{where}: a sign must be a JSON object")
        for key in ("id", "gloss", "hamnosys"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise LexiconError(f"{where}: {key!r} must be a non-empty string")
        translations = data.get("translations") or {}
        if not isinstance(translations, dict) or not all(isinstance(v, str) for v in translations.values()):
            raise LexiconError(f"{where}: 'translations' must map languages to strings")
        return cls(
            id=data["id"], gloss=data["gloss"], hamnosys=data["hamnosys"], translations=dict(translations),
            source=str(data.get("source") or ""), video=data.get("video"), pose=data.get("pose"),
        )  # fmt: skip


@dataclass(frozen=True)
class SignForm:
    """What a sign's HamNoSys says about its form, in the terms search uses."""

    dominant: str | None  # handshape class (kslars.hamnosys), e.g. "finger2_thumbout"
    nondominant: str | None  # the other hand's class; the dominant's under a symmetry operator; None: one hand
    finger_direction: str | None  # extended-finger direction of the dominant hand (FINGER_DIRECTIONS key)
    palm: str | None  # palm orientation of the dominant hand (PALM_DIRECTIONS key)
    location: str  # the dominant hand's first location, HamNoSys
    movement: str  # the dominant hand's movements, HamNoSys


def sign_form(parsed: ParsedSign) -> SignForm:
    """The form of a parsed sign: the first handshape of each hand as a class, orientation, location, movement."""
    hand = parsed.dominant
    orientation = hand.orientations[0] if hand.orientations else ""
    nondominant = parsed.nondominant_shape
    return SignForm(
        dominant=handshape_class(hand.shapes[0]),
        nondominant=handshape_class(nondominant) if nondominant else None,
        finger_direction=next((_FINGER_OF[c] for c in orientation if c in _FINGER_OF), None),
        palm=next((_PALM_OF[c] for c in orientation if c in _PALM_OF), None),
        location=hand.locations[0] if hand.locations else "",
        movement="".join(hand.movements),
    )


@dataclass(frozen=True)
class HandshapeIndex:
    """Per-sign numbers for vectorised search: class indices into CLASS_NAMES (-1: none) and gloss order."""

    dominant: np.ndarray  # (N,) int
    nondominant: np.ndarray  # (N,) int, -1 for one-handed signs
    finger: np.ndarray  # (N,) int index into FINGER_DIRECTIONS, -1 unknown
    palm: np.ndarray  # (N,) int index into PALM_DIRECTIONS, -1 unknown
    gloss_rank: np.ndarray  # (N,) int: position of the sign when sorted by (gloss, id)


def build_index(signs: list[Sign], forms: list[SignForm]) -> HandshapeIndex:
    """The search index of a lexicon's signs and their forms."""

    def positions(values: list[str | None], names: tuple[str, ...] | list[str]) -> np.ndarray:
        lookup = {name: i for i, name in enumerate(names)}
        return np.array([lookup.get(v, -1) if v else -1 for v in values], dtype=np.int64)

    order = sorted(range(len(signs)), key=lambda i: (signs[i].gloss.casefold(), signs[i].id))
    rank = np.empty(len(signs), dtype=np.int64)
    rank[order] = np.arange(len(signs))
    return HandshapeIndex(
        dominant=positions([f.dominant for f in forms], CLASS_NAMES),
        nondominant=positions([f.nondominant for f in forms], CLASS_NAMES),
        finger=positions([f.finger_direction for f in forms], list(FINGER_DIRECTIONS)),
        palm=positions([f.palm for f in forms], list(PALM_DIRECTIONS)),
        gloss_rank=rank,
    )


class Lexicon:
    """Signs, their parsed forms and the search index, built once when the lexicon is made or loaded."""

    def __init__(self, signs: list[Sign]) -> None:
        seen: set[str] = set()
        forms = []
        for sign in signs:
            if sign.id in seen:
                raise LexiconError(f"sign id {sign.id!r} occurs twice")
            seen.add(sign.id)
            try:
                forms.append(sign_form(parse_hamnosys(sign.hamnosys)))
            except HamNoSysError as error:
                raise LexiconError(f"sign {sign.id!r} ({sign.gloss}): HamNoSys {error}") from error
        self.signs = list(signs)
        self.forms = forms
        self.index = build_index(self.signs, self.forms)

    def __len__(self) -> int:
        return len(self.signs)

    @cached_property
    def text_keys(self) -> list[tuple[str, ...]]:
        """Each sign's gloss and translations as search keys (built on the first text search)."""
        from kslars.dictionary.transliteration import search_key

        return [tuple(search_key(t) for t in (s.gloss, *s.translations.values()) if t) for s in self.signs]

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Lexicon:
        """The dictionary stored in ``path``; LexiconError when it is not a K-SLARS dictionary file."""
        path = Path(path)
        try:
            payload = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise LexiconError(f"{path}: no such dictionary (create one with `kslars dictionary import`)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise LexiconError(f"{path}: not a readable dictionary file ({error})") from None
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_NAME:
            raise LexiconError(f'{path}: not a K-SLARS dictionary (no "format": "{FORMAT_NAME}")')
        if payload.get("version") != FORMAT_VERSION:
            version = payload.get("version")
            raise LexiconError(f"{path}: dictionary version {version!r}; this K-SLARS reads {FORMAT_VERSION}")
        signs = payload.get("signs")
        if not isinstance(signs, list):
            raise LexiconError(f"{path}: 'signs' must be a list")
        try:
            return cls([Sign.from_dict(item, f"sign {i}") for i, item in enumerate(signs)])
        except LexiconError as error:
            raise LexiconError(f"{path}: {error}") from None

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the dictionary to ``path`` atomically (a temporary file renamed over it)."""
        path = Path(path)
        payload = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "signs": [s.to_dict() for s in self.signs]}
        data = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            os.chmod(temporary, mode)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def merged(self, signs: list[Sign]) -> Lexicon:
        """A new lexicon with ``signs`` added; a sign whose id is already there replaces the old one."""
        incoming = {s.id: s for s in signs}
        kept = [s for s in self.signs if s.id not in incoming]
        return Lexicon(kept + list(incoming.values()))
