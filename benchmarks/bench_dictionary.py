"""Reverse-dictionary search over the Ham2Pose lexicon (5,747 importable signs of 5,752), after the landmarks are known.

Measures, alternating in one run, wall-clock milliseconds of:

- ``landmarks``: ``search_by_landmarks`` for one real hand (a held frame of the ASL letter L): the handshape
  classifier on the hand, its orientation, scoring every sign with numpy and ranking the best 20 (the classifier
  is loaded before; loading it, MediaPipe on the photo and reading the dictionary file are not part of a search);
- ``palette``: ``search_by_handshape`` for two handshapes from the palette;
- ``text``: ``search_by_text`` with a typo (prefix and fuzzy matching over every gloss);
- ``baseline``: the landmarks search with its scoring done by a plain per-sign Python loop (the same
  classifier output, the same scores and order), to show what the vectorised scoring saves.

It prints the median and 95th percentile of each. The goal: a landmarks search under 50 ms.

    .venv/bin/python benchmarks/bench_dictionary.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KSLARS_SHARED_DATA", REPO.parent / "shared" / "data"))
HAM2POSE = SHARED / "rotem-shalev__Ham2Pose/data/hamnosys/data.json"


def naive_search(lexicon, hand: np.ndarray, classifier, limit: int = 20) -> list[tuple[float, str]]:  # noqa: ANN001
    """The landmarks search with a per-sign Python loop for the scoring and ranking."""
    from kslars.dictionary.handshape_classes import CLASS_NAMES
    from kslars.dictionary.search import ORIENTATION_BONUS, SAME_BASE_CREDIT, class_probabilities
    from kslars.engine.orientation import finger_direction, palm_orientation
    from kslars.hamnosys import handshape

    probabilities = dict(
        zip(CLASS_NAMES, class_probabilities(hand[None], np.array([False]), 1.0, classifier)[0], strict=True)
    )
    base_of = {name: handshape(name).base_form for name in CLASS_NAMES}
    base_total: dict[str, float] = {}
    for name, p in probabilities.items():
        base_total[base_of[name]] = base_total.get(base_of[name], 0.0) + p
    finger, palm = finger_direction(hand[None])[0], palm_orientation(hand[None])[0]
    scored = []
    for sign, form in zip(lexicon.signs, lexicon.forms, strict=True):
        if form.dominant is None:
            continue
        own = probabilities[form.dominant]
        match = own + SAME_BASE_CREDIT * (base_total[base_of[form.dominant]] - own)
        bonus = 1 + ORIENTATION_BONUS * ((form.finger_direction == finger) + (form.palm == palm))
        score = match * bonus / (1 + 2 * ORIENTATION_BONUS)
        if score > 0:
            scored.append((-score, sign.gloss.casefold(), sign.id))
    scored.sort()
    return [(-s, i) for s, _, i in scored[:limit]]


def timings(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Milliseconds of ``repeat`` alternating runs of each function, after one warm-up run each."""
    for fn in runs.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            start = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    import torch

    from kslars.dictionary.importers import read_signs
    from kslars.dictionary.lexicon import Lexicon
    from kslars.dictionary.search import search_by_handshape, search_by_landmarks, search_by_text
    from kslars.engine.handshape import load_classifier
    from kslars.engine.handshape.fingerspelling import LEXICON, load_fingerspelling

    torch.set_num_threads(1)
    start = time.perf_counter()
    lexicon = Lexicon(read_signs(HAM2POSE).signs)
    build_ms = (time.perf_counter() - start) * 1000
    data = load_fingerspelling(SHARED / LEXICON, "ase", {"L": "finger2_thumbout"})
    hand = data.hands[len(data.hands) // 2]
    classifier = load_classifier()
    ours = [(r.score, r.sign.id) for r in search_by_landmarks(lexicon, hand, classifier=classifier)]
    theirs = naive_search(lexicon, hand, classifier)
    if [i for _, i in ours] != [i for _, i in theirs] or not np.allclose([s for s, _ in ours], [s for s, _ in theirs]):
        raise SystemExit("the baseline ranks differently from search_by_landmarks")
    times = timings(
        {
            "landmarks": lambda: search_by_landmarks(lexicon, hand, classifier=classifier),
            "palette": lambda: search_by_handshape(lexicon, "hamfinger2", "hamflathand"),
            "text": lambda: search_by_text(lexicon, "smiel"),
            "baseline": lambda: naive_search(lexicon, hand, classifier),
        },
        args.repeat,
    )
    print(
        f"{len(lexicon)} signs (imported and indexed in {build_ms:.0f} ms), {args.repeat} runs each, wall-clock, "
        "1 torch thread"
    )
    print(f"{'search':12}{'median ms':>11}{'p95 ms':>9}")
    for name, values in times.items():
        p95 = float(np.percentile(values, 95))
        print(f"{name:12}{statistics.median(values):11.2f}{p95:9.2f}")
    ratio = statistics.median(times["baseline"]) / statistics.median(times["landmarks"])
    print(f"landmarks search vs. per-sign Python loop: {ratio:.1f}x faster (median)")


if __name__ == "__main__":
    main()
