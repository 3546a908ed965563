"""Automatic annotation through a real Celery worker: the driver processes (python -m tests.web.annotate_flow).

``process FOLDER VIDEO``: create a project, upload VIDEO, "Process video" (signs and handshapes), wait for
the job the worker runs and report it with the project's tiers.
``start FOLDER VIDEO``: the same up to the moment the worker reports progress, then report the job's id and
exit (the test then kills the worker). ``settled FOLDER JOB_ID``: wait, reading only
the database (not the API), until a worker ends the job; report it with the seconds waited.
"""

from __future__ import annotations

import json
import sys
import time

from tests.web.worker_flow import JOB_TIMEOUT_SECONDS

ENDED = ("succeeded", "failed", "cancelled")


def _client(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.filter(username=username).first() or get_user_model().objects.create_user(
        username, password="a-long-test-pass-7"
    )
    client = Client(HTTP_HOST="localhost")  # the site answers only to its own names
    client.force_login(user)
    return client, user


def _start(video: str) -> tuple[object, int, int]:
    """Upload ``video`` to a new project and ask for signs and handshapes; returns (client, project id, job id)."""
    from kslars.web.projects.models import Project

    client, user = _client("annotate-flow")
    response = client.post("/api/projects", {"name": "Automatic"}, content_type="application/json")
    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["id"])
    with open(video, "rb") as f:
        response = client.post(f"/api/projects/{project.pk}/video", {"file": f})
    assert response.status_code == 201 and response.json()["status"] == "ready", response.content
    response = client.post(
        f"/api/projects/{project.pk}/process", {"phrases": False, "orientation": False}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return client, project.pk, response.json()["id"]


def _report(job_id: int) -> dict:
    from kslars.web.annotation.models import Annotation
    from kslars.web.jobs.models import Job
    from kslars.web.projects.models import Video

    job = Job.objects.get(pk=job_id)
    tiers = {}
    for name in job.project.tiers.order_by("position").values_list("name", flat=True):
        tiers[name] = Annotation.objects.filter(project=job.project, tier__name=name).count()
    video = Video.objects.get(project=job.project)
    return {
        "job": {
            "status": job.status,
            "progress": job.progress,
            "error": job.error,
            "message": job.message,
            "task_id": job.task_id,
        },
        "tiers": tiers,
        "landmarks": video.landmarks.name,
        "revision": job.project.revision,
    }


def main(command: str, folder: str, argument: str) -> None:
    import django

    django.setup()
    if command == "settled":
        from kslars.web.jobs.models import Job

        began = time.monotonic()
        while time.monotonic() - began < JOB_TIMEOUT_SECONDS and not Job.objects.get(pk=argument).finished:
            time.sleep(0.2)
        print(json.dumps({**_report(int(argument)), "waited": time.monotonic() - began}))
        return
    client, project_id, job_id = _start(argument)
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    seen_progress = set()
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        seen_progress.add(job["progress"])
        if job["status"] in ENDED or command == "start" and job["status"] == "running" and job["progress"] > 0.02:
            break
        time.sleep(0.1)
    report = _report(job_id)
    report.update(job_id=job_id, project_id=project_id, seen_progress=sorted(seen_progress))
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:4])
