"""Training data for segmentation: DGS sentence clips (keypoints) with sign spans from their ELAN files.

:func:`load_runs` reads the 105 clips of transcript 1413451 with its fixed time splits; :func:`load_recordings`
reads the clips of all five transcripts (358, folders ``motion`` and ``motion-more``), grouped by transcript
(the unit of the leave-one-recording-out evaluation).

The clips are consecutive translation segments of DGS-Korpus recordings (speaker A), keypoints at 50 fps
in BODY_25 + two MediaPipe hands, normalised to [0, 1]. Their ``start_ms``/``end_ms`` are on the same clock as
the .eaf (times relative to the excerpt). Signs come from tier ``Lexem_Gebärde_r_A``; the gaps between signs are
transitions. A phrase is the stretch from the first to the last sign of one translation segment. Clips that
follow each other without a gap are joined into continuous runs, so a run shows several phrases.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

import numpy as np

from kslars.engine.segmentation.features import Skeleton

DATASET = "Shogun6855__signlanguage-german-text2sign"
EAF = "dataset/1413451-11105600-11163240.eaf"
MOTION = "backend/data/motion"
MOTION_MORE = "backend/data/motion-more"  # the 253 clips of transcripts 1413683, 1413703, 1414123, 1418836
MANIFEST = "backend/data/segments_manifest.json"
SIGN_TIER = "Lexem_Gebärde_r_A"
# The DGS-Korpus camera videos are 16:9; keypoints are normalised per axis, so x is stretched back by this.
ASPECT = 16 / 9
# Splits by clip index in time order (deterministic): training clips 1-84, of which 71-84 also serve as the
# validation split that settings are chosen on (model "fit" on 1-70); clips 85-105 are held out for the final report.
VALIDATION_FROM = 70
HELD_OUT_FROM = 84
SPLITS = {
    "train": (0, HELD_OUT_FROM),
    "fit": (0, VALIDATION_FROM),
    "validation": (VALIDATION_FROM, HELD_OUT_FROM),
    "held_out": (HELD_OUT_FROM, None),
}

Span = tuple[int, int]  # (start_ms, end_ms)


@dataclass
class Run:
    """Continuous keypoints (several consecutive clips) with the sign and phrase spans inside them."""

    clip_ids: list[str]
    start_ms: int
    skeleton: Skeleton
    signs: list[Span]  # times relative to the run's start
    phrases: list[Span]

    @property
    def skeleton_ms(self) -> float:
        """How long the run lasts."""
        return len(self.skeleton) * 1000 / self.skeleton.fps


def read_sign_spans(eaf_path: Path, tier_id: str = SIGN_TIER) -> list[Span]:
    """Time spans of every annotation on ``tier_id`` of an ELAN file, sorted."""
    root = ET.parse(eaf_path).getroot()
    slots = {t.get("TIME_SLOT_ID"): int(value) for t in root.iter("TIME_SLOT") if (value := t.get("TIME_VALUE"))}
    for tier in root.iter("TIER"):
        if tier.get("TIER_ID") == tier_id:
            spans = [
                (slots[a.get("TIME_SLOT_REF1")], slots[a.get("TIME_SLOT_REF2")])
                for a in tier.iter("ALIGNABLE_ANNOTATION")
                if a.get("TIME_SLOT_REF1") in slots and a.get("TIME_SLOT_REF2") in slots
            ]
            return sorted(s for s in spans if s[1] > s[0])
    raise ValueError(f"{eaf_path}: no tier named {tier_id!r}")


def skeleton_from_keypoints(keypoints: np.ndarray, fps: float) -> Skeleton:
    """(T, 134) DGS keypoints (zeros = missing) as a :class:`Skeleton` in 16:9 pixel-like units."""
    k = keypoints.reshape(len(keypoints), 67, 2).astype(np.float32) * np.array([ASPECT, 1.0], np.float32)
    seen = keypoints.reshape(len(keypoints), 67, 2).any(axis=2)
    return Skeleton(
        fps=fps,
        body=k[:, :25],
        body_seen=seen[:, :25],
        left=k[:, 25:46],
        left_seen=seen[:, 25:46].all(axis=1),
        right=k[:, 46:67],
        right_seen=seen[:, 46:67].all(axis=1),
    )


def _read_clips(folder: Path) -> list[tuple]:
    """(id, keypoints, fps, start_ms, end_ms) of every clip in ``folder``."""
    clips = []
    for path in sorted(folder.glob("seg_*.npz")):
        with np.load(path) as z:
            clips.append((path.stem, z["keypoints"], float(z["fps"][0]), int(z["start_ms"][0]), int(z["end_ms"][0])))
    return clips


def source_eaf_name(source: str | None) -> str:
    """The .eaf file name of a manifest segment's ``source_eaf`` (absent: the 1413451 excerpt's)."""
    return PureWindowsPath(source).name if source else Path(EAF).name


def transcript_of(eaf_name: str) -> str:
    """The DGS-Korpus transcript id an .eaf file name starts with ("1413451-11105600-11163240.eaf" -> "1413451")."""
    return eaf_name.split("-")[0].removesuffix(".eaf")


def _continuous_groups(clips: list[tuple]) -> list[list[tuple]]:
    """Clips in time order, grouped where one ends exactly where the next starts (same frame rate)."""
    groups: list[list[tuple]] = []
    for clip in sorted(clips, key=lambda c: c[3]):
        if groups and groups[-1][-1][4] == clip[3] and groups[-1][-1][2] == clip[2]:
            groups[-1].append(clip)
        else:
            groups.append([clip])
    return groups


def load_recordings(dataset_dir: Path) -> dict[str, list[Run]]:
    """Transcript id -> its continuous runs, for all clips under ``motion`` and ``motion-more``.

    Each clip's transcript and .eaf come from the manifest's ``source_eaf`` (none: transcript 1413451).
    """
    manifest = json.loads((dataset_dir / MANIFEST).read_text(encoding="utf-8"))["segments"]
    sources = {s["id"]: s.get("source_eaf") for s in manifest}
    by_eaf: dict[str, list[tuple]] = {}
    for clip in _read_clips(dataset_dir / MOTION) + _read_clips(dataset_dir / MOTION_MORE):
        source = sources.get(clip[0])
        by_eaf.setdefault(source_eaf_name(source), []).append(clip)
    if not by_eaf:
        raise FileNotFoundError(f"no seg_*.npz clips under {dataset_dir / MOTION} or {dataset_dir / MOTION_MORE}")
    recordings = {}
    for eaf_name, clips in sorted(by_eaf.items()):
        signs = read_sign_spans(dataset_dir / "dataset" / eaf_name)
        recordings[transcript_of(eaf_name)] = [_make_run(group, signs) for group in _continuous_groups(clips)]
    return recordings


def load_runs(dataset_dir: Path, split: str) -> list[Run]:
    """The runs of one split (a key of :data:`SPLITS`) of the DGS clips under ``dataset_dir``."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    signs = read_sign_spans(dataset_dir / EAF)
    clips = sorted(_read_clips(dataset_dir / MOTION), key=lambda c: c[3])
    if not clips:
        raise FileNotFoundError(f"no seg_*.npz clips under {dataset_dir / MOTION}")
    first, stop = SPLITS[split]
    return [_make_run(group, signs) for group in _continuous_groups(clips[first:stop])]


