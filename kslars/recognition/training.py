"""Training a recognition model: end-to-end CTC, then rounds of iterative fine-tuning (ICPR 2020).

The schedule is a list of phases: ``ctc`` (the whole network on sentence-level gloss targets with CTC) for
``epochs``, then per fine-tuning round ``units`` (the feature extractor and its unit head on the corrected gloss-
unit alignment of every training sentence, kslars.recognition.alignment) for ``extractor_epochs`` and ``ctc`` again
for ``sequence_epochs``. After each epoch the model is scored on the development sentences, a row is appended to
``log.csv``, and ``last.pt`` is written with the optimiser and random states, so an interrupted run resumes where
it stopped; ``best.pt`` keeps the model with the lowest development WER.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from kslars.recognition.alignment import corrected_unit_labels
from kslars.recognition.batches import augmented, batches, encode
from kslars.recognition.checkpoint import Recognizer, save_checkpoint
from kslars.recognition.config import ModelConfig, TrainingConfig
from kslars.recognition.data import Sample
from kslars.recognition.features import FEATURE_SIZE
from kslars.recognition.language_model import GlossLanguageModel
from kslars.recognition.model import CslrModel
from kslars.recognition.scoring.wer import WerResult
from kslars.recognition.vocabulary import GlossVocabulary
from kslars.torch_threads import cpu_threads

LOG_FIELDS = (
    "phase",
    "iteration",
    "epoch",
    "train_loss",
    "dev_wer",
    "substitutions",
    "deletions",
    "insertions",
    "reference_words",
    "seconds",
)
Progress = Callable[[str, int, int], None]  # (phase description, epoch done, epochs in the phase)


@dataclass(frozen=True)
class Phase:
    """One stretch of the schedule: which loss, which fine-tuning round (0: end-to-end), how many epochs."""

    kind: str  # "ctc" or "units"
    iteration: int
    epochs: int


def schedule(config: TrainingConfig) -> list[Phase]:
    """The phases of a training run in order."""
    phases = [Phase("ctc", 0, config.epochs)]
    for round_ in range(1, config.iterations + 1):
        phases += [Phase("units", round_, config.extractor_epochs), Phase("ctc", round_, config.sequence_epochs)]
    return [p for p in phases if p.epochs > 0]


def pick_device(name: str) -> torch.device:
    """CUDA when asked for or when ``auto`` finds it, else the CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


