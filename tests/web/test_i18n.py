"""The interface in English, Russian and Kazakh: language choice, complete catalogues, the JavaScript catalogue."""

from __future__ import annotations

import ast
import gettext
import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from kslars.web.projects.services import create_project
from tests.web.site_helpers import client_for, make_user

LOCALE = Path(__file__).resolve().parents[2] / "kslars" / "web" / "locale"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file (msgid, msgid_plural, msgstr / msgstr[N], flags), the header left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry: dict = {"flags": ""}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """Requests here activate Russian or Kazakh in this thread; later tests expect the default language."""
    yield
    translation.deactivate()


CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def test_russian_and_kazakh_catalogues_exist_for_pages_and_scripts():
    names = {f"{p.parents[1].name}/{p.name}" for p in CATALOGUES}
    assert {"ru/django.po", "kk/django.po", "ru/djangojs.po", "kk/djangojs.po"} <= names


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parents[1].name}-{p.stem}")
def test_every_string_is_translated_with_the_same_placeholders(po):
    entries = po_entries(po)
    assert len(entries) > 20
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        translations = [v for k, v in entry.items() if k.startswith("msgstr")]
        assert translations and all(translations), f"{po}: no translation for {entry['msgid']!r}"
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry["msgid"])), text


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parents[1].name}-{p.stem}")
def test_compiled_catalogue_matches_the_po_file(po):
    with po.with_suffix(".mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for entry in po_entries(po):
        if "msgid_plural" in entry:
            assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"], f"{po.with_suffix('.mo')} is stale"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, words",
    [("en", ["Log in", "Username"]), ("ru", ["Войти", "Имя пользователя"]), ("kk", ["Кіру", "Пайдаланушы аты"])],
)
def test_accept_language_chooses_the_login_page_language(language, words):
    html = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html


@pytest.mark.django_db
def test_the_language_switcher_changes_every_page():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    html = client.get("/accounts/login/").content.decode()
    assert "Войти" in html and "Зарегистрироваться" in html
    assert '<option value="ru" lang="ru" selected>' in html
    client.post("/i18n/setlang/", {"language": "kk", "next": "/help/"})
    html = client.get("/help/").content.decode()
    assert "Пернелер тіркесімдері" in html  # "Keyboard shortcuts"


@pytest.mark.django_db
def test_messages_and_dates_are_translated():
    user = make_user("ayana")
    create_project(user, "Сұхбат")
    client = client_for(user)
    client.post("/i18n/setlang/", {"language": "ru"})
    html = client.get("/").content.decode()
    assert "Последнее изменение" in html and "Владелец" in html
    months = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ]
    assert any(month in html for month in months)
    html = client.post("/projects/new/", {"name": ""}, follow=True).content.decode()
    assert "Укажите название проекта." in html


@pytest.mark.django_db
def test_password_rules_are_explained_in_kazakh():
    client = Client(HTTP_ACCEPT_LANGUAGE="kk")
    html = client.post("/accounts/signup/", {"username": "dana", "password1": "123", "password2": "123"}).content
    text = html.decode()
    assert "Құпия сөз тым қысқа" in text and "тек сандардан тұрады" in text
    html = client.post("/accounts/signup/", {"username": "no spaces", "password1": "x", "password2": "x"}).content
    assert "Дұрыс пайдаланушы атын енгізіңіз" in html.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_javascript_catalogue_serves_the_editors_translations(language):
    entries = po_entries(LOCALE / language / "LC_MESSAGES" / "djangojs.po")
    response = Client().get("/jsi18n/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert "django.gettext" in body and "interpolate" in body
    for entry in entries:
        if "msgstr" in entry:
            assert json.dumps(entry["msgstr"]) in body, entry["msgid"]
