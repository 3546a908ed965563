"""The sentences of an experiment: a training configuration's corpus, divided by its split."""

from __future__ import annotations

from pathlib import Path

from kslars.recognition.config import TrainingConfig
from kslars.recognition.data import Sample
from kslars.recognition.datasets import load_corpus
from kslars.recognition.splits import make_split, read_split

PARTS = ("train", "dev", "test")


def experiment_samples(config: TrainingConfig, path: str | None = None) -> dict[str, list[Sample]]:
    """Train, dev and test sentences of ``config`` (the corpus read from ``path`` instead of ``config.path``
    when given, e.g. where the corpus lies on another machine)."""
    samples = load_corpus(config.corpus, Path(path or config.path), **config.corpus_options)
    folder = Path(config.split)
    if folder.is_dir():
        ids = read_split(folder)
    else:
        ids = make_split(samples, config.split, seed=config.seed, **config.split_options)
    by_id = {s.id: s for s in samples}
    missing = sorted(i for part in ids.values() for i in part if i not in by_id)
    if missing:
        raise ValueError(f"the split names {len(missing)} sentence(s) not in the corpus, e.g. {missing[0]!r}")
    return {part: [by_id[i] for i in ids.get(part, [])] for part in PARTS}
