"""A project's own handshape labels (``fewshot.train_custom``): what the head reads, and project models made by the
earlier methods, which must still load and answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from kslars.engine.handmodel import generate
from kslars.engine.handshape import (
    HEAD_INPUTS,
    VIEW_ONLY_INPUTS,
    HandshapeClassifier,
    hamnosys_view,
    load_classifier,
)
from kslars.engine.handshape.features import hand_features
from kslars.engine.handshape.fewshot import fit_softmax, train_custom

PROJECT = {"one": "finger2", "open": "finger2345_thumbout", "bunch": "pinchall"}


@pytest.fixture(scope="module")
def base() -> HandshapeClassifier:
    return load_classifier()


def labelled_hands(per_label: int, seed: int) -> tuple[list[str], np.ndarray]:
    """Generated right hands (x and z on the scale of y) of the project's labels, ``per_label`` each."""
    labels, hands = [], []
    for i, (label, name) in enumerate(PROJECT.items()):
        generated, aspect = generate(name, per_label, np.random.default_rng(seed + i))
        generated[..., [0, 2]] *= aspect[:, None, None]
        labels += [label] * per_label
        hands.append(generated)
    return labels, np.concatenate(hands)


def earlier_head(base: HandshapeClassifier, labels: list[str], hands: np.ndarray, inputs: str | None) -> dict:
    """A 2D project head as the earlier methods stored it: over the network's view (``VIEW_ONLY_INPUTS``), or,
    without ``inputs``, over the invariant features and the embedding."""
    names = sorted(set(labels))
    net = base.nets[2]
    features = torch.from_numpy(hand_features(hands[..., :2], None, 1.0, 2))
    with torch.no_grad():
        view = hamnosys_view(net, features) if inputs else torch.cat([features, net.embed(features)], dim=1)
    mean, std = view.mean(dim=0), view.std(dim=0).clamp_min(1e-3)
    targets = torch.tensor([names.index(x) for x in labels])
    weight, bias = fit_softmax((view - mean) / std, targets, len(names), 0.01)
    head = {"weight": weight, "bias": bias, "mean": mean, "std": std, "labels": names}
    return {**head, "inputs": inputs} if inputs else head


def test_a_project_head_reads_the_networks_view_and_the_articulation(base: HandshapeClassifier) -> None:
    labels, hands = labelled_hands(5, 0)
    head = train_custom(labels, hands[..., :2], base, copies=4)["heads"]["2"]
    view_size = len(base.nets[2].config.classes) + len(base.nets[2].bases)
    assert head["inputs"] == HEAD_INPUTS
    assert head["weight"].shape == (3, view_size + 35) and head["labels"] == sorted(PROJECT)


@pytest.mark.parametrize("inputs", [VIEW_ONLY_INPUTS, None])
def test_project_models_of_earlier_methods_still_load_and_answer(
    base: HandshapeClassifier, tmp_path: Path, inputs: str | None
) -> None:
    labels, hands = labelled_hands(15, 10)
    checkpoint = {**base.checkpoint, "heads": {"2": earlier_head(base, labels, hands, inputs)}}
    path = tmp_path / "old-project.pt"
    torch.save(checkpoint, path)
    model = load_classifier(path)

    test_labels, test_hands = labelled_hands(20, 100)
    for dims in (3, 2):
        said = [p.top[0][0] for p in model.predict(test_hands[..., :dims], top=1)]
        assert model.labels == sorted(PROJECT)
        assert np.mean(np.array(said) == np.array(test_labels)) >= 0.8
    probabilities, _ = model.probabilities(test_hands[..., :2])
    in_memory, _ = HandshapeClassifier(checkpoint).probabilities(test_hands[..., :2])
    assert np.allclose(probabilities, in_memory, atol=1e-6)
