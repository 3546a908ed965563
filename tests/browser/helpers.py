"""Steps the browser tests share: signing up, logging in, and preparing projects through the JSON API."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.test import Client

from tests.browser.conftest import PASSWORD
from tests.conftest import shared_file

VIDEO = "sign-language-processing__pose/src/python/tests/data/test_video.mp4"  # 540x720, 58 frames, H.264


def sign_up(page, username: str, password: str = PASSWORD) -> None:
    """Create an account through the sign-up form; the person ends up logged in on the project list."""
    page.goto("/accounts/signup/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form; the person ends up on the project list."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


def make_user(username: str, password: str = PASSWORD):
    """A user created directly in the database."""
    return get_user_model().objects.create_user(username=username, password=password)


def api_client(user) -> Client:
    """A Django test client logged in as ``user``, calling the same API the editor calls."""
    client = Client()
    client.force_login(user)
    return client


def make_project(user, name: str, video: Path | None = None) -> int:
    """Create a project through the API (optionally uploading ``video``) and return its id."""
    client = api_client(user)
    response = client.post("/api/projects", {"name": name}, content_type="application/json")
    assert response.status_code == 201, response.content
    project_id = response.json()["id"]
    if video is not None:
        with video.open("rb") as f:
            response = client.post(f"/api/projects/{project_id}/video", {"file": f})
        assert response.status_code == 201, response.content
    return project_id


def signing_video() -> Path:
    """The real signing clip the browser tests upload."""
    return shared_file(VIDEO)


def signing_project_with_gloss(user, name: str, value: str, start_ms: int, end_ms: int) -> tuple[int, str]:
    """A project of ``user`` with the signing clip and one gloss over ``start_ms``-``end_ms``: (project id, the
    gloss annotation's id), for the jobs that work on a selected segment."""
    from kslars.web.annotation.models import Tier

    project_id = make_project(user, name, video=signing_video())
    gloss_tier = Tier.objects.get(project_id=project_id, name="Gloss")
    created = api_client(user).post(
        f"/api/projects/{project_id}/annotations",
        {"tier_id": gloss_tier.pk, "value": value, "start_ms": start_ms, "end_ms": end_ms},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    return project_id, created.json()["id"]
