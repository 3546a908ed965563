"""A small dictionary of real Ham2Pose signs for the web tests of the reverse dictionary (made by the ``dictionary``
fixture of tests/conftest.py), and real hand photos."""

from __future__ import annotations

import json
from pathlib import Path

from kslars.dictionary.importers import read_signs
from kslars.dictionary.lexicon import Lexicon
from tests.conftest import shared_file
from tests.dictionary.conftest import HAM2POSE
from tests.dictionary.test_search import crop_letter

SIGNS = 400  # the first signs of Ham2Pose's lexicon: DGS-Korpus types, every base form among them
# Translations added to one real sign, so that text search and the results' translations can be seen.
PILL = {"ru": "таблетка", "kk": "дәрі", "en": "pill"}


def write_dictionary(folder: Path) -> Path:
    """A dictionary file in ``folder`` made by the importer from the first SIGNS entries of Ham2Pose's lexicon;
    the sign PILL1^ (10010) carries the PILL translations."""
    entries = json.loads(shared_file(HAM2POSE).read_text(encoding="utf-8"))
    chosen = {key: entries[key] for key in list(entries)[:SIGNS]}
    chosen["10010"] = {**chosen["10010"], **PILL}
    source = folder / "ham2pose-part.json"
    source.write_text(json.dumps(chosen, ensure_ascii=False), encoding="utf-8")
    path = folder / "dictionary.json"
    Lexicon(read_signs(source).signs).save(path)
    return path


def hand_photo(path: Path) -> Path:
    """A real photo of one hand: the Kazakh fingerspelling letter С (a C-shaped hand, class ceeall)."""
    return crop_letter(4, 2, path)


def wall_photo(path: Path) -> Path:
    """A real photo without a hand: the empty end of the Kazakh fingerspelling grid."""
    return crop_letter(8, 3, path)


def two_hands_photo(folder: Path) -> Path:
    """A real photo of two hands: two letters of the Kazakh fingerspelling grid side by side."""
    from PIL import Image

    both = Image.new("RGB", (2000, 1000))
    for column, left in ((0, 0), (4, 1000)):
        with Image.open(crop_letter(0, column, folder / f"{column}.jpg")) as photo:
            both.paste(photo, (left, 0))
    both.save(folder / "two.jpg")
    return folder / "two.jpg"
