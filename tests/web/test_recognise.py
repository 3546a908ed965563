"""Recognise glosses in the web tool: the checkpoints of the models folder, the "recognise" job on the real clip
with a small model trained once on the real DGS clips, and how its gloss tier joins a project.

Jobs run eagerly, as in the Process video tests; the clip's landmarks are extracted once for the module and
copied into each project's storage, except where a test is about extraction itself.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
from django.test import TestCase

from kslars.proposals import ENGINE_SOURCE
from kslars.recognition.catalogue import CheckpointNameError, checkpoint_path
from kslars.web.annotation import models as am
from kslars.web.annotation.store import load_document
from kslars.web.jobs.models import Job, JobStatus
from kslars.web.projects.models import Project, Video
from tests.conftest import shared_file
from tests.web.site_helpers import client_for
from tests.web.test_process import attach_video, rows, tier_names
from tests.web.video_helpers import CLIP, post_job, run_posted_job

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DGS = "Shogun6855__signlanguage-german-text2sign"
TIER = "Glosses (recognised)"
CLIP_MS = 1933  # the clip's landmarks at 15 fps: 29 frames


def train_tiny_checkpoint(output: Path) -> Path:
    """A small model fitted to twelve real DGS sentences (seconds on a CPU); returns its best checkpoint."""
    from kslars.recognition.config import TrainingConfig
    from kslars.recognition.datasets.dgs import load_dgs_sentences
    from kslars.recognition.training import Trainer

    dgs = shared_file(DGS)
    samples = [s for s in load_dgs_sentences(dgs) if s.glosses]
    config = TrainingConfig(
        corpus="dgs",
        path=str(dgs),
        epochs=40,
        batch_size=4,
        learning_rate=3e-3,
        device="cpu",
        augment=False,
        model={"channels": 16, "hidden": 16, "layers": 1},
    )
    Trainer(config, samples[:12], samples[12:16], output).run()
    return output / "best.pt"


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    return train_tiny_checkpoint(tmp_path_factory.mktemp("cslr"))


@pytest.fixture
def models(settings, tmp_path, checkpoint) -> Path:
    """The models folder: the trained checkpoint as "tiny", a file that is no checkpoint as "broken", and a note."""
    folder = tmp_path / "recognition"
    folder.mkdir()
    shutil.copy(checkpoint, folder / "tiny.pt")
    (folder / "broken.pt").write_bytes(b"these are not the weights you are looking for")
    (folder / "README.txt").write_text("copy best.pt here as NAME.pt", encoding="utf-8")
    settings.KSLARS_RECOGNITION_MODELS = folder
    return folder


@pytest.fixture
def with_video(project, media_root, clip, clip_body_pose) -> Project:
    attach_video(project, clip, clip_body_pose)
    return project


recognise = functools.partial(post_job, route="recognise")  # recognise(client, project, **body): the response
run_job = functools.partial(run_posted_job, route="recognise")  # the same, with the job run at once: the Job


def recognised(project: Project, tier: str = TIER) -> list[am.Annotation]:
    return list(am.Annotation.objects.filter(project=project, tier__name=tier).order_by("start_ms"))


def test_the_models_folder_is_listed_with_what_each_checkpoint_says(people, project, models):
    answer = client_for(people["viewer"]).get(f"/api/projects/{project.pk}/recognition/checkpoints")
    assert answer.status_code == 200
    listed = {c["name"]: c for c in answer.json()}
    assert set(listed) == {"tiny", "broken"}
    tiny = listed["tiny"]
    assert tiny["corpus"] == "dgs" and tiny["problem"] == "" and 0 <= tiny["dev_wer"] <= 100
    assert tiny["vocabulary_size"] > 10
    assert listed["broken"]["problem"] and listed["broken"]["vocabulary_size"] == 0
    shutil.rmtree(models)
    assert client_for(people["editor"]).get(f"/api/projects/{project.pk}/recognition/checkpoints").json() == []


def test_recognising_the_whole_video_extracts_landmarks_and_adds_a_gloss_tier(
    people, project, media_root, models, eager_jobs
):
    attach_video(project, shared_file(CLIP))  # no landmarks yet: the job extracts and keeps them
    revision = Project.objects.get(pk=project.pk).revision
    job = run_job(client_for(people["editor"]), project, checkpoint="tiny")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.kind == "recognise" and job.progress == 1.0 and TIER in job.message
    assert tier_names(project)[-1] == TIER
    glosses = recognised(project)
    assert glosses
    for a in glosses:
        assert 0 <= a.start_ms < a.end_ms <= CLIP_MS and a.value
        assert a.attributes == {"checkpoint": "tiny", "source": ENGINE_SOURCE} and a.version == 1
    doc = load_document(project)
    doc.validate()
    assert doc.tier(TIER).type == "gloss" and doc.tier("Gloss").annotations[0].value == "СӘЛЕМ"
    assert [t.id for t in doc.tier_types].count("gloss") == 1  # the project's gloss type is reused
    assert Project.objects.get(pk=project.pk).revision == revision + 1
    assert Video.objects.get(project=project).landmarks.name.endswith(".pose")


def test_a_window_gets_glosses_only_inside_it_on_the_named_tier(people, with_video, models, eager_jobs):
    before = rows(with_video)
    job = run_job(
        client_for(people["owner"]), with_video, checkpoint="tiny", start_ms=500, end_ms=1500, tier="My glosses"
    )
    assert job.status == JobStatus.SUCCEEDED, job.error
    glosses = recognised(with_video, "My glosses")
    assert glosses and all(500 <= a.start_ms < a.end_ms <= 1500 for a in glosses)
    assert [r for r in rows(with_video) if r[0] != "My glosses"] == before


def test_a_second_run_replaces_its_untouched_predictions_and_keeps_edits(people, with_video, models, eager_jobs):
    editor = client_for(people["editor"])
    assert run_job(editor, with_video, checkpoint="tiny").status == JobStatus.SUCCEEDED
    first = recognised(with_video)
    again = run_job(editor, with_video, checkpoint="tiny")
    assert again.status == JobStatus.SUCCEEDED and f"Replaced {len(first)} earlier prediction" in again.message
    second = recognised(with_video)
    assert not {a.pk for a in first} & {a.pk for a in second}  # every untouched prediction was replaced
    assert [(a.value, a.start_ms, a.end_ms) for a in second] == [(a.value, a.start_ms, a.end_ms) for a in first]
    first, edited = second, second[0]
    response = editor.patch(
        f"/api/projects/{with_video.pk}/annotations/{edited.key}",
        {"version": edited.version, "value": "HAUS1"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    job = run_job(editor, with_video, checkpoint="tiny")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert tier_names(with_video).count(TIER) == 1 and f"{TIER} (2)" not in tier_names(with_video)
    after = recognised(with_video)
    kept = am.Annotation.objects.get(pk=edited.pk)
    assert kept.value == "HAUS1" and kept.version == 2
    untouched = {a.pk for a in first[1:]}
    assert not any(a.pk in untouched for a in after)  # replaced by the second run's predictions
    for a in after:
        if a.pk != kept.pk:
            assert a.attributes["checkpoint"] == "tiny" and (a.end_ms <= kept.start_ms or a.start_ms >= kept.end_ms)
    assert "Kept 1 annotation" in job.message
    load_document(with_video).validate()


@pytest.mark.parametrize(
    "name", ["../x", "../recognition/tiny", "/etc/passwd", "tiny.pt", "", "missing", "sub/tiny", "ABSOLUTE"]
)
def test_a_checkpoint_that_is_not_a_name_from_the_folder_is_refused(people, with_video, models, name):
    if name == "ABSOLUTE":
        name = str(models / "tiny.pt")
    response = recognise(client_for(people["editor"]), with_video, checkpoint=name)
    assert response.status_code == 400
    assert "checkpoint" in response.json()["detail"]
    assert not Job.objects.filter(project=with_video, kind="recognise").exists()


def test_checkpoint_names_never_leave_the_folder(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "outside.pt").write_bytes(b"x")
    (tmp_path / "models" / "link.pt").symlink_to(tmp_path / "outside.pt")
    for name in ("link", "../outside", "..", "."):
        with pytest.raises(CheckpointNameError):
            checkpoint_path(tmp_path / "models", name)


def test_viewers_may_not_recognise_and_others_do_not_see_the_project(people, with_video, models):
    assert recognise(client_for(people["viewer"]), with_video, checkpoint="tiny").status_code == 403
    assert recognise(client_for(people["stranger"]), with_video, checkpoint="tiny").status_code == 404
    stranger = client_for(people["stranger"]).get(f"/api/projects/{with_video.pk}/recognition/checkpoints")
    assert stranger.status_code == 404
    assert not Job.objects.filter(project=with_video).exists()


def test_a_project_without_video_is_told_to_upload_one(people, project, models):
    response = recognise(client_for(people["editor"]), project, checkpoint="tiny")
    assert response.status_code == 400 and "upload one first" in response.json()["detail"]


def test_a_file_that_is_not_a_checkpoint_fails_the_job_and_writes_nothing(people, with_video, models, eager_jobs):
    before, names = rows(with_video), tier_names(with_video)
    revision = Project.objects.get(pk=with_video.pk).revision
    job = run_job(client_for(people["editor"]), with_video, checkpoint="broken")
    assert job.status == JobStatus.FAILED
    assert "'broken'" in job.error and "not a K-SLARS recognition checkpoint" in job.error
    assert str(models) not in job.error  # the server's folder is not shown
    assert rows(with_video) == before and tier_names(with_video) == names
    assert Project.objects.get(pk=with_video.pk).revision == revision


def test_a_failed_recognition_can_be_retried_and_a_cancelled_one_writes_nothing(
    people, with_video, models, monkeypatch, eager_jobs
):
    from kslars.web.jobs import services, tasks

    editor = client_for(people["editor"])
    failed = run_job(editor, with_video, checkpoint="broken")
    shutil.copy(models / "tiny.pt", models / "broken.pt")  # the file is mended; Retry runs the same request again
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = editor.post(f"/api/jobs/{failed.pk}/retry")
    assert response.status_code == 201, response.content
    retried = Job.objects.get(pk=response.json()["id"])
    assert retried.status == JobStatus.SUCCEEDED and retried.options == failed.options
    assert recognised(with_video)

    with TestCase.captureOnCommitCallbacks(execute=False):
        job = Job.objects.get(pk=recognise(editor, with_video, checkpoint="tiny", tier="Later").json()["id"])
    monkeypatch.setattr(services.Progress, "should_cancel", lambda self: True)
    before = rows(with_video)
    tasks.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and rows(with_video) == before and "Later" not in tier_names(with_video)
