"""The document's languages in the annotation API: the vocabulary editor shows one value column per language."""

from __future__ import annotations

import pytest

from kslars.web.annotation.schemas import DocumentOut
from kslars.web.projects.models import Project
from kslars.web.projects.services import create_project
from tests.web.site_helpers import client_for, make_user

pytestmark = pytest.mark.django_db


def test_new_project_document_lists_russian_kazakh_and_english():
    owner = make_user("ayana")
    project = create_project(owner, "Greetings")
    body = client_for(owner).get(f"/api/projects/{project.id}/document").json()
    DocumentOut.model_validate(body)
    assert body["languages"] == [
        {"id": "rus", "label": "Russian", "def_url": None},
        {"id": "kaz", "label": "Kazakh", "def_url": None},
        {"id": "eng", "label": "English", "def_url": None},
    ]


def test_a_document_without_languages_has_an_empty_list():
    owner = make_user("dana")
    project = Project.objects.create(owner=owner, name="Bare")
    body = client_for(owner).get(f"/api/projects/{project.id}/document").json()
    assert body["languages"] == [] and body["tiers"] == []
