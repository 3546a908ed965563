"""Search by handshape (palette names, landmarks of a real hand, a real photo, a real video) and by text, through
the API and the CLI, and the CLI's answers to bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kslars.dictionary.lexicon import Lexicon, Sign
from kslars.dictionary.search import (
    SAME_BASE_CREDIT,
    SearchError,
    one_hot,
    score_signs,
    search_by_handshape,
    search_by_landmarks,
    search_by_text,
)
from kslars.dictionary.symbols import SYMBOL_OF
from kslars.dictionary.transliteration import search_key
from kslars.engine.handshape.fingerspelling import LEXICON, load_fingerspelling
from tests.conftest import shared_file
from tests.dictionary.conftest import run

KAZAKH_GRID = "nurkal022__kazakh-sign-language/video_grid.png"


def ham(*names: str) -> str:
    return "".join(SYMBOL_OF["ham" + name] for name in names)


@pytest.fixture(scope="module")
def small() -> Lexicon:
    """A few signs with Cyrillic and Latin glosses and translations."""
    return Lexicon([
        Sign("1", "ПРИВЕТ", ham("flathand", "extfingeru", "palml"), {"ru": "привет", "en": "hello"}),
        Sign("2", "ДОМ", ham("symmpar", "flathand", "extfingerul", "palmdl"), {"ru": "дом", "kk": "үй", "en": "house"}),
        Sign("3", "СПАСИБО", ham("flathand", "thumboutmod", "extfingeru", "palml"), {"kk": "рақмет", "en": "thanks"}),
        Sign("4", "ДВА", ham("finger23spread", "extfingeru", "palmd")),
        Sign("5", "ЖОҚ", ham("parbegin", "finger2", "plus", "flathand", "parend", "extfingeru", "palml"),
             {"kk": "жоқ", "en": "no"}),
        Sign("6", "АЙНА", ham("flathand", "extfingeru", "palmd"), {"kk": "айна", "en": "mirror"}),
    ])  # fmt: skip


def glosses(results: list) -> list[str]:
    return [r.sign.gloss for r in results]


def test_palette_search_ranks_exact_class_then_same_base_form_ties_by_gloss(small: Lexicon) -> None:
    results = search_by_handshape(small, "hamflathand")
    assert glosses(results) == ["АЙНА", "ДОМ", "ПРИВЕТ", "СПАСИБО"]
    assert [r.score for r in results] == [1.0, 1.0, 1.0, SAME_BASE_CREDIT]
    assert glosses(search_by_handshape(small, "hamflathand,hamthumboutmod", limit=1)) == ["СПАСИБО"]


def test_palette_search_with_both_hands(small: Lexicon) -> None:
    results = search_by_handshape(small, "hamfinger2", "hamflathand")
    assert glosses(results) == ["ЖОҚ"] and results[0].score == 1.0
    two_flat = search_by_handshape(small, "flathand", "flathand")
    assert glosses(two_flat)[0] == "ДОМ"  # symmetric: both hands flat
    assert all(r.score < 1.0 for r in two_flat[1:])  # one-handed signs count ONE_HANDED_FACTOR


def test_score_signs_is_a_mixture_over_the_classifiers_distribution(small: Lexicon) -> None:
    distribution = 0.6 * one_hot("finger23spread") + 0.4 * one_hot("flathand_thumbout")
    scores = score_signs(small.index, distribution)
    assert scores[3] == pytest.approx(0.6)  # ДВА: finger23spread
    assert scores[2] == pytest.approx(0.4)  # СПАСИБО: flathand_thumbout
    assert scores[0] == pytest.approx(0.4 * SAME_BASE_CREDIT)  # ПРИВЕТ: flathand shares the base form
    with_orientation = score_signs(small.index, one_hot("flathand"), palm="d")
    assert with_orientation[5] > with_orientation[0] > 0  # АЙНА's palm faces down, ПРИВЕТ's left


def test_search_keys_transliterate_both_scripts() -> None:
    assert search_key("ПРИВЕТ") == search_key("privet") == "privet"
    assert search_key("Жоқ") == search_key("zhoq") == search_key("ZHOK") == "zhok"
    assert search_key("TO-SMILE3^") == "to smile 3"
    assert search_key("éducation") == "education"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("privet", "ПРИВЕТ"),
        ("ПРИВ", "ПРИВЕТ"),
        ("Привет", "ПРИВЕТ"),
        ("hous", "ДОМ"),
        ("uy", "ДОМ"),
        ("рахмет", "СПАСИБО"),
        ("rakhmet", "СПАСИБО"),
        ("zhok", "ЖОҚ"),
        ("mirorr", "АЙНА"),
        ("ajna", "АЙНА"),
    ],
)
def test_text_search_in_both_scripts_prefix_and_fuzzy(small: Lexicon, query: str, first: str) -> None:
    assert glosses(search_by_text(small, query))[0] == first


def test_text_search_puts_prefix_matches_before_fuzzy_ones(ham2pose_lexicon: Lexicon) -> None:
    results = search_by_text(ham2pose_lexicon, "smile", limit=6)
    assert glosses(results)[:4] == ["TO-SMILE1^", "TO-SMILE2^", "TO-SMILE3^", "TO-SMILE4^"]
    assert all(r.score > 0.5 for r in results[:4])
    assert "TO-SMILE1^" in glosses(search_by_text(ham2pose_lexicon, "smiel"))  # a typo


def test_cli_search_by_handshape_name_json(ham2pose_dictionary: Path) -> None:
    result = run(
        "search",
        "--dictionary",
        ham2pose_dictionary,
        "--handshape",
        "hamfinger2",
        "--handshape",
        "hamflathand",
        "--limit",
        "5",
        "--json",
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 5
    assert all(
        r["handshapes"] == {"dominant": "finger2", "nondominant": "flathand"} and r["score"] == 1.0 for r in rows
    )
    assert [r["gloss"] for r in rows] == sorted((r["gloss"] for r in rows), key=str.casefold)  # ties by gloss
    assert all(r["hamnosys"].startswith(ham("parbegin", "finger2")) or r["hamnosys"][0] == ham("finger2") for r in rows)


@pytest.fixture(scope="module")
def asl_l_hand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One held frame of the ASL letter L (index finger and thumb out) from a real fingerspelling pose, as .npy."""
    folder = shared_file(LEXICON).parent / Path(LEXICON).name
    data = load_fingerspelling(folder, "ase", {"L": "finger2_thumbout"})
    path = tmp_path_factory.mktemp("hand") / "l.npy"
    np.save(path, data.hands[len(data.hands) // 2][None])  # (1, 21, 3)
    return path


def test_search_by_landmarks_of_a_real_hand(ham2pose_dictionary: Path, asl_l_hand: Path) -> None:
    result = run("search", "--dictionary", ham2pose_dictionary, "--hand", asl_l_hand, "--limit", "3", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["handshapes"]["dominant"] for r in rows] == ["finger2_thumbout"] * 3
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"] > 0.5


def test_search_by_landmarks_api_accepts_21_by_3(ham2pose_lexicon: Lexicon, asl_l_hand: Path) -> None:
    hand = np.load(asl_l_hand)[0]
    assert search_by_landmarks(ham2pose_lexicon, hand, limit=1)[0].form.dominant == "finger2_thumbout"
    with pytest.raises(SearchError, match=r"shape \(21, 2\)"):
        search_by_landmarks(ham2pose_lexicon, hand[:, :2])


def crop_letter(row: int, column: int, path: Path) -> Path:
    """One photo of the Kazakh fingerspelling grid (5 columns, about 1175 px apart), saved as JPEG."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None
    with Image.open(shared_file(KAZAKH_GRID)) as grid:
        left, top = 30 + column * 1175, 80 + row * 1175
        grid.convert("RGB").crop((left, top, left + 1000, top + 1000)).save(path, quality=90)
    return path


@pytest.mark.slow
def test_search_by_photo_of_a_hand(ham2pose_dictionary: Path, tmp_path: Path) -> None:
    photo = crop_letter(4, 2, tmp_path / "c.jpg")  # the letter С: a C-shaped hand
    result = run("search", "--dictionary", ham2pose_dictionary, "--image", photo, "--limit", "3", "--json")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["handshapes"]["dominant"] for line in result.output.splitlines()] == ["ceeall"] * 3


@pytest.mark.slow
def test_photos_with_no_hand_or_two_hands_are_refused(ham2pose_dictionary: Path, tmp_path: Path) -> None:
    from PIL import Image

    wall = crop_letter(8, 3, tmp_path / "wall.jpg")  # the empty end of the grid
    first, second = (Image.open(crop_letter(0, c, tmp_path / f"{c}.jpg")) for c in (0, 4))
    both = Image.new("RGB", (2000, 1000))
    both.paste(first, (0, 0))
    both.paste(second, (1000, 0))
    both.save(tmp_path / "two.jpg")
    for photo, message in ((wall, "no hand found"), (tmp_path / "two.jpg", "2 hands found; crop the picture")):
        result = run("search", "--dictionary", ham2pose_dictionary, "--image", photo)
        assert result.exit_code == 2 and message in result.output, result.output


@pytest.mark.slow
def test_search_by_a_short_video(ham2pose_dictionary: Path, tmp_path: Path) -> None:
    video = shared_file("sign-language-processing__pose/videos/SOUP.mp4")  # one ASL sign, 1.4 s
    result = run("search", "--dictionary", ham2pose_dictionary, "--video", video, "--limit", "5", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 5 and rows[0]["score"] > 0.5
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    picture = shared_file(KAZAKH_GRID)
    refused = run("search", "--dictionary", ham2pose_dictionary, "--video", picture)
    assert refused.exit_code == 2 and "not a video" in refused.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--handshape", "hamflathandd"], "unknown handshape 'hamflathandd'"),
        (["--handshape", "hamflathand", "--handshape", "nonsense"], "unknown handshape 'nonsense'"),
        (["--handshape", "a", "--handshape", "b", "--handshape", "c"], "at most two"),
        (["--text", "?!"], "has no letters or digits"),
        ([], "give exactly one of --handshape, --hand, --image, --video or --text"),
        (["--text", "a", "--handshape", "hamfist"], "got --handshape, --text"),
    ],
)
def test_cli_bad_queries_exit_2(ham2pose_dictionary: Path, args: list[str], message: str) -> None:
    result = run("search", "--dictionary", ham2pose_dictionary, *args)
    assert result.exit_code == 2 and message in result.output, result.output


@pytest.mark.parametrize("shape", [(2, 21, 3), (21, 2), (63,), (5, 3)])
def test_cli_landmarks_of_the_wrong_shape_exit_2(
    ham2pose_dictionary: Path, tmp_path: Path, shape: tuple[int, ...]
) -> None:
    path = tmp_path / "hand.npy"
    np.save(path, np.zeros(shape))
    result = run("search", "--dictionary", ham2pose_dictionary, "--hand", path)
    assert result.exit_code == 2 and f"got shape {shape}" in result.output, result.output


def test_cli_files_that_are_not_landmarks_or_images_exit_2(ham2pose_dictionary: Path, tmp_path: Path) -> None:
    fake = tmp_path / "photo.png"
    fake.write_text("not a picture", encoding="utf-8")
    result = run("search", "--dictionary", ham2pose_dictionary, "--image", fake)
    assert result.exit_code == 2 and "not a readable image" in result.output
    result = run("search", "--dictionary", ham2pose_dictionary, "--hand", fake)
    assert result.exit_code == 2 and "not a numpy .npy file" in result.output


def test_cli_missing_dictionary_exits_2(tmp_path: Path) -> None:
    result = run("search", "--dictionary", tmp_path / "none.json", "--text", "a")
    assert result.exit_code == 2 and "no such dictionary" in result.output