def _make_run(group: list[tuple], signs: list[Span]) -> Run:
    fps = group[0][2]
    start = group[0][3]
    keypoints = np.concatenate([c[1] for c in group])
    run_signs: list[Span] = []
    phrases: list[Span] = []
    for _, _, _, clip_start, clip_end in group:
        inside = [(s, e) for s, e in signs if clip_start <= s < clip_end]
        run_signs += [(s - start, min(e, clip_end) - start) for s, e in inside]
        if inside:
            phrases.append((inside[0][0] - start, min(max(e for _, e in inside), clip_end) - start))
    return Run(
        clip_ids=[c[0] for c in group],
        start_ms=start,
        skeleton=skeleton_from_keypoints(keypoints, fps),
        signs=run_signs,
        phrases=phrases,
    )


def manifest_glosses(dataset_dir: Path) -> dict[str, list[str]]:
    """Clip id -> gloss sequence from the dataset's manifest (used to check the sign counts)."""
    data = json.loads((dataset_dir / "backend/data/segments_manifest.json").read_text(encoding="utf-8"))
    return {s["id"]: s["gloss_sequence"] for s in data["segments"]}


def split_recording(runs: list[Run], fraction: float) -> tuple[list[Run], list[Run]]:
    """The runs of one recording (in time order) cut in two at ``fraction`` of its signing time: the first part
    ends, and the second starts, in the pause between two phrases (between two signs when there are no phrases)
    nearest that point, so no phrase or sign is split."""
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must lie between 0 and 1, not {fraction}")
    total = sum(run.skeleton_ms for run in runs)
    target, elapsed = fraction * total, 0.0
    for i, run in enumerate(runs):
        if elapsed + run.skeleton_ms >= target:
            at = _pause_near(run, target - elapsed)
            if at is None:  # no pause inside this run: cut between runs
                return runs[: i + 1], runs[i + 1 :]
            first, second = cut_run(run, at)
            return [*runs[:i], first], [second, *runs[i + 1 :]]
        elapsed += run.skeleton_ms
    return runs, []


def _pause_near(run: Run, at_ms: float) -> int | None:
    """The middle of the pause between two consecutive phrases of ``run`` (signs, when it has no phrases) nearest
    ``at_ms``."""
    spans = run.phrases or run.signs
    pauses = [(a[1] + b[0]) // 2 for a, b in zip(spans, spans[1:], strict=False) if b[0] >= a[1]]
    return min(pauses, key=lambda t: abs(t - at_ms)) if pauses else None


def cut_run(run: Run, at_ms: int) -> tuple[Run, Run]:
    """``run`` cut at ``at_ms`` (relative to its start): spans ending by then go to the first part, those starting
    from then to the second (with times relative to its start); a span across the cut is clipped to each part."""
    frame = int(np.ceil(at_ms * run.skeleton.fps / 1000))
    shift = round(frame * 1000 / run.skeleton.fps)

    def part(first: int, stop: int | None, low: int, high: float, offset: int) -> Run:
        s = run.skeleton
        skeleton = Skeleton(
            s.fps, s.body[first:stop], s.body_seen[first:stop], s.left[first:stop], s.left_seen[first:stop],
            s.right[first:stop], s.right_seen[first:stop],
        )  # fmt: skip

        def clip(spans: list[Span]) -> list[Span]:
            kept = [(max(a, low), min(b, high)) for a, b in spans if b > low and a < high]
            return [(int(a - offset), int(b - offset)) for a, b in kept if b > a]

        return Run(run.clip_ids, run.start_ms + offset, skeleton, clip(run.signs), clip(run.phrases))

    return part(0, frame, 0, shift, 0), part(frame, None, shift, float("inf"), shift)
