"""``kslars handshape``: classify hand landmarks, learn a project's labels, retrain the shipped model."""

from __future__ import annotations

import json
from pathlib import Path

import click

SUBCOMMANDS_HELP = """Handshapes in HamNoSys terms: classify hands, learn a project's labels, retrain the model.

Classify hands: kslars handshape LANDMARKS.npy [--aspect W/H] [--top K] [--json] [--model MODEL] [--left]

LANDMARKS.npy holds hands of shape (N, 21, 3) or (N, 63) in the MediaPipe Hands convention (x, y normalised by
image width and height, z relative depth), or (N, 21, 2) / (N, 42) when only 2D is known."""


class ClassifyByDefault(click.Group):
    """A group whose first argument is either a subcommand or a landmarks file to classify."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["classify", *args]
        return super().parse_args(ctx, args)


@click.group(cls=ClassifyByDefault, help=SUBCOMMANDS_HELP)
def handshape() -> None:
    """Handshape classification in HamNoSys terms."""


def parse_aspect(value: str) -> float:
    """An aspect ratio given as ``W/H`` (``16/9``) or as a number (``1.78``)."""
    try:
        if "/" in value:
            width, height = value.split("/", 1)
            aspect = float(width) / float(height)
        else:
            aspect = float(value)
    except (ValueError, ZeroDivisionError):
        raise click.BadParameter(f"{value!r} is not an aspect ratio like 16/9 or 1.78", param_hint="--aspect") from None
    if not aspect > 0:
        raise click.BadParameter(f"{value!r}: the aspect ratio must be positive", param_hint="--aspect")
    return aspect


@handshape.command("classify", hidden=True)
@click.argument("landmarks", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--aspect", default="1", show_default=True, help="Image width / height, e.g. 16/9.")
@click.option("--top", default=3, show_default=True, type=click.IntRange(1), help="How many classes per hand.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per hand.")
@click.option(
    "--model",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A model made by `kslars handshape train` (default: the shipped HamNoSys model).",
)
@click.option("--left", is_flag=True, help="The hands are left hands (they are mirrored before classifying).")
def classify(landmarks: Path, aspect: str, top: int, as_json: bool, model: Path | None, left: bool) -> None:
    """Classify every hand in LANDMARKS.npy."""
    import numpy as np

    from kslars.engine.handshape import base_form_of, load_classifier
    from kslars.engine.handshape.features import as_hands

    try:
        hands = as_hands(np.load(landmarks, allow_pickle=False))
    except ValueError as error:
        raise click.ClickException(f"{landmarks}: {error}") from None
    try:
        classifier = load_classifier(model)
        predictions = classifier.predict(hands, np.full(len(hands), left), parse_aspect(aspect), top)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for index, prediction in enumerate(predictions):
        if as_json:
            entries = [
                {"class": name, "base_form": base_form_of(name), "probability": round(p, 6)}
                for name, p in prediction.top
            ]
            click.echo(json.dumps({"top": entries}, ensure_ascii=False))
        else:
            click.echo(f"{index}\t" + "\t".join(f"{name} ({p:.2f})" for name, p in prediction.top))


@handshape.command("train")
@click.argument("examples", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the project model.",
)
def train(examples: Path, output: Path) -> None:
    """Learn a project's handshape labels from EXAMPLES.csv (rows: label, then 63 x,y,z or 42 x,y values)."""
    import torch

    from kslars.engine.handshape import load_classifier
    from kslars.engine.handshape.fewshot import read_examples, train_custom

    try:
        labels, hands = read_examples(examples)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    checkpoint = train_custom(labels, hands, load_classifier())
    output.parent.mkdir(parents=True, exist_ok=True)
    torch.save(checkpoint, output)
    counts = {label: labels.count(label) for label in sorted(set(labels))}
    click.echo(
        f"learned {len(counts)} labels from {len(labels)} examples: "
        + ", ".join(f"{k} ({v})" for k, v in counts.items())
    )
    click.echo(f"wrote {output}")


@handshape.command("retrain")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the model (default: the shipped kslars/engine/weights/handshape.pt).",
)
@click.option("--epochs", default=30, show_default=True, type=click.IntRange(1))
@click.option(
    "--per-class", default=1000, show_default=True, type=click.IntRange(10), help="Generated hands per class and epoch."
)
@click.option("--seed", default=0, show_default=True)
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write the accuracy table here.")
def retrain(output: Path | None, epochs: int, per_class: int, seed: int, report: Path | None) -> None:
    """Retrain the shipped HamNoSys handshape model on generated hands (a few minutes on 2 CPU cores)."""
    from tqdm import tqdm

    from kslars.engine.handshape import WEIGHTS
    from kslars.engine.handshape.train import TrainConfig, metrics_table, train_shipped
    from kslars.torch_threads import cpu_threads

    config = TrainConfig(per_class=per_class, epochs=epochs, seed=seed)
    with tqdm(total=2 * epochs, desc="training", unit="epoch") as bar:

        def log(message: str) -> None:
            bar.set_postfix_str(message)
            bar.update(1)

        with cpu_threads(1):  # the network is small: more threads only wait for each other on a busy machine
            checkpoint = train_shipped(output or WEIGHTS, config, log)
    table = metrics_table(checkpoint["metrics"])
    click.echo(table)
    if report:
        report.write_text(table + "\n", encoding="utf-8")
    click.echo(f"wrote {output or WEIGHTS}")
