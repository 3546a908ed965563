"""Fingerspelling: held-out accuracy per alphabet, and the speed of reading letters from landmarks.

Accuracy: ``kslars.dictionary.fingerspelling_eval`` (trains the held-out models, about a minute per alphabet on
one core) prints top-1, top-3, the confusions and the baselines described in docs/dictionary/fingerspelling.md.
Speed: letters of 2,000 real hands (held frames of the Ukrainian lexicon) with the shipped ``ru`` classifier,
against the engine's handshape classifier on the same hands (measured in the same run; the letter classifier
runs it inside, so the ratio is the cost of everything else).

    .venv/bin/python benchmarks/bench_fingerspelling.py [--skip-accuracy] [ALPHABET ...]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import torch


def hands_per_second(run: Callable[[np.ndarray], object], hands: np.ndarray, repeats: int = 3) -> float:
    """The best of ``repeats`` rates of ``run(hands)`` in hands per second."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run(hands)
        best = min(best, time.perf_counter() - start)
    return len(hands) / best


def main() -> None:
    """Print the held-out accuracy report and the speed comparison."""
    from kslars.dictionary.fingerspelling import recognise_hands
    from kslars.dictionary.fingerspelling_data import lexicon_letters
    from kslars.dictionary.fingerspelling_eval import main as accuracy_report
    from kslars.engine.handshape import load_classifier

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("alphabets", nargs="*", default=[])
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if not args.skip_accuracy:
        accuracy_report(args.alphabets)
    samples = lexicon_letters("ru")
    pick = np.random.default_rng(0).integers(0, len(samples.hands), 2000)
    hands, aspect = samples.hands[pick], float(samples.aspect[0])
    recognise_hands(hands[:10], "ru", aspect=aspect)  # load the model
    classifier = load_classifier()
    letters = hands_per_second(lambda h: recognise_hands(h, "ru", aspect=aspect), hands)
    baseline = hands_per_second(lambda h: classifier.predict(h, None, aspect), hands)
    print(f"letters (ru, top 3):           {letters:8.0f} hands/s")
    print(f"baseline: handshape classes:   {baseline:8.0f} hands/s")
    print(f"ratio letters / baseline:      {letters / baseline:8.2f}")


if __name__ == "__main__":
    main()
