"""Training the letter classifiers: ``python -m kslars.dictionary.fingerspelling_train [ALPHABET ...]``.

Each alphabet's classifier learns from every real source it has (``fingerspelling_data.real_sources``), each
letter drawing the same number of varied hands from each source that shows it (so one photo weighs as much as
one clip), plus generated hands for the letters with a HamNoSys class (``GENERATED_CLASSES``). The weights go
to ``kslars/dictionary/weights/fingerspelling-<alphabet>.pt`` with their config, the alphabet, the training
settings and the held-out scores of ``fingerspelling_eval``. About a minute per alphabet on one core.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from kslars.dictionary.alphabets import get_alphabet
from kslars.dictionary.fingerspelling_augment import GENERATED_CLASSES, Variation, augment_real, generate_letter
from kslars.dictionary.fingerspelling_data import LetterSamples, real_sources
from kslars.dictionary.fingerspelling_model import LetterNet, LetterNetConfig, letter_features, save_checkpoint

WEIGHTS = Path(__file__).resolve().parent / "weights"


@dataclass(frozen=True)
class TrainConfig:
    """Training settings; saved in the checkpoint."""

    per_letter: int = 800  # varied hands per letter
    generated_share: float = 0.3  # of a letter's hands, when it has a HamNoSys class
    epochs: int = 30
    batch: int = 256
    learning_rate: float = 2e-3
    weight_decay: float = 1e-4
    label_smoothing: float = 0.1
    seed: int = 0


def weights_path(alphabet: str) -> Path:
    """Where the shipped classifier of an alphabet lives."""
    return WEIGHTS / f"fingerspelling-{alphabet}.pt"


def training_hands(
    alphabet: str, sources: list[LetterSamples], config: TrainConfig, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Features (M, F) and letter indices (M,) of varied real and generated hands; the letters learned."""
    letters = tuple(letter for letter in get_alphabet(alphabet).letters if any(letter in s.letters for s in sources))
    generated = GENERATED_CLASSES[alphabet]
    features, targets = [], []
    for index, letter in enumerate(letters):
        shown = [s.subset(s.letters == letter) for s in sources if letter in s.letters]
        n_generated = int(config.per_letter * config.generated_share) if letter in generated else 0
        per_source = (config.per_letter - n_generated) // len(shown)
        hands = [augment_real(s.hands, s.is_left, s.aspect, per_source, rng) for s in shown]
        if n_generated:
            real = shown[rng.integers(len(shown))]
            hands.append(generate_letter(generated[letter], real.hands, real.is_left, real.aspect, n_generated, rng))
        hands = np.concatenate(hands)
        features.append(letter_features(hands, np.zeros(len(hands), bool), 1.0))
        targets.append(np.full(len(hands), index))
    return np.concatenate(features), np.concatenate(targets), letters


def train_classifier(
    alphabet: str,
    sources: list[LetterSamples],
    config: TrainConfig = TrainConfig(),
    log: Callable[[str], None] | None = None,
) -> LetterNet:
    """A letter classifier trained on varied hands of ``sources`` (and generated hands)."""
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    features, targets, letters = training_hands(alphabet, sources, config, rng)
    net = LetterNet(LetterNetConfig(letters=letters))
    net.mean.copy_(torch.from_numpy(features.mean(axis=0)))
    net.std.copy_(torch.from_numpy(features.std(axis=0) + 1e-3))
    x, y = torch.from_numpy(features), torch.from_numpy(targets)
    optimiser = torch.optim.AdamW(net.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, config.learning_rate, total_steps=config.epochs * ((len(x) + config.batch - 1) // config.batch)
    )
    loss_fn = torch.nn.NLLLoss()
    for epoch in range(config.epochs):
        net.train()
        order = torch.randperm(len(x))
        total = 0.0
        for start in range(0, len(x), config.batch):
            batch = order[start : start + config.batch]
            log_probs = net(x[batch])
            smooth = -log_probs.mean(dim=1).mean()
            loss = (1 - config.label_smoothing) * loss_fn(log_probs, y[batch]) + config.label_smoothing * smooth
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        if log is not None:
            log(f"{alphabet} epoch {epoch + 1}/{config.epochs} loss {total / len(x):.3f}")
    return net.eval()


def train_shipped(alphabet: str, config: TrainConfig = TrainConfig(), path: Path | None = None) -> Path:
    """Train an alphabet's classifier on all its real sources, measure it held out, and save it."""
    from kslars.dictionary.fingerspelling_eval import evaluate_alphabet

    sources = real_sources(alphabet)
    net = train_classifier(alphabet, sources, config, log=print)
    report = evaluate_alphabet(alphabet, sources, config)
    path = path or weights_path(alphabet)
    save_checkpoint(
        net,
        alphabet,
        path,
        {
            "train": asdict(config),
            "variation": asdict(Variation()),
            "sources": {s.source: sorted(set(s.letters.tolist())) for s in sources},
            "metrics": report.summary(),
        },
    )
    print(report.text())
    return path


def main(alphabets: list[str]) -> None:
    """Train and save the classifiers of the named alphabets (all three when none is named)."""
    torch.set_num_threads(1)
    for alphabet in alphabets or ["ru", "kk", "asl"]:
        print(f"wrote {train_shipped(alphabet)}")


if __name__ == "__main__":
    main(sys.argv[1:])
