"""What the site sends and keeps to stay safe: a Content-Security-Policy on every page, the host names it answers
to, Swagger UI from the package (no CDN), data files only their owner can read."""

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from kslars.web.projects.services import create_project
from tests.web.site_helpers import client_for, make_user

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parents[2]


def policy(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: sources}."""
    header = response.headers["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.parametrize("path", ["/accounts/password/", "/", "/dictionary/", "/api/docs", "/help/", "/p/{id}/"])
def test_every_page_carries_a_strict_content_security_policy(path):
    owner = make_user("dana")
    project = create_project(owner, "Lesson 1")
    response = client_for(owner).get(path.format(id=project.pk))
    assert response.status_code == 200
    rules = policy(response)
    assert rules["default-src"] == ["'self'"]
    assert rules["script-src"] == ["'self'"] and rules["style-src"] == ["'self'"]  # nothing inline, no CDN
    assert rules["object-src"] == ["'none'"] and rules["frame-ancestors"] == ["'none'"]
    assert {"'self'", "blob:", "data:"} <= set(rules["img-src"])  # photos picked for a search, drawn frames
    assert {"'self'", "blob:"} <= set(rules["media-src"])


def test_pages_for_anyone_and_api_errors_carry_the_policy_too():
    assert policy(Client().get("/accounts/login/"))["script-src"] == ["'self'"]
    assert "Content-Security-Policy" in Client().get("/api/projects").headers


def test_api_docs_load_swagger_ui_from_the_site_itself():
    page = Client().get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(source.endswith("swagger-ui-bundle.js") for source in sources), sources
    assert all(source.startswith("/") for source in sources), sources  # nothing from another site


def test_templates_hold_no_inline_scripts_or_handlers():
    for template in (REPO_ROOT / "kslars" / "web" / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert "style=" not in text, template


def test_a_forged_host_gets_no_share_link():
    owner = make_user("dana")
    project = create_project(owner, "Lesson 1")
    response = client_for(owner).post(
        f"/api/projects/{project.pk}/links", {}, content_type="application/json", HTTP_HOST="attacker.example"
    )
    assert response.status_code == 400
    assert "*" not in settings.ALLOWED_HOSTS


def test_data_files_are_created_readable_by_their_owner_only(tmp_path):
    """The database, the job queue and uploaded media: mode 600, in a data folder of mode 700."""
    data = tmp_path / "data"
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from django.core.files.base import ContentFile; from django.core.files.storage import default_storage\n"
        "default_storage.save('videos/a.mp4', ContentFile(b'video'))\n"
        "from kslars.web.celery_app import app\n"
        "with app.connection() as connection: connection.SimpleQueue('probe').qsize()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KSLARS_", "DJANGO_", "DATABASE_URL"))}
    env.update(KSLARS_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="kslars.web.settings", PYTHONPATH=str(REPO_ROOT))
    subprocess.run([sys.executable, "-c", script], env=env, cwd=tmp_path, check=True, timeout=120)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for name in ("kslars.sqlite3", "broker.sqlite3", "secret_key", "media/videos/a.mp4"):
        mode = stat.S_IMODE((data / name).stat().st_mode)
        assert mode & 0o077 == 0, f"{name} has mode {oct(mode)}"
    assert stat.S_IMODE((data / "media" / "videos").stat().st_mode) & 0o077 == 0
