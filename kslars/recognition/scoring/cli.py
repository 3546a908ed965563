"""``kslars cslr score REF.stm HYP.ctm``: the PHOENIX word error rate of a hypothesis file, sclite's way."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kslars.cli_errors import InputError
from kslars.recognition.scoring.phoenix_rules import CLEAN_UP_RULES
from kslars.recognition.scoring.sclite_alignment import AlignedPair, ErrorCounts
from kslars.recognition.scoring.transcripts import TranscriptError, write_ctm, write_stm
from kslars.recognition.scoring.wer import EMPTY_HYPOTHESIS, SentenceScore, WerResult, score_files

GAP = "***"


def summary(counts: ErrorCounts) -> str:
    """``WER 23.45% (S=.. D=.. I=.. N=..)``, or ``WER n/a`` without reference words."""
    rate = "n/a" if counts.wer is None else f"{counts.wer:.2f}%"
    return (
        f"WER {rate} (S={counts.substitutions} D={counts.deletions} I={counts.insertions} N={counts.reference_words})"
    )


def alignment_lines(alignment: list[AlignedPair]) -> tuple[str, str]:
    """The REF and HYP lines of an alignment, columns padded, gaps shown as ``***``."""
    ref_cells, hyp_cells = [], []
    for pair in alignment:
        ref, hyp = pair.reference or GAP, pair.hypothesis or GAP
        width = max(len(ref), len(hyp))
        ref_cells.append(ref.ljust(width))
        hyp_cells.append(hyp.ljust(width))
    return "REF: " + " ".join(ref_cells).rstrip(), "HYP: " + " ".join(hyp_cells).rstrip()


def counts_json(counts: ErrorCounts) -> dict[str, float | int | None]:
    """The JSON fields of a set of error counts."""
    return {
        "wer": counts.wer,
        "substitutions": counts.substitutions,
        "deletions": counts.deletions,
        "insertions": counts.insertions,
        "reference_words": counts.reference_words,
    }


def sentence_json(sentence: SentenceScore) -> dict[str, object]:
    """One sentence's row of ``--json --per-sentence``: its counts and its alignment."""
    return {
        "id": sentence.id,
        **counts_json(sentence.counts),
        "alignment": [[pair.edit.value, pair.reference, pair.hypothesis] for pair in sentence.alignment],
    }


def result_json(result: WerResult, rules: str, per_sentence: bool) -> dict[str, object]:
    """The one JSON object ``--json`` prints."""
    document: dict[str, object] = {
        **counts_json(result.counts),
        "sentences": len(result.sentences),
        "missing_hypotheses": len(result.missing_hypotheses),
        "rules": rules,
    }
    if per_sentence:
        document["per_sentence"] = [sentence_json(sentence) for sentence in result.sentences]
    return document


def print_sentences(result: WerResult) -> None:
    """Each sentence's counts, with its alignment when it has errors."""
    for sentence in result.sentences:
        click.echo(f"{sentence.id}  {summary(sentence.counts)}")
        if sentence.counts.errors:
            for line in alignment_lines(sentence.alignment):
                click.echo(f"  {line}")


@click.command()
@click.argument("reference", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("hypothesis", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rules",
    type=click.Choice(sorted(CLEAN_UP_RULES)),
    default="phoenix2014",
    show_default=True,
    help="Clean-up of both sides before scoring: the official PHOENIX-2014 rules, or none.",
)
@click.option("--per-sentence", is_flag=True, help="Also print each sentence's errors and alignment.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option(
    "--write-cleaned",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the cleaned ref.stm and hyp.ctm that were scored into this folder (to run sclite on them).",
)
def score(
    reference: Path, hypothesis: Path, rules: str, per_sentence: bool, as_json: bool, write_cleaned: Path | None
) -> None:
    """Word error rate of HYPOTHESIS (.ctm or .stm) against REFERENCE (.stm), as the official PHOENIX evaluation.

    Both sides are cleaned with the PHOENIX-2014 rules, empty hypotheses become [EMPTY], and each sentence is
    aligned with NIST sclite's weights (substitution 4, insertion and deletion 3). Prints one line,
    "WER 23.45% (S=.. D=.. I=.. N=..)": substitutions, deletions, insertions and reference glosses.
    See docs/recognition/scoring.md.
    """
    try:
        result = score_files(reference, hypothesis, rules)
    except TranscriptError as error:
        raise InputError(str(error)) from None
    if not result.counts.reference_words:
        raise InputError(f"{reference}: the reference has no glosses after the {rules!r} clean-up")
    if write_cleaned is not None:
        write_cleaned.mkdir(parents=True, exist_ok=True)
        write_stm(write_cleaned / "ref.stm", result.references)
        write_ctm(write_cleaned / "hyp.ctm", result.hypotheses)
    if as_json:
        click.echo(json.dumps(result_json(result, rules, per_sentence), ensure_ascii=False))
        return
    if per_sentence:
        print_sentences(result)
    click.echo(summary(result.counts))
    if result.missing_hypotheses:
        click.echo(
            f"{len(result.missing_hypotheses)} reference sentence(s) had no hypothesis and were scored as "
            f"{EMPTY_HYPOTHESIS}, e.g. {result.missing_hypotheses[0]}",
            err=True,
        )
