"""Sign and phrase segmentation on signers the model never saw: leave one DGS recording out.

The 358 DGS sentence clips come from five DGS-Korpus transcripts (speaker A of each; 1413683 and 1413703 probably
show the same person). Each transcript in turn is held out: a model is trained with the repository's training
(``kslars.engine.segmentation.training.fit``) on the other four and scored on the held-out one's continuous runs
(consecutive clips joined), beside trivial answers scored the same way:

- all inside: one segment over each run;
- evenly spaced: segments of the training signs' (phrases') mean length at their mean interval.

Printed per held-out transcript and averaged over the folds: frame F1, segment IoU from the gold side (each gold
segment's best IoU with a predicted one, averaged), the symmetric segment IoU (the same from the predicted side too,
harmonic mean of both), the F1 of segments matched one to one at IoU >= 0.5 and the number of predicted vs gold
segments, for signs and for phrases. ``--recipe``
picks what is trained: ``previous`` is the training and decoding of the earlier shipped weights (800 steps, sign
thresholds 0.5, phrases decoded from the phrase head alone), here trained on the four other transcripts;
``previous, phrases cut`` the same models with today's phrase decoding (cut at pauses, short ones dropped); ``current`` the
repository's defaults now. The shipped weights are scored too, marked where they were trained on the transcript. Fold models are kept in ``--cache`` (named by training recipe and
steps; empty it after changing the training code) so decoding changes can be compared without training again.
Nothing is asserted. Training the five folds takes about 3 minutes for ``previous`` and 8 for ``current`` on one
free core.

    .venv/bin/python benchmarks/bench_segmentation.py [--recipe previous --recipe current] [--steps N]
                                                      [--cache DIR] [--data DIR] [--held-out 1413451]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from kslars.engine.segmentation.augment import Augmentation
from kslars.engine.segmentation.baselines import all_inside, evenly_spaced, phrase_rhythm, sign_rhythm
from kslars.engine.segmentation.config import SegmentationConfig
from kslars.engine.segmentation.dgs_data import DATASET, Run, load_recordings
from kslars.engine.segmentation.metrics import Scores, score
from kslars.engine.segmentation.model import load_segmentation_model, save_checkpoint
from kslars.engine.segmentation.training import TrainingOptions, evaluate_runs, fit, make_example, segments_to_tags

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KSLARS_SHARED_DATA", ROOT.parent / "shared" / "data"))


# What the model shipped before this benchmark existed was trained and decoded with (the settings added since
# switched off).
PREVIOUS_TRAINING = {"steps": 800, "augmentation": Augmentation(mirror=0.0, proportions=0.0, speed=0.0)}
PREVIOUS_SIGNS = {"sign_b_threshold": 0.5, "sign_inside_threshold": 0.5, "sign_peak_gap_frames": None}
PREVIOUS_DECODING = {**PREVIOUS_SIGNS, "phrase_boundary_threshold": None, "phrase_max_ms": None, "phrase_drop_ms": None}
# recipe -> (name of its training, TrainingOptions changes, SegmentationConfig changes)
RECIPES = {
    "previous": ("previous", PREVIOUS_TRAINING, PREVIOUS_DECODING),
    "previous, phrases cut": ("previous", PREVIOUS_TRAINING, PREVIOUS_SIGNS),
    "current": ("current", {}, {}),
}
# SegmentationConfig fields that only decoding reads: a recipe's values replace a cached model's
DECODING = (
    "b_threshold",
    "sign_b_threshold",
    "sign_inside_threshold",
    "sign_min_frames",
    "sign_peak_gap_frames",
    "phrase_boundary_threshold",
    "phrase_min_ms",
    "phrase_max_ms",
    "phrase_drop_ms",
)


def baseline_scores(held_out: list[Run], training: list[Run], fps: float) -> dict[str, dict[str, Scores]]:
    """All-inside and evenly-spaced segments on ``held_out``, rhythms measured on ``training``."""
    examples = [make_example(run, fps) for run in held_out]
    rhythms = {"signs": sign_rhythm(training), "phrases": phrase_rhythm(training)}
    results: dict[str, dict[str, Scores]] = {"all inside": {}, "evenly spaced": {}}
    for tier in ("signs", "phrases"):
        for name in results:
            rows = []
            for e in examples:
                n = len(e.features)
                segments = all_inside(n) if name == "all inside" else evenly_spaced(n, fps, rhythms[tier])
                gold_tags, gold_spans = (e.sign_tags, e.signs) if tier == "signs" else (e.phrase_tags, e.phrases)
                rows.append(
                    (segments_to_tags(segments, n), gold_tags, [(s.start, s.end) for s in segments], gold_spans)
                )
            results[name][tier] = score(rows)
    return results


def fold_model(recipe: str, held: str, training: list[Run], steps: int | None, cache: Path):
    """The recipe's model trained without transcript ``held`` (read from ``cache`` when trained before)."""
    training_name, option_changes, config_changes = RECIPES[recipe]
    config = SegmentationConfig(**config_changes)
    options = TrainingOptions(**{**option_changes, **({"steps": steps} if steps else {})})
    path = cache / f"{training_name}-{options.steps}-without-{held}.pt"
    if path.exists():
        model = load_segmentation_model(path)
    else:
        started = time.perf_counter()
        model = fit(training, options, config, log=lambda message: None)
        print(f"  trained {training_name} without {held} in {time.perf_counter() - started:.0f} s")
        save_checkpoint(model, path, {"held_out": held})
    # decoding follows the recipe: no retraining to compare it
    model.config = dataclasses.replace(model.config, **{name: getattr(config, name) for name in DECODING})
    return model


