"""``kslars corpus ...``: commands over a whole folder of annotation files: ``stats``, ``manifest``, ``anonymise``,
``export-training``; batch annotation (``annotate``, ``status``, ``worker``) comes from :mod:`kslars.corpus.batch_cli`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from kslars.cli_errors import fail
from kslars.corpus import batch_cli
from kslars.corpus.plots import PLOT_SUFFIXES


@click.group()
def corpus() -> None:
    """Commands over a corpus: a folder of annotation files (see docs/corpus.md)."""


for _command in (batch_cli.annotate, batch_cli.status, batch_cli.worker):
    corpus.add_command(_command)


@corpus.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option(
    "--gloss-tier",
    "gloss_tiers",
    multiple=True,
    help="A tier whose values are glosses, for type/token counts; repeat for more (e.g. both hands).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option(
    "--plot", type=click.Path(dir_okay=False), help="Also draw annotations and time per tier to OUT.png or OUT.svg."
)
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


@corpus.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to OUT.csv or OUT.json (default: print CSV)."
)
def manifest(folder: str, output: str | None) -> None:
    """One row per annotation file under FOLDER: its media file (the EAF's media reference, or a video of the same
    name), the media's duration, the participants; a file whose media is missing or unreadable says why."""
    from kslars.corpus.manifest import corpus_manifest, manifest_text
    from kslars.document import DocumentError

    try:
        rows = corpus_manifest(folder)
    except DocumentError as e:
        fail(str(e))
    text = manifest_text(rows, as_json=output is not None and Path(output).suffix.lower() == ".json")
    if not output:
        click.echo(text, nl=False)
        return
    Path(output).write_text(text, encoding="utf-8")
    click.echo(f"{len(rows)} files, {sum(r.problem is not None for r in rows)} with a problem: {output}")


@corpus.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(file_okay=False), help="Folder for the anonymised files."
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False),
    help="The private mapping name -> Subject_N, reused if it exists "
    "(default: OUTPUT.private.csv beside the output folder).",
)
def anonymise(folder: str, output: str, mapping: str | None) -> None:
    """Copy every annotation file under FOLDER to OUTPUT with participant and annotator names replaced by
    Subject_N (also in tier names, properties and the author), then check that no original name remains: exit
    status 2 naming the file and the name if one does. FOLDER is not changed."""
    from kslars.corpus.anonymise import anonymise_corpus
    from kslars.document import DocumentError

    out = Path(output)
    private = Path(mapping) if mapping else out.parent / f"{out.name}.private.csv"
    if out.resolve() == Path(folder).resolve():
        fail("the output folder must differ from the input folder")
    try:
        names, found = anonymise_corpus(folder, out, private)
    except DocumentError as e:
        fail(str(e))
    click.echo(f"{len(names)} people renamed; mapping (private): {private}")
    if found:
        fail("original names remain: " + "; ".join(f"{leak.file}: {leak.name}" for leak in found))


@corpus.command("export-training")
@click.argument("source", type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Folder for the training set.")
@click.option(
    "--unit",
    type=click.Choice(["gloss", "sentence"]),
    default=None,
    help="One segment per gloss annotation or per sentence annotation [default: sentence with --sentence-tier].",
)
@click.option("--gloss-tier", default="Gloss", show_default=True, help="The tier of glosses ('' for none).")
@click.option("--handshape-tier", default="", help="A tier of handshapes, e.g. 'Right handshape'.")
@click.option("--sentence-tier", default="", help="A tier of sentences (translations), e.g. 'Translation'.")
@click.option("--root", type=click.Path(file_okay=False), help="The corpus folder a manifest's paths start from.")
@click.option(
    "--landmarks",
    type=click.Path(file_okay=False),
    help="Folder of .pose files: searched first, and where landmarks extracted from videos are kept "
    "[default: OUTPUT/landmarks].",
)
@click.option("--fps", type=click.FloatRange(min=1), help="Landmark rate when extracting (default: the video's).")
@click.option(
    "--anonymise",
    "mapping",
    type=click.Path(dir_okay=False),
    help="Name signers Subject_N, with this private mapping file (reused and extended if it exists).",
)
def export_training(
    source: str,
    output: str,
    unit: str | None,
    gloss_tier: str,
    handshape_tier: str,
    sentence_tier: str,
    root: str | None,
    landmarks: str | None,
    fps: float | None,
    mapping: str | None,
) -> None:
    """Export landmarks and labels of every segment of SOURCE (a corpus folder or a manifest from `kslars corpus
    manifest`) as a training set: OUTPUT/segments.jsonl (labels, signer, source file and times) and one
    OUTPUT/segments/NNNNNN.npz of landmarks per segment. Landmarks come from .pose files when found, else from the
    videos (MediaPipe). Files that cannot be exported are listed and the rest go on. See docs/corpus.md."""
    from kslars.corpus.export import ExportTiers, export_training_set
    from kslars.corpus.sources import corpus_rows
    from kslars.document import DocumentError
    from kslars.recognition.splits import read_signer_ids, write_signer_ids

    try:
        tiers = ExportTiers(
            gloss=gloss_tier or None,
            handshape=handshape_tier or None,
            sentence=sentence_tier or None,
            unit=unit or ("sentence" if sentence_tier else "gloss"),
        )
        folder, rows = corpus_rows(source, root)
        known = read_signer_ids(Path(mapping)) if mapping and Path(mapping).is_file() else {}
    except (DocumentError, ValueError, OSError) as e:
        fail(str(e))
    out = Path(output)
    if mapping and out.resolve() in Path(mapping).resolve().parents:
        fail("keep the private mapping outside the output folder")
    result = export_training_set(
        folder,
        rows,
        out,
        tiers,
        landmarks_dir=Path(landmarks) if landmarks else None,
        fps=fps,
        names=known if mapping else None,
        log=click.echo,
    )
    if mapping:
        write_signer_ids(Path(mapping), result.names)
    click.echo(f"{len(result.records)} segments from {len(rows)} files written to {out}")
    if result.problems:
        click.echo(f"Not exported ({len(result.problems)}):")
        for problem in result.problems:
            click.echo(f"  {problem['file']}: {problem['error']}")
    if result.leaks:
        fail("original names remain: " + "; ".join(result.leaks))
    if not result.records:
        fail("no segment was exported")


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
        lines.append(
            f"Glosses in {', '.join(glosses['tiers'])}: {glosses['tokens']:,} tokens, "
            f"{glosses['types']:,} types (vocabulary size), type/token ratio {glosses['type_token_ratio']}"
        )
    width = max([len(name) for name in result["tiers"]] + [4])
    lines += ["", f"{'Tier'.ljust(width)}  files  annotations  duration (s)"]
    for name, tier in result["tiers"].items():
        seconds = tier["duration_ms"] / 1000
        lines.append(f"{name.ljust(width)}  {tier['files']:5d}  {tier['annotations']:11,d}  {seconds:12,.1f}")
    if result["errors"]:
        lines += ["", "Not read:"] + [f"  {e['file']}: {e['error']}" for e in result["errors"]]
    return "\n".join(lines)
