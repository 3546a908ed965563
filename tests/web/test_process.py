"""Automatic annotation in the web tool: the "annotate" job, how results join a project, landmarks and series.

Jobs run eagerly on the real clip from the pose-format repository; its landmarks are extracted once for the
module and copied into each project's storage, except where a test is about extraction itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.storage import default_storage
from django.test import Client

from kslars.proposals import ENGINE_SOURCE
from kslars.web.annotation import models as am
from kslars.web.annotation.store import load_document
from kslars.web.jobs import services, tasks
from kslars.web.jobs.models import Job, JobStatus
from kslars.web.processing import results
from kslars.web.projects.models import Project, Video, VideoStatus
from tests.generated_video import write_video
from tests.web.site_helpers import client_for

pytestmark = pytest.mark.django_db

RESULT_TIERS = ["Signing segments", "Signs", "Right handshape", "Right palm orientation", "Right finger direction"]


def attach_video(project: Project, source: Path, pose: Path | None = None, name: str = "clip.mp4") -> Video:
    """Store ``source`` as the project's video (as an upload would, without probing) and ``pose`` as its landmarks."""
    with open(source, "rb") as f:
        original = default_storage.save(f"videos/original/{name}", File(f))
    landmarks = ""
    if pose is not None:
        with open(pose, "rb") as f:
            landmarks = default_storage.save("videos/landmarks/clip.pose", File(f))
    return Video.objects.create(
        project=project,
        original=original,
        landmarks=landmarks,
        original_name=name,
        status=VideoStatus.READY,
        fps=29.97,
        duration_ms=1935,
        width=540,
        height=720,
    )


def process(client: Client, project: Project, **options):
    """POST /process and return the response."""
    return client.post(f"/api/projects/{project.pk}/process", options, content_type="application/json")


def rows(project: Project) -> list[tuple]:
    """Every annotation of the project with its tier, as stored."""
    return list(
        am.Annotation.objects.filter(project=project)
        .order_by("key")
        .values_list("tier__name", "key", "value", "start_ms", "end_ms", "version", "attributes")
    )


def tier_names(project: Project) -> list[str]:
    return list(project.tiers.order_by("position", "id").values_list("name", flat=True))


