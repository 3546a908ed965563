"""Real labelled hands: fingerspelling poses (ASL, Ukrainian) whose letters have a clear HamNoSys class.

The poses are MediaPipe Holistic .pose files (pose-format) listed in an ``index.csv`` with the letter in its
``words`` column. pose-format stores x and y in pixels and the hands' z as MediaPipe gives it, so x and y are
divided by the frame size to get the MediaPipe convention back. Only the middle half of each clip is used:
the letter is held there, while the clip's start and end show the hand moving in and out.

Two uses: the HamNoSys class (and base form) of letters with a clear one, for the shipped model, which never
trains on real hands; and handshapes the two signers share under different letters (``SHARED_HANDSHAPES``),
for learning a project's own labels from one signer and testing them on the other.

Run ``python -m kslars.engine.handshape.fingerspelling [FOLDER]`` to print the accuracy of the shipped model;
``benchmarks/bench_handshapes.py`` prints the full report.
"""

from __future__ import annotations

import csv
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# The fingerspelling lexicon of sign-language-processing/spoken-to-signed-translation, under the shared data.
LEXICON = "sign-language-processing__spoken-to-signed-translation/spoken_to_signed/assets/fingerspelling_lexicon"

# ASL letters whose handshape is one HamNoSys class without doubt (letters with crossed fingers, a thumb
# between fingers or a handshape outside the inventory are left out).
ASL_LETTERS: dict[str, str] = {
    "A": "fist_thumbout",  # fist, thumb stretched along the side of the index
    "B": "flathand_thumbacross",
    "C": "ceeall",
    "D": "finger2",  # thumb on the curled middle finger
    "F": "pinch12open",
    "G": "finger2_thumbout",  # index pointing sideways, thumb stretched beside it
    "H": "finger23",
    "K": "finger23spread",  # thumb tip between index and middle, on the middle finger
    "L": "finger2_thumbout",
    "O": "pinchall",  # all fingertips touch the thumb tip (HamNoSys writes the O as hampinchall)
    "P": "finger23spread",  # K pointing down
    "S": "fist",  # thumb across the front of the curled fingers
    "U": "finger23",
    "V": "finger23spread",
    "X": "finger2_hooked",
}
# Ukrainian (dactyl close to the Russian and Kazakh ones) letters with a clear class; several point downward.
UKL_LETTERS: dict[str, str] = {
    "В": "flathand_thumbacross",
    "Г": "finger2_thumbout",  # index pointing down, thumb out
    "Л": "finger23spread",  # pointing down
    "П": "finger23",  # pointing down
    "С": "ceeall",
}
LETTERS = {"ase": ASL_LETTERS, "ukl": UKL_LETTERS}

# One handshape under different letters of the two signers: label -> (ASL letters, Ukrainian letters), checked
# by drawing the held landmarks of each clip. Ukrainian Г, Л and П point down or sideways where ASL L, V and U
# point up; ASL L and G (index and thumb, thumb away or beside) are both the Ukrainian Г.
SHARED_HANDSHAPES: dict[str, tuple[str, str]] = {
    "A": ("AS", "А"),
    "B": ("B", "В"),
    "C": ("C", "С"),
    "E": ("E", "Е"),
    "K": ("K", "К"),
    "L": ("LG", "Г"),
    "U": ("UH", "П"),
    "V": ("V", "Л"),
    "W": ("W", "Ш"),
    "X": ("X", "Х"),
    "Y": ("Y", "У"),
}


@dataclass(frozen=True)
class LabelledHands:
    """Hands (N, 21, 3) in the MediaPipe convention with their handedness, class and source letter."""

    hands: np.ndarray
    is_left: np.ndarray
    classes: list[str]
    letters: list[str]


def read_pose_hand(path: Path) -> tuple[np.ndarray, bool]:
    """The best-tracked hand of a Holistic .pose file: landmarks (T, 21, 3) of the frames where it was found."""
    from pose_format import Pose

    pose = Pose.read(path.read_bytes())
    width, height = pose.header.dimensions.width, pose.header.dimensions.height
    data = np.asarray(pose.body.data.data)[:, 0]  # (T, points, 3)
    confidence = np.asarray(pose.body.confidence)[:, 0]
    best: tuple[np.ndarray, bool] = (np.zeros((0, 21, 3)), False)
    offset = 0
    for component in pose.header.components:
        size = len(component.points)
        if component.name in ("LEFT_HAND_LANDMARKS", "RIGHT_HAND_LANDMARKS"):
            found = np.all(confidence[:, offset : offset + size] > 0, axis=1)
            hand = data[found, offset : offset + size].astype(np.float64) / [width, height, 1.0]
            if len(hand) > len(best[0]):
                best = (hand, component.name.startswith("LEFT"))
        offset += size
    return best


