"""Engine commands: ``kslars extract``, ``kslars annotate``, ``kslars train segmentation``, ``kslars evaluate segmentation``.

Heavy modules (MediaPipe, torch, PyAV) are imported inside the commands so that ``kslars --help`` stays fast.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kslars.progress import ProgressBar

if TYPE_CHECKING:
    from kslars.engine.pipeline import Hands

OUTPUT_EXTENSIONS = (".eaf", ".json", ".csv")
_DATA_HELP = (
    "the DGS clips folder (default: ../shared/data/Shogun6855__signlanguage-german-text2sign beside the repository)"
)


def _default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


@click.command()
@click.argument("video", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="the .pose file to write"
)
@click.option("--fps", type=float, default=None, help="landmark frames per second (default: the video's own rate)")
@click.option(
    "--jobs",
    type=click.IntRange(1),
    default=_default_jobs,
    show_default="CPU cores, at most 4",
    help="processes working on chunks of the video",
)
def extract(video: Path, output: Path, fps: float | None, jobs: int) -> None:
    """Compute MediaPipe Holistic landmarks (body, hands, face) of VIDEO into a .pose file."""
    from kslars.vision.landmarks import extract_landmarks
    from kslars.vision.video import VideoError

    if output.suffix.lower() != ".pose":
        raise click.UsageError(f"the output must be a .pose file, not {output.name!r}")
    if not output.parent.is_dir():
        raise click.UsageError(f"the folder of {output} does not exist")
    bar = ProgressBar(video.name)
    started = time.perf_counter()
    try:
        landmarks = extract_landmarks(video, output, fps=fps, jobs=jobs, progress=bar)
    except (VideoError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        bar.close()
    seconds = time.perf_counter() - started
    click.echo(
        f"{output}: {landmarks.frame_count} frames at {landmarks.fps:g} fps, body seen in "
        f"{landmarks.person_seen().mean():.0%} of them ({seconds:.1f} s)"
    )


@click.command()
@click.argument("videos", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="a .eaf, .json or .csv file (one video) or a folder (one file per video)",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["eaf", "json", "csv"]),
    default="eaf",
    show_default=True,
    help="file type written into an output folder",
)
@click.option(
    "--jobs",
    type=click.IntRange(1),
    default=_default_jobs,
    show_default="CPU cores, at most 4",
    help="processes working on chunks of each video",
)
@click.option("--hands", type=click.Choice(["both", "right", "left"]), default="both", show_default=True)
@click.option("--phrases/--no-phrases", default=True, help="the 'Signing segments' tier")
@click.option("--signs/--no-signs", default=True, help="the 'Signs' tier")
@click.option("--handshapes/--no-handshapes", default=True, help="the handshape tiers")
@click.option("--orientation/--no-orientation", default=True, help="palm orientation and finger direction tiers")
@click.option(
    "--nonmanual/--no-nonmanual",
    default=False,
    show_default=True,
    help="the 'Eyebrows', 'Head' and 'Mouth' tiers (non-manual signals from the face)",
)
@click.option("--start", "start_ms", type=click.IntRange(0), default=None, help="annotate from this time (ms)")
@click.option("--end", "end_ms", type=click.IntRange(1), default=None, help="annotate up to this time (ms)")
@click.option(
    "--landmarks-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="keep each video's landmarks here as VIDEO.pose and reuse them on later runs",
)
@click.option(
    "--segmentation-weights",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="segmentation weights to use instead of the shipped ones (from `kslars train segmentation --from`)",
)
@click.option(
    "--handshape-model",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="a handshape model to use instead of the shipped one (from `kslars handshape train`): its labels",
)
def annotate(
    videos: tuple[Path, ...],
    output: Path,
    fmt: str,
    jobs: int,
    hands: Hands,
    phrases: bool,
    signs: bool,
    handshapes: bool,
    orientation: bool,
    nonmanual: bool,
    start_ms: int | None,
    end_ms: int | None,
    landmarks_dir: Path | None,
    segmentation_weights: Path | None,
    handshape_model: Path | None,
) -> None:
    """Annotate VIDEOS automatically: signing segments, signs, handshapes and orientation (and, with
    --nonmanual, eyebrows, head and mouth)."""
    from kslars.engine.pipeline import AnnotateOptions, annotate_video
    from kslars.vision.video import VideoError

    try:
        options = AnnotateOptions(
            phrases=phrases,
            signs=signs,
            handshapes=handshapes,
            orientation=orientation,
            nonmanual=nonmanual,
            hands=hands,
            start_ms=start_ms,
            end_ms=end_ms,
            jobs=jobs,
            segmentation_weights=str(segmentation_weights) if segmentation_weights else None,
            handshape_weights=str(handshape_model) if handshape_model else None,
        )
        if segmentation_weights is not None:
            from kslars.engine.segmentation import load_segmentation_model

            load_segmentation_model(str(segmentation_weights))  # unusable weights fail here, before any video
        if handshape_model is not None:
            from kslars.engine.handshape import load_classifier

            load_classifier(handshape_model)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    targets = _output_paths(videos, output, fmt)
    if landmarks_dir is not None:
        landmarks_dir.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    counts: list[tuple[int, int]] = []
    started = time.perf_counter()
    for video, target in targets:
        bar = ProgressBar(video.name)
        try:
            pose = landmarks_dir / f"{video.stem}.pose" if landmarks_dir is not None else None
            doc = annotate_video(video, options, landmarks_path=pose, progress=bar)
            _write(doc, target)
            found = [len(doc.tier(t).annotations) if doc.has_tier(t) else 0 for t in ("Signing segments", "Signs")]
            counts.append((found[0], found[1]))
            bar.close()
            click.echo(f"{video} -> {target}: {counts[-1][0]} signing segments, {counts[-1][1]} signs")
        except (VideoError, ValueError, OSError) as exc:
            bar.close()
            failures.append(f"{video}: {exc}")
            click.echo(f"error: {exc}", err=True)
    seconds = time.perf_counter() - started
    done = len(targets) - len(failures)
    click.echo(
        f"annotated {done} of {len(targets)} videos in {seconds:.1f} s: "
        f"{sum(c[0] for c in counts)} signing segments, {sum(c[1] for c in counts)} signs"
    )
    if failures:
        raise click.ClickException(f"{len(failures)} video(s) failed:\n  " + "\n  ".join(failures))


def _output_paths(videos: tuple[Path, ...], output: Path, fmt: str) -> list[tuple[Path, Path]]:
    """(video, output file) pairs; OUT is a file for one video and a folder for several."""
    as_file = output.suffix.lower() in OUTPUT_EXTENSIONS and not output.is_dir()
    if as_file:
        if len(videos) > 1:
            raise click.UsageError(f"{len(videos)} videos need an output folder, not the file {output.name!r}")
        if not output.parent.is_dir():
            raise click.UsageError(f"the folder of {output} does not exist")
        return [(videos[0], output)]
    if output.suffix and not output.is_dir():
        raise click.UsageError(f"{output.name}: the output must end in .eaf, .json or .csv, or be a folder")
    output.mkdir(parents=True, exist_ok=True)
    stems = [v.stem for v in videos]
    duplicates = {s for s in stems if stems.count(s) > 1}
    if duplicates:
        raise click.UsageError(f"several videos are named {sorted(duplicates)[0]!r}; their outputs would collide")
    return [(v, output / f"{v.stem}.{fmt}") for v in videos]


def _write(doc, path: Path) -> None:  # noqa: ANN001 - Document, imported lazily
    from kslars import formats

    formats.write(doc, path)


def _dataset_dir(data: Path | None) -> Path:
    if data is not None:
        return data
    from kslars.engine.segmentation.dgs_data import DATASET

    root = Path(__file__).resolve().parents[2]
    shared = Path(os.environ.get("KSLARS_SHARED_DATA", root.parent / "shared" / "data"))
    return shared / DATASET


@click.group()
def train() -> None:
    """Train the engine's models."""


