"""The segmentation network: a few BiLSTMs over per-frame features with BIO heads for signs and for phrases.

Checkpoints carry their :class:`SegmentationConfig` (and the feature normalisation), so
:func:`load_segmentation_model` rebuilds the network without any other information.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import torch
from torch import nn

from kslars.engine.segmentation.config import SegmentationConfig
from kslars.torch_threads import cpu_threads

WEIGHTS = Path(__file__).resolve().parent.parent / "weights" / "segmentation.pt"


class Tagger(nn.Module):
    """One member of the ensemble: normalised (B, T, F) features -> sign and phrase logits (B, T, 3) each."""

    def __init__(self, config: SegmentationConfig) -> None:
        super().__init__()
        self.project = nn.Sequential(nn.Linear(config.features, config.hidden), nn.GELU(), nn.Dropout(config.dropout))
        self.lstm = nn.LSTM(
            config.hidden,
            config.hidden,
            num_layers=config.layers,
            batch_first=True,
            bidirectional=True,
            dropout=config.dropout if config.layers > 1 else 0.0,
        )
        self.sign_head = nn.Linear(2 * config.hidden, 3)
        self.phrase_head = nn.Linear(2 * config.hidden, 3)

    def forward(self, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Logits for every frame of normalised features ``h``."""
        h, _ = self.lstm(self.project(h))  # (B, T, 2H)
        return self.sign_head(h), self.phrase_head(h)


class SegmentationModel(nn.Module):
    """(B, T, F) features -> sign (B, T, 3) and phrase (B, T, 3) log-probabilities over tags O, B, I.

    ``config.members`` taggers, trained apart from different seeds, vote by averaging their probabilities:
    with so little training data one tagger's segments depend much on its seed, their average much less.
    """

    mean: torch.Tensor  # buffers (saved with the weights)
    std: torch.Tensor

    def __init__(self, config: SegmentationConfig) -> None:
        super().__init__()
        self.config = config
        self.metadata: dict[str, Any] = {}  # what the checkpoint says about its training
        self.register_buffer("mean", torch.zeros(config.features))
        self.register_buffer("std", torch.ones(config.features))
        self.members = nn.ModuleList(Tagger(config) for _ in range(config.members))

    def normalise(self, x: torch.Tensor) -> torch.Tensor:
        """Raw features in standard deviations of the training features."""
        return (x - self.mean) / self.std

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Log of the members' mean probabilities for every frame; ``x`` is (B, T, F) raw features."""
        h = self.normalise(x)
        outputs = [member(h) for member in self.members]
        sign = torch.stack([o[0].softmax(-1) for o in outputs]).mean(0)
        phrase = torch.stack([o[1].softmax(-1) for o in outputs]).mean(0)
        return sign.log(), phrase.log()

    @torch.no_grad()
    def probabilities(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(T, 3) sign and (T, 3) phrase probabilities for one sequence of (T, F) features."""
        self.eval()
        x = torch.from_numpy(np.ascontiguousarray(features, dtype=np.float32))[None]
        with cpu_threads(1):  # the recurrence is sequential: extra threads only wait on each other
            sign, phrase = self(x)
        return sign.softmax(-1)[0].numpy(), phrase.softmax(-1)[0].numpy()


def save_checkpoint(model: SegmentationModel, path: Path | BinaryIO, metadata: dict[str, Any]) -> None:
    """Save weights, config and ``metadata`` (training data, scores) in one small file (or a file object)."""
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}
    torch.save({"config": dataclasses.asdict(model.config), "state_dict": state, "metadata": metadata}, path)


def load_segmentation_model(path: str | Path | None = None) -> SegmentationModel:
    """The trained model from ``path`` (default: the weights shipped with K-SLARS), ready for inference."""
    path = Path(path) if path is not None else WEIGHTS
    if not path.exists():
        raise FileNotFoundError(f"segmentation weights {path} are missing; train them with `kslars train segmentation`")
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        config = dict(checkpoint["config"])
    except Exception as error:  # torch raises many kinds for a file that is not a checkpoint
        raise ValueError(f"{path} is not a segmentation checkpoint ({type(error).__name__})") from error
    config.setdefault(
        "sign_b_threshold", config.get("b_threshold", 0.5)
    )  # older weights started signs and phrases alike
    model = SegmentationModel(SegmentationConfig(**config))
    try:
        model.load_state_dict({k: v.float() for k, v in checkpoint["state_dict"].items()})
    except RuntimeError as error:  # e.g. weights from an older layout of the network or the features
        raise ValueError(
            f"segmentation weights {path} do not fit this version of K-SLARS; retrain them with "
            f"`kslars train segmentation` ({str(error).splitlines()[0]})"
        ) from error
    model.metadata = checkpoint.get("metadata", {})
    return model.eval()
