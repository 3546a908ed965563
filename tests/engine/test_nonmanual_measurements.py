"""Non-manual measurements: known movements of a real face give the known series, summaries and curves; the command
on a real clip, a real .pose file and bad input; the plot checked as an image."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from kslars.cli import main
from kslars.engine.nonmanual import read_face_track
from kslars.engine.nonmanual.face import (
    LEFT_BROW,
    LEFT_EYE,
    LEFT_LIDS,
    MOUTH_CORNERS,
    RIGHT_BROW,
    RIGHT_EYE,
    RIGHT_LIDS,
    columns,
)
from kslars.engine.nonmanual.measurements import (
    SERIES,
    Span,
    curve_rows,
    curves_arrays,
    frames_outside,
    measure_series,
    summary_header,
    summary_rows,
    time_normalised,
)
from kslars.engine.nonmanual.plot import PANELS, TIME_LABEL, series_figure
from tests.conftest import shared_file
from tests.corpus.helpers import write_eaf
from tests.engine.test_nonmanual import EXAMPLE_POSE, FPS, SOUP, envelope, face, move_points, rotate_head, still, track

__all__ = ["face"]  # the real neutral face, a fixture of test_nonmanual
MMPOSE_SOUP = "sign-language-processing__pose/poses/mmposewholebody/SOUP.pose"


def at(series, name: str, second: float) -> float:
    return float(series.values[name][round(second * FPS)])


def distance_rise(face, brow: tuple[int, ...], eye: tuple[int, int], lift: np.ndarray) -> float:
    """What the brow measure should gain when ``brow``'s points move by ``lift`` (pixels): the mean change of their
    3D distance to the eye's centre, in inter-ocular distances, computed on the neutral face's points directly."""
    points, centre = face.points[columns(brow)], face.points[columns(eye)].mean(axis=0)
    before = np.linalg.norm(points - centre, axis=1)
    after = np.linalg.norm(points + lift - centre, axis=1)
    return float((after - before).mean() / face.interocular)


def test_one_eyebrow_raised_by_a_known_amount(face) -> None:
    frames = still(face)
    amount = 0.10  # inter-ocular distances straight up the face
    lift = np.array([0, amount * face.interocular, 0])
    move_points(frames, face, RIGHT_BROW, lift, envelope(1.0, 2.5, len(frames)))
    series = measure_series(track(frames))
    expected = distance_rise(face, RIGHT_BROW, RIGHT_EYE, face.axes @ lift)
    assert 0.7 * amount < expected <= amount  # the brow lies above and beside the eye: most of a rise is distance
    assert at(series, "brow_right", 1.8) == pytest.approx(expected, abs=0.002)
    assert abs(at(series, "brow_left", 1.8)) < 0.002
    assert abs(at(series, "brow_right", 4.0)) < 0.002  # neutral: the median of the video
    for name in ("head_pitch", "head_yaw", "head_roll"):
        assert np.nanmax(np.abs(series.values[name])) < 1.0, name


def test_head_turned_by_a_known_yaw_and_pitch(face) -> None:
    frames = still(face)
    rotate_head(frames, face, 1, 20 * envelope(2.0, 4.0, len(frames), ramp_s=0.3))  # about "up": yaw
    rotate_head(frames, face, 0, 12 * envelope(4.5, 5.5, len(frames), ramp_s=0.2))  # about "right": pitch
    series = measure_series(track(frames))
    assert at(series, "head_yaw", 3.0) == pytest.approx(20, abs=0.5)
    assert abs(at(series, "head_pitch", 3.0)) < 0.5
    assert abs(at(series, "head_roll", 3.0)) < 0.5
    assert abs(at(series, "head_pitch", 5.0)) == pytest.approx(12, abs=0.5)
    assert abs(at(series, "head_yaw", 1.0)) < 0.2
    # a turned head does not change the face's own shape measures
    assert np.nanmax(np.abs(series.values["brow_right"])) < 0.01


def test_eyes_closed_and_mouth_opened(face) -> None:
    frames = still(face)
    closing = envelope(1.0, 2.0, len(frames))
    for upper, lower in RIGHT_LIDS + LEFT_LIDS:  # each upper lid onto its lower lid
        frames[:, columns(upper)] += closing[:, None] * (face.points[columns(lower)] - face.points[columns(upper)])
    width = np.linalg.norm(face.points[columns(MOUTH_CORNERS[0])] - face.points[columns(MOUTH_CORNERS[1])])
    lower_lip = (87, 14, 317)
    move_points(frames, face, lower_lip, np.array([0, -0.3 * width, 0]), envelope(3.0, 4.0, len(frames)))
    series = measure_series(track(frames))
    open_eyes = at(series, "eye_aperture", 0.5)
    assert 0.1 < open_eyes < 0.6
    assert at(series, "eye_aperture", 1.5) < 0.01
    assert at(series, "mouth_opening", 3.5) - at(series, "mouth_opening", 0.5) == pytest.approx(0.3, abs=0.03)


def test_neutral_from_frames_without_signing(face) -> None:
    """Brows raised for most of the video become the median; the neutral from the other frames measures them."""
    frames = still(face)
    raised = 0.12
    brows = RIGHT_BROW + LEFT_BROW
    move_points(frames, face, brows, np.array([0, raised * face.interocular, 0]), envelope(0.5, 5.0, len(frames)))
    by_median = measure_series(track(frames))
    assert abs(at(by_median, "brow_left", 3.0)) < 0.005
    neutral = frames_outside(len(frames), FPS, [(400, 5100)])
    by_neutral = measure_series(track(frames), neutral=neutral)
    expected = distance_rise(face, LEFT_BROW, LEFT_EYE, face.axes @ np.array([0, raised * face.interocular, 0]))
    assert at(by_neutral, "brow_left", 3.0) == pytest.approx(expected, abs=0.002)
    assert abs(at(by_neutral, "brow_left", 5.5)) < 0.002
    with pytest.raises(ValueError, match="neutral mask"):
        measure_series(track(frames), neutral=neutral[:-1])


def test_summaries_and_curves_of_a_known_ramp(face) -> None:
    """The right brow rises linearly by 0.05 inter-ocular distances per second from 1 s to 3 s."""
    frames = still(face)
    t = np.arange(len(frames)) / FPS
    rise = 0.05 * np.clip(t - 1.0, 0, 2.0)
    move_points(frames, face, RIGHT_BROW, np.array([0, face.interocular, 0]), rise)
    gain = distance_rise(face, RIGHT_BROW, RIGHT_EYE, face.axes @ np.array([0, 0.05 * face.interocular, 0])) / 0.05
    seen = np.ones(len(frames), bool)
    seen[round(4.2 * FPS) : round(4.6 * FPS)] = False
    series = measure_series(track(frames, seen), smooth_ms=0)
    base = at(series, "brow_right", 0.5)
    spans = [
        Span("Gloss", "RISE", 1000, 3000),
        Span("Gloss", "FLAT", 3200, 4000),
        Span("Sentence", "NO-FACE", 4200, 4500),
    ]
    header = summary_header()
    rows = [dict(zip(header, row, strict=True)) for row in summary_rows(series, spans)]
    rise_row, flat_row, faceless = rows
    assert (rise_row["tier"], rise_row["index"], rise_row["frames"], rise_row["face_frames"]) == ("Gloss", 0, 30, 30)
    assert rise_row["brow_right_slope"] == pytest.approx(0.05 * gain, rel=0.03)
    assert rise_row["brow_right_mean"] - base == pytest.approx(0.05 * gain * (29 / 15) / 2, rel=0.03)
    assert rise_row["brow_right_max"] - base == pytest.approx(0.05 * gain * 29 / 15, rel=0.03)
    assert abs(flat_row["brow_right_slope"]) < 1e-6 and flat_row["index"] == 1
    assert faceless["index"] == 0 and faceless["face_frames"] == 0 and faceless["brow_right_mean"] is None
    curves = time_normalised(series, spans, points=5)
    assert curves.shape == (3, len(SERIES), 5)
    right = list(SERIES).index("brow_right")
    assert curves[0, right] - base == pytest.approx(gain * np.array([0, 0.025, 0.05, 0.075, 0.1]), abs=0.002)
    assert np.isnan(curves[2]).all()
    arrays = curves_arrays(series, spans, points=5)
    assert arrays["position"].tolist() == [0, 0.25, 0.5, 0.75, 1]
    assert arrays["value"].tolist() == ["RISE", "FLAT", "NO-FACE"]
    long = curve_rows(series, spans, points=5)
    assert len(long) == 3 * len(SERIES) * 5
    assert long[right * 5 + 2][5:8] == ["brow_right", 2, 0.5]


def nonmanual(*args: object):  # noqa: ANN201 - click's Result
    """Run ``kslars nonmanual`` with ``args``."""
    return CliRunner().invoke(main, ["nonmanual", *map(str, args)])


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_command_on_a_real_pose_with_an_annotation_file(tmp_path: Path) -> None:
    """example.pose (continuous signing, raised brows in its first 1.7 s): per frame, per annotation, curves, plot."""
    pose = shared_file(EXAMPLE_POSE)
    eaf = write_eaf(tmp_path / "a.eaf", {"Gloss": [(200, 1500, "Q"), (2000, 3200, "B")], "Other": [(0, 500, "x")]})
    out = tmp_path / "series.csv"
    result = nonmanual(pose, "-o", out, "--eaf", eaf, "--tier", "Gloss", "--plot", tmp_path / "p.png")
    assert result.exit_code == 0, result.output
    frames = read_csv(out)
    assert list(frames[0]) == ["frame", "time_ms", "face", *SERIES]
    assert len(frames) == read_face_track(pose).frame_count
    summary = read_csv(tmp_path / "series_summary.csv")
    assert [(r["tier"], r["value"]) for r in summary] == [("Gloss", "Q"), ("Gloss", "B")]
    # the question-like raise at the start is above the signer's neutral, the later stretch below it
    assert float(summary[0]["brow_left_mean"]) > 0.03 > float(summary[1]["brow_left_mean"])
    with np.load(tmp_path / "series_curves.npz") as curves:
        assert curves["curves"].shape == (2, len(SERIES), 50)
        assert np.isfinite(curves["curves"]).all()
        assert curves["tier"].tolist() == ["Gloss", "Gloss"]
    image = Image.open(tmp_path / "p.png")
    assert image.size == (1100, 750)
    assert len(set(image.convert("L").get_flattened_data())) > 20  # drawn, not a blank canvas
    csv_curves = tmp_path / "c.csv"
    again = nonmanual(pose, "-o", out, "--eaf", eaf, "--tier", "Gloss", "--curves", csv_curves, "--points", 3)
    assert again.exit_code == 0, again.output
    assert len(read_csv(csv_curves)) == 2 * len(SERIES) * 3


def test_plot_axes_and_series() -> None:
    series = measure_series(read_face_track(shared_file(EXAMPLE_POSE)))
    figure = series_figure(series, [Span("Gloss", "Q", 200, 1500)])
    axes = figure.axes
    assert [ax.get_title(loc="left") for ax in axes] == [title for title, _, _ in PANELS]
    assert [ax.get_ylabel() for ax in axes] == [unit for _, unit, _ in PANELS]
    assert axes[-1].get_xlabel() == TIME_LABEL
    for ax, (_, _, names) in zip(axes, PANELS, strict=True):
        assert [line.get_label() for line in ax.get_lines()] == [SERIES[n][0] for n in names]
        assert [text.get_text() for text in ax.get_legend().get_texts()] == [SERIES[n][0] for n in names]
        assert all(np.isfinite(line.get_ydata()).any() for line in ax.get_lines())
    assert axes[-1].get_xlim()[1] == pytest.approx((series.frame_count - 1) / series.fps)


@pytest.mark.slow
def test_command_on_a_real_video(tmp_path: Path) -> None:
    """SOUP.mp4 through MediaPipe: the mouthing of "soup" (lips apart at about 0.27-0.8 s) measures wider open than
    the closing end of the clip."""
    video = shared_file(SOUP)
    eaf = write_eaf(tmp_path / "soup.eaf", {"Mouth": [(267, 800, "open"), (933, 1400, "closing")]})
    pose = tmp_path / "soup.pose"
    out = tmp_path / "soup.csv"
    result = nonmanual(video, "-o", out, "--eaf", eaf, "--tier", "Mouth", "--landmarks", pose)
    assert result.exit_code == 0, result.output
    assert pose.is_file()  # kept for the next run
    rows = read_csv(tmp_path / "soup_summary.csv")
    opened, closing = (float(r["mouth_opening_mean"]) for r in rows)
    assert opened > 0.15 and opened - closing > 0.05
    assert float(rows[1]["mouth_opening_slope"]) < 0
    assert all(r["face"] == "1" for r in read_csv(out))


def test_bad_input_exits_2_and_names_the_problem(tmp_path: Path) -> None:
    pose = shared_file(EXAMPLE_POSE)
    eaf = write_eaf(tmp_path / "a.eaf", {"Gloss": [(0, 500, "x")]})
    out = tmp_path / "o.csv"
    cases = [
        ([str(pose), "-o", str(tmp_path / "o.txt")], "o.txt: write it as .csv"),
        ([str(pose), "-o", out, "--plot", str(tmp_path / "p.jpg")], "p.jpg"),
        ([str(pose), "-o", out, "--tier", "Gloss"], "need --eaf"),
        ([str(pose), "-o", out, "--eaf", str(eaf)], "at least one --tier"),
        (
            [pose, "-o", out, "--eaf", eaf, "--tier", "Nope"],
            "no tier 'Nope' (its tiers: 'Gloss')",
        ),
        ([str(tmp_path / "missing.pose"), "-o", out], "no such file"),
        ([str(shared_file(MMPOSE_SOUP)), "-o", out], "SOUP.pose"),
        ([str(pose), "-o", str(tmp_path / "no" / "o.csv")], "does not exist"),
    ]
    for args, message in cases:
        result = nonmanual(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
    assert not (tmp_path / "o.csv").exists()
