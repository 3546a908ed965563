"""``kslars cslr ...``: continuous sign language recognition commands, each imported only when it runs."""

from __future__ import annotations

import click

from kslars.cli import LazyGroup

SUBCOMMANDS: dict[str, str] = {
    "score": "kslars.recognition.scoring.cli:score",
    "split": "kslars.recognition.datasets.cli:split",
    "train": "kslars.recognition.training_cli:train",
    "evaluate": "kslars.recognition.training_cli:evaluate",
    "recognize": "kslars.recognition.training_cli:recognize",
}


@click.group(cls=LazyGroup, lazy_commands=SUBCOMMANDS)
def cslr() -> None:
    """Continuous sign language recognition: train, evaluate, recognise, score (PHOENIX rules) and make splits."""