def row(label: str, scores: dict[str, Scores]) -> str:
    """One printed line: signs then phrases."""
    cells = []
    for tier in ("signs", "phrases"):
        s = scores[tier]
        cells.append(
            f"{s.frame_f1:6.3f} {s.segment_iou:6.3f} {s.symmetric_iou:6.3f} {s.f1_at_half:6.3f} "
            f"{s.predicted_segments:5d}/{s.gold_segments:<5d}"
        )
    return f"{label:<34} " + "   ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", action="append", choices=tuple(RECIPES))
    parser.add_argument("--steps", type=int, default=None, help="training steps of every recipe (default: its own)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "kslars-bench-segmentation")
    parser.add_argument("--data", type=Path, default=SHARED / DATASET)
    parser.add_argument("--held-out", action="append", help="only these transcripts in turn (default: all five)")
    args = parser.parse_args()
    recipes = args.recipe or list(RECIPES)
    args.cache.mkdir(parents=True, exist_ok=True)
    recordings = load_recordings(args.data)
    shipped = load_segmentation_model()
    fps = SegmentationConfig().fps
    header = f"{'':<34} {'signs: F1   IoU  symIoU F1@.5 pred/gold':<41}   {'phrases: F1  IoU  symIoU F1@.5 pred/gold'}"
    totals: dict[str, dict[str, list]] = {}
    for held, runs in recordings.items():
        if args.held_out and held not in args.held_out:
            continue
        training = [run for other, other_runs in recordings.items() if other != held for run in other_runs]
        print(f"\nheld out: transcript {held} ({sum(len(r.clip_ids) for r in runs)} clips, {len(runs)} runs)")
        print(header)
        lines = baseline_scores(runs, training, fps)
        for name in recipes:
            model = fold_model(name, held, training, args.steps, args.cache)
            lines[f"model ({name})"] = evaluate_runs(model, runs)
        seen = held in shipped.metadata.get("transcripts", ["1413451"])  # the first weights knew only 1413451
        lines["shipped weights" + (" (trained on it)" if seen else "")] = evaluate_runs(shipped, runs)
        for label, scores in lines.items():
            print(row(label, scores))
            for tier in ("signs", "phrases"):
                totals.setdefault(label, {}).setdefault(tier, []).append(scores[tier])
    print("\nmean over the held-out transcripts [how many], segment counts summed")
    print(header)
    for label, tiers in totals.items():
        mean = {
            tier: Scores(
                *(float(np.mean([getattr(s, f.name) for s in values])) for f in dataclasses.fields(Scores)[:4]),
                sum(s.predicted_segments for s in values),
                sum(s.gold_segments for s in values),
            )
            for tier, values in tiers.items()
        }
        print(row(f"{label} [{len(tiers['signs'])}]", mean))


if __name__ == "__main__":
    main()
