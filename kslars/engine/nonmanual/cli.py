"""``kslars nonmanual VIDEO -o OUT.csv``: non-manual measurements per frame, and per annotation of an EAF's tiers."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import click

from kslars.engine.nonmanual.measurements import DEFAULT_POINTS, DEFAULT_SMOOTH_MS

CURVE_SUFFIXES = (".npz", ".csv")


@click.command()
@click.argument("source", metavar="VIDEO", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="the per-frame CSV to write"
)
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), help="a figure of the series (.png or .svg)")
@click.option("--eaf", type=click.Path(dir_okay=False, path_type=Path), help="an annotation file of this video")
@click.option("--tier", "tiers", multiple=True, help="a tier of --eaf to summarise per annotation (repeatable)")
@click.option(
    "--summary",
    type=click.Path(dir_okay=False, path_type=Path),
    help="the per-annotation CSV (default: OUT_summary.csv beside OUT)",
)
@click.option(
    "--curves",
    type=click.Path(dir_okay=False, path_type=Path),
    help="the time-normalised curves, .npz or .csv (default: OUT_curves.npz beside OUT)",
)
@click.option(
    "--points", type=click.IntRange(2, 10_000), default=DEFAULT_POINTS, show_default=True, help="points per curve"
)
@click.option(
    "--smooth-ms",
    type=click.IntRange(0, 5_000),
    default=DEFAULT_SMOOTH_MS,
    show_default=True,
    help="running median over this many ms (0: none)",
)
@click.option(
    "--neutral-outside",
    metavar="TIER",
    help="take the neutral level from frames outside this tier's annotations (e.g. frames without signing)",
)
@click.option(
    "--landmarks",
    type=click.Path(dir_okay=False, path_type=Path),
    help="for a video: keep its landmarks in this .pose file and reuse them on later runs",
)
def nonmanual(
    source: Path,
    output: Path,
    plot: Path | None,
    eaf: Path | None,
    tiers: tuple[str, ...],
    summary: Path | None,
    curves: Path | None,
    points: int,
    smooth_ms: int,
    neutral_outside: str | None,
    landmarks: Path | None,
) -> None:
    """Measure eyebrows, eyes, mouth and head per frame in VIDEO (or in its landmarks, a .pose file).

    Writes OUT.csv: eyebrow heights (left, right) relative to the signer's neutral in inter-ocular distances, eye
    aperture, mouth opening, head pitch, yaw and roll in degrees from neutral, smoothed. With --eaf and --tier,
    also one row per annotation (mean, max and slope of each series) and time-normalised curves for functional data
    analysis. docs/engine/nonmanual.md describes every column. Bad input exits with status 2.
    """
    from kslars.cli_errors import fail
    from kslars.engine.nonmanual import measurements as m

    _check_outputs(output, plot, summary, curves, fail)
    if (tiers or neutral_outside) and eaf is None:
        fail("--tier and --neutral-outside need --eaf, the annotation file whose tiers they name")
    if eaf is not None and not tiers and neutral_outside is None:
        fail("name at least one --tier of the annotation file to summarise")
    spans = _spans(eaf, tiers, fail) if eaf is not None else []
    track = _face_track(source, landmarks, fail)
    neutral = None
    if neutral_outside is not None and eaf is not None:  # --neutral-outside without --eaf was refused above
        outside = [(s.start_ms, s.end_ms) for s in _spans(eaf, (neutral_outside,), fail)]
        neutral = m.frames_outside(track.frame_count, track.fps, outside)
    series = m.measure_series(track, smooth_ms=smooth_ms, neutral=neutral)
    header, rows = m.frame_rows(series)
    _write_csv(output, header, rows)
    written = [f"{output} ({series.frame_count} frames at {series.fps:g} fps, face in {series.seen.mean():.0%})"]
    if tiers:
        summary = summary or output.with_name(f"{output.stem}_summary.csv")
        curves = curves or output.with_name(f"{output.stem}_curves.npz")
        summarised = [s for s in spans if s.tier in tiers]
        _write_csv(summary, m.summary_header(), m.summary_rows(series, summarised))
        if curves.suffix.lower() == ".npz":
            import numpy as np

            np.savez_compressed(curves, **m.curves_arrays(series, summarised, points))
        else:
            _write_csv(curves, m.CURVE_HEADER, m.curve_rows(series, summarised, points))
        written += [f"{summary} ({len(summarised)} annotations)", f"{curves} ({points} points per curve)"]
    if plot is not None:
        from kslars.corpus.plots import save_figure
        from kslars.engine.nonmanual.plot import series_figure

        save_figure(series_figure(series, [s for s in spans if s.tier in tiers], title=source.name), plot)
        written.append(str(plot))
    click.echo("\n".join(written))


def _check_outputs(output: Path, plot: Path | None, summary: Path | None, curves: Path | None, fail: Any) -> None:
    """Refuse outputs of the wrong kind or in missing folders before any work is done."""
    from kslars.corpus.plots import PLOT_SUFFIXES

    checks = [(output, (".csv",)), (plot, PLOT_SUFFIXES), (summary, (".csv",)), (curves, CURVE_SUFFIXES)]
    for path, suffixes in checks:
        if path is None:
            continue
        if path.suffix.lower() not in suffixes:
            fail(f"{path.name}: write it as {' or '.join(suffixes)}")
        if not path.parent.is_dir():
            fail(f"the folder of {path} does not exist")


def _spans(eaf: Path, tiers: tuple[str, ...], fail: Any) -> list:
    """The annotations of ``tiers`` in ``eaf`` as measurement spans, tier by tier in time order."""
    from kslars import formats
    from kslars.corpus.segments import resolved_spans, tier_segments
    from kslars.engine.nonmanual.measurements import Span
    from kslars.formats.errors import FormatError

    if not eaf.is_file():
        fail(f"{eaf}: no such file")
    try:
        doc = formats.read(eaf)
    except (FormatError, ValueError, OSError) as exc:
        fail(f"{eaf}: {exc}")
    spans = resolved_spans(doc)
    result = []
    for name in tiers:
        if not doc.has_tier(name):
            fail(f"{eaf.name} has no tier {name!r} (its tiers: {', '.join(repr(t.id) for t in doc.tiers) or 'none'})")
        result += [Span(name, s.value, s.start_ms, s.end_ms) for s in tier_segments(doc, name, spans)]
    return result


def _face_track(source: Path, landmarks: Path | None, fail: Any) -> Any:
    """The face track of a .pose file, or of a video's landmarks (extracted, or reused from ``landmarks``)."""
    from kslars.engine.nonmanual import read_face_track
    from kslars.vision.pose_file import PoseFileError

    if not source.is_file():
        fail(f"{source}: no such file")
    if landmarks is not None and landmarks.suffix.lower() != ".pose":
        fail(f"--landmarks must name a .pose file, not {landmarks.name!r}")
    pose = source if source.suffix.lower() == ".pose" else _video_landmarks(source, landmarks, fail)
    try:
        track = read_face_track(pose)
    except (PoseFileError, ValueError, OSError) as exc:
        fail(f"{pose}: {exc}")
    if not track.seen.any():
        fail(f"{source}: no face was found in any frame")
    return track


def _video_landmarks(video: Path, landmarks: Path | None, fail: Any) -> Path:
    """The .pose file of ``video``: ``landmarks`` when it fits the video, else extracted into it (or into a
    temporary file that lives until the command ends)."""
    import atexit
    import shutil
    import tempfile

    from kslars.engine.pipeline import video_landmarks
    from kslars.progress import ProgressBar
    from kslars.vision.video import VideoError

    if landmarks is None:
        folder = tempfile.mkdtemp(prefix="kslars-nonmanual-")
        atexit.register(shutil.rmtree, folder, True)
        landmarks = Path(folder, "landmarks.pose")
    bar = ProgressBar(video.name)
    try:
        video_landmarks(video, landmarks, progress=bar)
    except (VideoError, OSError) as exc:
        fail(f"{video}: {exc}")
    finally:
        bar.close()
    return landmarks


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
