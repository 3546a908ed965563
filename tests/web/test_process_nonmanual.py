"""The process API's ``nonmanual`` option: off by default, passed to the engine, its tiers written to the project.

The project's stored landmarks are the real clip's, with the eyebrows raised in the face mesh between 0.6 and
1.2 s (less than half the clip, whose median face is the neutral one), so that the engine has a known
non-manual signal to find.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kslars.engine import annotation_tiers as tiers
from kslars.engine.nonmanual.face import LEFT_BROW, LEFT_BROW_INNER, LEFT_EYE, RIGHT_BROW, RIGHT_BROW_INNER, RIGHT_EYE
from kslars.proposals import ENGINE_SOURCE
from kslars.web.annotation.store import load_document
from kslars.web.jobs.models import Job, JobStatus
from tests.web.site_helpers import client_for
from tests.web.test_process import attach_video, process, run_job, tier_names

pytestmark = pytest.mark.django_db

FACE = 33  # the face mesh follows the 33 body points in a holistic .pose file
NOTHING_ELSE = {"phrases": False, "signs": False, "handshapes": False, "orientation": False}


@pytest.fixture(scope="module")
def raised_pose(clip_pose, tmp_path_factory) -> Path:  # noqa: F811 - the fixture imported above
    """The clip's landmarks with both eyebrows lifted by 0.15 inter-ocular distances from 0.6 s to 1.2 s."""
    from pose_format import Pose

    with open(clip_pose, "rb") as f:
        pose = Pose.read(f.read())
    data = pose.body.data  # (T, 1, 576, 3) pixels
    eyes = data[0, 0, [FACE + i for i in RIGHT_EYE + LEFT_EYE], :2]
    interocular = float(np.linalg.norm(eyes[2:].mean(axis=0) - eyes[:2].mean(axis=0)))
    times = np.arange(data.shape[0]) / pose.body.fps
    frames = np.flatnonzero((times >= 0.6) & (times < 1.2))
    brows = [FACE + i for i in sorted(set(RIGHT_BROW + LEFT_BROW + RIGHT_BROW_INNER + LEFT_BROW_INNER))]
    for t in frames:
        data[t, 0, brows, 1] -= 0.15 * interocular  # up in the picture
    path = tmp_path_factory.mktemp("raised") / "raised.pose"
    with open(path, "wb") as f:
        pose.write(f)
    return path


def test_nonmanual_is_off_unless_asked(
    people,
    project,
    media_root,
    clip,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    attach_video(project, clip)
    editor = client_for(people["editor"])
    with django_capture_on_commit_callbacks(execute=False):
        plain = process(editor, project)
    assert plain.status_code == 201 and Job.objects.get(pk=plain.json()["id"]).options["nonmanual"] is False
    Job.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False):
        only = process(editor, project, nonmanual=True, **NOTHING_ELSE)  # non-manual signals alone are a choice
    assert only.status_code == 201 and Job.objects.get(pk=only.json()["id"]).options["nonmanual"] is True
    Job.objects.all().delete()
    none = process(editor, project, nonmanual=False, **NOTHING_ELSE)
    assert none.status_code == 400 and "nonmanual" in none.json()["detail"]
    assert process(editor, project, nonmanual="perhaps").status_code == 422


def test_nonmanual_tiers_reach_the_project(
    people,
    project,
    media_root,
    clip,
    raised_pose,  # noqa: F811
    eager_jobs,
):
    attach_video(project, clip, raised_pose)
    job = run_job(client_for(people["editor"]), project, nonmanual=True, **NOTHING_ELSE)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert "Eyebrows" in tier_names(project) and "Signs" not in tier_names(project)
    doc = load_document(project)
    doc.validate()
    brows = doc.tier("Eyebrows")
    assert doc.tier_type(brows.type).vocabulary == tiers.NONMANUAL_VOCABULARIES["Eyebrows"]
    (raised,) = brows.annotations
    assert raised.value == "raised"
    assert doc.vocabulary(tiers.NONMANUAL_VOCABULARIES["Eyebrows"]).entry(raised.cv_entry).value == "raised"
    assert abs(raised.start_ms - 600) <= 150 and abs(raised.end_ms - 1200) <= 150
    assert 0.5 <= raised.attributes["confidence"] <= 1 and raised.attributes["source"] == ENGINE_SOURCE


def test_a_job_queued_without_the_option_still_runs(
    people,
    project,
    media_root,
    clip,
    clip_pose,  # noqa: F811
    eager_jobs,
):
    from kslars.web.jobs import tasks

    attach_video(project, clip, clip_pose)
    job = run_job(client_for(people["editor"]), project, handshapes=False, orientation=False)
    options = dict(job.options)
    del options["nonmanual"]  # as stored by a server from before the option
    again = Job.objects.create(project=project, kind=job.kind, options=options)
    tasks.run_job(again.pk)
    again.refresh_from_db()
    assert again.status == JobStatus.SUCCEEDED, again.error
    assert "Eyebrows" not in tier_names(project)
