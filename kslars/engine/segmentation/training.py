"""Training and evaluation of the segmentation model on the DGS clips of five transcripts (CPU, a few minutes).

Training crops random windows from the training runs. Every run is also seen re-sampled at lower frame
rates (and interpolated back), as the engine samples video more sparsely than the 50 fps training keypoints; with
``TrainingOptions.augmentation``, each of these copies but the first is also changed at random in body
proportions, speed and handedness (:mod:`~kslars.engine.segmentation.augment`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from kslars.engine.segmentation.augment import Augmentation, augment_run
from kslars.engine.segmentation.bio import B, Segment, decode_bio, decode_phrases, decode_signs, spans_to_tags
from kslars.engine.segmentation.config import SegmentationConfig
from kslars.engine.segmentation.dgs_data import DATASET, SIGN_TIER, Run, load_recordings
from kslars.engine.segmentation.features import frame_features, resample
from kslars.engine.segmentation.metrics import Scores, score
from kslars.engine.segmentation.model import SegmentationModel, Tagger, save_checkpoint

# Rates the training runs are re-sampled at before interpolation to the model rate.
AUGMENT_RATES = (50.0, 30.0, 25.0, 20.0, 15.0, 12.5)


@dataclass
class TrainingOptions:
    """How long and how to train."""

    steps: int = 2400
    batch: int = 16
    window: int = 200  # frames at the model rate
    learning_rate: float = 2e-3
    b_weight: float = 4.0  # B frames are rare; weigh them up in the loss
    noise: float = 0.5  # Gaussian noise added to the features, in standard deviations
    seed: int = 13
    # random changes to every copy of a run but the first (none by default: see docs/engine/segmentation.md)
    augmentation: Augmentation = field(default_factory=lambda: Augmentation(mirror=0.0, proportions=0.0, speed=0.0))


@dataclass
class Example:
    """One run as model input: features and gold tags at the model rate."""

    features: np.ndarray  # (T, F)
    sign_tags: np.ndarray  # (T,)
    phrase_tags: np.ndarray  # (T,)
    signs: list[tuple[int, int]]  # gold spans in frames
    phrases: list[tuple[int, int]]


def make_example(run: Run, fps: float, sample_fps: float | None = None) -> Example:
    """Features and tags of ``run`` at ``fps``; when ``sample_fps`` is set, first thinned to that rate."""
    skeleton = run.skeleton
    if sample_fps is not None and sample_fps < skeleton.fps:
        skeleton = resample(skeleton, sample_fps)
    features = frame_features(resample(skeleton, fps))
    n = len(features)

    def frames(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        tags = spans_to_tags(spans, n, fps)
        return [(s, e) for s, e in _tag_spans(tags)]

    return Example(
        features=features,
        sign_tags=spans_to_tags(run.signs, n, fps),
        phrase_tags=spans_to_tags(run.phrases, n, fps),
        signs=frames(run.signs),
        phrases=frames(run.phrases),
    )


def _tag_spans(tags: np.ndarray) -> list[tuple[int, int]]:
    """Frame spans of the gold tags (each starts at a B or after an O)."""
    onehot = np.eye(3)[tags]
    return [(s.start, s.end) for s in decode_bio(onehot)]


def train(
    dataset_dir: Path,
    output: Path,
    options: TrainingOptions | None = None,
    config: SegmentationConfig | None = None,
    log: Callable[[str], None] = print,
    hold_out: str | None = None,
) -> dict:
    """Train on the runs of every DGS transcript but ``hold_out`` (None: all five), score the held-out one,
    save the checkpoint to ``output``; returns its metadata. No options or config: the defaults."""
    options = options or TrainingOptions()
    recordings = load_recordings(dataset_dir)
    if hold_out is not None and hold_out not in recordings:
        raise ValueError(f"no transcript {hold_out!r}; expected one of {', '.join(recordings)}")
    transcripts = [name for name in recordings if name != hold_out]
    runs = [run for name in transcripts for run in recordings[name]]
    model = fit(runs, options, config, log)
    metadata = {
        "data": f"{DATASET}: {sum(len(r.clip_ids) for r in runs)} clips of speaker A, tier {SIGN_TIER}",
        "transcripts": transcripts,
        "options": dataclasses.asdict(options),
    }
    if hold_out is not None:
        metadata["held_out"] = {
            hold_out: {k: v.as_dict() for k, v in evaluate_runs(model, recordings[hold_out]).items()}
        }
    save_checkpoint(model, output, metadata)
    return metadata


def train_on_export(
    folder: Path, output: Path, options: TrainingOptions | None = None, log: Callable[[str], None] = print
) -> dict:
    """Train on the segments of a training set exported with ``kslars corpus export-training`` (their gloss
    annotations are the signs) and save the checkpoint to ``output``; returns its metadata."""
    from kslars.engine.segmentation.exported_runs import runs_from_training_set

    runs = runs_from_training_set(folder)
    if not runs:
        raise ValueError(f"{folder}: no exported segment holds a gloss annotation to learn signs from")
    options = options or TrainingOptions()
    model = fit(runs, options, SegmentationConfig(), log)
    metadata = {
        "data": f"exported training set {Path(folder).name}: {len(runs)} segments",
        "transcripts": [],
        "options": dataclasses.asdict(options),
    }
    save_checkpoint(model, output, metadata)
    return metadata


def fit(
    runs: list[Run],
    options: TrainingOptions | None = None,
    config: SegmentationConfig | None = None,
    log: Callable[[str], None] = print,
) -> SegmentationModel:
    """A model trained from scratch on ``runs``; member k from seed ``options.seed + k`` (deterministic).
    No options or config: the defaults."""
    options = options or TrainingOptions()
    config = config or SegmentationConfig()
    torch.set_num_threads(1)  # a small LSTM: more threads only contend on a busy 2-core machine
    rng = np.random.default_rng(options.seed)
    examples = [
        make_example(
            run if copy == 0 or not options.augmentation.active else augment_run(run, options.augmentation, rng),
            config.fps,
            rate,
        )
        for run in runs
        for copy, rate in enumerate(AUGMENT_RATES)
    ]
    model = SegmentationModel(config)
    stacked = np.concatenate([e.features for e in examples])
    model.mean.copy_(torch.from_numpy(stacked.mean(0)))
    model.std.copy_(torch.from_numpy(stacked.std(0) + 1e-3))
    for k in range(config.members):
        torch.manual_seed(options.seed + k)  # each member starts from its own seed
        model.members[k] = Tagger(config)
        _train_member(model, model.members[k], examples, options, options.seed + k, _prefixed(log, f"member {k}  "))
    return model.eval()


def _prefixed(log: Callable[[str], None], prefix: str) -> Callable[[str], None]:
    """``log`` with ``prefix`` before every message."""
    return lambda message: log(prefix + message)


def _train_member(
    model: SegmentationModel,
    member: nn.Module,
    examples: list[Example],
    options: TrainingOptions,
    seed: int,
    log: Callable[[str], None],
) -> None:
    rng = np.random.default_rng(seed)
    optimiser = torch.optim.AdamW(member.parameters(), lr=options.learning_rate, weight_decay=1e-2)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, options.learning_rate, total_steps=options.steps)
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor([1.0, options.b_weight, 1.0]))
    lengths = np.array([len(e.features) for e in examples], dtype=float)
    started = time.time()
    member.train()
    for step in range(options.steps):
        batch = window_batch(examples, lengths, options.batch, options.window, rng)
        loss = batch_loss(model, member, batch, loss_fn, options.noise)
        take_step(member, optimiser, schedule, loss)
        if step % 200 == 0 or step == options.steps - 1:
            log(f"step {step:4d}  loss {loss.item():.3f}  {time.time() - started:.0f} s")
    member.eval()


Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor]  # features (B, T, F), sign tags, phrase tags (B, T)


def window_batch(
    examples: list[Example], lengths: np.ndarray, size: int, window: int, rng: np.random.Generator
) -> Batch:
    """``size`` random windows of up to ``window`` frames, runs chosen in proportion to their ``lengths``."""
    chosen = rng.choice(len(examples), size=size, p=lengths / lengths.sum())
    w = min(window, int(lengths[chosen].min()))
    xs, ss, ps = [], [], []
    for i in chosen:
        e = examples[i]
        start = int(rng.integers(0, len(e.features) - w + 1))
        xs.append(e.features[start : start + w])
        ss.append(e.sign_tags[start : start + w])
        ps.append(e.phrase_tags[start : start + w])
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ss)), torch.from_numpy(np.stack(ps))


def batch_loss(
    model: SegmentationModel, member: nn.Module, batch: Batch, loss_fn: nn.Module, noise: float
) -> torch.Tensor:
    """Sign plus phrase loss of one ensemble ``member`` on ``batch``, its features normalised by ``model`` and
    ``noise`` standard deviations of Gaussian noise added."""
    x, ys, yp = batch
    h = model.normalise(x) + noise * torch.randn_like(x)
    sign_logits, phrase_logits = member(h)
    return loss_fn(sign_logits.reshape(-1, 3), ys.reshape(-1)) + loss_fn(phrase_logits.reshape(-1, 3), yp.reshape(-1))


def take_step(member: nn.Module, optimiser: torch.optim.Optimizer, schedule, loss: torch.Tensor) -> None:  # noqa: ANN001
    """One optimisation step of ``member`` on ``loss`` (gradients clipped to norm 1), then one of the schedule."""
    optimiser.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(member.parameters(), 1.0)
    optimiser.step()
    schedule.step()


def predict_segments(
    model: SegmentationModel, features: np.ndarray
) -> tuple[list[Segment], list[Segment], np.ndarray, np.ndarray]:
    """Decoded sign and phrase segments and their (T,) tags for one feature sequence."""
    sign_p, phrase_p = model.probabilities(features)
    signs, phrases = decode_signs(sign_p, model.config), decode_phrases(phrase_p, model.config)
    return signs, phrases, segments_to_tags(signs, len(features)), segments_to_tags(phrases, len(features))


def segments_to_tags(segments: list[Segment], frame_count: int) -> np.ndarray:
    """(T,) BIO tags of decoded segments."""
    tags = np.zeros(frame_count, dtype=np.int64)
    for s in segments:
        tags[s.start : s.end] = 2
        tags[s.start] = B
    return tags


def evaluate(model: SegmentationModel, dataset_dir: Path) -> dict[str, dict[str, Scores]]:
    """Sign and phrase scores of ``model`` on each DGS transcript's runs (transcript id -> scores)."""
    return {name: evaluate_runs(model, runs) for name, runs in load_recordings(dataset_dir).items()}


def evaluate_runs(model: SegmentationModel, runs: list[Run], sample_rate: float | None = None) -> dict[str, Scores]:
    """Sign and phrase scores of ``model`` pooled over ``runs`` (thinned to ``sample_rate`` first when given)."""
    sign_rows, phrase_rows = [], []
    for run in runs:
        example = make_example(run, model.config.fps, sample_rate)
        signs, phrases, sign_tags, phrase_tags = predict_segments(model, example.features)
        sign_rows.append((sign_tags, example.sign_tags, [(s.start, s.end) for s in signs], example.signs))
        phrase_rows.append((phrase_tags, example.phrase_tags, [(s.start, s.end) for s in phrases], example.phrases))
    return {"signs": score(sign_rows), "phrases": score(phrase_rows)}
