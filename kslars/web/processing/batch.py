"""Process video on many projects at once: a batch is a JobBatch row and one ordinary "annotate" job per project.

Each job is queued, run by any worker and written into its project exactly as a single Process video is
(annotate.py, results.py: one transaction under the project's lock, one undo step, annotators' edits kept), so two
workers may run two videos of a batch at once. A video that fails ends its own job only. Resuming queues a new job
for each project whose last job of the batch failed or was cancelled (a killed worker's job is failed by the jobs
app) and leaves the projects whose video was processed alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404

from kslars.web.jobs import services as jobs
from kslars.web.jobs.models import Job, JobBatch, JobStatus
from kslars.web.processing.annotate import ANNOTATE, start_annotation
from kslars.web.projects.access import Access, AccessDenied, access_level
from kslars.web.projects.models import Project

MAX_PROJECTS = 1000
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
AGAIN = (JobStatus.FAILED, JobStatus.CANCELLED)


class BatchError(ValueError):
    """A batch request that cannot be done; the message says why (nothing was queued)."""


@dataclass(frozen=True)
class BatchItem:
    """One project of a batch and its latest job in the batch (None before any was queued)."""

    project: Project
    job: Job | None

    @property
    def status(self) -> str:
        """The item's status: its job's, or "queued" while it has none."""
        return self.job.status if self.job is not None else JobStatus.QUEUED

    @property
    def progress(self) -> float:
        """0..1; an ended item counts as complete for the batch's progress."""
        if self.job is None:
            return 0.0
        return 1.0 if self.job.finished else self.job.progress


def batch_for(batch_id: int, user, share_token: str | None, need: Access = Access.VIEW) -> tuple[JobBatch, dict]:
    """The batch and the caller's access to each of its projects ({project: Access}). As for a project
    (projects.access): 404 when the caller has no access to any of its projects, AccessDenied when they need
    ``need`` and have it on none."""
    batch = JobBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise Http404("No such batch")
    levels = {p: access_level(p, user, share_token) for p in batch.projects.all()}
    best = max(levels.values(), default=Access.NONE)
    if best == Access.NONE:
        raise Http404("No such batch")
    if best < need:
        raise AccessDenied(f"this needs {need.name.lower()} access to a project of the batch")
    return batch, levels


def start_batch(user, projects: list[Project], options: dict) -> JobBatch:
    """Queue an "annotate" job with ``options`` for each of ``projects`` (which the caller may edit), all or none:
    BatchError naming the project when one has no video, is being processed already or the options are wrong."""
    if not projects:
        raise BatchError("Choose at least one project to process.")
    if len(projects) > MAX_PROJECTS:
        raise BatchError(f"A batch may hold at most {MAX_PROJECTS} projects; {len(projects)} were chosen.")
    with transaction.atomic():
        batch = JobBatch.objects.create(created_by=user, kind=ANNOTATE, options=options)
        batch.projects.set(projects)
        for project in projects:
            _start(batch, project, user)
    return batch


def resume_batch(batch: JobBatch, user, editable: Iterable[Project]) -> list[Job]:
    """Queue a new job for each of ``editable`` (projects of the batch the caller may edit) whose last job in the
    batch failed or was cancelled; projects done or running are left as they are. A job still queued is sent to the
    workers again, in case the queue lost it (a worker claims a job once, so a second message does nothing).
    Returns the new jobs; BatchError (nothing queued) when one cannot be started."""
    latest = {item.project.pk: item.job for item in batch_items(batch) if item.job is not None}
    mine = [p for p in editable if p.pk in latest]
    with transaction.atomic():
        JobBatch.objects.filter(pk=batch.pk).update(cancel_requested=False)
        for project in mine:
            if latest[project.pk].status == JobStatus.QUEUED:
                jobs.enqueue(latest[project.pk])
        return [_start(batch, p, user) for p in mine if latest[p.pk].status in AGAIN]


def _start(batch: JobBatch, project: Project, user) -> Job:
    try:
        return start_annotation(project, batch.options, user, batch=batch)
    except ValueError as exc:
        raise BatchError(f"“{project.name}”: {exc}") from None


def cancel_batch(batch: JobBatch, editable: Iterable[Project]) -> int:
    """Cancel the queued and running jobs of the batch on ``editable`` projects; returns how many were asked to
    stop (queued ones end at once, running ones shortly after)."""
    JobBatch.objects.filter(pk=batch.pk).update(cancel_requested=True)
    cancelled = 0
    for job in batch.jobs.filter(project__in=list(editable), status__in=ACTIVE, cancel_requested=False):
        try:
            jobs.cancel(job)
        except jobs.JobError:  # it ended meanwhile
            continue
        cancelled += 1
    return cancelled


def batch_items(batch: JobBatch, projects: Iterable[Project] | None = None) -> list[BatchItem]:
    """The batch's projects (those of ``projects`` only, when given) by name, each with its latest job in the
    batch. Running jobs whose worker was lost are marked failed first."""
    chosen = batch.projects.order_by("name", "pk")
    if projects is not None:
        chosen = chosen.filter(pk__in=[p.pk for p in projects])
    for project_id in set(batch.jobs.filter(status=JobStatus.RUNNING).values_list("project_id", flat=True)):
        jobs.fail_stale_jobs(project_id)
    latest: dict[int, Job] = {}
    for job in batch.jobs.order_by("project_id", "-created_at", "-pk"):
        latest.setdefault(job.project_id, job)
    return [BatchItem(project=p, job=latest.get(p.pk)) for p in chosen]


def batch_status(batch: JobBatch, items: list[BatchItem]) -> str:
    """The batch's status: "running" or "queued" while a job is, then "succeeded" when every video was
    processed, "cancelled" when it was cancelled, "failed" when some video failed."""
    statuses = {item.status for item in items}
    for active in (JobStatus.RUNNING, JobStatus.QUEUED):
        if active in statuses:
            return active
    if statuses <= {JobStatus.SUCCEEDED}:
        return JobStatus.SUCCEEDED
    if batch.cancel_requested or JobStatus.FAILED not in statuses:
        return JobStatus.CANCELLED
    return JobStatus.FAILED
