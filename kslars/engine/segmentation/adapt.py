"""Fine-tuning the segmentation model on a signer's own annotated signing: learning from an annotator's corrections.

:func:`fine_tune` starts from a trained model (the shipped weights or a project's) and trains every member of the
ensemble for 300 small steps on the given runs: random windows, each run also seen thinned to the lower
frame rates of training (:data:`~kslars.engine.segmentation.training.AUGMENT_RATES`) and with Gaussian feature
noise. The feature normalisation and the decoding settings of the starting model are kept. A tier that was not
annotated (``learn_signs`` / ``learn_phrases`` off) adds nothing to the loss, so its head is left as it was
trained. On two CPU cores this takes well under a minute for a few minutes of signing.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from kslars.engine.segmentation.dgs_data import Run
from kslars.engine.segmentation.model import SegmentationModel
from kslars.engine.segmentation.training import (
    AUGMENT_RATES,
    Example,
    batch_loss,
    make_example,
    take_step,
    window_batch,
)
from kslars.torch_threads import cpu_threads

IGNORE = -100  # tag of frames whose tier was not annotated: no loss


@dataclass
class AdaptOptions:
    """How to fine-tune (see docs/engine/segmentation.md, "Learning from corrections", for how they were chosen)."""

    steps: int = 300  # per member of the ensemble
    batch: int = 8
    window: int = 150  # frames at the model rate
    learning_rate: float = 1e-3
    b_weight: float = 4.0
    noise: float = 0.5
    seed: int = 13
    learn_signs: bool = True
    learn_phrases: bool = True


def adaptation_examples(model: SegmentationModel, runs: list[Run], options: AdaptOptions) -> list[Example]:
    """The runs as training examples at the model's rate, each also thinned to every lower training rate; the
    tags of a tier that is not learnt are :data:`IGNORE`."""
    examples = []
    for run in runs:
        rates = sorted({min(rate, run.skeleton.fps) for rate in AUGMENT_RATES}, reverse=True)
        for rate in rates:
            example = make_example(run, model.config.fps, rate)
            if not options.learn_signs:
                example.sign_tags = np.full_like(example.sign_tags, IGNORE)
            if not options.learn_phrases:
                example.phrase_tags = np.full_like(example.phrase_tags, IGNORE)
            examples.append(example)
    if not examples or not any(len(e.features) for e in examples):
        raise ValueError("nothing to learn from: the annotated part holds no frames")
    return examples


def fine_tune(
    base: SegmentationModel,
    runs: list[Run],
    options: AdaptOptions | None = None,
    progress: Callable[[float], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> SegmentationModel:
    """A copy of ``base`` fine-tuned on ``runs`` (their sign and phrase spans are the truth; deterministic for
    the same seed). ``progress(fraction)`` is called now and then; ``should_cancel()`` returning True stops the
    work by raising :class:`InterruptedError`."""
    options = options or AdaptOptions()
    if not (options.learn_signs or options.learn_phrases):
        raise ValueError("choose signs, phrases or both to learn")
    examples = adaptation_examples(base, runs, options)
    model = copy.deepcopy(base)
    lengths = np.array([len(e.features) for e in examples], dtype=float)
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor([1.0, options.b_weight, 1.0]), ignore_index=IGNORE)
    total = options.steps * len(model.members)
    with cpu_threads(1):
        for k, member in enumerate(model.members):
            rng = np.random.default_rng(options.seed + k)
            torch.manual_seed(options.seed + k)
            optimiser = torch.optim.AdamW(member.parameters(), lr=options.learning_rate, weight_decay=1e-2)
            schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, options.steps)
            member.train()
            for step in range(options.steps):
                if should_cancel is not None and should_cancel():
                    raise InterruptedError("fine-tuning was cancelled")
                batch = window_batch(examples, lengths, options.batch, options.window, rng)
                take_step(member, optimiser, schedule, batch_loss(model, member, batch, loss_fn, options.noise))
                if progress is not None and step % 10 == 0:
                    progress((k * options.steps + step) / total)
            member.eval()
    if progress is not None:
        progress(1.0)
    return model.eval()


@torch.no_grad()
def mean_loss(model: SegmentationModel, runs: list[Run], options: AdaptOptions | None = None) -> float:
    """The model's weighted cross-entropy (signs + phrases, as fine-tuning minimises it) over whole runs at the
    model's rate, without noise or dropout."""
    options = options or AdaptOptions()
    examples = [make_example(run, model.config.fps) for run in runs]
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor([1.0, options.b_weight, 1.0]), ignore_index=IGNORE)
    model.eval()
    losses = []
    with cpu_threads(1):
        for e in examples:
            x = torch.from_numpy(e.features)[None]
            sign, phrase = model(x)
            loss = 0.0
            if options.learn_signs:
                loss += loss_fn(sign[0], torch.from_numpy(e.sign_tags)).item()
            if options.learn_phrases:
                loss += loss_fn(phrase[0], torch.from_numpy(e.phrase_tags)).item()
            losses.append((loss, len(e.features)))
    return float(sum(loss * n for loss, n in losses) / max(1, sum(n for _, n in losses)))


def adapted_metadata(base: SegmentationModel, sources: list[str], options: AdaptOptions, seconds: float) -> dict:
    """What a fine-tuned checkpoint records about how it was made."""
    return {
        "fine_tuned_from": base.metadata.get("data", "the shipped weights"),
        "base_metadata": base.metadata,
        "adapted_on": sources,
        "adapt_options": {k: v for k, v in vars(options).items()},
        "adapt_seconds": round(seconds, 1),
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