def load_fingerspelling(folder: Path, language: str = "ase", letters: dict[str, str] = ASL_LETTERS) -> LabelledHands:
    """The held frames of every mapped letter in a fingerspelling lexicon folder (with its ``index.csv``)."""
    hands, is_left, classes, names = [], [], [], []
    with open(folder / "index.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["signed_language"] == language and r["words"] in letters]
    seen = set()
    for row in rows:
        if row["path"] in seen:
            continue
        seen.add(row["path"])
        hand, left = read_pose_hand(folder / row["path"])
        held = hand[len(hand) // 4 : max(len(hand) // 4 + 1, 3 * len(hand) // 4)]
        hands.append(held)
        is_left.append(np.full(len(held), left))
        classes += [letters[row["words"]]] * len(held)
        names += [row["words"]] * len(held)
    if not hands:
        raise ValueError(f"no fingerspelling poses of {sorted(letters)} found in {folder}")
    return LabelledHands(np.concatenate(hands), np.concatenate(is_left), classes, names)


def shared_handshapes(folder: Path) -> dict[str, LabelledHands]:
    """The held hands of ``SHARED_HANDSHAPES`` per language (``ase``, ``ukl``), labelled by the shared label."""
    return {
        language: load_fingerspelling(
            folder, language, {letter: label for label, pair in SHARED_HANDSHAPES.items() for letter in pair[index]}
        )
        for index, language in enumerate(("ase", "ukl"))
    }


def base_form_ranking(classifier: Any, data: LabelledHands, dims: int, top: int = 3) -> list[list[str]]:
    """The ``top`` most likely HamNoSys base forms of every hand, from the base-form stage of the classifier."""
    _, base = classifier.probabilities(data.hands[..., :dims], data.is_left, 1.0)
    bases = next(iter(classifier.nets.values())).bases
    return [[bases[j] for j in row] for row in np.argsort(-base, axis=1)[:, :top]]


def letter_accuracy(predicted: list[list[str]], data: LabelledHands) -> dict[str, dict[str, float]]:
    """Per letter: fraction of frames whose best class, best base form, or top-3 is right."""
    from kslars.hamnosys import handshape

    stats: dict[str, dict[str, float]] = {}
    for letter in dict.fromkeys(data.letters):
        rows = [i for i, name in enumerate(data.letters) if name == letter]
        truth = data.classes[rows[0]]
        stats[letter] = {
            "class": float(np.mean([predicted[i][0] == truth for i in rows])),
            "base_form": float(
                np.mean([handshape(predicted[i][0]).base_form == handshape(truth).base_form for i in rows])
            ),
            "top3": float(np.mean([truth in predicted[i] for i in rows])),
            "frames": float(len(rows)),
        }
    return stats


def main(folder: str | None = None) -> None:
    """Print the shipped model's accuracy on the fingerspelling poses (default: ``$KSLARS_SHARED_DATA``)."""
    from kslars.engine.handshape import load_classifier

    shared = Path(os.environ.get("KSLARS_SHARED_DATA", Path(__file__).resolve().parents[4] / "shared" / "data"))
    root = Path(folder) if folder else shared / LEXICON
    classifier = load_classifier()
    columns = [f"{d} {k}" for d in ("3D", "2D") for k in ("class", "base form", "top-3")]
    print("| language | letter | class | frames | " + " | ".join(columns) + " |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    summary = []
    for language, letters in LETTERS.items():
        data = load_fingerspelling(root, language, letters)
        results = {}
        for dims in (3, 2):
            predictions = classifier.predict(data.hands[..., :dims], data.is_left, 1.0, top=3)
            results[dims] = letter_accuracy([[name for name, _ in p.top] for p in predictions], data)
        for letter, stats in results[3].items():
            cells = [f"{results[d][letter][k]:.2f}" for d in (3, 2) for k in ("class", "base_form", "top3")]
            print(f"| {language} | {letter} | {letters[letter]} | {int(stats['frames'])} | " + " | ".join(cells) + " |")
        for d in (3, 2):
            mean = {k: np.mean([s[k] for s in results[d].values()]) for k in ("class", "base_form", "top3")}
            summary.append(f"{language} {d}D mean over letters: " + ", ".join(f"{k} {v:.2f}" for k, v in mean.items()))
    print("\n".join(summary))


if __name__ == "__main__":
    main(*sys.argv[1:2])
