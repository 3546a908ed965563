"""The dictionary the web tool searches: the file KSLARS_DICTIONARY names, loaded once per process and again when
the file changes; the handshape classifier photo searches use; who may search.

Loading takes most of a second for thousands of signs, so each process keeps the ``Lexicon`` and compares the file's
inode, modification time and size on every request: ``kslars dictionary import`` replaces the file atomically
(a new inode), so a running server picks up a new dictionary on its next search. Nothing here ever writes the file.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kslars.dictionary.lexicon import Lexicon, LexiconError

log = logging.getLogger(__name__)

MISSING = (
    "There is no dictionary on this server yet. An administrator makes one with "
    "`kslars dictionary import SOURCE --dictionary FILE`, where FILE is the file KSLARS_DICTIONARY names "
    "(by default dictionary.json in the data folder); see docs/dictionary.md."
)


class DictionaryUnavailable(Exception):
    """No dictionary to search: the file is missing or cannot be read. The message says what to do."""


class DictionaryMissing(DictionaryUnavailable):
    """The file KSLARS_DICTIONARY names does not exist (no dictionary has been made yet)."""


_lock = threading.Lock()
_loaded: tuple[Path, tuple[int, int, int], Lexicon] | None = None


def current_lexicon() -> Lexicon:
    """The dictionary in KSLARS_DICTIONARY, loaded at most once per version of the file."""
    global _loaded
    path = Path(settings.KSLARS_DICTIONARY)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DictionaryMissing(MISSING) from None
    version = (info.st_ino, info.st_mtime_ns, info.st_size)
    with _lock:
        if _loaded is None or _loaded[:2] != (path, version):
            try:
                lexicon = Lexicon.load(path)
            except LexiconError as error:
                log.error("dictionary %s cannot be used: %s", path, error)
                reason = str(error).removeprefix(f"{path}: ")
                raise DictionaryUnavailable(f"The dictionary file cannot be used: {reason}") from None
            _loaded = (path, version, lexicon)
        return _loaded[2]


@cache
def handshape_classifier() -> Any:
    """The shipped handshape classifier, loaded on the first photo search of the process."""
    from kslars.engine.handshape import load_classifier

    return load_classifier()


def may_search(request: HttpRequest) -> bool:
    """Whether the caller may search: anyone when KSLARS_DICTIONARY_PUBLIC is on, else logged-in users."""
    return settings.KSLARS_DICTIONARY_PUBLIC or request.user.is_authenticated
