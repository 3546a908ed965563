"""Improve from my corrections: the "learn" job fine-tunes the project's segmentation model on its corrected tiers
and learns its handshape labels from its corrected handshape tiers, the next Process video uses them, and the
project can go back to the shipped models.

The project's video is SOUP.mp4 (320x240) and its kept landmarks the 4.3 s of continuous signing of the
segmentation repository's example.pose (also 320x240, so the job reuses them); the corrections are written here.
"""

from __future__ import annotations

import pytest
from django.core.files import File
from django.core.files.storage import default_storage
from django.test import TestCase

from kslars.document import Annotation, Document, LocalizedValue, Tier, TierType, Vocabulary, VocabularyEntry
from kslars.engine.annotation_tiers import PHRASES_TIER, SIGNS_TIER
from kslars.proposals import ENGINE_SOURCE
from kslars.web.annotation.store import add_to_project, load_document
from kslars.web.jobs.models import Job, JobStatus
from kslars.web.learning import learn
from kslars.web.learning.models import ProjectHandshapeModel, ProjectModel
from kslars.web.projects.models import Project, Video, VideoStatus
from tests.conftest import shared_file
from tests.web.site_helpers import client_for

pytestmark = pytest.mark.django_db

VIDEO = "sign-language-processing__pose/videos/SOUP.mp4"
POSE = "sign-language-processing__segmentation/tests/example.pose"
SIGNS = [(100 + 380 * i, 380 + 380 * i) for i in range(11)]  # 11 signs from 100 to 4180 ms
PHRASES = [(100, 1140), (1620, 2660), (3140, 4180)]


def attach(project: Project) -> None:
    with open(shared_file(VIDEO), "rb") as f:
        original = default_storage.save("videos/original/soup.mp4", File(f))
    with open(shared_file(POSE), "rb") as f:
        landmarks = default_storage.save("videos/landmarks/soup.pose", File(f))
    Video.objects.create(
        project=project, original=original, landmarks=landmarks, original_name="soup.mp4",
        status=VideoStatus.READY, fps=29.97, duration_ms=1368, width=320, height=240,
    )  # fmt: skip


def add_tiers(project: Project, by_hand: bool) -> None:
    """The engine's two segment tiers, made by hand (corrections) or as untouched predictions."""
    attributes = {} if by_hand else {"source": ENGINE_SOURCE}
    tiers = [
        Tier(
            id=name,
            type="Segments",
            annotations=[
                Annotation(id=f"hand{k}-{i}", start_ms=a, end_ms=b, attributes=dict(attributes))
                for i, (a, b) in enumerate(spans)
            ],
        )
        for k, (name, spans) in enumerate(((SIGNS_TIER, SIGNS), (PHRASES_TIER, PHRASES)))
    ]
    add_to_project(project, Document(tier_types=[TierType(id="Segments")], tiers=tiers))


