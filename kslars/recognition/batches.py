"""Samples as model input: per-epoch features (augmented for training), gloss targets, padded batches."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from kslars.recognition.data import Sample
from kslars.recognition.features import Augmentation, augment, sequence_features
from kslars.recognition.vocabulary import GlossVocabulary


@dataclass
class Encoded:
    """One sample's features (T, F) at the model rate and its targets (gloss indices); ``labels`` per step
    are set during iterative fine-tuning."""

    sample: Sample
    features: np.ndarray
    targets: list[int]
    labels: np.ndarray | None = None


@dataclass
class Batch:
    """Padded features (B, T, F), their lengths (B,), concatenated targets and their lengths, step labels."""

    items: list[Encoded]
    features: torch.Tensor
    lengths: torch.Tensor
    targets: torch.Tensor
    target_lengths: torch.Tensor
    labels: torch.Tensor | None


def encode(samples: Sequence[Sample], vocabulary: GlossVocabulary, fps: float) -> list[Encoded]:
    """Unaugmented features and gloss targets of every sample."""
    return [Encoded(s, sequence_features(s.skeleton, fps), vocabulary.encode(s.glosses)) for s in samples]


def augmented(
    items: Sequence[Encoded], fps: float, options: Augmentation | None, rng: np.random.Generator
) -> list[Encoded]:
    """The items with features of a randomly changed pose (the same items when ``options`` is None)."""
    if options is None:
        return list(items)
    return [
        Encoded(e.sample, sequence_features(augment(e.sample.skeleton, rng, options), fps), e.targets, e.labels)
        for e in items
    ]


def batches(items: Sequence[Encoded], size: int, rng: np.random.Generator | None = None) -> Iterator[Batch]:
    """Batches of ``size`` items, shuffled by ``rng`` when given, in similar lengths to keep padding small."""
    order = np.argsort([len(e.features) for e in items], kind="stable")
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    if rng is not None:
        rng.shuffle(groups)
    for group in groups:
        yield collate([items[i] for i in group])


def collate(items: Sequence[Encoded]) -> Batch:
    """Pad a list of items into one :class:`Batch` (labels are stretched to the features' length if set)."""
    lengths = [len(e.features) for e in items]
    features = np.zeros((len(items), max(lengths), items[0].features.shape[1]), dtype=np.float32)
    for row, item in enumerate(items):
        features[row, : len(item.features)] = item.features
    targets = [t for e in items for t in e.targets]
    labels = None
    item_labels = [e.labels for e in items if e.labels is not None]
    if len(item_labels) == len(items):
        steps = max(len(row_labels) for row_labels in item_labels)
        labels_array = np.full((len(items), steps), -100, dtype=np.int64)  # -100: ignored by cross-entropy
        for row, row_labels in enumerate(item_labels):
            labels_array[row, : len(row_labels)] = row_labels
        labels = torch.from_numpy(labels_array)
    return Batch(
        items=list(items),
        features=torch.from_numpy(features),
        lengths=torch.tensor(lengths),
        targets=torch.tensor(targets, dtype=torch.long),
        target_lengths=torch.tensor([len(e.targets) for e in items]),
        labels=labels,
    )
