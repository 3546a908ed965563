"""``kslars convert IN OUT``: convert an annotation file between formats, chosen by extension."""

from __future__ import annotations

from typing import Any

import click

from kslars.cli_errors import InputError
from kslars.formats import FORMATS


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
@click.option(
    "--tiers", "-t", multiple=True, help="Export only this tier (and the tiers it depends on); repeat for more."
)
@click.option(
    "--from", "from_fmt", type=click.Choice(list(FORMATS)), help="Format of SOURCE when its extension does not say."
)
@click.option(
    "--to", "to_fmt", type=click.Choice(list(FORMATS)), help="Format of TARGET when its extension does not say."
)
@click.option(
    "--fps", type=float, help="Video frame rate for frame-based CSV (writing with --frames, or reading frame columns)."
)
@click.option("--frames", is_flag=True, help="Write CSV with frame numbers at --fps instead of milliseconds.")
def convert(
    source: str,
    target: str,
    tiers: tuple[str, ...],
    from_fmt: str | None,
    to_fmt: str | None,
    fps: float | None,
    frames: bool,
) -> None:
    """Convert annotation files between formats (by extension).

    For example ``kslars convert session.eaf session.json``. Reads ELAN .eaf (2.7-3.0), K-SLARS .json, .csv, .srt, .vtt and Praat .TextGrid; writes all of
    them (EAF as 3.0). TARGET is replaced only when the conversion succeeded.
    """
    from kslars import formats

    try:
        source_fmt = from_fmt or formats.format_for_path(source)
        target_fmt = to_fmt or formats.format_for_path(target)
        read_options: dict[str, Any] = {"fps": fps} if source_fmt == "csv" and fps else {}
        doc = formats.read(source, source_fmt, **read_options)
        write_options = {"frame_based": True, "fps": fps} if frames else {}
        if frames and target_fmt != "csv":
            raise formats.FormatError("--frames applies to CSV output only")
        formats.write(doc, target, target_fmt, tiers=list(tiers) or None, **write_options)
    except formats.FormatError as e:
        raise InputError(str(e)) from None
    click.echo(f"{source} ({source_fmt}) -> {target} ({target_fmt})")
