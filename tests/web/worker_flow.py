"""A conversion job through a real Celery worker process and a real broker, driven from outside pytest's database.

``run_flow`` migrates a fresh data folder, starts ``celery worker`` on it, and runs this module as a
second process (``main``) that uploads an AVI through the API and waits for the job the worker runs.
Both processes share the database (an SQLite file, or PostgreSQL through DATABASE_URL) and the broker.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
JOB_TIMEOUT_SECONDS = 90
POSTGRES_URL = os.environ.get("KSLARS_TEST_POSTGRES_URL", "postgresql://kslars:kslars@127.0.0.1:5432/kslars")


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` on the same server."""
    return url.rsplit("/", 1)[0] + "/" + name


def require_server(url: str, what: str) -> None:
    """Skip the test when nothing listens at ``url``'s host and port (fail instead under CI=true)."""
    parts = urlparse(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port), timeout=2).close()
    except OSError as exc:
        message = f"{what} is not reachable at {parts.hostname}:{parts.port} ({exc}); scripts/test.sh starts it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def flow_environment(data_dir: Path, broker_url: str | None, database_url: str | None = None) -> dict:
    """Environment for the worker and the driver: the real settings over ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KSLARS_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kslars.web.settings",
        KSLARS_DATA_DIR=str(data_dir),
        KSLARS_SECRET_KEY="worker-flow-test-key",
        PYTHONPATH=str(REPO_ROOT),
    )
    if broker_url:
        env["KSLARS_BROKER_URL"] = broker_url
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def migrate(env: dict) -> None:
    """Create the tables of the data folder (or database) that ``env`` points at."""
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--no-input", "-v", "0"],
        env=env,
        cwd=REPO_ROOT,
        check=True,
        timeout=120,
    )


def start_worker(env: dict, log_path: Path) -> subprocess.Popen:
    """A ``celery worker`` process (one task at a time, in the process itself) logging to ``log_path``."""
    with open(log_path, "wb") as log:  # the worker writes to its own copy of the file descriptor
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kslars.web.celery_app",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"test-{os.getpid()}@%h",
            ],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop_worker(worker: subprocess.Popen) -> None:
    """Stop the worker (killing it when it does not stop within 20 s)."""
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def run_driver(module: str, args: list[str], env: dict, worker_log: Path) -> dict:
    """Run ``python -m module args`` and return the JSON report it prints last (with the worker's log)."""
    driver = subprocess.run(
        [sys.executable, "-m", module, *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=JOB_TIMEOUT_SECONDS + 60,
    )
    log = worker_log.read_text(errors="replace")[-3000:]
    assert driver.returncode == 0, f"driver failed:\n{driver.stderr[-3000:]}\nworker log:\n{log}"
    report = json.loads(driver.stdout.strip().splitlines()[-1])
    report["worker_log"] = log
    return report


def run_flow(
    tmp_path: Path, broker_url: str | None, database_url: str | None = None, task_name: str | None = None
) -> dict:
    """Upload an AVI with a worker running and return the driver's report: the job and the video. With
    ``task_name`` the job's message is sent under that task name instead of the current one (as an earlier
    version's web server sent it)."""
    env = flow_environment(tmp_path / "data", broker_url, database_url)
    migrate(env)
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        args = [str(tmp_path), *([task_name] if task_name else [])]
        return run_driver("tests.web.worker_flow", args, env, tmp_path / "worker.log")
    finally:
        stop_worker(worker)


def main(folder: str, task_name: str | None = None) -> None:
    """The driver: create a user and a project, upload an AVI (its job queued under ``task_name`` when given), wait
    for the worker to convert it."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    if task_name:
        from kslars.web.celery_app import app
        from kslars.web.jobs import tasks

        tasks.run_job = app.signature(task_name)  # what the upload sends its job id to
    from kslars.web.jobs.models import Job
    from kslars.web.projects.models import Project, Video
    from tests.generated_video import write_video

    owner = get_user_model().objects.create_user("worker-flow", password="a-long-test-pass-7")
    project = Project.objects.create(owner=owner, name="Worker flow")
    client = Client(HTTP_HOST="localhost")  # the site answers only to its own names
    client.force_login(owner)
    source = write_video(Path(folder) / "lesson.avi", codec="mpeg4", frames=75, fps=25)
    with open(source, "rb") as f:
        response = client.post(f"/api/projects/{project.pk}/video", {"file": f})
    assert response.status_code == 201, response.content
    job_id = response.json()["job"]["id"]
    seen_progress = set()
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        seen_progress.add(job["progress"])
        if job["status"] in ("succeeded", "failed", "cancelled"):
            break
        time.sleep(0.2)
    job = Job.objects.get(pk=job_id)
    video = Video.objects.get(project=project)
    playable = video.playable.path if video.playable else None
    print(
        json.dumps(
            {
                "job": {"status": job.status, "progress": job.progress, "error": job.error, "task_id": job.task_id},
                "video": {"status": video.status, "playable": playable, "error": video.error},
                "seen_progress": sorted(seen_progress),
                "stream": [
                    b"".join(client.get(f"/p/{project.pk}/video", HTTP_RANGE="bytes=0-11").streaming_content).hex()
                ]
                if playable
                else [],
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
