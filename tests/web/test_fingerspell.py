"""Read fingerspelling in the web tool: the "fingerspell" job on the real clip, the Fingerspelling tier it writes
(the word over the segment, its letters on an Included_In child tier), the second run, and the refusals.

The clip shows signing, not fingerspelling: with the reader's thresholds it holds no letter, and with a lower hold
threshold (1/10 probability, 100 ms) it reads two. These tests check the plumbing and the structure of what is
written, not the letters (docs/dictionary/fingerspelling.md: accuracy on a new signer is low).
"""

from __future__ import annotations

import functools

import pytest
from django.test import TestCase

from kslars.document import Constraint
from kslars.proposals import ENGINE_SOURCE
from kslars.web.annotation import models as am
from kslars.web.annotation.store import load_document
from kslars.web.jobs.models import Job, JobStatus
from kslars.web.projects.models import Project, Video
from tests.conftest import shared_file
from tests.web.site_helpers import client_for
from tests.web.test_process import attach_video, rows, tier_names
from tests.web.video_helpers import CLIP, post_job, run_posted_job

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

WORD, LETTERS = "Fingerspelling", "Fingerspelling letters"
SEGMENT = {"start_ms": 400, "end_ms": 1600}


@pytest.fixture
def lenient_reader(monkeypatch):
    """The reader with a lower hold threshold, so that the clip's hand gives letters."""
    from kslars.dictionary import fingerspelling
    from kslars.dictionary.fingerspelling_video import DecoderOptions

    lenient = DecoderOptions(min_probability=0.1, min_hold_ms=100)
    monkeypatch.setattr(
        fingerspelling, "read_hand_sequence", functools.partial(fingerspelling.read_hand_sequence, options=lenient)
    )


@pytest.fixture
def with_video(project, media_root, clip, clip_body_pose) -> Project:
    attach_video(project, clip, clip_body_pose)
    return project


fingerspell = functools.partial(post_job, route="fingerspell")  # fingerspell(client, project, **body): the response
run_job = functools.partial(run_posted_job, route="fingerspell")  # the same, with the job run at once: the Job


def on(project: Project, tier: str) -> list[am.Annotation]:
    return list(am.Annotation.objects.filter(project=project, tier__name=tier).order_by("start_ms"))


def check_structure(project: Project, start_ms: int, end_ms: int, alphabet: str, word: str = WORD) -> None:
    """One word over the segment on a root tier; its letters, inside it, on an Included_In child tier."""
    doc = load_document(project)
    doc.validate()
    letters_tier = doc.tier(f"{word} letters")
    assert letters_tier.parent == word and doc.tier(word).parent is None
    assert doc.constraint_of(letters_tier) is Constraint.INCLUDED_IN
    assert doc.constraint_of(doc.tier(word)) is Constraint.NONE
    [spelled] = on(project, word)
    letters = on(project, f"{word} letters")
    assert (spelled.start_ms, spelled.end_ms) == (start_ms, end_ms)
    assert letters and spelled.value == "".join(a.value for a in letters)
    assert spelled.attributes == {"alphabet": alphabet, "hand": "right", "source": ENGINE_SOURCE}
    for before, after in zip(letters, letters[1:], strict=False):
        assert before.end_ms <= after.start_ms
    for a in letters:
        assert start_ms <= a.start_ms < a.end_ms <= end_ms and a.version == 1
        assert a.attributes["alphabet"] == alphabet and 0 < a.attributes["confidence"] <= 1
        assert a.attributes["source"] == ENGINE_SOURCE


def test_a_segment_gets_a_word_over_it_and_its_letters_inside(people, project, media_root, lenient_reader, eager_jobs):
    attach_video(project, shared_file(CLIP))  # no landmarks yet: the job extracts and keeps them
    before = rows(project)
    revision = Project.objects.get(pk=project.pk).revision
    job = run_job(client_for(people["editor"]), project, alphabet="ru", **SEGMENT)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.kind == "fingerspell" and job.progress == 1.0
    word = on(project, WORD)[0].value
    assert f"“{word}” (right hand)" in job.message and LETTERS in job.message
    check_structure(project, alphabet="ru", **SEGMENT)
    assert all(ord("А") <= ord(a.value) <= ord("Я") or a.value == "Ё" for a in on(project, LETTERS))
    assert tier_names(project)[-2:] == [WORD, LETTERS]
    assert [r for r in rows(project) if r[0] not in (WORD, LETTERS)] == before
    assert Project.objects.get(pk=project.pk).revision == revision + 1
    assert Video.objects.get(project=project).landmarks.name.endswith(".pose")


