"""The reverse dictionary's JSON API: ranked results from a dictionary of real Ham2Pose signs (by palette
handshapes, text in both scripts and a real hand photo), a clear 4xx for every bad query, nothing ever written,
the dictionary reloaded when its file changes, and who may search."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from kslars.dictionary import search
from kslars.dictionary.lexicon import Lexicon, Sign
from kslars.web.api import api
from kslars.web.dictionary import services
from tests.web.dictionary_helpers import PILL, hand_photo, two_hands_photo, wall_photo
from tests.web.site_helpers import client_for, make_user

pytestmark = pytest.mark.django_db
API = "/api/dictionary/search/"


def state(path: Path) -> tuple:
    """What a search must never change: the dictionary file's bytes and time, and the folder around it."""
    return path.read_bytes(), os.stat(path).st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


def photo_post(client: Client, path: Path, **extra):
    with path.open("rb") as photo:
        return client.post(API + "photo", {"file": photo}, **extra)


def test_palette_search_gives_the_libraries_ranking(dictionary: Path) -> None:
    before = state(dictionary)
    response = Client().get(API + "handshape", {"dominant": "hamflathand,hamthumboutmod", "limit": 100})
    assert response.status_code == 200, response.content
    results = response.json()
    expected = search.search_by_handshape(Lexicon.load(dictionary), "flathand_thumbout", limit=100)
    assert [r["id"] for r in results] == [r.sign.id for r in expected]
    assert results[0]["handshapes"]["dominant"] == "flathand_thumbout" and results[0]["score"] == 1.0
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True) and 0.5 in scores  # the same base form, another class: half
    assert {r["handshapes"]["dominant"] for r in results if r["score"] == 0.5} <= {"flathand", "flathand_bent"}
    assert set(results[0]) >= {"gloss", "translations", "hamnosys", "video", "pose", "handshapes", "score"}
    assert results[0]["video"].startswith("https://")
    assert state(dictionary) == before


def test_two_hands_rank_signs_with_both_handshapes_first(dictionary: Path) -> None:
    query = {"dominant": "finger2", "nondominant": "flathand", "limit": 100}
    results = Client().get(API + "handshape", query).json()
    assert results[0]["handshapes"] == {"dominant": "finger2", "nondominant": "flathand"}
    one_handed = [r for r in results if r["handshapes"]["nondominant"] is None]
    assert one_handed and all(r["score"] <= 0.1 for r in one_handed)


@pytest.mark.parametrize("text", ["pill", "PILL1", "таблетка", "табл", "дәрі", "пилл", "tabletka", "pil"])
def test_text_search_in_both_scripts_prefix_and_fuzzy(dictionary: Path, text: str) -> None:
    response = Client().get(API + "text", {"text": text})
    assert response.status_code == 200, response.content
    first = response.json()[0]
    assert first["gloss"] == "PILL1^" and first["translations"] == PILL


@pytest.mark.slow
def test_photo_of_a_real_hand_finds_signs_with_its_handshape(dictionary: Path, tmp_path: Path) -> None:
    before = state(dictionary)
    response = photo_post(Client(), hand_photo(tmp_path / "c.jpg"), QUERY_STRING="limit=3")
    assert response.status_code == 200, response.content
    assert [r["handshapes"]["dominant"] for r in response.json()] == ["ceeall"] * 3
    assert state(dictionary) == before


@pytest.mark.parametrize(
    "route, query, status, message",
    [
        ("handshape", {"dominant": "hamwave"}, 400, "unknown handshape 'hamwave'"),
        ("handshape", {"dominant": "flathand", "nondominant": "paw"}, 400, "unknown handshape 'paw'"),
        ("handshape", {"dominant": "hamextfingeru"}, 400, "has no handshape base form"),
        ("handshape", {"nondominant": "flathand"}, 422, "dominant"),
        ("handshape", {"dominant": "fist", "limit": 0}, 422, "limit"),
        ("text", {"text": "?!"}, 400, "has no letters or digits"),
    ],
)
def test_bad_queries_are_refused_with_a_message(dictionary: Path, route, query, status, message) -> None:
    before = state(dictionary)
    response = Client().get(API + route, query)
    assert response.status_code == status
    assert message in str(response.json()["detail"])
    assert state(dictionary) == before


@pytest.mark.slow
def test_photos_without_one_hand_are_refused(dictionary: Path, tmp_path: Path) -> None:
    before = state(dictionary)
    for photo, message in (
        (wall_photo(tmp_path / "wall.jpg"), "no hand found in the picture"),
        (two_hands_photo(tmp_path), "2 hands found; crop the picture"),
    ):
        response = photo_post(Client(), photo)
        assert response.status_code == 400
        detail = response.json()["detail"]
        assert detail.startswith("The photo cannot be searched: ") and message in detail
        assert str(tmp_path) not in detail and "/tmp" not in detail  # no server paths
    assert state(dictionary) == before


