"""Learning a project's own handshape labels from a few labelled examples.

A multinomial logistic regression over the invariant features and the shipped network's embedding; the
result is a checkpoint that carries the shipped networks too, so a project model is one self-contained file.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from kslars.engine.handmodel.camera import axis_angle_rotations
from kslars.engine.handshape import HandshapeClassifier
from kslars.engine.handshape.features import hand_features


def read_examples(path: Path) -> tuple[list[str], np.ndarray]:
    """Labels and hands (N, 21, D) from a CSV of rows ``label, x0, y0[, z0], ...`` (63 or 42 values).

    A first row whose second cell is not a number is taken as a header. Raises ValueError naming the line.
    """
    labels: list[str] = []
    rows: list[list[float]] = []
    with open(path, newline="", encoding="utf-8") as handle:
        for line_no, row in enumerate(csv.reader(handle), start=1):
            if not row or all(not cell.strip() for cell in row):
                continue
            try:
                values = [float(cell) for cell in row[1:]]
            except ValueError:
                if line_no == 1:
                    continue  # header
                raise ValueError(f"{path}, line {line_no}: landmark values must be numbers") from None
            if len(values) not in (63, 42):
                raise ValueError(f"{path}, line {line_no}: expected a label and 63 or 42 values, got {len(values)}")
            if rows and len(values) != len(rows[0]):
                raise ValueError(f"{path}, line {line_no}: {len(values)} values, but earlier rows have {len(rows[0])}")
            if not row[0].strip():
                raise ValueError(f"{path}, line {line_no}: the label (first column) is empty")
            labels.append(row[0].strip())
            rows.append(values)
    if not rows:
        raise ValueError(f"{path} has no examples")
    if len(set(labels)) < 2:
        raise ValueError(f"{path}: at least two different labels are needed, found {sorted(set(labels))}")
    data = np.array(rows)
    return labels, data.reshape(len(data), 21, data.shape[1] // 21)


def augment(hands: np.ndarray, copies: int, rng: np.random.Generator) -> np.ndarray:
    """``copies`` jittered versions of each hand (N * copies, 21, D): landmark noise and, in 3D, small turns."""
    scale = np.linalg.norm(hands[:, 9, :2] - hands[:, 0, :2], axis=1)[:, None, None]  # palm length
    out = np.repeat(hands, copies, axis=0)
    out = out + rng.normal(0.0, 0.03, out.shape) * np.repeat(scale, copies, axis=0)
    if hands.shape[2] == 3:  # turn about the wrist by up to about 25 degrees
        small = axis_angle_rotations(rng.normal(size=(len(out), 3)), rng.uniform(-0.45, 0.45, len(out)))
        wrist = out[:, :1]
        out = wrist + np.einsum("nij,nkj->nki", small, out - wrist)
    out[::copies] = hands  # keep the originals
    return out


def train_head(
    classifier: HandshapeClassifier, hands: np.ndarray, targets: np.ndarray, n_labels: int, dims: int, l2: float = 1e-3
) -> dict[str, Any]:
    """Fit a linear head (softmax regression) on features + embedding of ``hands`` for one input dimension."""
    import torch

    net = classifier.nets[dims]
    features = torch.from_numpy(hand_features(hands, None, 1.0, dims))
    with torch.no_grad():
        inputs = torch.cat([features, net.embed(features)], dim=1)
    mean, std = inputs.mean(dim=0), inputs.std(dim=0).clamp_min(1e-3)
    x = (inputs - mean) / std
    y = torch.from_numpy(targets)
    weight = torch.zeros(n_labels, x.shape[1], requires_grad=True)
    bias = torch.zeros(n_labels, requires_grad=True)
    optimiser = torch.optim.LBFGS([weight, bias], max_iter=200, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(x @ weight.T + bias, y) + l2 * weight.pow(2).sum()
        loss.backward()
        return loss

    optimiser.step(closure)
    return {"weight": weight.detach(), "bias": bias.detach(), "mean": mean, "std": std}


def train_custom(
    labels: list[str], hands: np.ndarray, base: HandshapeClassifier, seed: int = 0, copies: int = 20
) -> dict[str, Any]:
    """A project checkpoint that predicts ``labels`` (one per hand), for 3D and 2D input when hands are 3D."""
    names = sorted(set(labels))
    targets = np.repeat(np.array([names.index(label) for label in labels]), copies)
    augmented = augment(hands, copies, np.random.default_rng(seed))
    heads = {}
    for dims in [3, 2] if hands.shape[2] == 3 else [2]:
        head = train_head(base, augmented[..., :dims], targets, len(names), dims)
        heads[str(dims)] = {**head, "labels": names}
    checkpoint = {k: v for k, v in base.checkpoint.items() if k not in ("metrics", "heads")}
    return {**checkpoint, "heads": heads}