def post_job(client, path: str, data: dict) -> Job:
    """POST a job request and run the job at once (eager jobs start when the request's transaction commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(path, data, content_type="application/json")
    assert response.status_code == 201, response.content
    return Job.objects.get(pk=response.json()["id"])


@pytest.mark.slow
def test_learning_from_corrections_makes_the_projects_model_and_process_uses_it(
    project, people, media_root, eager_jobs, monkeypatch
):
    kept_back = []
    monkeypatch.setattr(learn, "better", lambda scores: kept_back.append(scores) or True)  # keep it whatever it scored
    attach(project)
    add_tiers(project, by_hand=True)
    client = client_for(people["editor"])
    assert client.get(f"/api/projects/{project.pk}/segmentation-model").json() == {
        "own": False, "created_at": None, "report": {},
    }  # fmt: skip
    job = post_job(client, f"/api/projects/{project.pk}/learn", {})
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert "Process video now uses the project's model" in job.message
    assert "Handshapes: too few corrected handshapes to learn from" in job.message  # none corrected: skipped
    assert len(kept_back) == 1 and set(kept_back[0]["project"]) == {"signs", "phrases"}
    model = client.get(f"/api/projects/{project.pk}/segmentation-model").json()
    assert model["own"] is True
    report = model["report"]
    assert report["signs"] == 11 and report["phrases"] == 3 and report["window_ms"] == [100, 4180]
    assert set(report["scores"]) == {"default", "project"}
    assert 0 <= report["scores"]["project"]["signs"]["symmetric_iou"] <= 1
    weights = ProjectModel.objects.get(project=project).weights.name
    assert default_storage.exists(weights)

    done = post_job(client, f"/api/projects/{project.pk}/process", {"handshapes": False, "orientation": False})
    assert done.status == JobStatus.SUCCEEDED, done.error
    assert "project's own model" in done.message

    viewer = client_for(people["viewer"])
    assert viewer.delete(f"/api/projects/{project.pk}/segmentation-model").status_code == 403
    with TestCase.captureOnCommitCallbacks(execute=True):  # the file goes when the deletion commits
        assert client.delete(f"/api/projects/{project.pk}/segmentation-model").json()["own"] is False
    assert not default_storage.exists(weights) and not ProjectModel.objects.filter(project=project).exists()
    again = post_job(client, f"/api/projects/{project.pk}/process", {"handshapes": False, "orientation": False})
    assert again.status == JobStatus.SUCCEEDED and "own model" not in again.message


def test_nothing_corrected_is_refused_with_a_message(project, people, media_root, eager_jobs):
    attach(project)
    add_tiers(project, by_hand=False)  # untouched predictions only
    client = client_for(people["editor"])
    response = client.post(f"/api/projects/{project.pk}/learn", {}, content_type="application/json")
    assert response.status_code == 400 and "no corrections to learn from" in response.json()["detail"]
    assert not Job.objects.filter(project=project, kind="learn").exists()
    response = client.post(f"/api/projects/{project.pk}/learn", {"signs_tier": "Nope"}, content_type="application/json")
    assert response.status_code == 400 and "no tier 'Nope'" in response.json()["detail"]


def test_the_projects_model_is_kept_only_when_it_beats_the_shipped_one_on_the_part_kept_back():
    def scores(default: tuple[float, ...], project: tuple[float, ...]) -> dict:
        tiers = ("signs", "phrases")[: len(default)]
        return {
            "default": {t: {"symmetric_iou": v} for t, v in zip(tiers, default, strict=True)},
            "project": {t: {"symmetric_iou": v} for t, v in zip(tiers, project, strict=True)},
        }

    assert learn.better(scores((0.30, 0.50), (0.36, 0.46)))  # mean 0.41 against 0.40
    assert not learn.better(scores((0.30, 0.50), (0.32, 0.46)))
    assert not learn.better(scores((0.30,), (0.30,)))


# The right hand of example.pose, by the shipped classifier: a flat hand from 400 to 880 ms, two fingers from 1200
# to 1680 ms, an open hand from 2480 to 3120 ms. The project names them with labels of its own vocabulary.
PROJECT_HANDSHAPES = [(400, "B"), (560, "B"), (720, "B"), (880, "B"), (1200, "V"), (1360, "V"), (1520, "V")]
PROJECT_HANDSHAPES += [(1680, "V"), (2480, "5"), (2640, "5"), (2800, "5"), (2960, "5"), (3120, "5")]


def add_handshape_tier(project: Project, labelled: list[tuple[int, str]]) -> None:
    """A right handshape tier labelled by hand with the project's own vocabulary (160 ms per handshape)."""
    labels = sorted({label for _, label in labelled})
    vocabulary = Vocabulary(
        id="Project handshapes",
        entries=[VocabularyEntry(id=f"hs_{v}", values=[LocalizedValue(value=v, lang="eng")]) for v in labels],
    )
    tier = Tier(
        id="Right handshape (2)",
        type="Project handshape",
        annotations=[
            Annotation(id=f"hs{i}", value=label, start_ms=t, end_ms=t + 160) for i, (t, label) in enumerate(labelled)
        ],
    )
    add_to_project(
        project,
        Document(
            vocabularies=[vocabulary],
            tier_types=[TierType(id="Project handshape", vocabulary=vocabulary.id)],
            tiers=[tier],
        ),
    )


