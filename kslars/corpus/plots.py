"""Corpus statistics as a figure (PNG or SVG): annotations and annotated minutes per tier. Needs matplotlib."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PLOT_SUFFIXES = (".png", ".svg")
MOST_TIERS = 20
MS_PER_MINUTE = 60_000


def stats_figure(stats: dict[str, Any]) -> Any:
    """A matplotlib Figure of ``stats`` (the dict of CorpusStats.to_dict): the tiers with most annotations, their
    annotation counts (left) and total annotated minutes (right)."""
    from matplotlib.figure import Figure

    tiers = sorted(stats["tiers"].items(), key=lambda item: item[1]["annotations"], reverse=True)[:MOST_TIERS]
    names = [name for name, _ in tiers][::-1]
    counts = [t["annotations"] for _, t in tiers][::-1]
    minutes = [t["duration_ms"] / MS_PER_MINUTE for _, t in tiers][::-1]
    figure = Figure(figsize=(11, 1.2 + 0.35 * max(len(names), 1)), layout="constrained")
    left, right = figure.subplots(1, 2, sharey=True)
    left.barh(names, counts, color="#4c72b0")
    left.set_xlabel("annotations")
    left.set_title("Annotations per tier")
    right.barh(names, minutes, color="#dd8452")
    right.set_xlabel("minutes")
    right.set_title("Annotated time per tier")
    figure.suptitle(
        f"{stats['files']} files, {stats['annotations']:,} annotations, "
        f"{stats['media']['hours']} h of media found, {stats['annotated']['hours']} h annotated"
    )
    return figure


def save_plot(stats: dict[str, Any], path: str | Path) -> None:
    """Write :func:`stats_figure` to ``path``; its suffix (.png or .svg) chooses the format."""
    save_figure(stats_figure(stats), path)


def save_figure(figure: Any, path: str | Path) -> None:
    """Write a matplotlib ``figure`` to ``path``; its suffix (.png or .svg) chooses the format (ValueError for any
    other)."""
    path = Path(path)
    if path.suffix.lower() not in PLOT_SUFFIXES:
        raise ValueError(f"{path.name}: a plot is written as .png or .svg, not {path.suffix or 'without extension'}")
    figure.savefig(path)
