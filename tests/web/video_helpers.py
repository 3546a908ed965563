"""Helpers for the video and jobs tests: uploads, job requests (their fixtures are in
conftest.py: people with each role, the project, share links, eager jobs)."""

from __future__ import annotations

from pathlib import Path

from django.test import Client, TestCase

from kslars.web.jobs.models import Job
from kslars.web.projects.models import Project

SOUP = "sign-language-processing__pose/videos/SOUP.mp4"
FOOTBALL = "sign-language-processing__pose/videos/FOOTBALL.mp4"
CLIP = "sign-language-processing__pose/src/python/tests/data/test_video.mp4"  # 540x720, 58 frames at 29.97 fps


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