@pytest.mark.slow
def test_learning_corrected_handshapes_makes_the_projects_handshape_model_and_process_writes_its_labels(
    project, people, media_root, eager_jobs
):
    attach(project)
    add_handshape_tier(project, PROJECT_HANDSHAPES)  # no sign or phrase corrected: the segmentation part is skipped
    client = client_for(people["editor"])
    assert client.get(f"/api/projects/{project.pk}/handshape-model").json()["own"] is False
    job = post_job(client, f"/api/projects/{project.pk}/learn", {})
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert "Segmentation: too few corrections" in job.message
    assert "Process video now writes the project's handshape labels" in job.message
    assert not ProjectModel.objects.filter(project=project).exists()
    model = client.get(f"/api/projects/{project.pk}/handshape-model").json()
    assert model["own"] is True
    report = model["report"]
    assert report["examples"] == {"5": 5, "B": 4, "V": 4} and report["held_back"] == 3
    # the shipped classifier cannot say the project's labels; the project's model gets the kept-back ones right
    assert report["scores"] == {"default": {"accuracy": 0.0}, "project": {"accuracy": 1.0}}
    weights = ProjectHandshapeModel.objects.get(project=project).weights.name
    assert default_storage.exists(weights)

    done = post_job(client, f"/api/projects/{project.pk}/process", {"orientation": False, "hands": "right"})
    assert done.status == JobStatus.SUCCEEDED, done.error
    assert "Handshapes by the project's own model" in done.message
    doc = load_document(project)
    (tier,) = [
        t
        for t in doc.tiers
        if t.id.startswith("Right handshape")
        and any(a.attributes.get("source") == ENGINE_SOURCE for a in t.annotations)
    ]
    assert doc.tier_type(tier.type).vocabulary == "Project handshapes"  # the project's vocabulary takes them
    written = [a.value for a in tier.annotations]
    assert written and set(written) <= {"B", "V", "5"}

    viewer = client_for(people["viewer"])
    assert viewer.get(f"/api/projects/{project.pk}/handshape-model").json()["own"] is True
    assert viewer.delete(f"/api/projects/{project.pk}/handshape-model").status_code == 403
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.delete(f"/api/projects/{project.pk}/handshape-model").json()["own"] is False
    assert not default_storage.exists(weights) and not ProjectHandshapeModel.objects.filter(project=project).exists()
    again = post_job(client, f"/api/projects/{project.pk}/process", {"orientation": False, "hands": "right"})
    assert again.status == JobStatus.SUCCEEDED and "own model" not in again.message


def test_too_few_corrected_handshapes_and_no_segments_fail_with_both_reasons(project, people, media_root, eager_jobs):
    attach(project)
    add_handshape_tier(project, [(400, "B"), (560, "B"), (1200, "V"), (1360, "V"), (1520, "V")])
    client = client_for(people["editor"])
    job = post_job(client, f"/api/projects/{project.pk}/learn", {})
    assert job.status == JobStatus.FAILED
    assert "Too few corrections to learn from" in job.error
    assert "at least 3 examples each of 2 labels are needed (found B: 2, V: 3)" in job.error
    assert not ProjectHandshapeModel.objects.filter(project=project).exists()


def test_only_the_projects_own_handshape_model_is_shown_or_deleted(project, people, media_root):
    stranger = client_for(people["stranger"])
    assert stranger.get(f"/api/projects/{project.pk}/handshape-model").status_code in (403, 404)
    editor = client_for(people["editor"])
    assert editor.delete(f"/api/projects/{project.pk}/handshape-model").json() == {
        "own": False, "created_at": None, "report": {},
    }  # fmt: skip
    schema = editor.get("/api/openapi.json").json()
    assert set(schema["paths"]["/api/projects/{project_id}/handshape-model"]) == {"get", "delete"}
