"""Batch processing through the API: Process video on several projects at once as ordinary "annotate" jobs (run
eagerly here; tests/web/test_batch_worker.py runs them on a real worker), each result written as a single Process
video writes it, a corrupt video failing alone, resuming without redoing finished videos, cancelling, and access."""

from __future__ import annotations

import pytest
from django.test import TestCase

from kslars.web.jobs import services, workers
from kslars.web.jobs.models import Job, JobBatch, JobStatus
from kslars.web.projects.models import Project, Role, Share
from tests.web.site_helpers import client_for
from tests.web.test_process import attach_video, rows, run_job

pytestmark = pytest.mark.django_db

OPTIONS = {"phrases": False, "orientation": False}


def start(client, project_ids: list[int], run: bool = True, **options):
    """POST /api/batches/process; the jobs run at once when ``run`` (eager jobs start on commit)."""
    with TestCase.captureOnCommitCallbacks(execute=run):
        return client.post(
            "/api/batches/process", {"project_ids": project_ids, **OPTIONS, **options}, content_type="application/json"
        )


def new_project(owner, name: str, video=None, pose=None, video_name: str = "clip.mp4") -> Project:
    project = Project.objects.create(owner=owner, name=name)
    if video is not None:
        attach_video(project, video, pose, name=video_name)
    return project


def results(project: Project) -> list[tuple]:
    """The project's annotations without their generated ids."""
    return sorted((tier, value, start, end, version) for tier, _key, value, start, end, version, _ in rows(project))