@train.command("segmentation")
@click.option("--data", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None, help=_DATA_HELP)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="where to save the weights (default: the shipped kslars/engine/weights/segmentation.pt; required with --from)",
)
@click.option("--steps", type=click.IntRange(1), default=None, help="optimisation steps (per member with --from)")
@click.option("--seed", type=int, default=None)
@click.option(
    "--hold-out",
    default=None,
    metavar="TRANSCRIPT",
    help="leave this DGS transcript out of training and score it (default: train on all five)",
)
@click.option(
    "--training-set",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="train on a training set made by `kslars corpus export-training` instead of the DGS clips",
)
@click.option(
    "--from",
    "sources",
    multiple=True,
    nargs=2,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    metavar="VIDEO EAF",
    help="fine-tune on the annotation of a video (or its .pose landmarks) instead of training on the DGS clips; "
    "may be given several times",
)
@click.option("--signs-tier", default=None, metavar="TIER", help="with --from: the tier of sign segments")
@click.option("--phrases-tier", default=None, metavar="TIER", help="with --from: the tier of phrases (sentences)")
@click.option(
    "--window",
    "windows",
    multiple=True,
    nargs=2,
    type=click.IntRange(0),
    metavar="START_MS END_MS",
    help="with --from: learn only from this part of the video (once for every video, or once per --from); "
    "default: from the first to the last annotation of the tiers",
)
@click.option(
    "--base",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="with --from: the weights to start from (default: the shipped weights)",
)
def train_segmentation(
    data: Path | None,
    output: Path | None,
    steps: int | None,
    seed: int | None,
    hold_out: str | None,
    training_set: Path | None,
    sources: tuple[tuple[Path, Path], ...],
    signs_tier: str | None,
    phrases_tier: str | None,
    windows: tuple[tuple[int, int], ...],
    base: Path | None,
) -> None:
    """Train the sign/phrase segmentation model on the DGS clips (all five transcripts, or all but --hold-out),
    or on an exported training set (--training-set: each segment's gloss annotations are its signs), or with
    --from fine-tune it on the annotated part of your own videos."""
    if sources:
        if training_set is not None:
            raise click.UsageError("--training-set and --from are two ways of training: choose one")
        _fine_tune_segmentation(sources, signs_tier, phrases_tier, windows, base, output, steps, seed, data, hold_out)
        return
    if signs_tier or phrases_tier or windows or base:
        raise click.UsageError("--signs-tier, --phrases-tier, --window and --base go with --from")
    from kslars.engine.segmentation.model import WEIGHTS
    from kslars.engine.segmentation.training import TrainingOptions, train_on_export
    from kslars.engine.segmentation.training import train as run_training

    defaults = TrainingOptions()
    options = TrainingOptions(steps=steps or defaults.steps, seed=defaults.seed if seed is None else seed)
    if training_set is not None:
        if output is None:
            raise click.UsageError("--training-set needs -o/--output: the shipped weights are not replaced by them")
        try:
            metadata = train_on_export(training_set, output, options, log=click.echo)
        except (OSError, ValueError) as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"saved {output} ({metadata['data']})")
        return
    dataset = _dataset_dir(data)
    if not dataset.is_dir():
        raise click.ClickException(f"the DGS clips folder {dataset} does not exist; pass --data")
    try:
        metadata = run_training(dataset, output or WEIGHTS, options, log=click.echo, hold_out=hold_out)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"saved {output or WEIGHTS} (trained on transcripts {', '.join(metadata['transcripts'])})")
    for name, scores in metadata.get("held_out", {}).items():
        _print_scores(name, scores)


