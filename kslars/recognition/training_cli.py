"""``kslars cslr train``, ``evaluate`` and ``recognize``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kslars.cli_errors import InputError


@click.command()
@click.argument("config_file", metavar="CONFIG", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--resume/--restart",
    default=True,
    show_default=True,
    help="continue from last.pt in the output folder when it is there",
)
@click.option("--device", default=None, help="cpu, cuda or auto (default: the configuration's, else auto)")
def train(config_file: Path, resume: bool, device: str | None) -> None:
    """Train a recognition model as the TOML file CONFIG says (docs/recognition/training.md)."""
    from tqdm import tqdm

    from kslars.recognition.experiment import experiment_samples
    from kslars.recognition.training import Trainer, schedule

    config = _load_config(config_file)
    if device:
        config.device = device
    try:
        parts = experiment_samples(config)
    except (OSError, ValueError) as error:
        raise InputError(str(error)) from error
    output = Path(config.output)
    click.echo(
        f"{len(parts['train'])} training, {len(parts['dev'])} development, {len(parts['test'])} test "
        f"sentences; writing into {output}"
    )
    total = sum(p.epochs for p in schedule(config))
    with tqdm(total=total, unit="epoch") as bar:

        def progress(phase: str, done: int, epochs: int) -> None:
            bar.set_description(phase)
            bar.update(1)

        trainer = Trainer(config, parts["train"], parts["dev"], output, progress)
        if resume and trainer.resume():
            done = sum(p.epochs for p in schedule(config)[: trainer.position[0]]) + trainer.position[1]
            bar.update(done)
            click.echo(f"resumed after {done} of {total} epochs")
        elif not resume:
            (output / "last.pt").unlink(missing_ok=True)
            (output / "log.csv").unlink(missing_ok=True)
        scores = trainer.run()
    if scores:
        click.echo(f"development WER {scores['dev_wer']:.2f}%")
    click.echo(
        f"checkpoints: {output / 'best.pt'} (lowest development WER), {output / 'final.pt'}; log: {output / 'log.csv'}"
    )


@click.command()
@click.argument("checkpoint", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--split", "part", type=click.Choice(["train", "dev", "test"]), default="test", show_default=True)
@click.option("--corpus-path", default=None, help="where the corpus lies, if not where it was trained")
@click.option("--beam", type=click.IntRange(1), default=None, help="beam width (default: the checkpoint's)")
@click.option(
    "--ctm",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="also write the hypotheses as a .ctm file (and the references beside it as .stm)",
)
@click.option("--json", "as_json", is_flag=True, help="print the scores as one JSON object")
def evaluate(
    checkpoint: Path, part: str, corpus_path: str | None, beam: int | None, ctm: Path | None, as_json: bool
) -> None:
    """Recognise one part of the checkpoint's corpus split and print its word error rate."""
    from kslars.recognition.batches import encode
    from kslars.recognition.checkpoint import load_recognizer
    from kslars.recognition.experiment import experiment_samples
    from kslars.recognition.scoring.cli import counts_json, summary
    from kslars.recognition.scoring.transcripts import Sentence, write_ctm, write_stm
    from kslars.recognition.scoring.wer import score_glosses
    from kslars.recognition.training import scoring_rules

    recognizer = _load_recognizer(checkpoint, load_recognizer)
    if beam is not None:
        recognizer.decoding.beam = beam
    try:
        samples = experiment_samples(recognizer.training, corpus_path)[part]
    except (OSError, ValueError) as error:
        raise InputError(str(error)) from error
    if not samples:
        raise InputError(f"the {part} part of the split is empty")
    items = encode(samples, recognizer.vocabulary, recognizer.fps)
    rules = scoring_rules(recognizer.training.corpus)
    hypotheses = recognizer.hypotheses(items)  # recognised once, for the score and the .ctm
    result = score_glosses({s.id: s.glosses for s in samples}, hypotheses, rules)
    if ctm is not None:
        write_ctm(ctm, [Sentence(i, tuple(g), 0) for i, g in hypotheses.items()])
        write_stm(ctm.with_suffix(".stm"), [Sentence(s.id, tuple(s.glosses), 0) for s in samples])
    if as_json:
        click.echo(json.dumps({"split": part, "sentences": len(samples), "rules": rules, **counts_json(result.counts)}))
    else:
        click.echo(f"{part}: {len(samples)} sentences ({rules} clean-up rules)")
        click.echo(summary(result.counts))


@click.command()
@click.argument("checkpoint", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("source", metavar="VIDEO|POSE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="print glosses with times as JSON")
def recognize(checkpoint: Path, source: Path, as_json: bool) -> None:
    """Recognise the glosses signed in a video (landmarks are extracted first) or a .pose file."""
    from kslars.progress import ProgressBar
    from kslars.recognition.checkpoint import load_recognizer
    from kslars.recognition.pose_input import skeleton_of

    recognizer = _load_recognizer(checkpoint, load_recognizer)
    bar = None if source.suffix.lower() == ".pose" else ProgressBar(source.name)  # videos: landmarks first
    try:
        skeleton = skeleton_of(source, fps=recognizer.fps, progress=bar)
    except (OSError, ValueError) as error:
        raise InputError(str(error)) from error
    finally:
        if bar is not None:
            bar.close()
    glosses = recognizer.recognize(skeleton)
    if as_json:
        click.echo(json.dumps({"source": source.name, "glosses": [g.to_dict() for g in glosses]}, ensure_ascii=False))
    else:
        click.echo(" ".join(g.gloss for g in glosses))


def _load_config(path: Path):
    from kslars.recognition.config import TrainingConfig

    try:
        return TrainingConfig.load(path)
    except (ValueError, TypeError) as error:
        raise InputError(f"{path}: {error}") from error


def _load_recognizer(path: Path, loader):
    try:
        return loader(path)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(str(error)) from error