@pytest.fixture
def corrupt(clip, tmp_path):
    path = tmp_path / "corrupt.mp4"
    path.write_bytes(clip.read_bytes()[: clip.stat().st_size // 3])
    return path


def test_a_batch_writes_each_result_as_process_video_does_and_a_corrupt_video_fails_alone(
    people, media_root, clip, clip_pose, corrupt, eager_jobs
):
    owner = people["owner"]
    single = new_project(owner, "Single", clip, clip_pose)
    assert run_job(client_for(owner), single, **OPTIONS).status == JobStatus.SUCCEEDED
    first = new_project(owner, "A lesson", clip, clip_pose)
    broken = new_project(owner, "B broken", corrupt, video_name="broken.mp4")
    second = new_project(owner, "C lesson", clip, clip_pose)
    revisions = {p.pk: p.revision for p in (first, second)}
    client = client_for(owner)

    response = start(client, [first.pk, broken.pk, second.pk])
    assert response.status_code == 201, response.content
    batch = client.get(f"/api/batches/{response.json()['id']}").json()
    assert batch["status"] == "failed" and batch["progress"] == 1.0
    assert batch["counts"] == {"queued": 0, "running": 0, "succeeded": 2, "failed": 1, "cancelled": 0}
    items = {item["project_name"]: item for item in batch["items"]}
    assert list(items) == ["A lesson", "B broken", "C lesson"]
    assert items["B broken"]["status"] == "failed" and "broken.mp4" in items["B broken"]["error"]
    assert str(media_root) not in items["B broken"]["error"]
    for project in (first, second):
        assert results(project) == results(single)  # as a single Process video writes it
        assert Project.objects.get(pk=project.pk).revision == revisions[project.pk] + 1  # one step
    assert not broken.tiers.filter(name="Signs").exists()
    jobs = Job.objects.filter(batch_id=batch["id"])
    assert jobs.count() == 3 and {j.kind for j in jobs} == {"annotate"}
    assert all(j.options["phrases"] is False and j.options["handshapes"] is True for j in jobs)
    assert batch["url"] == f"/batches/{batch['id']}/"
    assert client.get(batch["url"], HTTP_HOST="localhost").status_code == 200


def test_resuming_redoes_only_failed_and_lost_videos(people, media_root, clip, clip_pose, corrupt, eager_jobs):
    owner = people["owner"]
    done = new_project(owner, "Done", clip, clip_pose)
    lost = new_project(owner, "Lost", clip, clip_pose)
    broken = new_project(owner, "Broken", corrupt)
    client = client_for(owner)
    batch_id = start(client, [done.pk, broken.pk], run=True).json()["id"]
    batch = JobBatch.objects.get(pk=batch_id)
    # a third video whose worker was killed while it ran: its job stays "running" with a process that is gone
    batch.projects.add(lost)
    host, namespace, _pid, started = workers.this_process().split(workers.SEPARATOR)
    dead = workers.SEPARATOR.join([host, namespace, "999999999", started])
    Job.objects.create(project=lost, kind="annotate", status=JobStatus.RUNNING, worker=dead, batch=batch, options={})
    seen = client.get(f"/api/batches/{batch_id}").json()
    lost_item = next(i for i in seen["items"] if i["project_name"] == "Lost")
    assert lost_item["status"] == "failed" and "worker stopped" in lost_item["error"]
    done_rows, done_revision = results(done), Project.objects.get(pk=done.pk).revision

    with TestCase.captureOnCommitCallbacks(execute=True):
        resumed = client.post(f"/api/batches/{batch_id}/resume")
    assert resumed.status_code == 200, resumed.content
    assert {i["project_name"]: i["status"] for i in resumed.json()["items"]} == {
        "Broken": "queued",
        "Done": "succeeded",
        "Lost": "queued",
    }
    states = {i["project_name"]: i["status"] for i in client.get(f"/api/batches/{batch_id}").json()["items"]}
    assert states == {"Broken": "failed", "Done": "succeeded", "Lost": "succeeded"}
    per_project = {p.name: Job.objects.filter(batch=batch, project=p).count() for p in (done, lost, broken)}
    assert per_project == {"Done": 1, "Lost": 2, "Broken": 2}  # the finished video was not redone
    assert results(done) == done_rows and Project.objects.get(pk=done.pk).revision == done_revision
    assert lost.tiers.filter(name="Signs").exists()


def test_resuming_sends_queued_videos_again_when_the_queue_lost_them(people, media_root, clip, clip_pose, eager_jobs):
    owner = people["owner"]
    projects = [new_project(owner, f"Video {n}", clip, clip_pose) for n in range(2)]
    client = client_for(owner)
    batch_id = start(client, [p.pk for p in projects], run=False).json()["id"]  # the messages never left
    assert client.get(f"/api/batches/{batch_id}").json()["counts"]["queued"] == 2
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(f"/api/batches/{batch_id}/resume").status_code == 200
    batch = client.get(f"/api/batches/{batch_id}").json()
    assert batch["status"] == "succeeded" and batch["counts"]["succeeded"] == 2
    assert Job.objects.filter(batch_id=batch_id).count() == 2  # the same jobs, run once each
    with TestCase.captureOnCommitCallbacks(execute=True):
        for job in Job.objects.filter(batch_id=batch_id):
            services.enqueue(job)  # a message that arrives late finds its job taken: nothing runs twice
    assert {p.revision for p in Project.objects.filter(pk__in=[p.pk for p in projects])} == {projects[0].revision + 1}


def test_cancel_stops_the_videos_not_processed_yet(people, media_root, clip, clip_pose):
    owner = people["owner"]
    projects = [new_project(owner, f"Video {n}", clip, clip_pose) for n in range(3)]
    client = client_for(owner)
    batch_id = start(client, [p.pk for p in projects], run=False).json()["id"]
    Job.objects.filter(project=projects[0]).update(status=JobStatus.SUCCEEDED, progress=1.0)
    answer = client.post(f"/api/batches/{batch_id}/cancel").json()
    assert answer["status"] == "cancelled" and answer["cancel_requested"] is True
    assert answer["counts"]["succeeded"] == 1 and answer["counts"]["cancelled"] == 2
    again = client.post(f"/api/batches/{batch_id}/cancel").json()  # nothing left to stop: no error
    assert again["counts"] == answer["counts"]


def test_access_and_bad_input_are_refused_before_anything_is_queued(people, project, media_root, clip, clip_pose):
    owner, editor, viewer = people["owner"], people["editor"], people["viewer"]
    attach_video(project, clip, clip_pose)  # owner's; editor may edit, viewer may view
    own = new_project(editor, "Editor's own", clip, clip_pose)
    strangers = new_project(people["stranger"], "Someone else's", clip, clip_pose)
    empty = new_project(editor, "No video yet")
    client = client_for(editor)

    def refused(ids: list[int], status: int, said: str, who=client, **options) -> None:
        response = start(who, ids, run=False, **options)
        assert response.status_code == status, response.content
        assert said in str(response.json()["detail"])

    refused([own.pk, strangers.pk], 404, f"No project {strangers.pk}")
    refused([own.pk, 10**9], 404, "No project")
    refused([project.pk], 403, "only view", who=client_for(viewer))
    refused([own.pk, empty.pk], 400, "“No video yet”: This project has no video yet")
    refused([own.pk, own.pk], 400, "once")
    refused([], 422, "project_ids")
    refused([own.pk], 400, "at least one", signs=False, handshapes=False)
    refused([own.pk], 422, "hands", hands="three")
    assert not JobBatch.objects.exists() and not Job.objects.exists()

    assert start(client, [project.pk, own.pk], run=False).status_code == 201  # the editor may process both
    batch = JobBatch.objects.get()
    refused([own.pk], 400, "“Editor's own”: The video is being processed already")
    assert JobBatch.objects.count() == 1 and Job.objects.count() == 2
    # the batch is reached through its projects: the owner sees only her project's video, the viewer too but may
    # not cancel, a stranger gets 404; the list holds the batches one started
    names = [i["project_name"] for i in client_for(owner).get(f"/api/batches/{batch.pk}").json()["items"]]
    assert names == ["Greetings"]
    assert client_for(viewer).post(f"/api/batches/{batch.pk}/cancel").status_code == 403
    assert client_for(viewer).post(f"/api/batches/{batch.pk}/resume").status_code == 403
    stranger = client_for(people["stranger"])
    assert stranger.get(f"/api/batches/{batch.pk}").status_code == 404
    assert stranger.get(f"/batches/{batch.pk}/", HTTP_HOST="localhost").status_code == 404
    assert client_for(owner).get(f"/batches/{batch.pk}/", HTTP_HOST="localhost").status_code == 200
    assert [b["id"] for b in client.get("/api/batches").json()] == [batch.pk]
    assert client_for(owner).get("/api/batches").json() == []
    assert Job.objects.filter(status=JobStatus.QUEUED).count() == 2

    Share.objects.filter(project=project, user=editor).update(role=Role.VIEWER)
    client.post(f"/api/batches/{batch.pk}/cancel")  # the editor became a viewer of the owner's project
    assert Job.objects.get(project=project).status == JobStatus.QUEUED
    assert Job.objects.get(project=own).status == JobStatus.CANCELLED
    Share.objects.filter(project=project, user=editor).delete()
    assert [i["project_name"] for i in client.get(f"/api/batches/{batch.pk}").json()["items"]] == ["Editor's own"]
    own.delete()  # the batch has no project left to its creator: it leaves her list, and its page is gone
    assert client.get("/api/batches").json() == []
    assert client.get(f"/api/batches/{batch.pk}").status_code == 404


def test_the_batch_routes_are_in_the_openapi_schema(people):
    schema = client_for(people["owner"]).get("/api/openapi.json").json()
    for path in ("/api/batches/process", "/api/batches", "/api/batches/{batch_id}", "/api/batches/{batch_id}/cancel"):
        assert path in schema["paths"], path
    start_op = schema["paths"]["/api/batches/process"]["post"]
    assert {"201", "400", "403", "404", "422"} <= set(start_op["responses"])
    assert "/api/batches/{batch_id}/resume" in schema["paths"]


@pytest.mark.parametrize(
    ("language", "words"),
    [("ru", ["Пакетная обработка", "Выбрать для обработки"]), ("kk", ["Топтамалап өңдеу", "Өңдеуге таңдау"])],
)
def test_the_batch_pages_speak_russian_and_kazakh(people, project, media_root, clip, clip_pose, language, words):
    attach_video(project, clip, clip_pose)
    client = client_for(people["owner"])
    batch_id = start(client, [project.pk], run=False).json()["id"]
    page = client.get(f"/batches/{batch_id}/", HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE=language)
    listing = client.get("/", HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE=language)
    assert words[0] in page.content.decode() and words[1] in listing.content.decode()
    script = client.get("/jsi18n/", HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "%(done)s of %(total)s videos processed" in script