def _fine_tune_segmentation(
    sources: tuple[tuple[Path, Path], ...],
    signs_tier: str | None,
    phrases_tier: str | None,
    windows: tuple[tuple[int, int], ...],
    base: Path | None,
    output: Path | None,
    steps: int | None,
    seed: int | None,
    data: Path | None,
    hold_out: str | None,
) -> None:
    """``kslars train segmentation --from VIDEO EAF ...``: fine-tune and save; bad input exits with code 2."""
    from kslars.engine.segmentation.adapt import AdaptOptions, adapted_metadata, fine_tune, mean_loss
    from kslars.engine.segmentation.model import load_segmentation_model, save_checkpoint

    if data is not None or hold_out is not None:
        raise click.UsageError("--data and --hold-out train on the DGS clips; they do not go with --from")
    if output is None:
        raise click.UsageError("give -o OUT.pt: where to save the fine-tuned weights")
    if not output.parent.is_dir():
        raise click.UsageError(f"the folder of {output} does not exist")
    if not (signs_tier or phrases_tier):
        raise click.UsageError("name the tiers to learn from: --signs-tier, --phrases-tier or both")
    if len(windows) not in (0, 1, len(sources)):
        raise click.UsageError(f"give --window once, or once per --from ({len(sources)}), not {len(windows)} times")
    try:
        model = load_segmentation_model(base)
        runs = [
            _annotated_run(
                video, eaf, signs_tier, phrases_tier, windows[i if len(windows) > 1 else 0] if windows else None
            )
            for i, (video, eaf) in enumerate(sources)
        ]
    except (ValueError, OSError) as exc:
        raise click.UsageError(str(exc)) from exc
    defaults = AdaptOptions()
    options = AdaptOptions(
        steps=steps or defaults.steps,
        seed=defaults.seed if seed is None else seed,
        learn_signs=signs_tier is not None,
        learn_phrases=phrases_tier is not None,
    )
    started = time.perf_counter()
    before = mean_loss(model, runs, options)
    bar = ProgressBar("fine-tuning")
    try:
        tuned = fine_tune(model, runs, options, progress=lambda fraction: bar(fraction, "fine-tuning"))
    finally:
        bar.close()
    seconds = time.perf_counter() - started
    described = [f"{video.name} + {eaf.name}" for video, eaf in sources]
    save_checkpoint(tuned, output, adapted_metadata(model, described, options, seconds))
    seconds_learnt = sum(len(r.skeleton) / r.skeleton.fps for r in runs)
    click.echo(
        f"saved {output}: fine-tuned on {seconds_learnt:.0f} s of {len(runs)} video(s) "
        f"({sum(len(r.signs) for r in runs)} signs, {sum(len(r.phrases) for r in runs)} phrases) in {seconds:.0f} s; "
        f"loss on them {before:.3f} -> {mean_loss(tuned, runs, options):.3f}"
    )