def test_files_that_are_not_photos_are_refused_before_any_search(dictionary: Path, tmp_path: Path) -> None:
    from PIL import Image

    before = state(dictionary)
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture at all")
    gif = tmp_path / "hand.gif"
    Image.new("RGB", (32, 32)).save(gif)
    for path, message in ((text, "This file is not a picture"), (gif, "This file is a GIF picture")):
        response = photo_post(Client(), path)
        assert response.status_code == 400 and message in response.json()["detail"]
    assert Client().post(API + "photo").status_code == 422  # no file at all
    assert state(dictionary) == before


def test_photos_over_the_limit_are_refused_with_413(dictionary: Path, tmp_path: Path, settings) -> None:
    settings.KSLARS_MAX_PHOTO_BYTES = 1024
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8" + os.urandom(4096))
    response = photo_post(Client(), big)
    assert response.status_code == 413 and "KSLARS_MAX_PHOTO_MB" in response.json()["detail"]
    big.write_bytes(b"\xff\xd8" + os.urandom(200 * 1024))  # declared size alone is over the limit
    response = photo_post(Client(), big)
    assert response.status_code == 413


def test_no_dictionary_is_a_404_that_says_how_to_make_one(tmp_path: Path, settings) -> None:
    settings.KSLARS_DICTIONARY = tmp_path / "absent.json"
    response = Client().get(API + "text", {"text": "pill"})
    assert response.status_code == 404 and "kslars dictionary import" in response.json()["detail"]
    page = Client().get("/dictionary/")
    assert page.status_code == 200 and b'data-testid="dictionary-missing"' in page.content
    assert b"kslars dictionary import SOURCE --dictionary FILE" in page.content
    assert not (tmp_path / "absent.json").exists()


def test_a_broken_dictionary_file_is_reported_without_its_path(tmp_path: Path, settings) -> None:
    settings.KSLARS_DICTIONARY = tmp_path / "broken.json"
    settings.KSLARS_DICTIONARY.write_text('{"format": "something else"}')
    response = Client().get(API + "handshape", {"dominant": "fist"})
    assert response.status_code == 404
    assert response.json()["detail"] == (
        'The dictionary file cannot be used: not a K-SLARS dictionary (no "format": "kslars-dictionary")'
    )
    assert b"The dictionary cannot be searched at the moment." in Client().get("/dictionary/").content


def test_the_dictionary_is_loaded_once_and_again_when_its_file_changes(dictionary: Path, monkeypatch) -> None:
    loads = []
    original = Lexicon.load
    monkeypatch.setattr(Lexicon, "load", lambda path: loads.append(path) or original(path))
    client = Client()
    for _ in range(3):
        assert client.get(API + "text", {"text": "pill"}).status_code == 200
    assert len(loads) <= 1  # an earlier test may have loaded this very file version already
    lexicon = original(dictionary)
    lexicon.merged([Sign("new:1", "КІТАП", "\ue000\ue020\ue038", {"kk": "кітап"})]).save(dictionary)
    assert client.get(API + "text", {"text": "kitap"}).json()[0]["gloss"] == "КІТАП"
    assert loads[-1] == dictionary and services.current_lexicon() is services.current_lexicon()


def test_searching_needs_a_login_when_the_dictionary_is_not_public(dictionary: Path, tmp_path: Path, settings):
    settings.KSLARS_DICTIONARY_PUBLIC = False
    anonymous = Client()
    assert anonymous.get(API + "text", {"text": "pill"}).status_code == 401
    assert photo_post(anonymous, wall_photo(tmp_path / "wall.jpg")).status_code == 401
    page = anonymous.get("/dictionary/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/?next=/dictionary/")
    member = client_for(make_user("aigerim"))
    assert member.get(API + "text", {"text": "pill"}).status_code == 200
    assert member.get("/dictionary/").status_code == 200


def test_the_dictionary_is_public_by_default_and_read_only(dictionary: Path) -> None:
    page = Client().get("/dictionary/")
    assert page.status_code == 200 and b'data-testid="dictionary-palette"' in page.content
    assert f"Signs in the dictionary: {len(Lexicon.load(dictionary))}.".encode() in page.content
    operations = {
        (method.upper(), path)
        for path, ops in api.get_openapi_schema()["paths"].items()
        if "/dictionary/" in path
        for method in ops
    }
    assert operations == {
        ("GET", "/api/dictionary/search/handshape"),
        ("GET", "/api/dictionary/search/text"),
        ("POST", "/api/dictionary/search/photo"),
    }
