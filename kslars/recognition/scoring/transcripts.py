"""Reading and writing NIST transcripts: ``.stm`` sentences and ``.ctm`` timed glosses, with line-numbered errors.

The formats are sclite's (SCTK ``doc/infmts.htm``):

- STM, one segment per line: ``FILE CHANNEL SPEAKER BEGIN END [<LABELS>] WORD ...``. The PHOENIX ground truth is
  ``01April_2010_Thursday_heute_default-0 1 Signer04 0.0 1.79769e+308 __ON__ LIEB ZUSCHAUER ...``.
- CTM, one word per line: ``FILE CHANNEL BEGIN DURATION WORD [CONFIDENCE]``; the words of a file, ordered by
  their begin time, are that file's hypothesis.

Lines starting with ``;;`` are comments, blank lines are skipped. Each file id is one sentence here (PHOENIX and
the toolkit's own outputs have one segment per video), so an id given twice in an ``.stm`` is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# sclite gives these tokens a meaning of their own (the NULL word, alternations); they are refused rather than
# scored differently from sclite.
SCLITE_SPECIAL_TOKENS = frozenset({"@", "{", "}"})


class TranscriptError(ValueError):
    """A transcript file could not be read; the message names the file and the line."""


@dataclass(frozen=True)
class Sentence:
    """The glosses of one file id, the speaker (``.stm`` only) and the line the sentence starts on."""

    id: str
    glosses: tuple[str, ...]
    line: int
    speaker: str = ""


def _content_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, whitespace-separated fields) of each non-blank, non-comment line of ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise TranscriptError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise TranscriptError(f"{path}: cannot be read ({error.strerror})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if fields and not fields[0].startswith(";;"):
            yield number, fields


def _number(value: str, what: str, path: Path, line: int) -> float:
    """``value`` as a float, or a TranscriptError naming the field and the line."""
    try:
        return float(value)
    except ValueError:
        raise TranscriptError(f"{path} line {line}: {what} {value!r} is not a number") from None


def _checked_words(words: list[str], path: Path, line: int) -> tuple[str, ...]:
    """The words of a line, refusing sclite's NULL word and alternation braces."""
    for word in words:
        if word in SCLITE_SPECIAL_TOKENS:
            raise TranscriptError(
                f"{path} line {line}: {word!r} is sclite's NULL word or alternation syntax, which is not supported"
            )
    return tuple(words)


def _non_empty(sentences: dict[str, Sentence], path: Path, kind: str) -> dict[str, Sentence]:
    """``sentences``, or a TranscriptError when the file held none."""
    if not sentences:
        raise TranscriptError(f"{path}: empty file, expected {kind} lines")
    return sentences


def read_stm(path: Path) -> dict[str, Sentence]:
    """The sentences of an ``.stm`` file by file id, in file order."""
    sentences: dict[str, Sentence] = {}
    for line, fields in _content_lines(path):
        if len(fields) < 5:
            raise TranscriptError(
                f"{path} line {line}: an STM line needs FILE CHANNEL SPEAKER BEGIN END [WORDS], "
                f"got {len(fields)} field(s)"
            )
        _number(fields[3], "begin time", path, line)
        _number(fields[4], "end time", path, line)
        words = fields[5:]
        if words and words[0].startswith("<"):
            if not words[0].endswith(">"):
                raise TranscriptError(f"{path} line {line}: unterminated label field {words[0]!r}")
            words = words[1:]
        sentence_id = fields[0]
        if sentence_id in sentences:
            first = sentences[sentence_id].line
            raise TranscriptError(f"{path} line {line}: id {sentence_id!r} was already given on line {first}")
        sentences[sentence_id] = Sentence(sentence_id, _checked_words(words, path, line), line, speaker=fields[2])
    return _non_empty(sentences, path, "STM")


def read_ctm(path: Path) -> dict[str, Sentence]:
    """The sentences of a ``.ctm`` file by file id (first appearance order), words ordered by begin time."""
    timed: dict[str, list[tuple[float, int, str]]] = {}
    first_line: dict[str, int] = {}
    for line, fields in _content_lines(path):
        if len(fields) not in (5, 6):
            raise TranscriptError(
                f"{path} line {line}: a CTM line needs FILE CHANNEL BEGIN DURATION WORD [CONFIDENCE], "
                f"got {len(fields)} field(s)"
            )
        begin = _number(fields[2], "begin time", path, line)
        _number(fields[3], "duration", path, line)
        if len(fields) == 6:
            _number(fields[5], "confidence", path, line)
        (word,) = _checked_words([fields[4]], path, line)
        timed.setdefault(fields[0], []).append((begin, line, word))
        first_line.setdefault(fields[0], line)
    sentences = {
        sentence_id: Sentence(sentence_id, tuple(word for _, _, word in sorted(words)), first_line[sentence_id])
        for sentence_id, words in timed.items()
    }
    return _non_empty(sentences, path, "CTM")


def read_hypothesis(path: Path) -> dict[str, Sentence]:
    """A hypothesis file by its extension: ``.ctm`` (timed glosses) or ``.stm`` (one sentence a line)."""
    suffix = path.suffix.lower()
    if suffix == ".ctm":
        return read_ctm(path)
    if suffix == ".stm":
        return read_stm(path)
    raise TranscriptError(f"{path}: unknown hypothesis format {suffix or '(no extension)'!r}, expected .ctm or .stm")


def write_stm(path: Path, sentences: Iterable[Sentence]) -> None:
    """Write sentences as an ``.stm`` file, sorted by id as sclite and the PHOENIX script expect."""
    lines = [
        " ".join([s.id, "1", s.speaker or s.id, "0.0", "1.79769e+308", *s.glosses])
        for s in sorted(sentences, key=lambda s: s.id)
    ]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def write_ctm(path: Path, sentences: Iterable[Sentence]) -> None:
    """Write sentences as a ``.ctm`` file sorted by id, one gloss a line, 10 ms apart."""
    lines = [
        f"{s.id} 1 {index / 100:.2f} 0.01 {gloss}"
        for s in sorted(sentences, key=lambda s: s.id)
        for index, gloss in enumerate(s.glosses)
    ]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
