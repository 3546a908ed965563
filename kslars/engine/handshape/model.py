"""The handshape network: an MLP over invariant features with a two-stage (base form, then class) output."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from kslars.hamnosys import BASE_FORMS, handshape


@dataclass(frozen=True)
class HandshapeNetConfig:
    """Dimensions of a handshape network; saved in its checkpoint so that it can be rebuilt."""

    n_features: int
    classes: tuple[str, ...]
    dims: int = 3  # 3: features of (x, y, z) landmarks; 2: of (x, y) only
    hidden: int = 256
    embedding: int = 128


class HandshapeNet(nn.Module):
    """Features (B, F) -> base-form logits (B, 12) and class logits (B, C) from a shared embedding.

    The class probability is P(base form) * P(class | base form): the class logits are normalised only among
    the classes of one base form.
    """

    mean: torch.Tensor  # buffers (saved with the weights)
    std: torch.Tensor
    class_base: torch.Tensor
    member: torch.Tensor

    def __init__(self, config: HandshapeNetConfig) -> None:
        super().__init__()
        self.config = config
        self.bases = tuple(BASE_FORMS)
        class_base = [self.bases.index(handshape(c).base_form) for c in config.classes]
        self.register_buffer("mean", torch.zeros(config.n_features))
        self.register_buffer("std", torch.ones(config.n_features))
        self.register_buffer("class_base", torch.tensor(class_base))
        member = torch.full((len(self.bases), len(config.classes)), float("-inf"))
        member[class_base, torch.arange(len(config.classes))] = 0.0
        self.register_buffer("member", member)  # (12, C): 0 where the class belongs to the base form
        self.body = nn.Sequential(
            nn.Linear(config.n_features, config.hidden),
            nn.GELU(),
            nn.Linear(config.hidden, config.hidden),
            nn.GELU(),
            nn.Linear(config.hidden, config.embedding),
            nn.GELU(),
        )
        self.base_head = nn.Linear(config.embedding, len(self.bases))
        self.class_head = nn.Linear(config.embedding, len(config.classes))

    def embed(self, features: torch.Tensor) -> torch.Tensor:
        """The shared embedding (B, E) of standardised features."""
        return self.body((features - self.mean) / self.std)

    def forward(self, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Base-form log-probabilities (B, 12) and class-within-base-form log-probabilities (B, C)."""
        h = self.embed(features)
        base = torch.log_softmax(self.base_head(h), dim=1)
        logits = self.class_head(h)  # (B, C)
        per_base = torch.logsumexp(logits[:, None, :] + self.member[None], dim=2)  # (B, 12)
        return base, logits - per_base[:, self.class_base]

    def class_log_probs(self, features: torch.Tensor) -> torch.Tensor:
        """log P(class) (B, C) = log P(base form) + log P(class | base form)."""
        base, within = self(features)
        return base[:, self.class_base] + within
