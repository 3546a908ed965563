"""Learning a project's own handshape labels from a few labelled examples.

A multinomial logistic regression over how the shipped 2D network sees each hand (its log-probabilities of the
33 HamNoSys classes and 12 base forms) and how the hand is formed (:func:`features.articulation`: joint bends,
finger spread, thumb and fingertip distances in units of palm size). That network was trained on hundreds of
thousands of generated hands of every proportion and view, so its view of a hand changes little from one signer
or camera to another; the articulation does not depend on where the hand points in the image, and says what the
network's view blurs. A few examples per label are enough (docs/engine/handshapes.md, "A project's own
labels"). The few examples are
varied (finger turns, landmark noise, and for 3D examples small turns of the whole hand) before fitting. The
result is a checkpoint that carries the shipped networks too, so a project model is one self-contained file.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from kslars.engine.handmodel.camera import axis_angle_rotations
from kslars.engine.handshape import HEAD_INPUTS, HandshapeClassifier, project_view
from kslars.engine.handshape.features import FINGERS, articulation, hand_features

L2 = 0.01  # weight penalty of the regression (best of 0.0003-0.2 on the cross-signer benchmark; of 0.003-0.03 again)


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
    """``copies`` varied versions of each hand (N * copies, 21, D), the originals among them.

    Each finger is turned about its knuckle by a few degrees in the image plane (another signer's looser or
    tighter fingers), landmarks get noise of up to 3 % of the palm length, and 3D hands are also turned about
    the wrist by up to about 25 degrees (another camera), which changes what their (x, y) show.
    """
    scale = np.linalg.norm(hands[:, 9, :2] - hands[:, 0, :2], axis=1)[:, None, None]  # palm length
    out = np.repeat(hands, copies, axis=0)
    for finger in FINGERS:
        knuckle, joints = finger[1], list(finger[2:])
        angle = np.radians(rng.normal(0.0, 6.0, len(out)))
        cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
        offset = out[:, joints, :2] - out[:, knuckle : knuckle + 1, :2]
        turned = np.stack([cos * offset[..., 0] - sin * offset[..., 1], sin * offset[..., 0] + cos * offset[..., 1]], 2)
        out[:, joints, :2] = out[:, knuckle : knuckle + 1, :2] + turned
    out = out + rng.normal(0.0, 1.0, out.shape) * rng.uniform(0.0, 0.03, (len(out), 1, 1)) * np.repeat(scale, copies, 0)
    if hands.shape[2] == 3:  # turn about the wrist by up to about 25 degrees
        small = axis_angle_rotations(rng.normal(size=(len(out), 3)), rng.uniform(-0.45, 0.45, len(out)))
        wrist = out[:, :1]
        out = wrist + np.einsum("nij,nkj->nki", small, out - wrist)
    out[::copies] = hands  # keep the originals
    return out


def fit_softmax(x: Any, targets: Any, n_labels: int, l2: float) -> tuple[Any, Any]:
    """Weight (L, F) and bias (L,) of a softmax regression of ``targets`` (N,) on standardised ``x`` (N, F)."""
    import torch

    weight = torch.zeros(n_labels, x.shape[1], requires_grad=True)
    bias = torch.zeros(n_labels, requires_grad=True)
    optimiser = torch.optim.LBFGS([weight, bias], max_iter=200, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(x @ weight.T + bias, targets) + l2 * weight.pow(2).sum()
        loss.backward()
        return loss

    optimiser.step(closure)
    return weight.detach(), bias.detach()


def train_head(
    classifier: HandshapeClassifier, hands: np.ndarray, targets: np.ndarray, n_labels: int
) -> dict[str, Any]:
    """Fit a softmax regression from the (x, y) of ``hands`` to ``targets``: from the shipped 2D network's view of
    them and their articulation (:func:`kslars.engine.handshape.project_view`)."""
    import torch

    net = classifier.nets[2]
    features = torch.from_numpy(hand_features(hands[..., :2], None, 1.0, 2))
    with torch.no_grad():
        inputs = project_view(net, features, torch.from_numpy(articulation(hands[..., :2])))
    mean, std = inputs.mean(dim=0), inputs.std(dim=0).clamp_min(1e-3)
    weight, bias = fit_softmax((inputs - mean) / std, torch.from_numpy(targets), n_labels, L2)
    return {"weight": weight, "bias": bias, "mean": mean, "std": std, "inputs": HEAD_INPUTS}


def train_custom(
    labels: list[str], hands: np.ndarray, base: HandshapeClassifier, seed: int = 0, copies: int = 20
) -> dict[str, Any]:
    """A project checkpoint that predicts ``labels`` (one per hand, right hands) from 3D or 2D input.

    The labels are learnt over how the shipped 2D network sees a hand, so the model reads 3D hands by their x
    and y as well; 3D examples add views turned out of the image plane.
    """
    from kslars.torch_threads import cpu_threads

    names = sorted(set(labels))
    targets = np.repeat(np.array([names.index(label) for label in labels]), copies)
    augmented = augment(hands, copies, np.random.default_rng(seed))
    with cpu_threads(1):
        head = train_head(base, augmented, targets, len(names))
    checkpoint = {k: v for k, v in base.checkpoint.items() if k not in ("metrics", "heads")}
    return {**checkpoint, "heads": {"2": {**head, "labels": names}}}
