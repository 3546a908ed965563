"""``kslars agreement A.eaf [B.eaf] --tier NAME [--tier2 NAME]``: agreement between two annotators' tiers."""

from __future__ import annotations

import json
from typing import Any

import click

from kslars.cli_errors import fail
from kslars.corpus.matching import DEFAULT_MIN_OVERLAP
from kslars.corpus.staccato import DEFAULT_ITERATIONS


@click.command()
@click.argument("file_a", type=click.Path(dir_okay=False))
@click.argument("file_b", type=click.Path(dir_okay=False), required=False)
@click.option("--tier", "tier", required=True, help="The tier of annotator A (and of B when --tier2 is not given).")
@click.option(
    "--tier2", help="The tier of annotator B: another tier of FILE_B, or of FILE_A when only one file is given."
)
@click.option(
    "--min-overlap",
    type=click.IntRange(1, 100),
    default=round(DEFAULT_MIN_OVERLAP * 100),
    show_default=True,
    help="Percentage of the longer segment two segments must share to be linked (ELAN's default 60).",
)
@click.option(
    "--iterations",
    type=click.IntRange(0, 100_000),
    default=DEFAULT_ITERATIONS,
    show_default=True,
    help="Random segmentations for the Staccato-style chance estimate.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of those random segmentations.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a report.")
def agreement(
    file_a: str,
    file_b: str | None,
    tier: str,
    tier2: str | None,
    min_overlap: int,
    iterations: int,
    seed: int,
    as_json: bool,
) -> None:
    """Agreement between two annotators' versions of a tier.

    Compare a tier of FILE_A with the same tier (or --tier2) of FILE_B, or two tiers of one file:
    ``kslars agreement anna.eaf boris.eaf --tier Gloss``, ``kslars agreement session.eaf --tier Gloss --tier2 Gloss_2``.
    Reports ELAN's modified Cohen's kappa, Cohen's kappa and percentage agreement over linked segments, boundary
    differences, the most frequent disagreements and a Staccato-style segmentation agreement (docs/corpus.md).
    Input that cannot be compared (a missing tier, tiers that never overlap, an unreadable file) exits with status 2.
    """
    from kslars.corpus.agreement import AgreementError, TierSource, compare_sources
    from kslars.document import DocumentError

    if file_b is None and tier2 is None:
        fail("give a second file, or --tier2 to compare two tiers of one file")
    source_a = TierSource(file_a, tier)
    source_b = TierSource(file_b or file_a, tier2 or tier)
    try:
        result = compare_sources(source_a, source_b, min_overlap=min_overlap / 100, iterations=iterations, seed=seed)
    except (AgreementError, DocumentError) as e:
        fail(str(e))
    report = result.to_dict(source_a, source_b)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(text_report(report))


def text_report(report: dict[str, Any], disagreements: int = 15) -> str:
    """The report for people: counts, kappas, boundaries, Staccato and the most frequent disagreements."""
    a, b, stac = report["a"], report["b"], report["staccato"]
    start, end = report["boundaries"]["start_ms"], report["boundaries"]["end_ms"]
    lines = [
        f"A: {a['tier']} in {a['file']} ({a['segments']} segments)",
        f"B: {b['tier']} in {b['file']} ({b['segments']} segments)",
        f"Linked at {report['min_overlap']:.0%} overlap: {report['matched']} pairs; unlinked: "
        f"{report['unmatched_a']} of A, {report['unmatched_b']} of B",
        "",
        "                      kappa   kappa_max  raw agreement",
        f"incl. unlinked (ipf)  {_cell(report['kappa'])}  {_cell(report['kappa_max'])}  "
        f"{_cell(report['raw_agreement'])}",
        f"excl. unlinked        {_cell(report['kappa_excluding_unmatched'])}  "
        f"{_cell(report['kappa_max_excluding_unmatched'])}  {_cell(report['raw_agreement_excluding_unmatched'])}",
        f"Percentage agreement of linked pairs: {_cell(report['percent_agreement'], '{:.1f} %')}",
        "",
        "Boundary differences (B - A, ms)   mean  mean |d|  median |d|  max |d|",
        f"  start                           {_row(start)}",
        f"  end                             {_row(end)}",
        "",
        f"Staccato-style: {stac['nuclei']} nuclei of {stac['possible']} possible; chance {stac['chance_mean']} "
        f"(sd {stac['chance_sd']}, {stac['iterations']} random segmentations, seed {stac['seed']}); "
        f"degree of organisation {_cell(stac['degree_of_organisation'])}, p = {stac['p_value']}",
    ]
    differing = [c for c in report["confusion"] if c["a"] != c["b"]][:disagreements]
    if differing:
        lines += ["", "Most frequent disagreements (A -> B, '-' = no linked segment):"]
        lines += [f"  {_value(c['a'])} -> {_value(c['b'])}: {c['count']}" for c in differing]
    return "\n".join(lines)


def _cell(value: float | None, template: str = "{:.4f}") -> str:
    return (template.format(value) if value is not None else "n/a").rjust(9)


def _row(diffs: dict[str, float | None]) -> str:
    return "  ".join(_cell(diffs[key], "{:g}") for key in ("mean", "mean_abs", "median_abs", "max_abs"))


def _value(value: str | None) -> str:
    return "-" if value is None else repr(value)
