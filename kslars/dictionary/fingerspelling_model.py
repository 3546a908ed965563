"""The letter classifier: a description of the hand that holds across signers -> a small MLP -> letters.

Features (97 per hand), all after left hands are mirrored to right hands and the landmarks put on one scale:

- the engine's HamNoSys handshape probabilities (33 classes and 12 base forms, as logarithms): its classifier
  learnt from hundreds of thousands of generated hands of every shape and view, so it describes a hand in
  terms that do not depend on one signer's proportions;
- per finger, the cosines of its three joint angles and its direction from base to tip in the hand's own frame
  (30), the thumb and index tips in that frame (6) and the 10 fingertip-to-fingertip distances, in units of the
  palm: the details the 33 classes do not name (which finger touches the thumb, crossed fingers);
- the hand's orientation in the camera's frame, its distal axis and palm normal (6): several letters differ
  only in where the fingers point (Russian П points down, ASL H sideways and U up).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from kslars.engine.handshape.features import FINGERS, TIPS, canonical, hand_frame

if TYPE_CHECKING:
    from kslars.engine.handshape import HandshapeClassifier

CHECKPOINT_FORMAT = "kslars-fingerspelling"
FEATURES = 33 + 12 + 30 + 6 + 10 + 6


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


@lru_cache(maxsize=1)
def _handshape_classifier() -> HandshapeClassifier:
    from kslars.engine.handshape import load_classifier

    return load_classifier()


def finger_features(points: np.ndarray) -> np.ndarray:
    """Joint cosines and directions of each finger, thumb and index tips, tip distances (N, 46) in the hand frame."""
    centred = points - points[:, :1]
    frame = hand_frame(centred)
    scale = np.mean(np.linalg.norm(centred[:, [5, 9, 13, 17]], axis=2), axis=1)
    local = np.einsum("nij,nkj->nki", frame, centred) / np.maximum(scale, 1e-9)[:, None, None]
    parts = []
    for finger in FINGERS:
        bones = _unit(local[:, list(finger[1:])] - local[:, list(finger[:-1])])  # (N, 4, 3)
        parts += [np.sum(bones[:, 1:] * bones[:, :-1], axis=2), _unit(local[:, finger[4]] - local[:, finger[1]])]
    tips = local[:, list(TIPS)]
    distances = [np.linalg.norm(tips[:, a] - tips[:, b], axis=1) for a in range(5) for b in range(a + 1, 5)]
    return np.concatenate([*parts, local[:, 4], local[:, 8], np.stack(distances, axis=1)], axis=1)


def letter_features(hands: np.ndarray, is_left: np.ndarray, aspect: float | np.ndarray) -> np.ndarray:
    """Features (N, 97) of MediaPipe-style hands (N, 21, 3): handshape probabilities, fingers, orientation."""
    if len(hands) == 0:
        return np.zeros((0, FEATURES), np.float32)
    classes, base_forms = _handshape_classifier().probabilities(hands, is_left, aspect)
    points = canonical(hands, is_left, aspect)
    orientation = hand_frame(points - points[:, :1])[:, 1:].reshape(len(points), 6)  # distal axis, palm normal
    parts = [np.log(classes + 1e-4), np.log(base_forms + 1e-4), finger_features(points), orientation]
    return np.nan_to_num(np.concatenate(parts, axis=1).astype(np.float32))


@dataclass(frozen=True)
class LetterNetConfig:
    """Shape of a letter classifier; saved in its checkpoint."""

    letters: tuple[str, ...]
    features: int = FEATURES
    hidden: int = 128
    dropout: float = 0.2


class LetterNet(nn.Module):
    """Standardised features (B, F) -> letter log-probabilities (B, L)."""

    mean: torch.Tensor  # buffers (saved with the weights)
    std: torch.Tensor

    def __init__(self, config: LetterNetConfig) -> None:
        super().__init__()
        self.config = config
        self.register_buffer("mean", torch.zeros(config.features))
        self.register_buffer("std", torch.ones(config.features))
        self.layers = nn.Sequential(
            nn.Linear(config.features, config.hidden),
            nn.GELU(),
            nn.Dropout(config.dropout),
            nn.Linear(config.hidden, config.hidden),
            nn.GELU(),
            nn.Dropout(config.dropout),
            nn.Linear(config.hidden, len(config.letters)),
        )

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """Log-probabilities (B, L) of features (B, F)."""
        return torch.log_softmax(self.layers((features - self.mean) / self.std), dim=1)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Letter probabilities (N, L) of features (N, F), in evaluation mode."""
        self.eval()
        with torch.no_grad():
            return self(torch.from_numpy(features)).exp().numpy()


def save_checkpoint(net: LetterNet, alphabet: str, path: Path, extra: dict[str, Any]) -> None:
    """Write the network with its config, its alphabet and ``extra`` (training settings, metrics)."""
    state = {
        k: v.to(torch.float16) if v.is_floating_point() and k.startswith("layers") else v
        for k, v in net.state_dict().items()
    }  # half precision halves the file; probabilities do not change
    config = {**asdict(net.config), "letters": list(net.config.letters)}
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"format": CHECKPOINT_FORMAT, "alphabet": alphabet, "config": config, "state": state, **extra}, path)


def load_checkpoint(path: Path) -> tuple[LetterNet, dict[str, Any]]:
    """The network in a checkpoint and the checkpoint itself; ValueError for a file that is not one."""
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # a corrupt or foreign file: say which
        raise ValueError(f"{path} is not a readable fingerspelling model: {error}") from error
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{path} is not a K-SLARS fingerspelling model")
    config = LetterNetConfig(**{**checkpoint["config"], "letters": tuple(checkpoint["config"]["letters"])})
    net = LetterNet(config)
    net.load_state_dict({k: v.float() for k, v in checkpoint["state"].items()})
    return net.eval(), checkpoint
