"""Non-manual series as a figure (PNG or SVG): eyebrows, eyes and mouth, and head angles over time, with the
annotations measured shaded. Needs matplotlib."""

from __future__ import annotations

from typing import Any

from kslars.engine.nonmanual.measurements import SERIES, NonManualSeries, Span

# (panel title, y-axis label, series drawn)
PANELS = (
    ("Eyebrows", "inter-ocular distances\nabove neutral", ("brow_right", "brow_left")),
    ("Eyes and mouth", "gap / width", ("eye_aperture", "mouth_opening")),
    ("Head", "degrees from neutral", ("head_pitch", "head_yaw", "head_roll")),
)
TIME_LABEL = "time (s)"


def series_figure(series: NonManualSeries, spans: list[Span] | None = None, title: str = "") -> Any:
    """A matplotlib Figure with one panel per group of :data:`PANELS`, time in seconds on a shared x axis, a legend
    naming each series, and ``spans`` shaded (their values written at the top of the first panel)."""
    from matplotlib.figure import Figure

    times = series.times_ms() / 1000
    figure = Figure(figsize=(11, 7.5), layout="constrained")
    axes = figure.subplots(len(PANELS), 1, sharex=True)
    for ax, (heading, unit, names) in zip(axes, PANELS, strict=True):
        for name in names:
            ax.plot(times, series.values[name], label=SERIES[name][0], linewidth=1.2)
        for span in spans or []:
            ax.axvspan(span.start_ms / 1000, span.end_ms / 1000, color="#999999", alpha=0.15, linewidth=0)
        ax.set_title(heading, loc="left")
        ax.set_ylabel(unit)
        ax.legend(loc="upper right", fontsize="small")
        ax.grid(alpha=0.3)
    for span in spans or []:
        axes[0].annotate(
            span.value,
            ((span.start_ms + span.end_ms) / 2000, 1),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
            fontsize="x-small",
            annotation_clip=True,
        )
    axes[-1].set_xlabel(TIME_LABEL)
    if len(times):
        axes[-1].set_xlim(0, max(times[-1], 1 / series.fps))
    if title:
        figure.suptitle(title)
    return figure
