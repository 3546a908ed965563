"""GET /api/formats: the format menus and file choosers of the pages come from kslars.formats' registry, in the
caller's language, and the OpenAPI schema describes the answer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

from kslars import formats
from kslars.web.annotation import interchange

pytestmark = pytest.mark.django_db


def test_formats_come_from_the_registry() -> None:
    response = Client().get("/api/formats")  # no login: the list is the same for everyone
    assert response.status_code == 200
    listed = {f["name"]: f for f in response.json()}
    assert list(listed) == list(formats.FORMATS)
    for name, spec in formats.FORMATS.items():
        assert listed[name]["extensions"] == list(spec.extensions)
        assert listed[name]["readable"] == spec.readable and listed[name]["writable"] == spec.writable
        assert listed[name]["label"] == spec.label
    assert [n for n, f in listed.items() if f["one_tier"]] == ["srt", "vtt"]
    assert [n for n, f in listed.items() if f["frame_based"]] == ["csv"]


def test_labels_in_the_callers_language() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="ru").get("/api/formats")
    labels = {f["name"]: f["label"] for f in response.json()}
    assert labels["csv"] == "Таблица CSV (.csv)"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_label_is_translated(language: str) -> None:
    """The labels live in the core registry, where makemessages does not look: their entries in django.po must stay."""
    catalog = trans_real.translation(language)._catalog
    assert [spec.label for spec in formats.FORMATS.values() if not catalog.get(spec.label)] == []
    with translation.override(language):
        assert [f["label"] for f in interchange.format_list()] == [catalog[s.label] for s in formats.FORMATS.values()]


def test_schema_documents_the_formats() -> None:
    schema = Client().get("/api/openapi.json").json()
    answer = schema["paths"]["/api/formats"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    item = schema["components"]["schemas"][answer["items"]["$ref"].rsplit("/", 1)[1]]
    assert set(item["properties"]) == {"name", "label", "extensions", "readable", "writable", "one_tier", "frame_based"}
