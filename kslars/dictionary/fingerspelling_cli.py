"""``kslars fingerspell``: manual-alphabet letters from a picture, a video or hand landmarks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kslars.cli_errors import InputError
from kslars.dictionary.alphabets import ALPHABETS
from kslars.engine.handshape.cli import parse_aspect

if TYPE_CHECKING:
    from kslars.dictionary.fingerspelling_video import SpelledWord

HELP = """Recognise fingerspelled letters of the ALPHABET in INPUT.

INPUT is a picture with one hand, a video, or hand landmarks (.npy of shape (N, 21, 3) or (21, 3), MediaPipe
Hands convention: x, y normalised by the picture's width and height, z relative depth). For pictures and
landmarks it prints the best letters of each hand; for a video, the letters held with their times and the word
they spell. A picture shows no movement: Ё ranks behind Е, and Й, Щ and ASL J are told from И, Ш and I by
their handshape alone; in a video their movement decides too."""


def _top_json(top: list[tuple[str, float]]) -> str:
    return json.dumps(
        {"top": [{"letter": letter, "probability": round(p, 6)} for letter, p in top]}, ensure_ascii=False
    )


def _top_text(index: int, top: list[tuple[str, float]]) -> str:
    return f"{index}\t" + "\t".join(f"{letter} ({p:.2f})" for letter, p in top)


def _input_kind(path: Path) -> str:
    """``landmarks``, ``image`` or ``video``: what INPUT holds, judged by its suffix and then its content."""
    from PIL import Image, UnidentifiedImageError

    if path.suffix.lower() == ".npy":
        return "landmarks"
    try:
        with Image.open(path):
            return "image"
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return "video"


@click.command(help=HELP)
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--alphabet", required=True, type=click.Choice(sorted(ALPHABETS)), help="The manual alphabet.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per hand, or one for a video.")
@click.option("--top", default=3, show_default=True, type=click.IntRange(3), help="Letters per hand (at least 3).")
@click.option("--aspect", default="1", show_default=True, help="Landmarks only: picture width / height, e.g. 16/9.")
@click.option("--left", is_flag=True, help="Landmarks only: the hands are left hands (they are mirrored first).")
def fingerspell(input_path: Path, alphabet: str, as_json: bool, top: int, aspect: str, left: bool) -> None:
    """Recognise fingerspelled letters in a picture, a video or a landmarks file."""
    import numpy as np

    from kslars.dictionary.fingerspelling import FingerspellingError, read_video, recognise_hands, recognise_image

    kind = _input_kind(input_path)
    try:
        if kind == "landmarks":
            try:
                hands = np.load(input_path, allow_pickle=False)
            except (ValueError, OSError) as error:
                raise FingerspellingError(f"{input_path}: not a readable .npy file ({error})") from None
            if hands.ndim not in (2, 3) or hands.shape[-2:] != (21, 3):
                raise FingerspellingError(
                    f"{input_path}: landmarks must have shape (N, 21, 3) or (21, 3); got {hands.shape}"
                )
            hands = hands.reshape(-1, 21, 3)
            predictions = recognise_hands(hands, alphabet, np.full(len(hands), left), parse_aspect(aspect), top)
        elif kind == "image":
            predictions = [recognise_image(input_path, alphabet, top)]
        else:
            _check_video(input_path)
            spelled = read_video(input_path, alphabet)
            _print_word(spelled, as_json)
            return
    except FingerspellingError as error:
        raise InputError(str(error)) from None
    for index, prediction in enumerate(predictions):
        click.echo(_top_json(prediction.top) if as_json else _top_text(index, prediction.top))


def _check_video(path: Path) -> None:
    """InputError unless ``path`` is a video PyAV can open."""
    from kslars.vision.video import VideoError, probe_video

    try:
        probe_video(path)
    except VideoError as error:
        raise InputError(f"{path}: not a picture, a video or a .npy landmarks file ({error})") from None


def _print_word(spelled: SpelledWord, as_json: bool) -> None:
    """A video's letters with their times and the word, as JSON or as one line per letter."""
    if as_json:
        letters = [
            {"letter": s.letter, "start_ms": s.start_ms, "end_ms": s.end_ms, "probability": round(s.probability, 6)}
            for s in spelled.letters
        ]
        click.echo(json.dumps({"letters": letters, "word": spelled.word}, ensure_ascii=False))
        return
    for s in spelled.letters:
        click.echo(f"{s.start_ms / 1000:.2f}-{s.end_ms / 1000:.2f}\t{s.letter} ({s.probability:.2f})")
    click.echo(f"word: {spelled.word}")
