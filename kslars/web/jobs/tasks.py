"""Celery tasks: thin wrappers that run a job's work through ``services.run``, and the kinds of jobs there are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from celery.signals import worker_ready

from kslars.web.celery_app import app
from kslars.web.jobs import services
from kslars.web.jobs.models import Job


@app.task(name="kslars.transcode_video", ignore_result=True)
def transcode_video(job_id: int) -> None:
    """Convert a project's video into an H.264 MP4 the browser plays (job kind "transcode")."""
    from kslars.vision.transcode import TranscodeCancelled
    from kslars.web.projects import videos

    services.run(job_id, videos.convert_for_browser, cancelled=TranscodeCancelled)


@app.task(name="kslars.annotate_video", ignore_result=True)
def annotate_video(job_id: int) -> None:
    """Run automatic annotation on a project's video and add the result tiers (job kind "annotate")."""
    from kslars.vision.landmarks import Cancelled
    from kslars.web.jobs import annotate

    services.run(job_id, annotate.annotate_project, cancelled=Cancelled)


@app.task(name="kslars.recognise_glosses", ignore_result=True)
def recognise_glosses(job_id: int) -> None:
    """Recognise the glosses signed in a project's video and add them as a gloss tier (job kind "recognise")."""
    from kslars.vision.landmarks import Cancelled
    from kslars.web.jobs import recognise

    services.run(job_id, recognise.recognise_project, cancelled=Cancelled)


@app.task(name="kslars.read_fingerspelling", ignore_result=True)
def read_fingerspelling(job_id: int) -> None:
    """Read the word fingerspelled in a segment of a project's video into a Fingerspelling tier (job kind
    "fingerspell")."""
    from kslars.vision.landmarks import Cancelled
    from kslars.web.jobs import fingerspell

    services.run(job_id, fingerspell.fingerspell_project, cancelled=Cancelled)


@dataclass(frozen=True)
class JobKind:
    """What the jobs machinery needs to know about one kind of job."""

    task: object  # the Celery task, called with the job id
    label: str  # shown while the job runs
    stopped: Callable[[Job], None]  # called in the transaction that marks the job failed or cancelled
    before_retry: Callable[[Job], None]  # called in the transaction that queues a retry


def job_kind(kind: str) -> JobKind:
    """The registered kind ``kind``; KeyError for unknown kinds."""
    from kslars.web.jobs import annotate, fingerspell, recognise, video_jobs
    from kslars.web.projects import videos

    kinds = {
        "transcode": JobKind(
            task=transcode_video,
            label="Converting the video for the browser",
            stopped=videos.conversion_stopped,
            before_retry=videos.conversion_retried,
        ),
        annotate.ANNOTATE: JobKind(
            task=annotate_video,
            label=annotate.LABEL,
            stopped=video_jobs.nothing_to_undo,
            before_retry=video_jobs.refuse_replaced_video,
        ),
        recognise.RECOGNISE: JobKind(
            task=recognise_glosses,
            label=recognise.LABEL,
            stopped=video_jobs.nothing_to_undo,
            before_retry=video_jobs.refuse_replaced_video,
        ),
        fingerspell.FINGERSPELL: JobKind(
            task=read_fingerspelling,
            label=fingerspell.LABEL,
            stopped=video_jobs.nothing_to_undo,
            before_retry=video_jobs.refuse_replaced_video,
        ),
    }
    return kinds[kind]


@worker_ready.connect
def fail_jobs_of_lost_workers(**_kwargs) -> None:
    """When a worker starts, jobs left running by a worker that was killed are marked failed."""
    services.fail_stale_jobs()
