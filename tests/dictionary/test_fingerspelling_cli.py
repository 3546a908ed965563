"""``kslars fingerspell``: landmarks, pictures and videos in; letters out; exit code 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from kslars.cli import main
from kslars.dictionary.alphabets import ALPHABETS
from kslars.dictionary.fingerspelling_data import KAZAKH_GRID, kazakh_grid_photos, lexicon_clips
from kslars.engine.handshape.fingerspelling import LEXICON
from tests.conftest import shared_file


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["fingerspell", *(str(a) for a in args)])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def ukl_hands() -> np.ndarray:
    """Held frames of the Ukrainian lexicon's В clip, x and y on one scale (aspect 1)."""
    root = shared_file(f"{LEXICON}/index.csv").parents[4]
    clips = {letter: hands for letter, hands, _, _ in lexicon_clips("ru", root)}
    hands = clips["В"]
    return hands[len(hands) // 4 : 3 * len(hands) // 4]


@pytest.fixture(scope="module")
def grid_photos() -> dict[str, np.ndarray]:
    """The Kazakh grid's photos by letter."""
    return dict(kazakh_grid_photos(shared_file(KAZAKH_GRID)))


def _save_picture(path: Path, rgb: np.ndarray) -> Path:
    from PIL import Image

    Image.fromarray(rgb).resize((rgb.shape[1] // 2, rgb.shape[0] // 2)).save(path)
    return path


def test_landmark_rows_one_json_object_each(tmp_path: Path, ukl_hands: np.ndarray) -> None:
    np.save(tmp_path / "many.npy", ukl_hands)
    code, output = run(tmp_path / "many.npy", "--alphabet", "ru", "--json")
    assert code == 0, output
    records = [json.loads(line) for line in output.strip().splitlines()]
    assert len(records) == len(ukl_hands)
    for record in records:
        assert list(record) == ["top"] and len(record["top"]) >= 3
        assert all(set(entry) == {"letter", "probability"} for entry in record["top"])
        probabilities = [entry["probability"] for entry in record["top"]]
        assert probabilities == sorted(probabilities, reverse=True)
    assert [r["top"][0]["letter"] for r in records].count("В") >= 0.8 * len(records)


def test_a_single_hand_of_shape_21_3_and_text_output(tmp_path: Path, ukl_hands: np.ndarray) -> None:
    np.save(tmp_path / "one.npy", ukl_hands[0])
    code, output = run(tmp_path / "one.npy", "--alphabet", "kk", "--top", "4")
    assert code == 0, output
    fields = output.strip().split("\t")
    assert len(output.strip().splitlines()) == 1 and fields[0] == "0" and len(fields) == 5
    assert fields[1].split(" ")[0] in ALPHABETS["kk"].letters


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("wrong.npy", np.zeros((4, 20, 3)), ["--alphabet", "ru"], "must have shape (N, 21, 3) or (21, 3)"),
        ("flat.npy", np.zeros((4, 21, 2)), ["--alphabet", "ru"], "must have shape (N, 21, 3) or (21, 3)"),
        ("nan.npy", np.full((2, 21, 3), np.nan), ["--alphabet", "ru"], "NaN"),
        ("notes.txt", b"not a picture at all", ["--alphabet", "ru"], "not a picture, a video or a .npy"),
        ("broken.npy", b"\x93NUMPY garbage", ["--alphabet", "ru"], "not a readable .npy file"),
        ("hands.npy", np.zeros((2, 21, 3)), ["--alphabet", "de"], "Invalid value for '--alphabet'"),
        ("hands.npy", np.zeros((2, 21, 3)), ["--alphabet", "ru", "--aspect", "wide"], "aspect"),
    ],
)
def test_bad_input_exit_code_2(tmp_path: Path, name: str, content: object, args: list[str], message: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        np.save(path, content)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in tmp_path.iterdir())
    code, output = run(path, *args)
    assert code == 2, output
    assert message in output
    assert sorted((p.name, p.stat().st_mtime_ns) for p in tmp_path.iterdir()) == before


def test_missing_input_exit_code_2(tmp_path: Path) -> None:
    code, output = run(tmp_path / "nothing.png", "--alphabet", "ru")
    assert code == 2 and "does not exist" in output


@pytest.mark.slow
def test_a_photo_through_mediapipe(tmp_path: Path, grid_photos: dict[str, np.ndarray]) -> None:
    code, output = run(_save_picture(tmp_path / "u.png", grid_photos["У"]), "--alphabet", "kk", "--json")
    assert code == 0, output
    records = [json.loads(line) for line in output.strip().splitlines()]
    assert len(records) == 1 and "У" in [entry["letter"] for entry in records[0]["top"]]


@pytest.mark.slow
def test_pictures_with_no_hand_or_two_hands_exit_code_2(tmp_path: Path, grid_photos: dict[str, np.ndarray]) -> None:
    blank = _save_picture(tmp_path / "wall.png", np.full((400, 400, 3), 200, np.uint8))
    code, output = run(blank, "--alphabet", "ru")
    assert code == 2 and "no hand found" in output
    both = _save_picture(tmp_path / "two.png", np.concatenate([grid_photos["В"], grid_photos["У"]], axis=1))
    code, output = run(both, "--alphabet", "ru")
    assert code == 2 and "2 hands found" in output


@pytest.mark.slow
def test_a_video_spells_its_word(tmp_path: Path, grid_photos: dict[str, np.ndarray]) -> None:
    """A video of photos held for 0.6 s each (cut, no transition) gives the letters, their times, the word."""
    import av

    path = tmp_path / "word.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=15)
        stream.width, stream.height, stream.pix_fmt = 502, 500, "yuv420p"
        for letter in "УВУ":
            photo = np.ascontiguousarray(grid_photos[letter][::2, ::2][:500, :502])
            for _ in range(9):
                for packet in stream.encode(av.VideoFrame.from_ndarray(photo, format="rgb24")):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    code, output = run(path, "--alphabet", "ru", "--json")
    assert code == 0, output
    record = json.loads(output)
    assert record["word"] == "УВУ"
    starts = [letter["start_ms"] for letter in record["letters"]]
    assert starts == sorted(starts)
    assert record["letters"][-1]["end_ms"] <= 1800


@pytest.mark.slow
def test_a_video_without_a_hand_exit_code_2(tmp_path: Path) -> None:
    from tests.generated_video import write_video

    code, output = run(write_video(tmp_path / "bar.mp4", frames=10), "--alphabet", "asl")
    assert code == 2 and "no hand found in the video" in output