class Trainer:
    """Trains one model on ``train`` sentences, scoring it on ``dev`` sentences, writing into ``output``."""

    def __init__(
        self,
        config: TrainingConfig,
        train: Sequence[Sample],
        dev: Sequence[Sample],
        output: Path,
        progress: Progress | None = None,
    ) -> None:
        if not train:
            raise ValueError("no training sentences: check the corpus path and the split")
        self.config = config
        self.output = output
        self.progress = progress or (lambda description, done, total: None)
        self.device = pick_device(config.device)
        torch.manual_seed(config.seed)
        self.rng = np.random.default_rng(config.seed)
        self.vocabulary = GlossVocabulary(g for s in train for g in s.glosses)
        self.model_config = ModelConfig(features=FEATURE_SIZE, vocabulary_size=len(self.vocabulary), **config.model)
        self.train = encode(train, self.vocabulary, self.model_config.fps)
        self.dev = encode(dev, self.vocabulary, self.model_config.fps)
        self.lm = (
            GlossLanguageModel.train([s.glosses for s in train], config.decoding.lm_order)
            if config.decoding.lm_order > 0
            else None
        )
        self.model = CslrModel(self.model_config).to(self.device)
        stacked = np.concatenate([e.features for e in self.train])
        self.model.mean.copy_(torch.from_numpy(stacked.mean(axis=0)))
        self.model.std.copy_(torch.from_numpy(np.maximum(stacked.std(axis=0), 1e-3)))
        self.optimizer = self._optimizer()
        self.position = (0, 0)  # (phase index, epochs done in it)
        self.best_wer = float("inf")

    def _optimizer(self) -> torch.optim.Optimizer:
        return torch.optim.AdamW(
            self.model.parameters(), lr=self.config.learning_rate, weight_decay=self.config.weight_decay
        )

    def resume(self) -> bool:
        """Continue from ``last.pt`` in the output folder if it is there; True when it was."""
        path = self.output / "last.pt"
        if not path.exists():
            return False
        state = torch.load(path, map_location=self.device, weights_only=False)
        self.model.load_state_dict(state["state_dict"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.position = tuple(state["position"])
        self.best_wer = state["best_wer"]
        self.rng.bit_generator.state = state["numpy_rng"]
        torch.set_rng_state(state["torch_rng"])
        return True

    def run(self) -> dict[str, float]:
        """Train through the whole schedule (from where a resumed run stopped); the last development scores."""
        self.output.mkdir(parents=True, exist_ok=True)
        with cpu_threads(1, self.device):
            return self._run_schedule()

    def _run_schedule(self) -> dict[str, float]:
        phases = schedule(self.config)
        scores: dict[str, float] = {}
        for index in range(self.position[0], len(phases)):
            phase = phases[index]
            if phase.kind == "units" and self.position[1] == 0:
                self._align_units()
            first = self.position[1] if index == self.position[0] else 0
            for epoch in range(first, phase.epochs):
                started = time.perf_counter()
                loss = self._epoch(phase)
                scores = self.score_dev()
                self.position = (index, epoch + 1) if epoch + 1 < phase.epochs else (index + 1, 0)
                self._log(phase, epoch + 1, loss, scores, time.perf_counter() - started)
                self._save(scores)
                self.progress(f"{phase.kind} {phase.iteration}", epoch + 1, phase.epochs)
        return scores

    def _epoch(self, phase: Phase) -> float:
        self.model.train()
        if phase.kind == "units":
            items = self.train  # labels are per step of the unchanged sentence: no time warping here
        else:
            options = self.config.augmentation if self.config.augment else None
            items = augmented(self.train, self.model_config.fps, options, self.rng)
        losses = []
        ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
        for batch in batches(items, self.config.batch_size, self.rng):
            x, lengths = batch.features.to(self.device), batch.lengths.to(self.device)
            if phase.kind == "units":
                logits, _ = self.model.unit_logits(x, lengths)
                assert batch.labels is not None, "the units phase runs after _align_units labelled every item"
                labels = batch.labels.to(self.device)[:, : logits.shape[1]]
                loss = torch.nn.functional.cross_entropy(logits[:, : labels.shape[1]].transpose(1, 2), labels)
            else:
                log_probs, steps = self.model(x, lengths)
                loss = ctc(
                    log_probs.transpose(0, 1),
                    batch.targets.to(self.device),
                    steps,
                    batch.target_lengths.to(self.device),
                )
            self.optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.config.clip_norm)
            self.optimizer.step()
            losses.append(float(loss.detach()))
        return float(np.mean(losses)) if losses else float("nan")

    def _align_units(self) -> None:
        """Label every step of every training sentence with its gloss (corrected alignment)."""
        recognizer = self.recognizer()
        for item in self.train:
            log_probs = recognizer.log_probabilities(item.features)
            item.labels = corrected_unit_labels(log_probs, item.targets)

    def recognizer(self) -> Recognizer:
        """The model as it is now, ready to recognise."""
        return Recognizer(self.model, self.vocabulary, self.config.decoding, self.lm, self.device)

    def score_dev(self) -> dict[str, float]:
        """WER and its parts on the development sentences (empty when there are none)."""
        if not self.dev:
            return {}
        return result_row(self.recognizer().score(self.dev, scoring_rules(self.config.corpus)))

    def _log(self, phase: Phase, epoch: int, loss: float, scores: dict[str, float], seconds: float) -> None:
        path = self.output / "log.csv"
        new = not path.exists()
        with path.open("a", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, LOG_FIELDS)
            if new:
                writer.writeheader()
            writer.writerow(
                {
                    "phase": phase.kind,
                    "iteration": phase.iteration,
                    "epoch": epoch,
                    "train_loss": f"{loss:.4f}",
                    "seconds": f"{seconds:.1f}",
                    **{k: scores.get(k, "") for k in LOG_FIELDS[4:9]},
                }
            )

    def _save(self, scores: dict[str, float]) -> None:
        metadata = {"dev": scores, "train_sentences": len(self.train), "dev_sentences": len(self.dev)}
        save_checkpoint(self.output / "final.pt", self.model, self.vocabulary, self.config, self.lm, metadata)
        wer = scores.get("dev_wer", float("inf"))
        if wer <= self.best_wer or not self.dev:
            self.best_wer = min(wer, self.best_wer)
            save_checkpoint(self.output / "best.pt", self.model, self.vocabulary, self.config, self.lm, metadata)
        state = {
            "state_dict": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "position": list(self.position),
            "best_wer": self.best_wer,
            "numpy_rng": self.rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(),
        }
        temporary = self.output / "last.pt.tmp"
        torch.save(state, temporary)
        temporary.replace(self.output / "last.pt")


def scoring_rules(corpus: str) -> str:
    """The clean-up rules a corpus is scored with: the official ones for PHOENIX, none for the others."""
    return "phoenix2014" if corpus.startswith("phoenix") else "none"


def result_row(result: WerResult) -> dict[str, float]:
    """A WER result as the log's columns."""
    counts = result.counts
    return {
        "dev_wer": round(counts.wer or 0.0, 2),
        "substitutions": counts.substitutions,
        "deletions": counts.deletions,
        "insertions": counts.insertions,
        "reference_words": counts.reference_words,
    }
