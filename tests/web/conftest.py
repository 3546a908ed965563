"""Fixtures the web tests share: people with each role, a project shared with them, an unannotated and an empty
project, a share link, eager jobs, the real clip and its landmarks, a fresh PostgreSQL database, the access tests'
world."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from kslars.document import Annotation
from kslars.krsl import default_document
from kslars.web.annotation.store import add_to_project
from kslars.web.projects.models import Project, Role, Share, ShareLink
from tests.conftest import shared_file
from tests.web.video_helpers import CLIP
from tests.web.worker_flow import POSTGRES_URL, require_server, with_database
from tests.web.world import World, make_world


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts and ends in the default language: a request in Russian or Kazakh activates that language for
    the thread (Django's LocaleMiddleware), which would otherwise name the next test's new tiers in it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def people(db) -> dict:
    """owner, editor, viewer (shared with those roles) and stranger (no access)."""
    return {
        n: get_user_model().objects.create_user(n, password="a-long-test-pass-7")
        for n in ("owner", "editor", "viewer", "stranger")
    }


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
def owner(people):
    """The owner of ``unannotated_project`` (a module that needs another name for them overrides this fixture)."""
    return people["owner"]


@pytest.fixture
def unannotated_project(owner) -> Project:
    """A project with the KRSL default tiers and no annotations, owned by ``owner`` and shared with no one."""
    project = Project.objects.create(owner=owner, name="Greetings")
    add_to_project(project, default_document())
    return project


@pytest.fixture
def empty_project(people) -> Project:
    """A project with no document stored yet (no tiers, no annotations), owned by people["owner"]."""
    return Project.objects.create(owner=people["owner"], name="Empty")


@pytest.fixture
def share_link(project) -> ShareLink:
    """A read-only link to the project."""
    return ShareLink.objects.create(project=project)


@pytest.fixture
def eager_jobs() -> Iterator[None]:
    """Celery runs tasks in the calling process (queued jobs run when the transaction's on_commit fires)."""
    from kslars.web.celery_app import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(scope="module")
def clip() -> Path:
    """The real signing clip (540x720, 58 frames at 29.97 fps)."""
    return shared_file(CLIP)


@pytest.fixture(scope="module")
def clip_pose(clip, tmp_path_factory) -> Path:
    """The clip's landmarks with the face mesh, extracted once (as the engine samples them) for every test that only
    reuses them."""
    from kslars.engine.pipeline import AnnotateOptions, annotate_video

    path = tmp_path_factory.mktemp("pose") / "clip.pose"
    annotate_video(clip, AnnotateOptions(phrases=False, handshapes=False, orientation=False), landmarks_path=path)
    return path


@pytest.fixture(scope="module")
def clip_body_pose(clip, tmp_path_factory) -> Path:
    """The clip's body and hand landmarks (no face mesh), extracted once as the jobs sample them."""
    from kslars.engine.pipeline import video_landmarks

    path = tmp_path_factory.mktemp("pose") / "clip.pose"
    video_landmarks(clip, path)
    return path


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server (its URL), dropped afterwards."""
    import psycopg

    require_server(POSTGRES_URL, "PostgreSQL")
    name = f"kslars_flow_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield with_database(POSTGRES_URL, name)
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def world(db) -> World:
    """A project with one of everything and the people around it (tests.web.world)."""
    return make_world()
