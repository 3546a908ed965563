"""Learning from corrections: does fine-tuning on the first third of a recording's annotation help on the rest?

For each DGS-Korpus transcript with keypoints and gold sign and sentence tiers in ../shared/data (speaker A of
1413451, 1413683, 1413703, 1414123 and 1418836: 358 sentence clips), its continuous runs are cut in two at a third
of their time, in the pause between two sentences (``dgs_data.split_recording``). The default model is one that
never saw the transcript: the leave-one-recording-out fold model of ``bench_segmentation.py`` (the repository's
training on the other four transcripts, kept in ``--cache`` and trained there when missing, a few minutes each);
``--base shipped`` takes the shipped weights instead, which were trained on all five. It is fine-tuned on the first
third as ``kslars train segmentation --from`` does (``adapt.fine_tune`` with its default options) and both are
scored on the remaining two thirds: sign and phrase symmetric segment IoU, F1 of segments matched at IoU >= 0.5,
frame F1 and predicted / gold counts, beside the evenly spaced guess (signs and phrases laid at the rhythm of the
first third). The weighted cross-entropy on both parts and the seconds fine-tuning took are printed too. The issue's
goal is a symmetric IoU gain of 0.05 or more on the held-out two thirds. Nothing is asserted.

    nice -n 10 .venv/bin/python benchmarks/bench_adaptation.py [--data DIR] [--base fold|shipped] [--cache DIR]
                                                               [--steps N] [--only TRANSCRIPT ...]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from bench_segmentation import fold_model  # the leave-one-recording-out models, trained once and cached

from kslars.engine.segmentation.adapt import AdaptOptions, fine_tune, mean_loss
from kslars.engine.segmentation.baselines import evenly_spaced, phrase_rhythm, sign_rhythm
from kslars.engine.segmentation.dgs_data import DATASET, Run, load_recordings, split_recording
from kslars.engine.segmentation.metrics import score
from kslars.engine.segmentation.model import SegmentationModel, load_segmentation_model
from kslars.engine.segmentation.training import make_example, predict_segments, segments_to_tags

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KSLARS_SHARED_DATA", ROOT.parent / "shared" / "data"))
TIERS = ("signs", "phrases")
FPS = 15.0  # the model's rate


def tier_rows(model: SegmentationModel | None, runs: list[Run], rhythms: dict) -> dict[str, list]:
    """Per tier, one (predicted tags, gold tags, predicted spans, gold spans) row per run, in frames at the model's
    rate; ``model`` None: the evenly spaced guess at ``rhythms``."""
    out: dict[str, list] = {tier: [] for tier in TIERS}
    for run in runs:
        example = make_example(run, FPS)
        n = len(example.features)
        if model is None:
            found = {tier: evenly_spaced(n, FPS, rhythms[tier]) for tier in TIERS}
        else:
            signs, phrases, _, _ = predict_segments(model, example.features)
            found = {"signs": signs, "phrases": phrases}
        gold = {"signs": (example.sign_tags, example.signs), "phrases": (example.phrase_tags, example.phrases)}
        for tier in TIERS:
            spans = [(s.start, s.end) for s in found[tier]]
            out[tier].append((segments_to_tags(found[tier], n), gold[tier][0], spans, gold[tier][1]))
    return out


def scores(model: SegmentationModel | None, runs: list[Run], rhythms: dict) -> dict[str, dict[str, float]]:
    """Symmetric IoU, F1@0.5, frame F1 and counts per tier (the evenly spaced guess when ``model`` is None)."""
    result = {}
    for tier, rows in tier_rows(model, runs, rhythms).items():
        s = score(rows)
        result[tier] = {
            "symmetric_iou": s.symmetric_iou,
            "f1@0.5": s.f1_at_half,
            "frame_f1": s.frame_f1,
            "predicted": s.predicted_segments,
            "gold": s.gold_segments,
        }
    return result


def line(label: str, row: dict[str, dict[str, float]]) -> str:
    """One printed row: signs then phrases."""
    cells = [
        f"{row[t]['symmetric_iou']:6.3f} {row[t]['f1@0.5']:6.3f} {row[t]['frame_f1']:6.3f} "
        f"{row[t]['predicted']:4.0f}/{row[t]['gold']:<4.0f}"
        for t in TIERS
    ]
    return f"  {label:<30}" + "   ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / DATASET)
    parser.add_argument(
        "--base",
        choices=("fold", "shipped"),
        default="fold",
        help="default model: the fold model without the transcript (default) or the shipped weights (trained on all five)",
    )
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "kslars-bench-segmentation")
    parser.add_argument("--steps", type=int, default=None, help="fine-tuning steps per member (default: its own)")
    parser.add_argument("--only", action="append", help="only these transcripts")
    args = parser.parse_args()
    recordings = load_recordings(args.data)
    shipped = load_segmentation_model()
    args.cache.mkdir(parents=True, exist_ok=True)
    options = AdaptOptions(**({"steps": args.steps} if args.steps else {}))
    seen = shipped.metadata.get("transcripts", ["1413451"]) if args.base == "shipped" else []
    print(f"default model: {'the shipped weights' if seen else 'the fold model without the transcript'}")
    print(f"fine-tuning: {options}")
    header = f"  {'':<30}{'signs: symIoU F1@.5 frameF1 pred/gold':<39}{'phrases: symIoU F1@.5 frameF1 pred/gold'}"
    rows: dict[str, list] = {"evenly spaced": [], "default model": [], "fine-tuned on the first third": []}
    for name, runs in recordings.items():
        if args.only and name not in args.only:
            continue
        training = [run for other, other_runs in recordings.items() if other != name for run in other_runs]
        base = shipped if args.base == "shipped" else fold_model("current", name, training, None, args.cache)
        first, rest = split_recording(runs, 1 / 3)
        rhythms = {"signs": sign_rhythm(first), "phrases": phrase_rhythm(first)}
        started = time.perf_counter()
        tuned = fine_tune(base, first, options)
        seconds = time.perf_counter() - started
        mark = " (the default model was trained on it)" if name in seen else ""
        print(
            f"\ntranscript {name}{mark}: learn from {sum(r.skeleton_ms for r in first) / 1000:.0f} s "
            f"({sum(len(r.signs) for r in first)} signs), score {sum(r.skeleton_ms for r in rest) / 1000:.0f} s "
            f"({sum(len(r.signs) for r in rest)} signs); fine-tuning {seconds:.0f} s; loss on the first third "
            f"{mean_loss(base, first):.3f} -> {mean_loss(tuned, first):.3f}, on the rest "
            f"{mean_loss(base, rest):.3f} -> {mean_loss(tuned, rest):.3f}"
        )
        print(header)
        for label, model in (
            ("evenly spaced", None),
            ("default model", base),
            ("fine-tuned on the first third", tuned),
        ):
            row = scores(model, rest, rhythms)
            rows[label].append(row)
            print(line(label, row))
        gain = {
            t: rows["fine-tuned on the first third"][-1][t]["symmetric_iou"]
            - rows["default model"][-1][t]["symmetric_iou"]
            for t in TIERS
        }
        print(f"  symmetric IoU gain: signs {gain['signs']:+.3f}, phrases {gain['phrases']:+.3f}")
    print(f"\nmean over {len(rows['default model'])} recordings (counts summed)")
    print(header)
    for label, values in rows.items():
        mean = {
            t: {
                k: float((np.sum if k in ("predicted", "gold") else np.mean)([v[t][k] for v in values]))
                for k in values[0][t]
            }
            for t in TIERS
        }
        print(line(label, mean))


if __name__ == "__main__":
    main()
