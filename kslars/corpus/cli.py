"""``kslars corpus ...``: commands over a whole folder of annotation files (today ``stats``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from kslars.corpus.plots import PLOT_SUFFIXES

USAGE_ERROR = 2  # the exit status for input that cannot be used, as click uses for bad usage


def fail(message: str) -> NoReturn:
    """Print ``message`` as an error and exit with status 2."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(USAGE_ERROR)


@click.group()
def corpus() -> None:
    """Commands over a corpus: a folder of annotation files (see docs/corpus.md)."""


@corpus.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--gloss-tier", "gloss_tiers", multiple=True,
              help="A tier whose values are glosses, for type/token counts; repeat for more (e.g. both hands).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option("--plot", type=click.Path(dir_okay=False),
              help="Also draw annotations and time per tier to OUT.png or OUT.svg.")
def stats(folder: str, gloss_tiers: tuple[str, ...], as_json: bool, plot: str | None) -> None:
    """Statistics of every annotation file under FOLDER.

    Per tier (summed over files): annotations, aligned and referring, and their duration; participants (signers);
    hours of media where the media files are found; glosses of the --gloss-tier tiers (tokens, types). Files that
    cannot be read are listed with their error and the rest are counted. For example
    ``kslars corpus stats corpus/ --gloss-tier Gloss --plot tiers.png``.
    """
    from kslars.corpus.stats import corpus_stats
    from kslars.document import DocumentError

    if plot and Path(plot).suffix.lower() not in PLOT_SUFFIXES:
        fail(f"--plot {plot}: the plot is written as .png or .svg")
    try:
        result = corpus_stats(folder, list(gloss_tiers), progress=not as_json).to_dict()
    except DocumentError as e:
        fail(str(e))
    if plot:
        from kslars.corpus.plots import save_plot

        save_plot(result, plot)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else text_report(result))


def text_report(result: dict[str, Any]) -> str:
    """The statistics as a summary and a table of tiers."""
    media, annotated = result["media"], result["annotated"]
    lines = [
        f"Folder: {result['folder']}",
        f"Files read: {result['files']}   unreadable: {len(result['errors'])}",
        f"Annotations: {result['annotations']:,}",
        f"Media found for {media['files_with_media']} files: {media['hours']} h; "
        f"annotated span: {annotated['hours']} h",
        f"Participants: {len(result['participants'])}"
        + (f" ({', '.join(result['participants'])})" if result["participants"] else ""),
    ]
    glosses = result["glosses"]
    if glosses:
        lines.append(f"Glosses in {', '.join(glosses['tiers'])}: {glosses['tokens']:,} tokens, "
                     f"{glosses['types']:,} types (vocabulary size), type/token ratio {glosses['type_token_ratio']}")
    width = max([len(name) for name in result["tiers"]] + [4])
    lines += ["", f"{'Tier'.ljust(width)}  files  annotations  duration (s)"]
    for name, tier in result["tiers"].items():
        seconds = tier["duration_ms"] / 1000
        lines.append(f"{name.ljust(width)}  {tier['files']:5d}  {tier['annotations']:11,d}  {seconds:12,.1f}")
    if result["errors"]:
        lines += ["", "Not read:"] + [f"  {e['file']}: {e['error']}" for e in result["errors"]]
    return "\n".join(lines)
