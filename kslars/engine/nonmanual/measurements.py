"""Non-manual measurements for research: per-frame series of the face and head, and their summaries per annotation.

The series (:data:`SERIES`) come from the same face measures and head angles as the non-manual proposals
(``face.py``, ``head_pose.py``): eyebrow heights relative to the signer's neutral, eye aperture, mouth opening and
head pitch, yaw and roll relative to the neutral pose, smoothed by a running median. Per annotation they give a
row of statistics (mean, max, slope) and time-normalised curves for functional data analysis.
docs/engine/nonmanual.md explains every unit and choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kslars.engine.nonmanual.detect import NonManualConfig
from kslars.engine.nonmanual.events import median_smooth, median_width, relative
from kslars.engine.nonmanual.face import FaceTrack, face_measures
from kslars.engine.nonmanual.head_pose import head_angles

# name -> (what it is, unit); the order is the order of CSV columns and plots
SERIES: dict[str, tuple[str, str]] = {
    "brow_right": ("Right eyebrow height", "inter-ocular distances above neutral"),
    "brow_left": ("Left eyebrow height", "inter-ocular distances above neutral"),
    "eye_aperture": ("Eye aperture", "eyelid gap / eye width"),
    "mouth_opening": ("Mouth opening", "inner-lip gap / mouth width"),
    "head_pitch": ("Head pitch", "degrees from neutral"),
    "head_yaw": ("Head yaw", "degrees from neutral"),
    "head_roll": ("Head roll", "degrees from neutral"),
}
DEFAULT_SMOOTH_MS = NonManualConfig().smooth_ms  # the proposals' running median
DEFAULT_POINTS = 50
STATISTICS = ("mean", "max", "slope")


@dataclass
class NonManualSeries:
    """Per-frame non-manual measures of one video: ``values[name]`` is a (T,) float array per :data:`SERIES` name,
    NaN where the face was not seen; frame i lies at ``i * 1000 / fps`` ms."""

    fps: float
    values: dict[str, np.ndarray]
    seen: np.ndarray  # (T,) bool

    @property
    def frame_count(self) -> int:
        """Number of frames."""
        return int(len(self.seen))

    def times_ms(self) -> np.ndarray:
        """(T,) the time of every frame in milliseconds (float)."""
        return np.arange(self.frame_count) * 1000.0 / self.fps

    def frames_between(self, start_ms: float, end_ms: float) -> range:
        """The frames whose time lies in [start_ms, end_ms)."""
        first = max(0, int(np.ceil(start_ms * self.fps / 1000 - 1e-9)))
        stop = min(self.frame_count, int(np.ceil(end_ms * self.fps / 1000 - 1e-9)))
        return range(first, max(first, stop))


def measure_series(
    track: FaceTrack, smooth_ms: int = DEFAULT_SMOOTH_MS, neutral: np.ndarray | None = None
) -> NonManualSeries:
    """The series of :data:`SERIES` for every frame of ``track``.

    Eyebrow heights and head angles are relative to the signer's neutral: their median over the frames with a face
    (only over frames where ``neutral`` is true, when given, e.g. frames without signing; over all of them when
    none of those has a face). Eye aperture and mouth opening are absolute ratios (0: closed). Every series is then
    smoothed by a running median over ``smooth_ms`` (0: not smoothed) within each run of frames with a face.
    """
    if neutral is not None and len(neutral) != track.frame_count:
        raise ValueError(f"the neutral mask has {len(neutral)} frames, the face track {track.frame_count}")
    measures = face_measures(track)
    angles = head_angles(track)
    raw = {
        "brow_right": relative(measures.brow_right, neutral=neutral),
        "brow_left": relative(measures.brow_left, neutral=neutral),
        "eye_aperture": measures.eye_aperture,
        "mouth_opening": measures.mouth_gap,
        "head_pitch": relative(angles.pitch, neutral=neutral),
        "head_yaw": relative(angles.yaw, neutral=neutral),
        "head_roll": relative(angles.roll, neutral=neutral),
    }
    width = median_width(smooth_ms, track.fps)
    return NonManualSeries(track.fps, {name: median_smooth(raw[name], width) for name in SERIES}, track.seen.copy())


def frames_outside(count: int, fps: float, spans: list[tuple[int, int]]) -> np.ndarray:
    """(count,) True for the frames at ``fps`` that lie in none of ``spans`` ((start_ms, end_ms) each), e.g. frames
    without signing as the neutral of :func:`measure_series`."""
    times = np.arange(count) * 1000.0 / fps
    outside = np.ones(count, bool)
    for start, end in spans:
        outside &= ~((times >= start) & (times < end))
    return outside


def frame_rows(series: NonManualSeries) -> tuple[list[str], list[list[Any]]]:
    """The per-frame table: header ``frame, time_ms, face, <series...>`` and one row per frame (None for NaN)."""
    header = ["frame", "time_ms", "face", *SERIES]
    times = series.times_ms()
    columns = [_rounded(series.values[name]) for name in SERIES]
    rows = [
        [i, round(float(times[i]), 1), int(series.seen[i]), *(column[i] for column in columns)]
        for i in range(series.frame_count)
    ]
    return header, rows


@dataclass(frozen=True)
class Span:
    """One annotation to summarise: its tier, value and time span in milliseconds."""

    tier: str
    value: str
    start_ms: int
    end_ms: int


def summary_header() -> list[str]:
    """The columns of :func:`summary_rows`."""
    stats = [f"{name}_{stat}" for name in SERIES for stat in STATISTICS]
    return ["tier", "index", "value", "start_ms", "end_ms", "frames", "face_frames", *stats]


def summary_rows(series: NonManualSeries, spans: list[Span]) -> list[list[Any]]:
    """One row per span (see :func:`summary_header`): per series the mean and the maximum over the span's frames
    with a face, and the slope of a least-squares line through them, in units per second (None with no face, or
    for the slope with fewer than two frames). ``index`` numbers the spans of each tier from 0 in time order."""
    rows = []
    times = series.times_ms() / 1000
    for span, index in zip(spans, _tier_indices(spans), strict=True):
        frames = series.frames_between(span.start_ms, span.end_ms)
        row: list[Any] = [span.tier, index, span.value, span.start_ms, span.end_ms, len(frames)]
        row.append(int(series.seen[frames.start : frames.stop].sum()))
        for name in SERIES:
            row += [_number(x) for x in _statistics(times[frames.start : frames.stop], series.values[name][frames])]
        rows.append(row)
    return rows


def _statistics(times: np.ndarray, values: np.ndarray) -> tuple[float, float, float]:
    """Mean, max and least-squares slope (per second) of the finite ``values``; NaN where undefined."""
    finite = np.isfinite(values)
    if not finite.any():
        return np.nan, np.nan, np.nan
    x, y = times[finite], values[finite]
    slope = np.polyfit(x, y, 1)[0] if len(x) >= 2 else np.nan
    return float(y.mean()), float(y.max()), float(slope)


def time_normalised(series: NonManualSeries, spans: list[Span], points: int = DEFAULT_POINTS) -> np.ndarray:
    """(len(spans), len(SERIES), points) curves: each series within each span, sampled at ``points`` evenly spaced
    times from its start to its end by linear interpolation between the two frames around each time. NaN where one
    of those frames has no face or the time lies outside the video."""
    if points < 2:
        raise ValueError(f"a time-normalised curve needs at least 2 points, not {points}")
    table = np.stack([series.values[name] for name in SERIES])  # (S, T)
    curves = np.full((len(spans), len(SERIES), points), np.nan)
    last = series.frame_count - 1
    for k, span in enumerate(spans):
        position = np.linspace(span.start_ms, span.end_ms, points) * series.fps / 1000
        lower = np.floor(position + 1e-9).astype(int)
        inside = (lower >= 0) & (lower <= last)
        lower, fraction = np.clip(lower, 0, last), np.clip(position - lower, 0, 1)
        upper = np.minimum(lower + 1, last)
        with np.errstate(invalid="ignore"):
            blend = table[:, lower] * (1 - fraction) + table[:, upper] * fraction
        curves[k] = np.where(inside & (fraction > 1e-9), blend, np.where(inside, table[:, lower], np.nan))
    return curves


def curves_arrays(series: NonManualSeries, spans: list[Span], points: int = DEFAULT_POINTS) -> dict[str, np.ndarray]:
    """The arrays of the curves file (.npz): ``curves`` (annotations, series, points) from :func:`time_normalised`,
    ``series`` (names), ``position`` (0..1, each point's place in its annotation), ``tier``, ``value``, ``start_ms``
    and ``end_ms`` per annotation."""
    return {
        "curves": time_normalised(series, spans, points),
        "series": np.array(list(SERIES)),
        "position": np.linspace(0.0, 1.0, points),
        "tier": np.array([s.tier for s in spans], dtype=str),
        "value": np.array([s.value for s in spans], dtype=str),
        "start_ms": np.array([s.start_ms for s in spans], np.int64),
        "end_ms": np.array([s.end_ms for s in spans], np.int64),
    }


def curve_rows(series: NonManualSeries, spans: list[Span], points: int = DEFAULT_POINTS) -> list[list[Any]]:
    """The curves as a long table (``tier, index, value, start_ms, end_ms, series, point, position, measure``),
    one row per annotation, series and point: the layout of R's and pandas' tidy data."""
    curves = time_normalised(series, spans, points)
    position = np.linspace(0.0, 1.0, points)
    rows = []
    for k, (span, index) in enumerate(zip(spans, _tier_indices(spans), strict=True)):
        head = [span.tier, index, span.value, span.start_ms, span.end_ms]
        for s, name in enumerate(SERIES):
            rows += [[*head, name, p, round(float(position[p]), 4), _number(curves[k, s, p])] for p in range(points)]
    return rows


CURVE_HEADER = ["tier", "index", "value", "start_ms", "end_ms", "series", "point", "position", "measure"]


def _tier_indices(spans: list[Span]) -> list[int]:
    counters: dict[str, int] = {}
    out = []
    for span in spans:
        out.append(counters.get(span.tier, 0))
        counters[span.tier] = out[-1] + 1
    return out


def _rounded(values: np.ndarray) -> list[float | None]:
    return [_number(x) for x in values.tolist()]


def _number(value: float) -> float | None:
    """A CSV or JSON number rounded to 5 decimals; None for NaN."""
    return None if not np.isfinite(value) else round(float(value), 5)
