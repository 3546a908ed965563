"""``kslars cslr split``: make a benchmark split of a corpus and write it as a public file plus a private mapping."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kslars.recognition.datasets import LOADERS
from kslars.recognition.splits import KINDS, SUBSETS


def _option(text: str) -> tuple[str, object]:
    """KEY=VALUE with VALUE read as JSON when it is (true, 3, ["dev"]), else as text."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r}: expected KEY=VALUE")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--corpus", type=click.Choice(list(LOADERS)), required=True, help="how PATH is laid out")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="signer",
    show_default=True,
    help="signer-independent, age-independent or unseen-sentence split",
)
@click.option(
    "--test", "test", multiple=True, help="a test signer (age group, sentence); repeat for more; default: drawn"
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--test-fraction", type=click.FloatRange(0, 1), default=0.2, show_default=True)
@click.option("--dev-fraction", type=click.FloatRange(0, 1), default=0.1, show_default=True)
@click.option(
    "--landmarks",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="landmarks (.pose) folder or file, for phoenix and eaf",
)
@click.option("-O", "--option", "options", multiple=True, help="a loader option KEY=VALUE, e.g. -O gloss_tier=Gloss")
@click.option(
    "--signer-ids",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="the private signer mapping [default: OUTDIR/signer-ids.private.csv]",
)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True, help="OUTDIR")
def split(
    path: Path,
    corpus: str,
    kind: str,
    test: tuple[str, ...],
    seed: int,
    test_fraction: float,
    dev_fraction: float,
    landmarks: Path | None,
    options: tuple[str, ...],
    signer_ids: Path | None,
    output: Path,
) -> None:
    """Split the corpus at PATH into train, dev and test and write OUTDIR/split.csv (signers as Subject_N).

    For example ``kslars cslr split --corpus boston104 AIND-Recognizer/data --kind signer --test man-1 -o split``.
    The mapping from real signer ids to Subject_N goes to a separate private file: keep it, do not publish it.
    """
    from kslars.recognition.datasets import load_corpus
    from kslars.recognition.splits import group_of, make_split, write_split

    loader_options = dict(_option(text) for text in options)
    if landmarks is not None:
        loader_options["landmarks"] = landmarks
    click.echo(f"Reading {corpus} from {path} ...")
    try:
        samples = load_corpus(corpus, path, **loader_options)
        chosen = make_split(
            samples, kind, seed=seed, test=list(test) or None, test_fraction=test_fraction, dev_fraction=dev_fraction
        )
        public, private = write_split(chosen, samples, output, signer_ids=signer_ids, seed=seed)
    except (OSError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    by_id = {s.id: s for s in samples}
    for subset in SUBSETS:
        members = [by_id[i] for i in chosen[subset]]
        click.echo(
            f"{subset:>5}: {len(members)} sentences, {len({s.signer for s in members})} signer(s), "
            f"{len({group_of(s, 'sentence') for s in members})} distinct sentences, "
            f"{sum(len(s.glosses) for s in members)} glosses"
        )
    click.echo(f"Split written to {public}")
    click.echo(f"Signer mapping written to {private}: keep it private; it is not part of the published split")
