"""Real fingerspelled letters as labelled hands, from the two sources in the shared data folder.

- ``lexicon``: the fingerspelling lexicon of sign-language-processing/spoken-to-signed-translation, MediaPipe
  Holistic .pose clips of one signer per language: Ukrainian (``ukl``, 33 letters; its dactyl shares the Russian
  letters' handshapes) and ASL (``ase``, 26 letters). The held middle half of each clip is used.
- ``kazakh-photos``: ``video_grid.png`` of nurkal022/kazakh-sign-language, 41 captioned photos of Kazakh
  letters by another signer and camera, cut out of the grid and read with MediaPipe Hands.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kslars.dictionary.alphabets import get_alphabet
from kslars.engine.handshape.fingerspelling import LEXICON, read_pose_hand

KAZAKH_GRID = "nurkal022__kazakh-sign-language/video_grid.png"
# The grid's photos in reading order (5 per row); Ш is photographed twice, Ё and Ю are missing.
KAZAKH_GRID_LETTERS = tuple("АӘБВГҒДЕЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШШЩЪЫІЬЭЯ")
GRID_COLUMNS = 5
GRID_ORIGIN = (30, 86)  # left, top of the first photo in pixels
GRID_STEP = (1175, 1186)  # from one photo to the next, across and down
GRID_PHOTO = (1004, 1003)  # width, height of a photo
# The lexicon language each alphabet reads, and Ukrainian letters whose handshape is not the Russian one's.
LEXICON_LANGUAGE = {"ru": "ukl", "kk": "ukl", "asl": "ase"}
UKRAINIAN_ONLY = frozenset("ҐЄЇ")
LEXICON_FPS = 25.0  # the frame rate of every lexicon clip


def shared_data_folder() -> Path:
    """``$KSLARS_SHARED_DATA``, else the ``shared/data`` folder beside the repository."""
    return Path(os.environ.get("KSLARS_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))


@dataclass(frozen=True)
class LetterSamples:
    """Labelled hands: landmarks (N, 21, 3), handedness, image aspect, letter, source and clip of each."""

    hands: np.ndarray
    is_left: np.ndarray
    aspect: np.ndarray
    letters: np.ndarray  # (N,) str
    source: str
    clips: np.ndarray  # (N,) int: frames of one clip or photo share a number

    def subset(self, keep: np.ndarray) -> LetterSamples:
        """The samples where ``keep`` (N,) bool is true."""
        return LetterSamples(
            self.hands[keep], self.is_left[keep], self.aspect[keep], self.letters[keep], self.source, self.clips[keep]
        )


def concatenate(parts: list[LetterSamples], source: str) -> LetterSamples:
    """Several sample sets as one, with clip numbers kept apart."""
    clips, offset = [], 0
    for part in parts:
        clips.append(part.clips + offset)
        offset += int(part.clips.max(initial=-1)) + 1
    return LetterSamples(
        np.concatenate([p.hands for p in parts]),
        np.concatenate([p.is_left for p in parts]),
        np.concatenate([p.aspect for p in parts]),
        np.concatenate([p.letters for p in parts]),
        source,
        np.concatenate(clips),
    )


def lexicon_clips(alphabet: str, root: Path | None = None) -> list[tuple[str, np.ndarray, bool, float]]:
    """Every whole lexicon clip of the alphabet's letters: (letter, hands (T, 21, 3), is_left, aspect)."""
    from pose_format import Pose

    code = get_alphabet(alphabet)
    folder = (root or shared_data_folder()) / LEXICON
    with open(folder / "index.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["signed_language"] == LEXICON_LANGUAGE[alphabet]]
    clips = []
    for row in rows:
        letter = row["words"]
        if letter not in code.letters or letter in UKRAINIAN_ONLY:
            continue
        path = folder / row["path"]
        header = Pose.read(path.read_bytes()).header.dimensions
        hands, is_left = read_pose_hand(path)
        clips.append((letter, hands, is_left, header.width / header.height))
    return clips


def lexicon_letters(alphabet: str, root: Path | None = None) -> LetterSamples:
    """The held middle half of each lexicon clip of the alphabet's letters."""
    parts = []
    for index, (letter, hands, is_left, aspect) in enumerate(lexicon_clips(alphabet, root)):
        held = hands[len(hands) // 4 : max(len(hands) // 4 + 1, 3 * len(hands) // 4)]
        n = len(held)
        parts.append(
            LetterSamples(
                held, np.full(n, is_left), np.full(n, aspect), np.full(n, letter), "lexicon", np.full(n, index)
            )
        )
    return concatenate(parts, f"lexicon ({LEXICON_LANGUAGE[alphabet]})")


def kazakh_grid_photos(path: Path) -> list[tuple[str, np.ndarray]]:
    """The grid's photos as (letter, RGB picture) in alphabet order."""
    from PIL import Image

    from kslars.vision.hands import read_image

    Image.MAX_IMAGE_PIXELS = None  # the grid is one 61-megapixel picture
    grid = read_image(path)
    photos = []
    for index, letter in enumerate(KAZAKH_GRID_LETTERS):
        row, column = divmod(index, GRID_COLUMNS)
        left, top = GRID_ORIGIN[0] + column * GRID_STEP[0], GRID_ORIGIN[1] + row * GRID_STEP[1]
        photos.append((letter, grid[top : top + GRID_PHOTO[1], left : left + GRID_PHOTO[0]]))
    return photos


def kazakh_photo_letters(alphabet: str, root: Path | None = None) -> LetterSamples:
    """MediaPipe Hands landmarks of the Kazakh grid photos whose letter is in the alphabet."""
    from kslars.vision.hands import HandDetector

    letters = get_alphabet(alphabet).letters
    hands, is_left, names = [], [], []
    with HandDetector(max_hands=1) as detector:
        for letter, photo in kazakh_grid_photos((root or shared_data_folder()) / KAZAKH_GRID):
            found = detector.detect(photo) if letter in letters else []
            if found:
                hands.append(found[0].landmarks)
                is_left.append(found[0].is_left)
                names.append(letter)
    n = len(hands)
    aspect = GRID_PHOTO[0] / GRID_PHOTO[1]
    return LetterSamples(
        np.array(hands).reshape(n, 21, 3),
        np.array(is_left, bool),
        np.full(n, aspect),
        np.array(names),
        "kazakh-photos",
        np.arange(n),
    )


def real_sources(alphabet: str, root: Path | None = None) -> list[LetterSamples]:
    """Every real source of the alphabet: the lexicon, and for ``ru``/``kk`` the Kazakh photos."""
    sources = [lexicon_letters(alphabet, root)]
    if alphabet in ("ru", "kk"):
        sources.append(kazakh_photo_letters(alphabet, root))
    return sources
