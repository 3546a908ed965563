"""Word error rate of recognised gloss sequences the way the PHOENIX evaluation computes it.

The steps of ``evaluatePhoenix2014.sh`` (see :mod:`.phoenix_rules` for its sources): clean both sides with the
chosen rules, give every reference sentence without hypothesis glosses the single gloss ``[EMPTY]`` (the
script's ``awk`` step and ``mergectmstm.py``), then align each sentence with sclite's weights
(:mod:`.sclite_alignment`) and add up the substitutions, deletions and insertions. Like sclite, an ``[EMPTY]``
hypothesis against ``n`` reference glosses counts ``n - 1`` deletions and one substitution.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import add
from pathlib import Path

from kslars.recognition.scoring.phoenix_rules import CLEAN_UP_RULES
from kslars.recognition.scoring.sclite_alignment import AlignedPair, ErrorCounts, align, count_errors
from kslars.recognition.scoring.transcripts import Sentence, TranscriptError, read_hypothesis, read_stm

EMPTY_HYPOTHESIS = "[EMPTY]"


@dataclass(frozen=True)
class SentenceScore:
    """One sentence's cleaned reference and hypothesis, their alignment and its error counts."""

    id: str
    alignment: list[AlignedPair]
    counts: ErrorCounts


@dataclass(frozen=True)
class WerResult:
    """Scores of every reference sentence (sorted by id), the cleaned transcripts scored and the ids without a
    hypothesis."""

    sentences: list[SentenceScore]
    references: list[Sentence]
    hypotheses: list[Sentence]
    missing_hypotheses: list[str]

    @property
    def counts(self) -> ErrorCounts:
        """The error counts summed over all sentences."""
        return reduce(add, (sentence.counts for sentence in self.sentences), ErrorCounts())


def clean_transcripts(
    references: Mapping[str, Sentence], hypotheses: Mapping[str, Sentence], rules: str
) -> tuple[list[Sentence], list[Sentence]]:
    """The reference and hypothesis sentences sclite is given: cleaned, sorted by id, empty ones ``[EMPTY]``.

    One hypothesis per reference id, in the references' order; a reference id without a hypothesis gets
    ``[EMPTY]``, hypothesis ids outside the references are left out (:func:`score` refuses them).
    """
    clean = CLEAN_UP_RULES[rules]
    cleaned_references, cleaned_hypotheses = [], []
    for sentence_id in sorted(references):
        reference = references[sentence_id]
        cleaned_references.append(
            Sentence(sentence_id, tuple(clean(reference.glosses)), reference.line, reference.speaker)
        )
        hypothesis = hypotheses.get(sentence_id)
        glosses = tuple(clean(hypothesis.glosses)) if hypothesis else ()
        cleaned_hypotheses.append(
            Sentence(sentence_id, glosses or (EMPTY_HYPOTHESIS,), hypothesis.line if hypothesis else 0)
        )
    return cleaned_references, cleaned_hypotheses


def score_cleaned(
    references: Sequence[Sentence], hypotheses: Sequence[Sentence], missing_hypotheses: Sequence[str] = ()
) -> WerResult:
    """Align each cleaned reference with the cleaned hypothesis at the same position and count the errors."""
    sentences = []
    for reference, hypothesis in zip(references, hypotheses, strict=True):
        alignment = align(reference.glosses, hypothesis.glosses)
        sentences.append(SentenceScore(reference.id, alignment, count_errors(alignment)))
    return WerResult(sentences, list(references), list(hypotheses), list(missing_hypotheses))


def score(
    references: Mapping[str, Sentence], hypotheses: Mapping[str, Sentence], rules: str = "phoenix2014"
) -> WerResult:
    """Clean and score hypotheses against references (both by sentence id) with the named rules."""
    unknown = [sentence_id for sentence_id in hypotheses if sentence_id not in references]
    if unknown:
        raise ValueError(f"hypothesis id {unknown[0]!r} is not in the reference ({len(unknown)} unknown id(s))")
    cleaned_references, cleaned_hypotheses = clean_transcripts(references, hypotheses, rules)
    missing = sorted(sentence_id for sentence_id in references if sentence_id not in hypotheses)
    return score_cleaned(cleaned_references, cleaned_hypotheses, missing)


def score_glosses(
    references: Mapping[str, Sequence[str]], hypotheses: Mapping[str, Sequence[str]], rules: str = "phoenix2014"
) -> WerResult:
    """Score gloss sequences held in memory (sentence id -> glosses), e.g. a model's output on a dev set."""
    return score(
        {key: Sentence(key, tuple(glosses), 0) for key, glosses in references.items()},
        {key: Sentence(key, tuple(glosses), 0) for key, glosses in hypotheses.items()},
        rules,
    )


def score_files(reference_path: Path, hypothesis_path: Path, rules: str = "phoenix2014") -> WerResult:
    """Score a hypothesis ``.ctm``/``.stm`` file against a reference ``.stm`` file with the named rules."""
    references = read_stm(reference_path)
    hypotheses = read_hypothesis(hypothesis_path)
    for sentence in hypotheses.values():
        if sentence.id not in references:
            raise TranscriptError(
                f"{hypothesis_path} line {sentence.line}: id {sentence.id!r} is not in the reference {reference_path}"
            )
    return score(references, hypotheses, rules)
