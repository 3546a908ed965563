"""The one Celery task: run a job of any registered kind (registry.py) through ``services.run``."""

from __future__ import annotations

from celery.signals import worker_ready

from kslars.web.celery_app import app
from kslars.web.jobs import services
from kslars.web.jobs.models import Job
from kslars.web.jobs.registry import job_kind


@app.task(name="kslars.run_job", ignore_result=True)
def run_job(job_id: int) -> None:
    """Run job ``job_id`` with its kind's work, progress and cancellation (nothing when the job is gone)."""
    kind = Job.objects.filter(pk=job_id).values_list("kind", flat=True).first()
    if kind is None:
        return
    registered = job_kind(kind)
    services.run(job_id, registered.work, cancelled=registered.cancelled)


@worker_ready.connect
def fail_jobs_of_lost_workers(**_kwargs) -> None:
    """When a worker starts, jobs left running by a worker that was killed are marked failed."""
    services.fail_stale_jobs()
