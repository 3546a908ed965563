"""Gloss-to-step alignments for iterative fine-tuning (Koishybay, Mukushev and Sandygulova, ICPR 2020).

After end-to-end CTC training, every training sentence gets a label per output step of the feature extractor:
the gloss signed there, or 0 (blank: transition, rest, nothing recognised). Two sources are combined:

- the model's own greedy recognition, whose glosses carry the steps where the model saw them, corrected towards the
  reference with the minimum edit operations (a matched or substituted gloss takes the reference gloss and keeps its
  steps; an inserted gloss becomes blank);
- CTC forced alignment of the reference (Viterbi over the blank-extended gloss sequence, as torchaudio's
  ``forced_align``), which places the reference glosses the recognition missed (deletions) on the steps it gives
  them that no recognised gloss holds (a deleted gloss whose steps are all held stays unplaced).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kslars.recognition.decoding import greedy_path
from kslars.recognition.scoring.sclite_alignment import Edit, align

NEG_INF = -np.inf


def forced_align(log_probs: np.ndarray, targets: Sequence[int]) -> np.ndarray | None:
    """The most likely CTC path of ``targets`` through (T', V) log-probabilities: (T',) class per step.

    Returns None when the sequence is too short for the targets (a repeated gloss needs a blank between).
    """
    steps = len(log_probs)
    if not targets:
        return np.zeros(steps, dtype=np.int64)
    extended = np.zeros(2 * len(targets) + 1, dtype=np.int64)
    extended[1::2] = targets
    states = len(extended)
    emit = log_probs[:, extended]  # (T', S)
    # a state may be skipped (s - 2 -> s) when it is a gloss different from the gloss two states back
    skip = np.zeros(states, dtype=bool)
    skip[2:] = (extended[2:] != 0) & (extended[2:] != extended[:-2])
    score = np.full(states, NEG_INF)
    score[:2] = emit[0, :2]
    back = np.zeros((steps, states), dtype=np.int8)  # 0 stay, 1 from s - 1, 2 from s - 2
    for t in range(1, steps):
        stay = score
        step = np.concatenate([[NEG_INF], score[:-1]])
        jump = np.where(skip, np.concatenate([[NEG_INF, NEG_INF], score[:-2]]), NEG_INF)
        choices = np.stack([stay, step, jump])  # (3, S)
        back[t] = choices.argmax(axis=0)
        score = choices.max(axis=0) + emit[t]
    end = states - 1 if score[-1] >= score[-2] else states - 2
    if not np.isfinite(score[end]):
        return None
    path = np.empty(steps, dtype=np.int64)
    state = end
    for t in range(steps - 1, -1, -1):
        path[t] = extended[state]
        state -= int(back[t, state])
    return path


def corrected_unit_labels(log_probs: np.ndarray, reference: Sequence[int]) -> np.ndarray:
    """(T',) gloss class per output step from the corrected recognition and the forced alignment (see above)."""
    labels = np.zeros(len(log_probs), dtype=np.int64)
    recognised = greedy_path(log_probs)
    forced = forced_align(log_probs, reference)
    placed_by_forced = _runs_per_target(forced, reference) if forced is not None else {}
    ref_index = hyp_index = 0
    for pair in align([str(i) for i in reference], [str(g.index) for g in recognised]):
        if pair.edit in (Edit.CORRECT, Edit.SUBSTITUTION):
            gloss = recognised[hyp_index]
            labels[gloss.first_step : gloss.last_step + 1] = reference[ref_index]
        elif pair.edit is Edit.DELETION and ref_index in placed_by_forced:
            first, last = placed_by_forced[ref_index]
            span = labels[first : last + 1]
            span[span == 0] = reference[ref_index]
        ref_index += pair.edit is not Edit.INSERTION
        hyp_index += pair.edit is not Edit.DELETION
    return labels


def _runs_per_target(path: np.ndarray, targets: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Target position -> (first, last) step of its run in a forced-alignment ``path``."""
    runs: dict[int, tuple[int, int]] = {}
    position = -1
    previous = 0
    for step, label in enumerate(path.tolist()):
        if label != 0 and label != previous:
            position += 1
        if label != 0 and position < len(targets):
            first = runs.get(position, (step, step))[0]
            runs[position] = (first, step)
        previous = label
    return runs
