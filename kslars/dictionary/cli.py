"""``kslars dictionary``: import signs into a dictionary file, search it by handshape or text, export it.

Bad input (an unknown handshape name, a landmarks file of the wrong shape, a picture with no hand or two,
a file that is not an image or a video, a file that cannot be imported) ends with exit code 2 and a message, and
leaves the dictionary file as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    import numpy as np

    from kslars.dictionary.lexicon import Lexicon

DICTIONARY_OPTION = click.option(
    "--dictionary", "dictionary_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="The dictionary file (JSON, see docs/dictionary.md).",
)  # fmt: skip


@click.group()
def dictionary() -> None:
    """The reverse dictionary: find signs by handshape (palette, landmarks, photo, video) or by text."""


def _load(path: Path) -> Lexicon:
    from kslars.dictionary.lexicon import Lexicon, LexiconError

    try:
        return Lexicon.load(path)
    except LexiconError as error:
        raise click.UsageError(str(error)) from None


@dictionary.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DICTIONARY_OPTION
@click.option("--verbose", "-v", is_flag=True, help="List every entry left out and why.")
def import_(source: Path, dictionary_path: Path, verbose: bool) -> None:
    """Add the signs of SOURCE (a HamNoSys lexicon .json, a K-SLARS dictionary, an ELAN .eaf or a SLAN export)."""
    from kslars.dictionary.importers import ImportFailed, read_signs
    from kslars.dictionary.lexicon import Lexicon

    try:
        result = read_signs(source)
    except ImportFailed as error:
        raise click.UsageError(str(error)) from None
    if not result.signs:
        raise click.UsageError(f"{source.name}: no sign could be imported ({len(result.skipped)} entries left out)")
    lexicon = _load(dictionary_path) if dictionary_path.exists() else Lexicon([])
    merged = lexicon.merged(result.signs)
    merged.save(dictionary_path)
    click.echo(f"imported {len(result.signs)} signs from {source.name}; {dictionary_path} holds {len(merged)} signs")
    if result.skipped:
        click.echo(f"left out {len(result.skipped)} entries" + ("" if verbose else " (--verbose lists them)"))
        for entry, reason in result.skipped if verbose else []:
            click.echo(f"  {entry}: {reason}")


@dictionary.command("search")
@DICTIONARY_OPTION
@click.option(
    "--handshape",
    "handshapes",
    multiple=True,
    metavar="NAME",
    help="A handshape from the palette: dominant hand, then (repeat the option) the non-dominant one. "
    "A HamNoSys name (hamflathand; modifiers after commas: hamfinger2,hamthumboutmod) or a class "
    "name (finger2_thumbout).",
)
@click.option(
    "--hand",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="LANDMARKS.npy",
    help="One hand's 21 MediaPipe landmarks, shape (21, 3) or (1, 21, 3).",
)
@click.option("--left", is_flag=True, help="The --hand landmarks are of a left hand.")
@click.option(
    "--image",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="PHOTO",
    help="A photo of one hand (MediaPipe Hands finds it).",
)
@click.option(
    "--video",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="CLIP",
    help="A short video of one sign (at most 10 s); the hand seen most is taken as the dominant one.",
)
@click.option("--text", help="A gloss or translation, in Cyrillic or Latin letters (prefix and fuzzy matches).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1), help="How many results.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per result, best first.")
def search(
    dictionary_path: Path,
    handshapes: tuple[str, ...],
    hand: Path | None,
    left: bool,
    image: Path | None,
    video: Path | None,
    text: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Find signs by handshape (--handshape, --hand, --image, --video) or by text (--text)."""
    from kslars.dictionary import search as searching

    given = [
        name
        for name, value in (
            ("--handshape", handshapes),
            ("--hand", hand),
            ("--image", image),
            ("--video", video),
            ("--text", text),
        )
        if value
    ]
    if len(given) != 1:
        raise click.UsageError(
            "give exactly one of --handshape, --hand, --image, --video or --text"
            + (f" (got {', '.join(given)})" if given else "")
        )
    if len(handshapes) > 2:
        raise click.BadParameter("at most two: the dominant and the non-dominant hand", param_hint="--handshape")
    lexicon = _load(dictionary_path)
    try:
        if handshapes:
            other = handshapes[1] if len(handshapes) > 1 else None
            results = searching.search_by_handshape(lexicon, handshapes[0], other, limit)
        elif hand is not None:
            results = searching.search_by_landmarks(lexicon, _read_landmarks(hand), is_left=left, limit=limit)
        elif image is not None:
            results = searching.search_by_image(lexicon, image, limit=limit)
        elif video is not None:
            results = searching.search_by_video(lexicon, video, limit=limit)
        else:
            results = searching.search_by_text(lexicon, text or "", limit)
    except searching.SearchError as error:
        raise click.UsageError(str(error)) from None
    for result in results:
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            sign, form = result.sign, result.form
            translations = ", ".join(f"{k}: {v}" for k, v in sign.translations.items())
            hands = form.dominant + (f" + {form.nondominant}" if form.nondominant else "") if form.dominant else "?"
            line = f"{result.score:.3f}\t{sign.gloss}\t{sign.hamnosys}\t{hands}"
            click.echo(line + (f"\t{translations}" if translations else ""))


def _read_landmarks(path: Path) -> np.ndarray:
    import numpy as np

    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as error:
        raise click.UsageError(f"{path}: not a numpy .npy file of landmarks ({error})") from None


@dictionary.command("export")
@DICTIONARY_OPTION
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
def export(dictionary_path: Path, output: Path) -> None:
    """Write the dictionary to OUTPUT: .json (a HamNoSys lexicon, importable again) or .csv (a table)."""
    from kslars.dictionary.importers import ImportFailed, export_signs

    lexicon = _load(dictionary_path)
    try:
        export_signs(lexicon, output)
    except ImportFailed as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"wrote {len(lexicon)} signs to {output}")