def test_a_second_run_replaces_its_untouched_word_and_letters(people, with_video, lenient_reader, eager_jobs):
    editor = client_for(people["editor"])
    assert run_job(editor, with_video, alphabet="asl", **SEGMENT).status == JobStatus.SUCCEEDED
    first = on(with_video, WORD) + on(with_video, LETTERS)
    again = run_job(editor, with_video, alphabet="asl", **SEGMENT)
    assert again.status == JobStatus.SUCCEEDED and f"Replaced {len(first)} earlier prediction" in again.message
    assert tier_names(with_video).count(WORD) == 1 and f"{WORD} (2)" not in tier_names(with_video)
    second = on(with_video, WORD) + on(with_video, LETTERS)
    assert not {a.pk for a in first} & {a.pk for a in second}
    assert [(a.value, a.start_ms, a.end_ms) for a in second] == [(a.value, a.start_ms, a.end_ms) for a in first]
    check_structure(with_video, alphabet="asl", **SEGMENT)


def test_a_letter_changed_by_hand_keeps_its_word(people, with_video, lenient_reader, eager_jobs):
    editor = client_for(people["editor"])
    assert run_job(editor, with_video, alphabet="ru", **SEGMENT).status == JobStatus.SUCCEEDED
    letter = on(with_video, LETTERS)[0]
    response = editor.patch(
        f"/api/projects/{with_video.pk}/annotations/{letter.key}",
        {"version": letter.version, "value": "Б"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    kept = rows(with_video)
    job = run_job(editor, with_video, alphabet="ru", **SEGMENT)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert rows(with_video) == kept and "Added 0 annotation" in job.message
    load_document(with_video).validate()


def test_nothing_held_writes_nothing_and_says_so(people, with_video, eager_jobs):
    before, names = rows(with_video), tier_names(with_video)
    job = run_job(client_for(people["owner"]), with_video, alphabet="kk", tier="Dactyl", **SEGMENT)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert "No fingerspelled letters were read between 400 and 1600 ms" in job.message
    assert rows(with_video) == before and tier_names(with_video) == names


def test_a_segment_without_a_hand_fails_and_writes_nothing(people, with_video, eager_jobs):
    before = rows(with_video)
    job = run_job(client_for(people["editor"]), with_video, alphabet="ru", start_ms=0, end_ms=400)
    assert job.status == JobStatus.FAILED and "No hand is seen" in job.error
    assert rows(with_video) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"alphabet": "de", **SEGMENT}, "unknown alphabet 'de'; choose one of ru, kk, asl"),
        ({"alphabet": "ru"}, "Fingerspelling is read on a segment"),
        ({"alphabet": "ru", "start_ms": 900}, "Give both start_ms and end_ms"),
        ({"alphabet": "ru", "start_ms": 900, "end_ms": 900}, "is empty or negative"),
        ({"alphabet": "ru", "tier": "x" * 200, **SEGMENT}, "The tier name must have 1 to 192 characters."),
    ],
)
def test_bad_requests_are_refused_with_the_reason(people, with_video, body, message):
    response = fingerspell(client_for(people["editor"]), with_video, **body)
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not Job.objects.filter(project=with_video).exists()


def test_viewers_may_not_read_fingerspelling_and_others_do_not_see_the_project(people, with_video):
    assert fingerspell(client_for(people["viewer"]), with_video, alphabet="ru", **SEGMENT).status_code == 403
    assert fingerspell(client_for(people["stranger"]), with_video, alphabet="ru", **SEGMENT).status_code == 404
    assert not Job.objects.filter(project=with_video).exists()


def test_a_project_without_video_is_told_to_upload_one(people, project):
    response = fingerspell(client_for(people["editor"]), project, alphabet="ru", **SEGMENT)
    assert response.status_code == 400 and "upload one first" in response.json()["detail"]


def test_a_cancelled_reading_writes_nothing(people, with_video, lenient_reader, monkeypatch, eager_jobs):
    from kslars.web.jobs import services, tasks

    with TestCase.captureOnCommitCallbacks(execute=False):
        job_id = fingerspell(client_for(people["editor"]), with_video, alphabet="ru", **SEGMENT).json()["id"]
    monkeypatch.setattr(services.Progress, "should_cancel", lambda self: True)
    before = rows(with_video)
    tasks.run_job(job_id)
    assert Job.objects.get(pk=job_id).status == JobStatus.CANCELLED and rows(with_video) == before
    assert WORD not in tier_names(with_video)
