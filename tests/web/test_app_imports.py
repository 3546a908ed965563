"""The web apps at the bottom import no app above them: accounts and jobs only themselves, projects only itself
and jobs. What projects needs from annotation (a new project's default document) annotation registers with it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kslars.web

WEB = Path(kslars.web.__file__).parent
SHARED = {"api_errors", "celery_app"}  # modules of the web tool that belong to no app
MAY_IMPORT = {"accounts": {"accounts"}, "jobs": {"jobs"}, "projects": {"projects", "jobs"}}


def web_modules_imported(path: Path) -> set[str]:
    """The kslars.web modules or packages right below kslars.web that the Python file ``path`` imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {name.split(".")[2] for name in names if name.startswith("kslars.web.")}


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_the_bottom_apps_import_no_app_above_them(app):
    files = sorted((WEB / app).rglob("*.py"))
    assert files
    for path in files:
        imported = web_modules_imported(path) - SHARED
        assert imported <= MAY_IMPORT[app], f"{path.relative_to(WEB)} imports kslars.web.{imported - MAY_IMPORT[app]}"


@pytest.mark.django_db
def test_a_new_project_gets_its_document_from_the_annotation_app():
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from kslars.web.annotation.defaults import fill_new_project
    from kslars.web.projects import services

    assert services._new_project_content is fill_new_project  # registered by AnnotationConfig.ready()
    owner = get_user_model().objects.create_user("dana", password="a-long-test-password-5")
    with translation.override("kk"):
        project = services.create_project(owner, "Сабақ")
    assert project.language == "kk"
    roles = {t.name: t.extra["role"] for t in project.tiers.all()}
    assert roles["Глосса"] == "Gloss" and set(roles.values()) == {
        "Translation",
        "Gloss",
        "Right handshape",
        "Left handshape",
    }
