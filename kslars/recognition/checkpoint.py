"""Recognition checkpoints (weights, model and training configuration, vocabulary, language model) and the
:class:`Recognizer` that turns a pose sequence into glosses with times."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from kslars.engine.segmentation.features import Skeleton
from kslars.recognition.config import DecodingConfig, ModelConfig, TrainingConfig
from kslars.recognition.decoding import decode, greedy_path
from kslars.recognition.features import sequence_features
from kslars.recognition.language_model import GlossLanguageModel
from kslars.recognition.model import CslrModel
from kslars.recognition.scoring.wer import WerResult, score_glosses
from kslars.recognition.vocabulary import GlossVocabulary
from kslars.torch_threads import cpu_threads

CHECKPOINT_FORMAT = "kslars-cslr"


@dataclass(frozen=True)
class RecognisedGloss:
    """A gloss with the time it was seen, in milliseconds from the start of the sequence."""

    gloss: str
    start_ms: int
    end_ms: int

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON output."""
        return dataclasses.asdict(self)


class Recognizer:
    """A trained model with its vocabulary, decoding options and optional language model."""

    def __init__(
        self,
        model: CslrModel,
        vocabulary: GlossVocabulary,
        decoding: DecodingConfig,
        lm: GlossLanguageModel | None = None,
        device: torch.device | None = None,
        metadata: dict[str, Any] | None = None,
        training: TrainingConfig | None = None,
    ) -> None:
        self.model = model
        self.vocabulary = vocabulary
        self.decoding = decoding
        self.lm = lm
        self.device = device or torch.device("cpu")
        self.metadata = metadata or {}
        self.training = training

    @property
    def fps(self) -> float:
        """The frame rate the model's features are computed at."""
        return self.model.config.fps

    @torch.no_grad()
    def log_probabilities(self, features: np.ndarray) -> np.ndarray:
        """(T', V) log-probabilities of one sequence of (T, F) features."""
        was_training = self.model.training
        self.model.eval()
        x = torch.from_numpy(np.ascontiguousarray(features, dtype=np.float32))[None].to(self.device)
        with cpu_threads(1, self.device):
            log_probs, steps = self.model(x, torch.tensor([len(features)], device=self.device))
        self.model.train(was_training)
        return log_probs[0, : int(steps[0])].float().cpu().numpy()

    def decode(self, log_probs: np.ndarray) -> list[str]:
        """Glosses of one sequence's log-probabilities, with the checkpoint's decoding options."""
        return self.vocabulary.decode(decode(log_probs, self.decoding, self.vocabulary.glosses, self.lm))

    def recognize(self, skeleton: Skeleton) -> list[RecognisedGloss]:
        """Glosses signed in ``skeleton`` with their times (from the greedy path's steps)."""
        log_probs = self.log_probabilities(sequence_features(skeleton, self.fps))
        step_ms = 1000.0 * self.model.config.stride / self.fps
        path = greedy_path(log_probs)
        glosses = self.decode(log_probs)
        path_glosses = self.vocabulary.decode(g.index for g in path)
        if path_glosses == glosses:  # greedy decoding: every gloss has its steps
            return [
                RecognisedGloss(gloss, round(g.first_step * step_ms), round((g.last_step + 1) * step_ms))
                for gloss, g in zip(glosses, path, strict=True)
            ]
        # beam search changed the sequence: spread the glosses evenly over the signed steps
        length = round(len(log_probs) * step_ms)
        edges = np.linspace(0, length, len(glosses) + 1).round().astype(int)
        return [RecognisedGloss(g, int(edges[i]), int(edges[i + 1])) for i, g in enumerate(glosses)]

    def hypotheses(self, items: Sequence[Any]) -> dict[str, list[str]]:
        """Sentence id -> recognised glosses of encoded items (``features`` and ``sample``)."""
        return {item.sample.id: self.decode(self.log_probabilities(item.features)) for item in items}

    def score(self, items: Sequence[Any], rules: str = "none") -> WerResult:
        """WER of the recognised glosses of encoded items against their samples' glosses, both cleaned by the
        named rules ("phoenix2014" for the official PHOENIX evaluation)."""
        references = {item.sample.id: item.sample.glosses for item in items}
        return score_glosses(references, self.hypotheses(items), rules)


def save_checkpoint(
    path: Path,
    model: CslrModel,
    vocabulary: GlossVocabulary,
    training: TrainingConfig,
    lm: GlossLanguageModel | None,
    metadata: dict[str, Any],
) -> None:
    """Write everything needed to rebuild the recognizer into one file (atomically)."""
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    checkpoint = {
        "format": CHECKPOINT_FORMAT,
        "model_config": dataclasses.asdict(model.config),
        "state_dict": state,
        "vocabulary": vocabulary.to_list(),
        "training": training.to_dict(),
        "lm": lm.to_dict() if lm is not None else None,
        "metadata": metadata,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    torch.save(checkpoint, temporary)
    temporary.replace(path)


def load_recognizer(path: str | Path, device: str = "auto") -> Recognizer:
    """The recognizer saved in ``path``, on CUDA when present (``device="auto"``) or the given device."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no recognition checkpoint at {path}; train one with `kslars cslr train CONFIG`")
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises several kinds for files that are not checkpoints
        raise ValueError(f"{path} is not a K-SLARS recognition checkpoint ({error})") from error
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{path} is not a K-SLARS recognition checkpoint")
    training = TrainingConfig.from_dict(checkpoint["training"])
    model = CslrModel(ModelConfig(**checkpoint["model_config"]))
    model.load_state_dict(checkpoint["state_dict"])
    target = torch.device(
        "cuda" if device == "auto" and torch.cuda.is_available() else ("cpu" if device == "auto" else device)
    )
    lm = GlossLanguageModel.from_dict(checkpoint["lm"]) if checkpoint.get("lm") else None
    return Recognizer(
        model.to(target).eval(),
        GlossVocabulary.from_list(checkpoint["vocabulary"]),
        training.decoding,
        lm,
        target,
        checkpoint.get("metadata", {}),
        training,
    )
