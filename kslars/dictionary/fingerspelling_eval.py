"""Held-out accuracy of the letter classifiers on real hands of a signer and camera they never saw.

``python -m kslars.dictionary.fingerspelling_eval [ALPHABET ...]`` (or ``benchmarks/bench_fingerspelling.py``)
prints, per alphabet, top-1 and top-3 accuracy, the confusions and two trivial baselines.

- ``ru``/``kk``: train on one real source (plus generated hands), test on the other: the Ukrainian lexicon
  signer filmed by one camera and the Kazakh photos of another signer. The held-out model knows the letters of
  its training source; the test samples are the other source's hands of those letters.
- ``asl``: the lexicon is the only real ASL source here, so no other ASL signer can be tested. As the closest
  check, a model trained on the ASL lexicon reads the Kazakh photos of the letters whose handshape and
  orientation the Russian dactyl shares with ASL (``ASL_TWINS_IN_KAZAKH_PHOTOS``, chosen before measuring).

Baselines: the most frequent training letter, and the nearest class mean of the training source's real hands
in standardised feature space.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from kslars.dictionary.alphabets import get_alphabet
from kslars.dictionary.fingerspelling_data import (
    LEXICON_FPS,
    LetterSamples,
    kazakh_photo_letters,
    lexicon_clips,
    real_sources,
)
from kslars.dictionary.fingerspelling_model import LetterNet, letter_features
from kslars.dictionary.fingerspelling_train import TrainConfig, train_classifier

# Russian-dactyl letters whose handshape and orientation are those of an ASL letter.
ASL_TWINS_IN_KAZAKH_PHOTOS = {"А": "A", "В": "B", "Е": "E", "О": "O", "С": "C", "У": "Y", "Ш": "W"}


@dataclass
class HeldOut:
    """One held-out test: what was trained on and tested, and the truth and top-3 letters of each sample."""

    name: str
    classes: int
    truth: list[str]
    top3: list[list[str]]
    baselines: dict[str, float] = field(default_factory=dict)

    @property
    def top1_accuracy(self) -> float:
        """Fraction of samples whose best letter is right."""
        return float(np.mean([t == p[0] for t, p in zip(self.truth, self.top3, strict=True)]))

    @property
    def top3_accuracy(self) -> float:
        """Fraction of samples with the right letter among the best three."""
        return float(np.mean([t in p for t, p in zip(self.truth, self.top3, strict=True)]))

    def confusions(self) -> Counter:
        """(true letter, best letter) -> count, for the misread samples."""
        return Counter((t, p[0]) for t, p in zip(self.truth, self.top3, strict=True) if t != p[0])


@dataclass
class AlphabetReport:
    """The held-out tests of one alphabet."""

    alphabet: str
    tests: list[HeldOut]
    clips: list[tuple[str, str]] = field(default_factory=list)  # (letter, word read) of whole lexicon clips

    def summary(self) -> dict[str, dict[str, float]]:
        """Per test: samples, letters, top-1, top-3 and the baselines (stored in the checkpoint)."""
        clips: dict[str, dict[str, float]] = (
            {
                "video clips read right": {
                    "clips": len(self.clips),
                    "right": sum(read == word for read, word in self.clips),
                }
            }
            if self.clips
            else {}
        )
        return clips | {
            t.name: {
                "samples": len(t.truth),
                "letters": len(set(t.truth)),
                "classes": t.classes,
                "top1": round(t.top1_accuracy, 4),
                "top3": round(t.top3_accuracy, 4),
                **{k: round(v, 4) for k, v in t.baselines.items()},
            }
            for t in self.tests
        }

    def text(self) -> str:
        """Markdown tables: the scores of each test and its confusions."""
        lines = [
            f"### {self.alphabet}",
            "",
            "| held-out test | classes | letters | samples | top-1 | top-3 | majority | nearest mean |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for t in self.tests:
            lines.append(
                f"| {t.name} | {t.classes} | {len(set(t.truth))} | {len(t.truth)} | "
                f"{t.top1_accuracy:.3f} | {t.top3_accuracy:.3f} | {t.baselines.get('majority', 0):.3f} | "
                f"{t.baselines.get('nearest_mean', 0):.3f} |"
            )
        for t in self.tests:
            misread = sorted(t.confusions().items(), key=lambda item: (-item[1], item[0]))
            lines += ["", f"Confusions, {t.name}:", ""]
            lines += ["| true letter | read as | samples |", "|---|---|---|"] if misread else ["none"]
            lines += [f"| {a} | {b} | {n} |" for (a, b), n in misread]
        if self.clips:
            wrong = ", ".join(f"{letter}->{word or '(nothing)'}" for letter, word in self.clips if letter != word)
            lines += [
                "",
                f"Video decoder, model trained on the Kazakh photos, whole lexicon clips (moving in, "
                f"holding, moving out): {sum(read == word for read, word in self.clips)} of {len(self.clips)} read "
                f"as exactly their letter; the others: {wrong or 'none'}",
            ]
        return "\n".join(lines)


def _features(samples: LetterSamples) -> np.ndarray:
    return letter_features(samples.hands, samples.is_left, samples.aspect)


def baselines(train: LetterSamples, test: LetterSamples) -> dict[str, float]:
    """Top-1 of always answering the most frequent training letter, and of the nearest class mean."""
    majority = Counter(train.letters.tolist()).most_common(1)[0][0]
    x_train, x_test = _features(train), _features(test)
    mean, std = x_train.mean(axis=0), x_train.std(axis=0) + 1e-3
    letters = sorted(set(train.letters.tolist()))
    centres = np.stack([((x_train - mean) / std)[train.letters == letter].mean(axis=0) for letter in letters])
    nearest = np.argmin(np.linalg.norm(((x_test - mean) / std)[:, None] - centres[None], axis=2), axis=1)
    return {
        "majority": float(np.mean(test.letters == majority)),
        "nearest_mean": float(np.mean(np.array(letters)[nearest] == test.letters)),
    }


def held_out(
    alphabet: str, train: LetterSamples, test: LetterSamples, config: TrainConfig, name: str
) -> tuple[HeldOut, LetterNet]:
    """Train on ``train`` (and generated hands); test on ``test``'s hands of the letters ``train`` shows."""
    net = train_classifier(alphabet, [train], config)
    tested = test.subset(np.isin(test.letters, np.unique(train.letters)))
    result = HeldOut(
        name,
        len(net.config.letters),
        tested.letters.tolist(),
        top_letters(net, _features(tested)),
        baselines(train, tested),
    )
    return result, net


