"""The life of a background job: queue it, claim it in the worker, report progress, end it, cancel or retry it.

The worker and the web server only share the database: the worker writes progress, a heartbeat and its own
identity into the Job row, the web pages read it. A running job whose worker process is gone (killed, crashed)
is marked failed as soon as a worker starts or someone looks at the jobs, where that process was on the same
machine; a job whose heartbeat stopped for ``stale_after()`` is marked failed wherever its worker was.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from kslars.web.jobs import workers
from kslars.web.jobs.models import Job, JobStatus
from kslars.web.jobs.registry import job_kind

log = logging.getLogger(__name__)

# How often a running job writes its progress (and heartbeat) at the least, and how often it asks
# whether it was cancelled.
REPORT_EVERY_SECONDS = 5.0
CANCEL_CHECK_EVERY_SECONDS = 1.0


WAITING = "Waiting for a worker…"


class JobError(ValueError):
    """A request about a job that cannot be done (cancel a finished job, retry a running one, ...)."""


class JobObsolete(Exception):
    """The job has nothing left to do (its input was replaced); it ends as cancelled with this message."""


def stale_after() -> timedelta:
    """How long a running job may go without a heartbeat before it counts as lost with its worker."""
    return timedelta(seconds=getattr(settings, "KSLARS_JOB_STALE_SECONDS", 300))


def enqueue(job: Job) -> None:
    """Send ``job`` to the worker once the current transaction commits (so the worker finds the row)."""
    job_id = job.pk
    transaction.on_commit(lambda: _send(job_id))


def _send(job_id: int) -> None:
    from kslars.web.jobs.tasks import run_job

    try:
        result = run_job.delay(job_id)
    except Exception as exc:  # the broker is unreachable or misconfigured
        log.exception("could not queue job %s", job_id)
        end_job(job_id, JobStatus.FAILED, error=f"The job could not be queued ({exc}); is the job queue running?")
        return
    Job.objects.filter(pk=job_id, task_id="").update(task_id=result.id or "")


def claim(job_id: int) -> Job | None:
    """Mark a queued job as running and return it; None when it was cancelled or already taken."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, cancel_requested=False).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, progress=0.0, worker=workers.this_process()
    )
    return Job.objects.select_related("project").get(pk=job_id) if claimed else None


class Progress:
    """Progress reports and cancel checks for one running job, written at most every 1 % or few seconds."""

    def __init__(self, job_id: int, message: str) -> None:
        self.job_id = job_id
        self.message = message
        self._reported = (-1.0, 0.0)  # (fraction, time) of the last write
        self._cancel_checked = (0.0, False)  # (time, answer) of the last check

    def __call__(self, fraction: float) -> None:
        """Record that ``fraction`` (0..1) of the work is done."""
        last_fraction, last_time = self._reported
        now = time.monotonic()
        if fraction - last_fraction < 0.01 and now - last_time < REPORT_EVERY_SECONDS:
            return
        self._reported = (fraction, now)
        Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
            progress=round(fraction, 4), message=self.message, heartbeat_at=timezone.now()
        )

    def should_cancel(self) -> bool:
        """Whether someone asked to cancel the job (read from the database about once a second)."""
        checked_at, answer = self._cancel_checked
        now = time.monotonic()
        if now - checked_at >= CANCEL_CHECK_EVERY_SECONDS:
            answer = Job.objects.filter(pk=self.job_id, cancel_requested=True).exists()
            self._cancel_checked = (now, answer)
        return answer


def end_job(job_id: int, status: str, message: str = "", error: str = "") -> None:
    """Record how a job ended; the job kind's ``stopped`` hook runs for every end but success."""
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("project").filter(pk=job_id).first()
        if job is None:  # deleted with its project while it ran
            log.info("job %s no longer exists; its end (%s) is not recorded", job_id, status)
            return
        job.status, job.error, job.finished_at = status, error, timezone.now()
        job.message = message or job.message
        if status == JobStatus.SUCCEEDED:
            job.progress = 1.0
        job.save(update_fields=["status", "error", "finished_at", "message", "progress"])
        if status != JobStatus.SUCCEEDED:
            job_kind(job.kind).stopped(job)


def run(job_id: int, work: Callable[[Job, Progress], str], cancelled: type[BaseException]) -> None:
    """Claim job ``job_id``, run ``work(job, progress)`` and record the outcome; ``work`` returns the final
    message and raises ``cancelled`` when it noticed a cancel request."""
    job = claim(job_id)
    if job is None:
        log.info("job %s was cancelled or taken before it started", job_id)
        return
    progress = Progress(job_id, message=job_kind(job.kind).label)
    try:
        message = work(job, progress)
    except (cancelled, JobObsolete) as exc:
        end_job(job_id, JobStatus.CANCELLED, message=str(exc) or "Cancelled.")
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, job.kind)
        end_job(job_id, JobStatus.FAILED, error=str(exc) or exc.__class__.__name__)
    else:
        end_job(job_id, JobStatus.SUCCEEDED, message=message)


def fail_stale_jobs(project_id: int | None = None) -> int:
    """Mark running jobs as failed whose worker process is gone from this machine, or that gave no sign of life
    for longer than ``stale_after()``; returns how many.

    They are failed rather than retried: a job that got its worker killed (for using too much memory, say) would
    most likely kill the next one too, so the user decides, with Retry.
    """
    limit = stale_after()
    running = Job.objects.filter(status=JobStatus.RUNNING)
    if project_id is not None:
        running = running.filter(project_id=project_id)
    stale = set(
        running.annotate(last_sign=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(last_sign__lt=timezone.now() - limit)
        .values_list("pk", flat=True)
    )
    minutes = max(1, round(limit.total_seconds() / 60))
    failed = 0
    for job_id, worker, progress in running.values_list("pk", "worker", "progress"):
        if job_id in stale:
            reason = f"no sign of life for {minutes} min"
        elif workers.is_gone(worker):
            reason = "it was killed or crashed"
        else:
            continue
        end_job(
            job_id,
            JobStatus.FAILED,
            error=f"The worker stopped while this job was running "
            f"(at {round(progress * 100)} %; {reason}). Retry the job.",
        )
        failed += 1
    return failed


def cancel(job: Job) -> Job:
    """Cancel a queued job at once, or ask a running one to stop (it ends as cancelled shortly after)."""
    if job.finished:
        raise JobError(f"Job {job.pk} has already ended ({job.status}); there is nothing to cancel.")
    Job.objects.filter(pk=job.pk).update(cancel_requested=True, message="Cancelling…")
    if Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).exists():
        end_job(job.pk, JobStatus.CANCELLED, message="Cancelled before it started.")
    job.refresh_from_db()
    return job


def retry(job: Job, user) -> Job:
    """A new job with the same kind and options as the failed or cancelled ``job``, queued now."""
    if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise JobError(f"Only failed or cancelled jobs can be retried; job {job.pk} is {job.status}.")
    active = Job.objects.filter(project=job.project, kind=job.kind).filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING)
    )
    if active.exists():
        raise JobError(f"A {job.kind} job is already queued or running for this project.")
    with transaction.atomic():
        job_kind(job.kind).before_retry(job)
        new_job = Job.objects.create(
            project=job.project,
            created_by=user if user.is_authenticated else None,
            kind=job.kind,
            options=job.options,
            message=WAITING,
        )
        enqueue(new_job)
    return new_job
