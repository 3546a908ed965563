"""What a corpus-wide search asks for, checked before any database sees it; no Django.

A search finds annotations by their value in one of four ways: the exact value (a gloss), a prefix, a regular
expression, or a handshape class (an exact value on handshape tiers). Regular expressions come from users, so
they are compiled with the ``regex`` module (Python's syntax) after a length limit, and every match runs under a
time budget shared by the whole search: a pattern that backtracks too long is refused with a QueryError instead
of holding a server process (Python's ``re`` has no timeout). The patterns are matched against the distinct
values of the corpus, which repeat a great deal (glosses, handshape classes), not once per annotation.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import accumulate

import regex

MAX_TEXT_LENGTH = 200  # characters of a searched value, prefix or pattern
REGEX_SECONDS = 1.0  # time all matches of one regular expression may take together
MAX_PAGE_SIZE = 100
MAX_MATCHED_VALUES = 5000  # different values a regular expression may match (each is a parameter of the query)


class QueryError(ValueError):
    """A search that cannot run: empty, too long, an invalid or too slow regular expression. ``kind`` names the
    problem (mode, empty, too_long, invalid, too_slow, too_many) for pages that say it in the user's language."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class Mode(StrEnum):
    """How the searched text is compared with annotation values."""

    EXACT = "exact"
    PREFIX = "prefix"
    REGEX = "regex"
    HANDSHAPE = "handshape"


@dataclass(frozen=True)
class SearchQuery:
    """A corpus-wide search: the text, how to compare it, and the optional filters (None: any)."""

    text: str
    mode: Mode = Mode.EXACT
    tier: str | None = None
    project_id: int | None = None
    signer: str | None = None


def make_query(
    text: str,
    mode: str = Mode.EXACT,
    tier: str | None = None,
    project_id: int | None = None,
    signer: str | None = None,
) -> SearchQuery:
    """A checked SearchQuery; QueryError with a message a user can act on for anything that cannot run."""
    try:
        chosen = Mode(mode)
    except ValueError:
        raise QueryError(f"unknown search mode {mode!r}: use one of {', '.join(Mode)}", "mode") from None
    if not text:
        raise QueryError("type what to search for", "empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise QueryError(f"the search text is {len(text)} characters long; at most {MAX_TEXT_LENGTH}", "too_long")
    if chosen is Mode.REGEX:
        compile_pattern(text)
    return SearchQuery(text=text, mode=chosen, tier=tier or None, project_id=project_id, signer=signer or None)


def compile_pattern(pattern: str) -> regex.Pattern:
    """``pattern`` compiled with Python's regular expression syntax; QueryError when it is too long or invalid."""
    if len(pattern) > MAX_TEXT_LENGTH:
        raise QueryError(
            f"the regular expression is {len(pattern)} characters long; at most {MAX_TEXT_LENGTH}", "too_long"
        )
    try:
        return regex.compile(pattern, flags=regex.VERSION0)
    except (regex.error, OverflowError, RecursionError) as error:
        raise QueryError(f"invalid regular expression: {error}", "invalid") from None


class ValueList:
    """Distinct values joined by line breaks once, for matching many patterns: the text and where each value
    starts in it."""

    def __init__(self, values: Iterable[str]) -> None:
        self.values = list(values)
        self.text = "\n".join(self.values)
        self.starts = list(accumulate((len(v) + 1 for v in self.values), initial=0))


def matching_values(pattern: str, values: Iterable[str] | ValueList, seconds: float | None = None) -> list[str]:
    """The ``values`` in which ``pattern`` finds a match (a search, as ELAN's regular expressions do), in order.

    The values are scanned joined by line breaks, one search call per value that may match (a call with a timeout
    costs about 10 microseconds, too much for each of 100,000 values), and each such value is then checked alone.
    All of it together may take ``seconds`` (REGEX_SECONDS unless given); past that the search is refused with
    QueryError, whatever the pattern was doing, since each call stops at the regex module's own timeout. More than
    MAX_MATCHED_VALUES values matched is refused too."""
    compiled = compile_pattern(pattern)
    scanner = regex.compile(pattern, flags=regex.VERSION0 | regex.MULTILINE)
    joined = values if isinstance(values, ValueList) else ValueList(values)
    values, text, starts = joined.values, joined.text, joined.starts
    if not values:
        return []
    deadline = time.monotonic() + (REGEX_SECONDS if seconds is None else seconds)
    found = []
    try:
        position = 0
        while position <= len(text):
            match = scanner.search(text, position, timeout=_left(deadline))
            if match is None:
                break
            index = bisect_right(starts, match.start()) - 1  # the value the match starts in
            if compiled.search(values[index], timeout=_left(deadline)) is not None:
                found.append(values[index])
                if len(found) > MAX_MATCHED_VALUES:
                    raise QueryError(
                        f"the regular expression matches more than {MAX_MATCHED_VALUES} different values; make it "
                        "more specific",
                        "too_many",
                    )
            position = starts[index + 1]
    except TimeoutError:
        raise QueryError(
            f"the regular expression took more than {seconds or REGEX_SECONDS:g} s over the corpus; make it more "
            "specific (nested repetitions such as (a+)+ take very long)",
            "too_slow",
        ) from None
    return found


def _left(deadline: float) -> float:
    """Seconds until ``deadline``; TimeoutError when it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string above every string that starts with ``prefix`` in code-point order (None: no bound), so
    that a prefix search is a range scan on an index: ``prefix <= value < bound``."""
    chars = list(prefix)
    while chars:
        last = ord(chars.pop())
        if last < 0x10FFFF:
            following = last + 1 if not 0xD7FF <= last < 0xDFFF else 0xE000  # no surrogates: they are not text
            return "".join(chars) + chr(following)
    return None