def clip_words(alphabet: str, net: LetterNet) -> list[tuple[str, str]]:
    """(letter, word read) for each whole lexicon clip of a letter ``net`` knows, through the video decoder."""
    from kslars.dictionary.fingerspelling import FingerspellingModel, read_hand_sequence

    model = FingerspellingModel(get_alphabet(alphabet), net)
    read = []
    for letter, hands, is_left, aspect in lexicon_clips(alphabet):
        if letter in net.config.letters:
            times = np.arange(len(hands)) * 1000.0 / LEXICON_FPS
            word = read_hand_sequence(hands, times, alphabet, np.full(len(hands), is_left), aspect, model=model).word
            read.append((letter, word))
    return read


def top_letters(net: LetterNet, features: np.ndarray, k: int = 3) -> list[list[str]]:
    """The ``k`` best letters of each hand."""
    order = np.argsort(-net.probabilities(features), axis=1)[:, :k]
    return [[net.config.letters[j] for j in row] for row in order]


def evaluate_alphabet(
    alphabet: str, sources: list[LetterSamples] | None = None, config: TrainConfig = TrainConfig()
) -> AlphabetReport:
    """The held-out tests of an alphabet (see the module docstring)."""

    sources = sources or real_sources(alphabet)
    if alphabet == "asl":
        lexicon = sources[0]
        photos = kazakh_photo_letters("ru")
        photos = photos.subset(np.isin(photos.letters, list(ASL_TWINS_IN_KAZAKH_PHOTOS)))
        photos = LetterSamples(
            photos.hands,
            photos.is_left,
            photos.aspect,
            np.array([ASL_TWINS_IN_KAZAKH_PHOTOS[letter] for letter in photos.letters]),
            photos.source,
            photos.clips,
        )
        net = train_classifier(alphabet, [lexicon], config)
        test = HeldOut(
            "lexicon (ase) -> Kazakh photos of the shared handshapes",
            len(net.config.letters),
            photos.letters.tolist(),
            top_letters(net, _features(photos)),
            baselines(lexicon, photos),
        )
        return AlphabetReport(alphabet, [test])
    lexicon, photos = sources
    to_photos, _ = held_out(alphabet, lexicon, photos, config, "lexicon (ukl) -> Kazakh photos")
    to_lexicon, net = held_out(alphabet, photos, lexicon, config, "Kazakh photos -> lexicon (ukl)")
    return AlphabetReport(alphabet, [to_photos, to_lexicon], clip_words(alphabet, net))


def main(alphabets: list[str]) -> None:
    """Print the held-out report of the named alphabets (all three when none is named)."""
    import torch

    torch.set_num_threads(1)
    for alphabet in alphabets or ["ru", "kk", "asl"]:
        print(evaluate_alphabet(alphabet).text(), end="\n\n")


if __name__ == "__main__":
    main(sys.argv[1:])