def _annotated_run(video: Path, eaf: Path, signs_tier: str | None, phrases_tier: str | None, window):  # noqa: ANN001, ANN202
    """One --from pair as training data; ValueError/OSError for bad input."""
    from kslars import formats
    from kslars.engine.segmentation.annotated import annotated_run, check_media, tier_spans
    from kslars.formats.errors import FormatError

    try:
        doc = formats.read(eaf)
    except FormatError as exc:
        raise ValueError(f"{eaf.name}: {exc}") from exc
    check_media(doc, video, eaf.name)
    signs = tier_spans(doc, signs_tier, eaf.name) if signs_tier else None
    phrases = tier_spans(doc, phrases_tier, eaf.name) if phrases_tier else None
    landmarks = _video_or_pose_landmarks(video)
    return annotated_run(landmarks, signs, phrases, tuple(window) if window else None, video.name)


def _video_or_pose_landmarks(path: Path):  # noqa: ANN202 - Landmarks, imported lazily
    """The landmarks of a .pose file, or of a video as automatic annotation samples them (extracted now)."""
    import tempfile

    from kslars.vision.pose_file import read_landmarks

    if path.suffix.lower() == ".pose":
        return read_landmarks(path)
    from kslars.engine.pipeline import video_landmarks
    from kslars.vision.video import VideoError

    bar = ProgressBar(path.name)
    try:
        with tempfile.TemporaryDirectory(prefix="kslars-train-") as folder:
            return video_landmarks(path, Path(folder) / "landmarks.pose", progress=bar)
    except VideoError as exc:
        raise ValueError(str(exc)) from exc
    finally:
        bar.close()


@click.group()
def evaluate() -> None:
    """Evaluate the engine's models on held-out data."""


@evaluate.command("segmentation")
@click.option("--data", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None, help=_DATA_HELP)
@click.option(
    "--weights",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="a segmentation checkpoint (default: the shipped weights)",
)
def evaluate_segmentation(data: Path | None, weights: Path | None) -> None:
    """Frame F1, segment IoU and segment counts of the segmentation model on each DGS transcript; those it
    was trained on are marked (leave one out with `kslars train segmentation --hold-out` for honest scores)."""
    from kslars.engine.segmentation.model import load_segmentation_model
    from kslars.engine.segmentation.training import evaluate as run_evaluation

    dataset = _dataset_dir(data)
    if not dataset.is_dir():
        raise click.ClickException(f"the DGS clips folder {dataset} does not exist; pass --data")
    model = load_segmentation_model(weights)
    trained_on = model.metadata.get("transcripts", ["1413451"])  # the first weights knew only 1413451
    for name, scores in run_evaluation(model, dataset).items():
        _print_scores(
            name + (" (trained on it)" if name in trained_on else ""), {k: v.as_dict() for k, v in scores.items()}
        )


def _print_scores(transcript: str, scores: dict[str, dict]) -> None:
    click.echo(
        f"{'transcript ' + transcript:<32} {'frame F1':>8} {'seg IoU':>8} {'sym IoU':>8} {'pred':>5} {'gold':>5}"
    )
    for name, s in scores.items():
        click.echo(
            f"  {name:<30} {s['frame_f1']:>8.3f} {s['segment_iou']:>8.3f} {s['symmetric_iou']:>8.3f} "
            f"{s['predicted_segments']:>5} {s['gold_segments']:>5}"
        )