def run_job(client: Client, project: Project, **options) -> Job:
    """Process the video with the job run at once (eager jobs start when the request's transaction commits)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = process(client, project, **options)
    assert response.status_code == 201, response.content
    return Job.objects.get(pk=response.json()["id"])


@pytest.fixture
def annotated(people, project, media_root, clip, clip_pose, eager_jobs) -> Project:
    """The project after one whole-video run (phrases, signs, handshapes, orientation, both hands)."""
    attach_video(project, clip, clip_pose)
    job = run_job(client_for(people["editor"]), project)
    assert job.status == JobStatus.SUCCEEDED, job.error
    return project


def test_processing_extracts_and_keeps_landmarks_and_adds_the_result_tiers(
    people, project, media_root, clip, eager_jobs
):
    attach_video(project, clip)  # no landmarks yet: the job extracts them
    revision = Project.objects.get(pk=project.pk).revision
    job = run_job(client_for(people["editor"]), project, orientation=False, hands="right")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress == 1.0 and job.kind == "annotate" and "Signs" in job.message
    assert tier_names(project) == [
        "Translation",
        "Gloss",
        "Right handshape",
        "Left handshape",
        "Signing segments",
        "Signs",
    ]
    doc = load_document(project)
    doc.validate()
    hands = doc.tier("Right handshape").annotations  # the new project's empty tier was filled, one per sign
    signs = doc.tier("Signs").annotations
    assert hands and len(hands) <= len(signs) and not doc.tier("Left handshape").annotations
    for hand in hands:
        assert hand.cv_entry and doc.vocabulary("HamNoSys handshapes").entry(hand.cv_entry).value == hand.value
        assert 0 < hand.attributes["confidence"] <= 1 and hand.attributes["source"] == ENGINE_SOURCE
        assert len(hand.attributes["alternatives"]) == 3 and hand.attributes["alternatives"][0][0] == hand.value
        assert any(s.start_ms <= hand.start_ms < hand.end_ms <= s.end_ms for s in signs)
    assert Project.objects.get(pk=project.pk).revision == revision + 1
    video = Video.objects.get(project=project)
    assert video.landmarks.name.endswith(".pose") and video.landmarks.size > 10_000


def test_result_tiers_have_the_engines_names_types_and_confidence(annotated):
    doc = load_document(annotated)
    for name in RESULT_TIERS:
        assert doc.tier(name).annotations, name
    assert doc.tier("Signs").type == "Automatic segments"
    assert doc.tier("Right palm orientation").annotations[0].cv_entry.startswith("palm_")
    for tier in doc.tiers:
        for a in tier.annotations:
            if tier.id in ("Signs", "Signing segments", "Right handshape"):
                assert 0 < a.attributes["confidence"] <= 1
    keys = [a.id for _, a in doc.annotations()]
    assert len(keys) == len(set(keys)) and "a1" in keys  # the gloss a1 kept its id; new ids never collide
    assert Project.objects.get(pk=annotated.pk).document_meta["last_annotation_number"] == max(int(k[1:]) for k in keys)


def test_a_second_run_makes_new_versions_and_leaves_the_first_untouched(people, annotated):
    before = rows(annotated)
    job = run_job(client_for(people["owner"]), annotated, phrases=False, orientation=False)
    assert job.status == JobStatus.SUCCEEDED, job.error
    names = tier_names(annotated)
    assert "Signs (2)" in names and "Right handshape (2)" in names and "Signing segments (2)" not in names
    after = rows(annotated)
    assert [r for r in after if r[1] in {b[1] for b in before}] == before
    doc = load_document(annotated)
    doc.validate()
    assert doc.tier("Right handshape (2)").type == doc.tier("Right handshape").type  # no duplicate tier type
    assert len(doc.tier_types) == len(set(t.id for t in doc.tier_types))


def test_replacing_predictions_keeps_an_annotation_edited_by_hand(people, annotated):
    editor = client_for(people["editor"])
    hand = am.Annotation.objects.filter(project=annotated, tier__name="Right handshape").order_by("start_ms").first()
    old_signs = set(am.Annotation.objects.filter(project=annotated, tier__name="Signs").values_list("pk", flat=True))
    assert hand is not None and old_signs
    response = editor.patch(
        f"/api/projects/{annotated.pk}/annotations/{hand.key}",
        {"version": hand.version, "value": "fist"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    job = run_job(editor, annotated, existing="replace_predictions")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert not any(name.endswith("(2)") for name in tier_names(annotated))
    edited = am.Annotation.objects.get(pk=hand.pk)
    assert edited.value == "fist" and edited.version == 2  # kept as the annotator left it
    for other in am.Annotation.objects.filter(tier__name="Right handshape", project=annotated).exclude(pk=hand.pk):
        assert other.attributes["source"] == ENGINE_SOURCE and other.version == 1
        assert other.end_ms <= edited.start_ms or other.start_ms >= edited.end_ms  # never over the kept one
    assert not am.Annotation.objects.filter(pk__in=old_signs).exists()  # the untouched predictions were replaced
    new_signs = am.Annotation.objects.filter(project=annotated, tier__name="Signs")
    assert new_signs and all(s.attributes["source"] == ENGINE_SOURCE for s in new_signs)
    assert "Kept 1 annotation" in job.message and "Replaced" in job.message
    load_document(annotated).validate()


def test_a_segment_run_only_touches_its_time_range(people, annotated):
    before = rows(annotated)
    job = run_job(client_for(people["editor"]), annotated, start_ms=500, end_ms=1500, phrases=False, orientation=False)
    assert job.status == JobStatus.SUCCEEDED, job.error
    after = rows(annotated)
    assert [r for r in after if r[1] in {b[1] for b in before}] == before
    added = [r for r in after if r[1] not in {b[1] for b in before}]
    assert added and {r[0] for r in added} <= {"Signs (2)", "Right handshape (2)"}
    assert all(500 <= r[3] < r[4] <= 1500 for r in added)


def test_replacing_in_a_segment_keeps_predictions_reaching_outside_it(people, annotated):
    before = rows(annotated)
    reaching_outside = [r for r in before if r[3] is not None and (r[3] < 500 or r[4] > 1500)]
    assert reaching_outside  # the clip's phrase spans the whole clip, beyond the segment
    job = run_job(client_for(people["editor"]), annotated, start_ms=500, end_ms=1500, existing="replace_predictions")
    assert job.status == JobStatus.SUCCEEDED, job.error
    after = rows(annotated)
    assert all(r in after for r in reaching_outside)  # predictions reaching outside the segment are kept as they were
    added = [r for r in after if r not in before]
    assert all(500 <= r[3] < r[4] <= 1500 and not r[0].endswith("(2)") for r in added)
    load_document(annotated).validate()


def test_cancelling_mid_way_writes_nothing(
    people, project, media_root, clip, monkeypatch, django_capture_on_commit_callbacks
):
    attach_video(project, clip)
    with django_capture_on_commit_callbacks(execute=False):
        job = Job.objects.get(pk=process(client_for(people["editor"]), project).json()["id"])
    asked = []

    def cancel_after_a_few_frames(self) -> bool:
        asked.append(1)
        return len(asked) > 5

    monkeypatch.setattr(services.Progress, "should_cancel", cancel_after_a_few_frames)
    before, names = rows(project), tier_names(project)
    tasks.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and len(asked) == 6
    assert rows(project) == before and tier_names(project) == names
    assert not Video.objects.get(project=project).landmarks  # extraction stopped: no .pose kept


@pytest.mark.parametrize("damage", ["truncated", "nobody"])
def test_a_bad_video_fails_the_job_with_its_reason_and_writes_nothing(
    people, project, media_root, clip, tmp_path, damage, eager_jobs
):
    if damage == "truncated":
        broken = tmp_path / "broken.mp4"
        broken.write_bytes(clip.read_bytes()[: clip.stat().st_size // 3])
    else:
        broken = write_video(tmp_path / "empty-room.mp4", codec="libx264", frames=20, fps=10)
    attach_video(project, broken, name="lesson.mp4")
    before, names, revision = rows(project), tier_names(project), Project.objects.get(pk=project.pk).revision
    job = run_job(client_for(people["editor"]), project)
    assert job.status == JobStatus.FAILED
    assert "lesson.mp4" in job.error and str(media_root) not in job.error
    if damage == "nobody":
        assert "nobody" in job.error
    assert rows(project) == before and tier_names(project) == names
    assert Project.objects.get(pk=project.pk).revision == revision


def test_a_crash_while_writing_leaves_the_project_as_it_was(
    people, project, media_root, clip, clip_pose, monkeypatch, eager_jobs
):
    attach_video(project, clip, clip_pose)
    real = results._add_annotations
    calls = []

    def crash_on_the_third_tier(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        real(*args, **kwargs)

    monkeypatch.setattr(results, "_add_annotations", crash_on_the_third_tier)
    before, names = rows(project), tier_names(project)
    types, vocabularies = project.tier_types.count(), project.vocabularies.count()
    revision = Project.objects.get(pk=project.pk).revision
    job = run_job(client_for(people["editor"]), project)
    assert job.status == JobStatus.FAILED and "disk full" in job.error and len(calls) == 3
    assert rows(project) == before and tier_names(project) == names
    assert (project.tier_types.count(), project.vocabularies.count()) == (types, vocabularies)
    assert Project.objects.get(pk=project.pk).revision == revision


def test_landmarks_and_series_endpoints(people, project, media_root, clip, clip_pose, share_link):
    viewer = client_for(people["viewer"])
    assert viewer.get(f"/api/projects/{project.pk}/series").json() == []
    assert viewer.get(f"/api/projects/{project.pk}/landmarks").json()["available"] is False
    attach_video(project, clip, clip_pose)
    skeleton = viewer.get(f"/api/projects/{project.pk}/landmarks").json()
    assert skeleton["available"] and skeleton["width"] == 540 and skeleton["height"] == 720
    assert skeleton["frame_count"] == len(skeleton["frames"]) >= 25  # about 2 s at 15 fps
    seen = [f for f in skeleton["frames"] if f[0] is not None]
    assert seen and all(len(f[0]) == 50 for f in seen)  # 25 upper-body points, x and y
    hands = [h for f in skeleton["frames"] for h in f[1:] if h is not None]
    assert hands and all(len(h) == 42 for h in hands)
    xs = [v for f in seen for v in f[0]]
    assert 0.05 < sum(xs) / len(xs) < 0.95  # normalised to the frame, not pixels
    assert [11, 12] in skeleton["body_edges"] and [0, 1] in skeleton["hand_edges"]
    part = viewer.get(f"/api/projects/{project.pk}/landmarks?start_ms=1000&end_ms=1500").json()
    assert 6 <= part["frame_count"] <= 8 and 1000 <= part["start_ms"] < 1100
    series = Client().get(f"/api/projects/{project.pk}/series", HTTP_X_SHARE_TOKEN=share_link.token).json()
    assert [s["name"] for s in series] == ["Right hand speed", "Left hand speed"]
    for s in series:
        assert len(s["times_ms"]) == len(s["values"]) == skeleton["frame_count"]
        assert min(s["values"]) >= 0
    assert max(series[0]["values"]) > 0.05  # the right hand moves in the clip


def test_process_requests_are_checked(people, project, media_root, clip, django_capture_on_commit_callbacks):
    editor = client_for(people["editor"])
    assert "no video" in process(editor, project).json()["detail"]
    attach_video(project, clip)
    assert process(client_for(people["viewer"]), project).status_code == 403
    assert process(client_for(people["stranger"]), project).status_code == 404
    none = process(editor, project, phrases=False, signs=False, handshapes=False, orientation=False)
    assert none.status_code == 400 and "at least one" in none.json()["detail"]
    half = process(editor, project, start_ms=100)
    assert half.status_code == 400 and "both start_ms and end_ms" in half.json()["detail"]
    assert process(editor, project, start_ms=900, end_ms=100).status_code == 400
    assert process(editor, project, hands="three").status_code == 422
    with django_capture_on_commit_callbacks(execute=False):
        first = process(editor, project, start_ms=0, end_ms=1000, existing="replace_predictions")
        assert first.status_code == 201 and first.json()["status"] == "queued"
        again = process(editor, project)
    assert again.status_code == 400 and "already" in again.json()["detail"]
    options = Job.objects.get(pk=first.json()["id"]).options
    assert options["start_ms"] == 0 and options["existing"] == "replace_predictions"


def test_a_failed_annotation_job_can_be_retried(
    people, project, media_root, clip, tmp_path, django_capture_on_commit_callbacks
):
    attach_video(project, clip)
    job = Job.objects.create(
        project=project,
        kind="annotate",
        status=JobStatus.FAILED,
        error="lost",
        options={
            "phrases": True,
            "signs": True,
            "handshapes": False,
            "orientation": False,
            "hands": "both",
            "existing": "new_version",
            "start_ms": None,
            "end_ms": None,
            "original": Video.objects.get(project=project).original.name,
        },
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(people["editor"]).post(f"/api/jobs/{job.pk}/retry")
    assert response.status_code == 201 and response.json()["kind"] == "annotate" and len(callbacks) == 1
    assert Job.objects.get(pk=response.json()["id"]).options == job.options
    Job.objects.filter(pk=response.json()["id"]).update(status=JobStatus.FAILED)
    Video.objects.filter(project=project).update(original="videos/original/another.mp4")
    refused = client_for(people["editor"]).post(f"/api/jobs/{job.pk}/retry")
    assert refused.status_code == 400 and "replaced" in refused.json()["detail"]


def test_replacing_the_video_forgets_its_landmarks(
    people, project, media_root, clip, clip_pose, tmp_path, django_capture_on_commit_callbacks
):
    video = attach_video(project, clip, clip_pose)
    old = Path(video.landmarks.path)
    copy = tmp_path / "again.mp4"
    shutil.copy(clip, copy)
    with open(copy, "rb") as f, django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["editor"]).post(f"/api/projects/{project.pk}/video", {"file": f})
    assert response.status_code == 201, response.content
    assert not Video.objects.get(project=project).landmarks and not old.exists()


def test_unreadable_stored_landmarks_are_extracted_again(people, project, media_root, clip, tmp_path, eager_jobs):
    broken = tmp_path / "broken.pose"
    broken.write_bytes(b"not a pose file")
    attach_video(project, clip, broken)
    viewer = client_for(people["viewer"])
    assert viewer.get(f"/api/projects/{project.pk}/landmarks").json()["available"] is False
    assert viewer.get(f"/api/projects/{project.pk}/series").json() == []
    job = run_job(client_for(people["editor"]), project, phrases=False, handshapes=False, orientation=False)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert Video.objects.get(project=project).landmarks.size > 10_000
    assert viewer.get(f"/api/projects/{project.pk}/landmarks").json()["available"] is True


def test_stored_landmarks_of_another_picture_size_are_extracted_again(
    people, project, media_root, clip, clip_pose, tmp_path, eager_jobs
):
    """Landmarks made for another picture size (e.g. a phone video processed sideways before it was turned upright)
    do not fit the video: the job extracts them again and keeps the new ones."""
    import numpy as np

    from kslars.vision.pose_file import TOTAL_POINTS, read_landmarks, read_pose_size, write_pose
    from kslars.vision.video import probe_video

    info = probe_video(clip)
    frames = read_landmarks(clip_pose).frame_count
    sideways = tmp_path / "sideways.pose"
    write_pose(
        sideways,
        info.height,
        info.width,
        15.0,
        [np.ones((frames, TOTAL_POINTS, 3), np.float32)],
        [np.ones((frames, TOTAL_POINTS), np.float32)],
        frames,
    )
    video = attach_video(project, clip, sideways)
    old = Path(video.landmarks.path)
    job = run_job(client_for(people["editor"]), project, phrases=False, handshapes=False, orientation=False)
    assert job.status == JobStatus.SUCCEEDED, job.error
    stored = Video.objects.get(project=project).landmarks
    assert stored.name != video.landmarks.name and not old.exists()
    assert read_pose_size(stored.path) == (info.width, info.height)
