"""Handshapes on real hands the models never trained on: HamNoSys base forms, and a project's own labels.

1. **Base form.** The shipped model trains on generated hands only, so every real hand is held out. The held
   frames of the fingerspelling lexicon's letters with a clear HamNoSys class (``ASL_LETTERS``, ``UKL_LETTERS``
   in ``kslars.engine.handshape.fingerspelling``; MediaPipe Holistic landmarks, one signer per language) are
   classified from 3D and from 2D landmarks: base-form top-1 and top-3 (from the base-form stage), the base form
   of the best class (what ``kslars handshape`` reports as ``base_form``), class top-1 and top-3, per letter and
   per language, a confusion table of base forms, and beside them the trivial answer (always the test set's
   most common base forms). ``--baseline MODEL`` scores another checkpoint the same way
   (the weights before a change, say).
2. **A project's own labels from one signer, tested on another.** ``SHARED_HANDSHAPES``: 11 handshapes that
   the ASL and the Ukrainian signer both make, under different letters. ``kslars handshape train``'s method
   (``kslars.engine.handshape.fewshot.train_custom``) learns them from at most 20 held frames per label of one
   signer, drawn at random, and is scored on every held frame of the other signer; ``--draws`` repeats, mean
   and standard deviation printed. Beside it, on the same draws: the method before the hands' articulation was
   added (softmax regression over the 2D network's view alone), the first method (softmax regression over
   the invariant features and the network's embedding) and the nearest neighbour among the examples'
   wrist-centred, scale-normalised, upright-turned 2D landmarks.

    .venv/bin/python benchmarks/bench_handshapes.py [--baseline OLD.pt] [--draws 10] [--data DIR]

Takes about 6 minutes on a busy 2-core machine (one thread). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from pathlib import Path

import numpy as np
import torch

from kslars.engine.handshape import VIEW_ONLY_INPUTS, HandshapeClassifier, hamnosys_view, load_classifier
from kslars.engine.handshape.features import hand_features
from kslars.engine.handshape.fewshot import L2, augment, fit_softmax, train_custom
from kslars.engine.handshape.fingerspelling import (
    LETTERS,
    LEXICON,
    LabelledHands,
    base_form_ranking,
    load_fingerspelling,
    shared_handshapes,
)
from kslars.hamnosys import BASE_FORMS, handshape

PER_LABEL = 20


def base_form_report(name: str, classifier: HandshapeClassifier, root: Path) -> None:
    """Print base-form and class accuracy per letter and language, and the base-form confusions, for one model."""
    print(f"\n## Base form on real hands: {name}\n")
    print(
        "| language | letter | class | frames | 3D base top-1 | 3D base top-3 | 2D base top-1 | 2D base top-3 | 3D said |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    summary, confusion = [], {d: Counter() for d in (3, 2)}
    for language, letters in LETTERS.items():
        data = load_fingerspelling(root, language, letters)
        truth = [handshape(c).base_form for c in data.classes]
        ranked = {d: base_form_ranking(classifier, data, d) for d in (3, 2)}
        said = {d: [p.top for p in classifier.predict(data.hands[..., :d], data.is_left, 1.0, top=3)] for d in (3, 2)}
        for d in (3, 2):
            confusion[d].update(zip(truth, (r[0] for r in ranked[d]), strict=True))
        for letter in dict.fromkeys(data.letters):
            rows = [i for i, x in enumerate(data.letters) if x == letter]
            cells = [f"{np.mean([ranked[d][i][:k].count(truth[i]) for i in rows]):.2f}" for d in (3, 2) for k in (1, 3)]
            common = Counter(said[3][i][0][0] for i in rows).most_common(1)[0]
            print(
                f"| {language} | {letter} | {letters[letter]} | {len(rows)} | "
                + " | ".join(cells)
                + f" | {common[0]} |"
            )
        common = [b for b, _ in Counter(truth).most_common(3)]
        for d in (3, 2):
            classes = [[c for c, _ in top] for top in said[d]]
            pairs = list(zip(ranked[d], classes, truth, data.classes, strict=True))
            values = [
                np.mean([r[0] == t for r, _, t, _ in pairs]),
                np.mean([t in r for r, _, t, _ in pairs]),
                np.mean([handshape(c[0]).base_form == t for _, c, t, _ in pairs]),
                np.mean([c[0] == k for _, c, _, k in pairs]),
                np.mean([k in c for _, c, _, k in pairs]),
                np.mean([t == common[0] for t in truth]),
                np.mean([t in common for t in truth]),
            ]
            summary.append(f"| {language} | {d}D | {len(truth)} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    print(
        "\n| language | input | hands | base top-1 | base top-3 | best class's base | class top-1 | class top-3 "
        "| trivial base top-1 | trivial base top-3 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(summary))
    for d in (3, 2):
        print(f"\nBase-form confusions, {d}D input (rows: true, columns: predicted; counts of hands):\n")
        rows = sorted({t for t, _ in confusion[d]}, key=list(BASE_FORMS).index)
        columns = sorted({p for _, p in confusion[d]}, key=list(BASE_FORMS).index)
        print("| true \\ said | " + " | ".join(columns) + " |")
        print("|---" * (len(columns) + 1) + "|")
        for t in rows:
            print(f"| {t} | " + " | ".join(str(confusion[d][t, p] or "") for p in columns) + " |")


def earlier_method(
    base: HandshapeClassifier, labels: list[str], hands: np.ndarray, seed: int, inputs: str | None
) -> HandshapeClassifier:
    """An earlier few-shot method, as a baseline: ``inputs`` ``VIEW_ONLY_INPUTS``, a softmax regression over the 2D
    network's view alone (the method before the articulation was added); None, the first method, a softmax
    regression over the invariant features and the embedding, per dims."""
    names = sorted(set(labels))
    copies = 20
    targets = torch.from_numpy(np.repeat([names.index(x) for x in labels], copies))
    augmented = augment(hands, copies, np.random.default_rng(seed))
    heads = {}
    for dims in [3, 2] if hands.shape[2] == 3 and inputs is None else [2]:
        net = base.nets[dims]
        features = torch.from_numpy(hand_features(augmented[..., :dims], None, 1.0, dims))
        with torch.no_grad():
            view = hamnosys_view(net, features) if inputs else torch.cat([features, net.embed(features)], dim=1)
        mean, std = view.mean(dim=0), view.std(dim=0).clamp_min(1e-3)
        weight, bias = fit_softmax((view - mean) / std, targets, len(names), L2 if inputs else 1e-3)
        heads[str(dims)] = {"weight": weight, "bias": bias, "mean": mean, "std": std, "labels": names}
        if inputs:
            heads[str(dims)]["inputs"] = inputs
    return HandshapeClassifier({**base.checkpoint, "heads": heads})


def nearest_neighbour(train: LabelledHands, index: np.ndarray, test: LabelledHands) -> np.ndarray:
    """Labels of the test hands by their nearest training example (upright, scale-normalised 2D landmarks)."""

    def points(data: LabelledHands, rows: np.ndarray | slice) -> np.ndarray:
        return hand_features(data.hands[rows], data.is_left[rows], 1.0, 2)[:, :42]  # upright, normalised points

    a, b = points(train, index), points(test, slice(None))
    labels = np.array(train.classes)[index]
    return labels[np.argmin(((b[:, None] - a[None]) ** 2).sum(axis=2), axis=1)]


def fewshot_report(base: HandshapeClassifier, root: Path, draws: int) -> None:
    """Print the cross-signer accuracy of project labels learnt from at most 20 examples per label."""
    sources = shared_handshapes(root)
    print(
        f"\n## A project's own labels: {len(set(sources['ase'].classes))} shared handshapes, at most {PER_LABEL} "
        f"examples per label from one signer, tested on every held frame of the other ({draws} draws)\n"
    )
    print(
        "| train -> test | input | test hands | current method | network's view only | first method | nearest neighbour |"
    )
    print("|---|---|---|---|---|---|---|")
    details = []
    for train_on, test_on in (("ase", "ukl"), ("ukl", "ase")):
        train, test = sources[train_on], sources[test_on]
        labels, truth = np.array(train.classes), np.array(test.classes)
        for dims in (2, 3):
            scores: dict[str, list[float]] = {"current": [], "view": [], "first": [], "nn": []}
            said_all: list[str] = []
            for draw in range(draws):
                rng = np.random.default_rng(draw)
                index = np.concatenate(
                    [rng.permutation(np.flatnonzero(labels == x))[:PER_LABEL] for x in sorted(set(labels))]
                )
                hands = train.hands[index][..., :dims]
                for key, model in (
                    ("current", HandshapeClassifier(train_custom(list(labels[index]), hands, base, seed=draw))),
                    ("view", earlier_method(base, list(labels[index]), hands, draw, VIEW_ONLY_INPUTS)),
                    ("first", earlier_method(base, list(labels[index]), hands, draw, None)),
                ):
                    said = [p.top[0][0] for p in model.predict(test.hands[..., :dims], test.is_left, 1.0, top=1)]
                    scores[key].append(float(np.mean(np.array(said) == truth)))
                    if key == "current":
                        said_all += said
                scores["nn"].append(float(np.mean(nearest_neighbour(train, index, test) == truth)))
            cells = [f"{np.mean(scores[k]):.3f} ± {np.std(scores[k]):.3f}" for k in ("current", "view", "first", "nn")]
            print(f"| {train_on} -> {test_on} | {dims}D | {len(truth)} | " + " | ".join(cells) + " |")
            said_arr, repeated = np.array(said_all), np.tile(truth, draws)
            per_label = []
            for x in sorted(set(truth)):
                m = repeated == x
                wrong = Counter(said_arr[m & (said_arr != x)]).most_common(1)
                per_label.append(f"{x} {np.mean(said_arr[m] == x):.2f}" + (f" (else {wrong[0][0]})" if wrong else ""))
            details.append(f"- {train_on} -> {test_on}, {dims}D, current method per label: " + ", ".join(per_label))
    print("\n" + "\n".join(details))


def main() -> None:
    """Print both reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another handshape checkpoint to score beside the shipped one")
    parser.add_argument("--draws", type=int, default=10, help="random draws of the few examples (default 10)")
    parser.add_argument("--data", type=Path, help="the shared data folder (default: ../shared/data)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    shared = args.data or Path(
        os.environ.get("KSLARS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared/data")
    )
    root = shared / LEXICON
    base = load_classifier()
    base_form_report("shipped model", base, root)
    if args.baseline:
        base_form_report(f"baseline {args.baseline.name}", load_classifier(args.baseline), root)
    fewshot_report(base, root, args.draws)


if __name__ == "__main__":
    main()
