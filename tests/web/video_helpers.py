"""Fixtures and helpers for the video and jobs tests: users with each role, projects, uploads, eager jobs."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, TestCase

from kslars.document import Annotation
from kslars.krsl import default_document
from kslars.web.annotation.store import add_to_project
from kslars.web.jobs.models import Job
from kslars.web.projects.models import Project, Role, Share, ShareLink

SOUP = "sign-language-processing__pose/videos/SOUP.mp4"
FOOTBALL = "sign-language-processing__pose/videos/FOOTBALL.mp4"


def logged_in(user) -> Client:
    """A test client with ``user`` logged in."""
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, project: Project, path: Path, **extra):
    """POST the file at ``path`` as the project's video."""
    with open(path, "rb") as f:
        return client.post(f"/api/projects/{project.pk}/video", {"file": f}, **extra)


def post_job(client: Client, project: Project, route: str, **body):
    """POST a job request with the JSON ``body`` to /api/projects/<id>/<route> and return the response."""
    return client.post(f"/api/projects/{project.pk}/{route}", body, content_type="application/json")


def run_posted_job(client: Client, project: Project, route: str, **body) -> Job:
    """Post a job request with the job run at once (eager jobs start when the request's transaction commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = post_job(client, project, route, **body)
    assert response.status_code == 201, response.content
    return Job.objects.get(pk=response.json()["id"])


def media_files(root: Path) -> list[Path]:
    """Every file stored under the media folder."""
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """A fresh media folder for this test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(db) -> dict:
    """owner, editor, viewer (shared with those roles) and stranger (no access)."""
    users = {
        n: get_user_model().objects.create_user(n, password="a-long-test-pass-7")
        for n in ("owner", "editor", "viewer", "stranger")
    }
    return users


@pytest.fixture
def project(people) -> Project:
    """A project with the KRSL default tiers, one gloss, and an editor and a viewer besides its owner."""
    project = Project.objects.create(owner=people["owner"], name="Greetings")
    doc = default_document()
    doc.tier("Gloss").annotations.append(Annotation(id="a1", value="СӘЛЕМ", start_ms=100, end_ms=900))
    add_to_project(project, doc)
    Share.objects.create(project=project, user=people["editor"], role=Role.EDITOR)
    Share.objects.create(project=project, user=people["viewer"], role=Role.VIEWER)
    return project


@pytest.fixture
def share_link(project) -> ShareLink:
    """A read-only link to the project."""
    return ShareLink.objects.create(project=project)


@pytest.fixture
def eager_jobs():
    """Celery runs tasks in the calling process (queued jobs run when the transaction's on_commit fires)."""
    from kslars.web.celery_app import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
