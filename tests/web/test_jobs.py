"""The jobs API: list, poll, cancel and retry; progress reports; jobs whose worker was lost."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from kslars.web.jobs import services, workers
from kslars.web.jobs.models import Job, JobStatus
from kslars.web.jobs.tasks import run_job
from kslars.web.projects import videos
from kslars.web.projects.models import Video, VideoStatus
from tests.generated_video import write_video
from tests.web.site_helpers import client_for
from tests.web.video_helpers import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_job(people, project, media_root, tmp_path, django_capture_on_commit_callbacks) -> Job:
    """An AVI upload whose conversion job is queued but not sent to a worker."""
    with django_capture_on_commit_callbacks(execute=False):
        response = upload(client_for(people["editor"]), project, write_video(tmp_path / "lesson.avi", frames=60))
    assert response.status_code == 201
    return Job.objects.get(pk=response.json()["job"]["id"])


def test_list_and_get_jobs(people, project, queued_job, share_link):
    response = client_for(people["viewer"]).get(f"/api/projects/{project.pk}/jobs")
    assert response.status_code == 200
    [job] = response.json()
    assert job["id"] == queued_job.pk and job["kind"] == "transcode" and job["status"] == "queued"
    assert job["progress"] == 0 and job["message"] == services.WAITING
    from django.test import Client

    shared = Client().get(f"/api/jobs/{queued_job.pk}", HTTP_X_SHARE_TOKEN=share_link.token)
    assert shared.status_code == 200 and shared.json() == job
    assert client_for(people["stranger"]).get(f"/api/jobs/{queued_job.pk}").status_code == 404
    assert client_for(people["stranger"]).get(f"/api/projects/{project.pk}/jobs").status_code == 404
    assert client_for(people["owner"]).get("/api/jobs/999999").status_code == 404


def test_task_converts_and_reports_progress(people, project, queued_job):
    run_job(queued_job.pk)
    job = Job.objects.get(pk=queued_job.pk)
    assert job.status == JobStatus.SUCCEEDED and job.progress == 1.0
    assert job.message == "The video is ready to play." and job.heartbeat_at is not None
    assert Video.objects.get(project=project).status == VideoStatus.READY
    run_job(queued_job.pk)  # a second delivery of the same message does nothing
    assert Job.objects.get(pk=queued_job.pk).finished_at == job.finished_at


@pytest.mark.parametrize(
    "task_name",
    ["kslars.transcode_video", "kslars.annotate_video", "kslars.recognise_glosses", "kslars.read_fingerspelling"],
)
def test_a_job_queued_under_an_earlier_task_name_runs_after_an_upgrade(project, queued_job, task_name):
    """Earlier versions queued each kind under its own task name; a worker looks the message's name up among its
    tasks, and the job (here a conversion, whatever the name said) runs by the kind its row names."""
    from kslars.web.celery_app import app

    app.tasks[task_name].apply(args=[queued_job.pk])
    job = Job.objects.get(pk=queued_job.pk)
    assert job.status == JobStatus.SUCCEEDED and job.message == "The video is ready to play."
    assert Video.objects.get(project=project).status == VideoStatus.READY


def test_progress_is_written_every_percent(queued_job):
    services.claim(queued_job.pk)
    progress = services.Progress(queued_job.pk, "Converting")
    progress(0.005)
    assert Job.objects.get(pk=queued_job.pk).progress == 0.005  # the first report is always written
    progress(0.009)
    assert Job.objects.get(pk=queued_job.pk).progress == 0.005  # less than 1 % later: not yet
    progress(0.02)
    job = Job.objects.get(pk=queued_job.pk)
    assert job.progress == 0.02 and job.message == "Converting"


def test_cancel_queued_job(people, project, queued_job):
    assert client_for(people["viewer"]).post(f"/api/jobs/{queued_job.pk}/cancel").status_code == 403
    response = client_for(people["editor"]).post(f"/api/jobs/{queued_job.pk}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    video = Video.objects.get(project=project)
    assert video.status == VideoStatus.UPLOADED and "cancelled" in video.error
    run_job(queued_job.pk)  # the worker receives it later: nothing happens
    assert Job.objects.get(pk=queued_job.pk).status == JobStatus.CANCELLED
    again = client_for(people["editor"]).post(f"/api/jobs/{queued_job.pk}/cancel")
    assert again.status_code == 400 and "already ended" in again.json()["detail"]


def test_cancel_running_conversion(people, project, queued_job, monkeypatch):
    client = client_for(people["owner"])
    real = videos.transcode_to_mp4

    def cancel_then_convert(*args, **kwargs):
        response = client.post(f"/api/jobs/{queued_job.pk}/cancel")
        assert response.json()["status"] == "running" and response.json()["cancel_requested"]
        return real(*args, **kwargs)

    monkeypatch.setattr(videos, "transcode_to_mp4", cancel_then_convert)
    run_job(queued_job.pk)
    job = Job.objects.get(pk=queued_job.pk)
    assert job.status == JobStatus.CANCELLED and job.progress < 1
    video = Video.objects.get(project=project)
    assert video.status == VideoStatus.UPLOADED and not video.playable


def test_failed_conversion_then_retry(
    people, project, queued_job, media_root, eager_jobs, django_capture_on_commit_callbacks
):
    video = Video.objects.get(project=project)
    good = video.original.read()
    with open(video.original.path, "wb") as f:  # the stored file got damaged
        f.write(b"RIFF" + bytes(4000))
    run_job(queued_job.pk)
    job = Job.objects.get(pk=queued_job.pk)
    assert job.status == JobStatus.FAILED and job.error.startswith("lesson.avi: ") and "damaged" in job.error
    assert str(media_root) not in job.error  # the user's file name, not the server's path
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED and "could not be converted" in video.error
    assert client_for(people["viewer"]).post(f"/api/jobs/{job.pk}/retry").status_code == 403

    with open(video.original.path, "wb") as f:
        f.write(good)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["editor"]).post(f"/api/jobs/{job.pk}/retry")
    assert response.status_code == 201
    retried = Job.objects.get(pk=response.json()["id"])
    assert retried.pk != job.pk and retried.status == JobStatus.SUCCEEDED
    video.refresh_from_db()
    assert video.status == VideoStatus.READY and video.playable
    refused = client_for(people["editor"]).post(f"/api/jobs/{retried.pk}/retry")
    assert refused.status_code == 400 and "Only failed or cancelled" in refused.json()["detail"]


def test_job_of_a_replaced_video_ends_without_touching_the_new_one(
    people, project, queued_job, tmp_path, eager_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        second = upload(client_for(people["owner"]), project, write_video(tmp_path / "other.avi", frames=20))
    assert Job.objects.get(pk=queued_job.pk).status == JobStatus.CANCELLED
    run_job(queued_job.pk)
    assert Job.objects.get(pk=queued_job.pk).status == JobStatus.CANCELLED
    video = Video.objects.get(project=project)
    second_job = Job.objects.get(pk=second.json()["job"]["id"])
    assert second_job.status == JobStatus.SUCCEEDED and video.original.name == second_job.options["original"]
    assert video.status == VideoStatus.READY
    retry = client_for(people["owner"]).post(f"/api/jobs/{queued_job.pk}/retry")
    assert retry.status_code == 400 and "replaced" in retry.json()["detail"]


def test_job_of_a_lost_worker_is_marked_failed(people, project, queued_job):
    services.claim(queued_job.pk)
    Job.objects.filter(pk=queued_job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    response = client_for(people["viewer"]).get(f"/api/jobs/{queued_job.pk}")
    body = response.json()
    assert body["status"] == "failed" and "worker stopped" in body["error"]
    video = Video.objects.get(project=project)
    assert video.status == VideoStatus.FAILED and "worker stopped" in video.error


def test_recent_heartbeat_keeps_a_job_running(people, project, queued_job):
    services.claim(queued_job.pk)
    Job.objects.filter(pk=queued_job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=30))
    assert services.fail_stale_jobs() == 0
    [job] = client_for(people["viewer"]).get(f"/api/projects/{project.pk}/jobs").json()
    assert job["status"] == "running"


def ended_process_identity() -> str:
    """The worker identity of a process of this machine that has already ended."""
    child = subprocess.run(
        [sys.executable, "-c", "from kslars.web.jobs import workers; print(workers.this_process())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return child.stdout.strip()


def test_job_of_a_dead_worker_process_is_failed_at_once(people, project, queued_job):
    """The process that claimed the job no longer runs: the job fails now, not after the stale-job timeout."""
    services.claim(queued_job.pk)
    Job.objects.filter(pk=queued_job.pk).update(worker=ended_process_identity(), progress=0.17)
    body = client_for(people["viewer"]).get(f"/api/jobs/{queued_job.pk}").json()
    assert body["status"] == "failed" and "worker stopped" in body["error"] and "17 %" in body["error"], body
    assert Video.objects.get(project=project).status == VideoStatus.FAILED


def test_job_of_a_live_worker_or_of_another_machine_keeps_running(people, project, queued_job):
    job = services.claim(queued_job.pk)
    assert job.worker == workers.this_process()  # this test's process claimed it, and it runs
    assert services.fail_stale_jobs() == 0
    elsewhere = "other-host" + ended_process_identity()[ended_process_identity().index("|") :]
    Job.objects.filter(pk=queued_job.pk).update(worker=elsewhere)  # cannot be checked from here: heartbeat only
    assert services.fail_stale_jobs() == 0
    assert Job.objects.get(pk=queued_job.pk).status == JobStatus.RUNNING


def test_a_reused_process_id_does_not_keep_a_job_running():
    host, namespace, pid, started = workers.this_process().split("|")
    assert not workers.is_gone(workers.this_process())
    assert workers.is_gone("|".join([host, namespace, pid, str(int(started or 0) + 1)]))


def test_unreachable_broker_fails_the_job_clearly(
    people, project, media_root, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr(run_job, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(people["owner"]), project, write_video(tmp_path / "a.avi", frames=10))
    job = Job.objects.get(pk=response.json()["job"]["id"])
    assert job.status == JobStatus.FAILED and "could not be queued" in job.error
    assert Video.objects.get(project=project).status == VideoStatus.FAILED


def test_the_apps_register_their_job_kinds_and_the_jobs_app_imports_none_of_them():
    """Dependencies point one way: projects and processing register their kinds with jobs, which knows no app."""
    from pathlib import Path

    from kslars.web.jobs import registry

    assert {kind: registry.job_kind(kind).label for kind in ("transcode", "annotate", "recognise", "fingerspell")}
    assert registry.job_kind("annotate").before_retry is registry.job_kind("fingerspell").before_retry
    with pytest.raises(KeyError, match="no job kind 'nothing' is registered; the kinds are annotate, fingerspell"):
        registry.job_kind("nothing")
    for path in Path(registry.__file__).parent.rglob("*.py"):
        imported = set(re.findall(r"kslars\.web\.(\w+)", path.read_text()))
        assert imported <= {"jobs", "celery_app", "api_errors"}, f"{path.name} imports {imported}"
