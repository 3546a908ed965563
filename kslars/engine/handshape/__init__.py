"""Handshape classification in HamNoSys terms: base form first, then the full class within it.

``load_classifier()`` loads the shipped model (trained on the kinematic hand model by
``python -m kslars.engine.handshape.train``) or a project model made by ``kslars handshape train``.
torch is imported only when a classifier is loaded, so that importing this package stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kslars.engine.handshape.features import articulation, as_hands, hand_features
from kslars.hamnosys import HANDSHAPES

WEIGHTS = Path(__file__).resolve().parent.parent / "weights" / "handshape.pt"
CHECKPOINT_FORMAT = "kslars-handshape"
HEAD_INPUTS = "hamnosys-view+articulation"  # a project head over project_view(): the network's view and articulation()
VIEW_ONLY_INPUTS = "hamnosys-view"  # an earlier project head, over hamnosys_view() alone
_INVENTORY = {h.name: h.base_form for h in HANDSHAPES}


@dataclass(frozen=True)
class HandshapePrediction:
    """The classes most likely for one hand, best first, and the base form of the best class."""

    top: list[tuple[str, float]]  # (class name, probability), best first
    base_form: str


class HandshapeClassifier:
    """Classifies MediaPipe-style hand landmarks; holds a 3D and a 2D network, and optional project labels."""

    def __init__(self, checkpoint: dict[str, Any]) -> None:
        from kslars.engine.handshape.model import HandshapeNet, HandshapeNetConfig

        if checkpoint.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(f"not a K-SLARS handshape model (format {checkpoint.get('format')!r})")
        self.checkpoint = checkpoint
        self.nets: dict[int, HandshapeNet] = {}
        for dims, entry in checkpoint["models"].items():
            config = HandshapeNetConfig(**{**entry["config"], "classes": tuple(entry["config"]["classes"])})
            net = HandshapeNet(config)
            net.load_state_dict(entry["state"])
            self.nets[int(dims)] = net.eval()
        self.heads: dict[int, dict[str, Any]] = {int(d): h for d, h in checkpoint.get("heads", {}).items()}

    @property
    def labels(self) -> list[str]:
        """The labels this classifier predicts: project labels if it has them, else HamNoSys class names."""
        if self.heads:
            return list(next(iter(self.heads.values()))["labels"])
        return list(next(iter(self.nets.values())).config.classes)

    @property
    def vocabulary(self) -> str | None:
        """The name of the controlled vocabulary a project model's labels come from (None: not named)."""
        return self.checkpoint.get("vocabulary")

    def _dims(self, hands: np.ndarray) -> int:
        """The input dimension to read ``hands`` with: a 2D-only model reads 3D hands by their x and y."""
        available = self.heads or self.nets
        if hands.shape[2] in available:
            return hands.shape[2]
        if 2 in available:
            return 2
        raise ValueError(f"this model reads {sorted(available)}D landmarks, not {hands.shape[2]}D")

    def probabilities(
        self, hands: np.ndarray, is_left: np.ndarray | None = None, aspect: float | np.ndarray = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Label probabilities (N, L) in the order of ``labels``, and base-form probabilities (N, 12)."""
        import torch

        hands = as_hands(hands)
        dims = self._dims(hands)
        hands = hands[..., :dims]
        if dims in self.heads:
            net = self.nets[dims]
            features = torch.from_numpy(hand_features(hands, is_left, aspect, dims))
            shape = torch.from_numpy(articulation(hands, is_left, aspect))
            with torch.no_grad():
                probs = custom_head_probabilities(self.heads[dims], net, features, shape)
                base = net(features)[0]
            return probs.numpy(), base.exp().numpy()
        # 3D input is read by the 3D and the 2D network, and their probabilities averaged: MediaPipe's depth is
        # the least reliable coordinate, and the average is better than either on real hands.
        readers = [d for d in (3, 2) if d <= dims and d in self.nets]
        probs, bases = [], []
        for d in readers:
            features = torch.from_numpy(hand_features(hands, is_left, aspect, d))
            with torch.no_grad():
                base, within = self.nets[d](features)
            probs.append((base[:, self.nets[d].class_base] + within).exp().numpy())
            bases.append(base.exp().numpy())
        return np.mean(probs, axis=0), np.mean(bases, axis=0)

    def predict(
        self, hands: np.ndarray, is_left: np.ndarray | None = None, aspect: float = 1.0, top: int = 3
    ) -> list[HandshapePrediction]:
        """The ``top`` most likely classes of each hand (N, 21, 3) or (N, 21, 2); left hands are mirrored first."""
        hands = as_hands(hands)
        if len(hands) == 0:
            return []
        probs, base = self.probabilities(hands, is_left, aspect)
        labels = self.labels
        bases = next(iter(self.nets.values())).bases
        order = np.argsort(-probs, axis=1)[:, : max(1, top)]
        predictions = []
        for i, row in enumerate(order):
            best = labels[row[0]]
            predictions.append(
                HandshapePrediction(
                    top=[(labels[j], float(probs[i, j])) for j in row],
                    base_form=_INVENTORY.get(best, bases[int(np.argmax(base[i]))]),
                )
            )
        return predictions


def hamnosys_view(net: Any, features: Any) -> Any:
    """How a shipped network sees hands: log-probabilities of its classes and base forms (N, C + 12)."""
    import torch

    base, within = net(features)
    return torch.cat([base[:, net.class_base] + within, base], dim=1)


def project_view(net: Any, features: Any, shape: Any) -> Any:
    """What a project head reads: the network's view of the hands and their articulation (N, C + 12 + 35)."""
    import torch

    return torch.cat([hamnosys_view(net, features), shape], dim=1)


def custom_head_probabilities(head: dict[str, Any], net: Any, features: Any, shape: Any) -> Any:
    """Probabilities (N, L) of a project head: a linear layer over the standardised :func:`project_view` of the
    hands (``shape``: their :func:`~kslars.engine.handshape.features.articulation`). Project models made by the
    earlier methods read what they were fitted on: the network's view alone, or (without ``inputs``) the
    features and the embedding."""
    import torch

    if head.get("inputs") == HEAD_INPUTS:
        inputs = project_view(net, features, shape)
    elif head.get("inputs") == VIEW_ONLY_INPUTS:
        inputs = hamnosys_view(net, features)
    else:
        inputs = torch.cat([features, net.embed(features)], dim=1)
    return torch.softmax((inputs - head["mean"]) / head["std"] @ head["weight"].T + head["bias"], dim=1)


def base_form_of(label: str) -> str | None:
    """The HamNoSys base form of a label that is a class name of the inventory, else None."""
    return _INVENTORY.get(label)


def load_classifier(path: str | Path | None = None) -> HandshapeClassifier:
    """The classifier in ``path`` (a ``kslars handshape train`` model), or the shipped one when None."""
    import torch

    path = Path(path) if path is not None else WEIGHTS
    if not path.exists():
        hint = " (run `python -m kslars.engine.handshape.train`)" if path == WEIGHTS else ""
        raise FileNotFoundError(f"handshape model {path} does not exist{hint}")
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # a corrupt or foreign file: say which
        raise ValueError(f"{path} is not a readable handshape model: {error}") from error
    return HandshapeClassifier(checkpoint)
