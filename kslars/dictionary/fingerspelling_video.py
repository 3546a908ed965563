"""From per-frame letter probabilities to the letters spelled, their times and the word.

A letter is *held*: the decoder keeps runs of frames whose best letter stays the same for at least
``min_hold_ms`` with a mean probability of at least ``min_probability``, and drops the rest as transitions
between letters. Repeats are collapsed (a run of А frames broken by a dropped transition is one А), so a
doubled letter is read once.

Movement decides between a moving letter and its static twin (Й and И, Щ and Ш, ASL J and I): the hand's
speed, measured on the wrist and the index and little fingertips in palm lengths per second, is taken as the
median over the run; above ``moving_speed`` the twin that moves is read. A run of a static letter whose
slowest quarter of frames still moves faster than ``transition_speed`` never rests: it is a hand passing
through that shape and is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kslars.dictionary.alphabets import Alphabet

_TRACKED = [0, 8, 20]  # wrist, index tip, little tip


@dataclass(frozen=True)
class DecoderOptions:
    """Thresholds of the hold rule and of the movement rule (speeds in palm lengths per second)."""

    min_hold_ms: float = 150.0
    min_probability: float = 0.35
    moving_speed: float = 4.0
    transition_speed: float = 6.0
    smoothing_frames: int = 3


@dataclass(frozen=True)
class SpelledLetter:
    """One letter read from a video: the letter, its first and last time, its mean probability and speed."""

    letter: str
    start_ms: int
    end_ms: int
    probability: float
    speed: float


@dataclass(frozen=True)
class SpelledWord:
    """The letters read from a video in order, and the word they spell."""

    letters: list[SpelledLetter]

    @property
    def word(self) -> str:
        """The letters joined."""
        return "".join(letter.letter for letter in self.letters)


def hand_motion(hands: np.ndarray, times_ms: np.ndarray, aspect: float = 1.0) -> np.ndarray:
    """Speed (T,) of the wrist and the index and little fingertips, in palm lengths per second; NaN unseen."""
    xy = hands[..., :2] * [aspect, 1.0]
    palm = np.nanmedian(np.linalg.norm(xy[:, 9] - xy[:, 0], axis=1)) if np.isfinite(xy).any() else np.nan
    step = np.linalg.norm(np.diff(xy[:, _TRACKED], axis=0), axis=2).mean(axis=1)  # (T-1,)
    seconds = np.maximum(np.diff(np.asarray(times_ms, float)), 1.0) / 1000.0
    speed = step / seconds / palm
    both = np.concatenate([[np.nan], speed]), np.concatenate([speed, [np.nan]])
    with np.errstate(all="ignore"):
        return np.nanmean(np.stack(both), axis=0)  # each frame: the mean of the steps into and out of it


def _smoothed(probs: np.ndarray, frames: int) -> np.ndarray:
    """Moving average of the seen frames' probabilities over ``frames`` frames (unseen stay NaN)."""
    if frames <= 1:
        return probs
    half = frames // 2
    out = np.full_like(probs, np.nan)
    for t in range(len(probs)):
        window = probs[max(0, t - half) : t + half + 1]
        if np.isfinite(probs[t]).all():
            out[t] = np.nanmean(window, axis=0)
    return out


def _runs(best: np.ndarray) -> list[tuple[int, int]]:
    """(first, last + 1) of each run of equal values in ``best`` (-1 marks unseen frames, never a run)."""
    runs, start = [], 0
    for t in range(1, len(best) + 1):
        if t == len(best) or best[t] != best[start]:
            if best[start] >= 0:
                runs.append((start, t))
            start = t
    return runs


def _held_runs(smooth: np.ndarray, times_ms: np.ndarray, options: DecoderOptions) -> list[tuple[int, int, int]]:
    """(first, last + 1, letter index) of the runs held long enough and surely enough."""
    seen = np.isfinite(smooth).all(axis=1)
    best = np.where(seen, np.argmax(np.nan_to_num(smooth, nan=-1.0), axis=1), -1)
    period = float(np.median(np.diff(times_ms))) if len(times_ms) > 1 else 0.0
    held = []
    for first, stop in _runs(best):
        duration = times_ms[stop - 1] - times_ms[first] + period
        if duration >= options.min_hold_ms and smooth[first:stop, best[first]].mean() >= options.min_probability:
            held.append((first, stop, int(best[first])))
    return held


def decode_letters(
    probs: np.ndarray,
    speed: np.ndarray,
    times_ms: np.ndarray,
    alphabet: Alphabet,
    options: DecoderOptions = DecoderOptions(),
) -> SpelledWord:
    """The held letters of a sequence of per-frame probabilities (T, L) in alphabet order (NaN rows: no hand).

    Consecutive held runs of one handshape (one letter, or a static letter and its moving twin) are one letter;
    its speed is the median over all their frames, so a hand moving away after a held letter does not turn the
    letter into its moving twin.
    """
    smooth = _smoothed(probs, options.smoothing_frames)
    shape_of = {
        i: alphabet.letters.index(alphabet.twins.get(letter, letter)) for i, letter in enumerate(alphabet.letters)
    }
    segments: list[list[tuple[int, int, int]]] = []
    for run in _held_runs(smooth, times_ms, options):
        if segments and shape_of[segments[-1][-1][2]] == shape_of[run[2]]:
            segments[-1].append(run)
        else:
            segments.append([run])
    letters: list[SpelledLetter] = []
    for segment in segments:
        frames = np.concatenate([np.arange(first, stop) for first, stop, _ in segment])
        index = max({i for _, _, i in segment}, key=lambda i: smooth[frames, i].sum())
        letter = alphabet.letters[index]
        moving = speed[frames] if np.isfinite(speed[frames]).any() else np.zeros(1)
        run_speed, rest_speed = float(np.nanmedian(moving)), float(np.nanpercentile(moving, 25))
        twin = alphabet.twin_of(letter)
        if twin is not None and run_speed > options.moving_speed:
            letter = twin
        elif letter not in alphabet.moving and rest_speed > options.transition_speed:
            continue
        found = SpelledLetter(
            letter,
            int(round(times_ms[frames[0]])),
            int(round(times_ms[frames[-1]])),
            float(smooth[frames, index].mean()),
            run_speed,
        )
        if letters and letters[-1].letter == letter:  # the same letter again after a dropped transition
            previous = letters.pop()
            found = SpelledLetter(
                letter,
                previous.start_ms,
                found.end_ms,
                max(previous.probability, found.probability),
                max(previous.speed, run_speed),
            )
        letters.append(found)
    return SpelledWord(letters)
