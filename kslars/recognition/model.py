"""The recognition networks: a spatiotemporal feature extractor, then a BiLSTM (or a transformer), then CTC.

As in Koishybay, Mukushev and Sandygulova (ICPR 2020) on pose features: per-frame features are embedded
(spatial), temporal convolutions with max pooling shorten the sequence (every ``2 ** pools`` frames become one
step), a two-layer BiLSTM reads the steps, and a linear layer gives each step a distribution over glosses and
the CTC blank. ``unit_head`` classifies extractor steps directly; it is trained on gloss-unit segments during
iterative fine-tuning (kslars.recognition.iterative) and unused at inference.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from kslars.recognition.config import ModelConfig


class SpatiotemporalExtractor(nn.Module):
    """(B, T, F) features -> (B, T / stride, C): a per-frame embedding, then conv + pool stages over time."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.stride = config.stride
        self.embed = nn.Sequential(nn.Linear(config.features, config.channels), nn.ReLU(), nn.Dropout(config.dropout))
        stages: list[nn.Module] = []
        for _ in range(config.pools):
            stages += [
                nn.Conv1d(config.channels, config.channels, config.kernel, padding=config.kernel // 2),
                nn.BatchNorm1d(config.channels),
                nn.ReLU(),
                nn.MaxPool1d(2),
            ]
        self.temporal = nn.Sequential(*stages)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Extracted steps and their lengths; ``x`` is (B, T, F) with T at least the stride."""
        h = self.embed(x).transpose(1, 2)  # (B, C, T)
        h = self.temporal(h).transpose(1, 2)  # (B, T', C)
        return h, output_lengths(lengths, self.stride)


class BiLSTMHead(nn.Module):
    """(B, T', C) extracted steps -> (B, T', 2H) context from a bidirectional LSTM over the real steps only."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.lstm = nn.LSTM(
            config.channels,
            config.hidden,
            num_layers=config.layers,
            batch_first=True,
            bidirectional=True,
            dropout=config.dropout if config.layers > 1 else 0.0,
        )
        self.size = 2 * config.hidden

    def forward(self, h: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Context for every step; padding steps come out as zeros."""
        packed = pack_padded_sequence(h, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=h.shape[1])
        return out


class TransformerHead(nn.Module):
    """(B, T', C) -> (B, T', H): a transformer encoder with sinusoidal positions, padding masked out."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.project = nn.Linear(config.channels, config.hidden)
        layer = nn.TransformerEncoderLayer(
            config.hidden, config.heads, dim_feedforward=2 * config.hidden, dropout=config.dropout, batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False)
        self.size = config.hidden

    def forward(self, h: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Context for every step."""
        h = self.project(h)
        h = h + sinusoidal_positions(h.shape[1], h.shape[2], h.device)
        padding = torch.arange(h.shape[1], device=h.device)[None] >= lengths.to(h.device)[:, None]  # (B, T')
        return self.encoder(h, src_key_padding_mask=padding)


class CslrModel(nn.Module):
    """(B, T, F) features -> (B, T', V) log-probabilities over the blank (index 0) and the glosses."""

    mean: torch.Tensor  # buffers (saved with the weights)
    std: torch.Tensor

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        self.register_buffer("mean", torch.zeros(config.features))
        self.register_buffer("std", torch.ones(config.features))
        self.extractor = SpatiotemporalExtractor(config)
        self.sequence = BiLSTMHead(config) if config.architecture == "bilstm" else TransformerHead(config)
        self.classifier = nn.Linear(self.sequence.size, config.vocabulary_size)
        self.unit_head = nn.Linear(config.channels, config.vocabulary_size)

    def extract(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Normalised, padded to the stride, and passed through the feature extractor: (B, T', C) and lengths."""
        x = (x - self.mean) / self.std
        if x.shape[1] < self.config.stride:
            x = nn.functional.pad(x, (0, 0, 0, self.config.stride - x.shape[1]))
        return self.extractor(x, lengths.clamp(min=self.config.stride))

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Log-probabilities (B, T', V) and the number of real steps of each sequence."""
        h, steps = self.extract(x, lengths)
        context = self.sequence(h, steps)
        return self.classifier(context).log_softmax(-1), steps

    def unit_logits(self, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-step gloss logits (B, T', V) from the extractor alone (iterative fine-tuning)."""
        h, steps = self.extract(x, lengths)
        return self.unit_head(h), steps


def output_lengths(lengths: torch.Tensor, stride: int) -> torch.Tensor:
    """Steps left from sequences of ``lengths`` frames after pooling by ``stride`` (at least one)."""
    return torch.div(lengths, stride, rounding_mode="floor").clamp(min=1)


def sinusoidal_positions(length: int, size: int, device: torch.device) -> torch.Tensor:
    """(length, size) the fixed sine/cosine position encoding of Vaswani et al."""
    position = torch.arange(length, device=device, dtype=torch.float32)[:, None]
    rate = torch.exp(torch.arange(0, size, 2, device=device, dtype=torch.float32) * (-math.log(10000.0) / size))
    table = torch.zeros(length, size, device=device)
    table[:, 0::2] = torch.sin(position * rate)
    table[:, 1::2] = torch.cos(position * rate[: size // 2])
    return table
