"""The one Celery task: run a job of any registered kind (registry.py) through ``services.run``; the names each kind's
task had before are kept as other names of the same task, so messages queued before an upgrade still run."""

from __future__ import annotations

from celery.signals import worker_ready

from kslars.web.celery_app import app
from kslars.web.jobs import services
from kslars.web.jobs.models import Job
from kslars.web.jobs.registry import job_kind

# One task per kind, under these names, queued the jobs of earlier versions (transcode, annotate, recognise,
# fingerspell); a worker drops a message whose task name it does not know, leaving its job queued for ever.
EARLIER_TASK_NAMES = (
    "kslars.transcode_video",
    "kslars.annotate_video",
    "kslars.recognise_glosses",
    "kslars.read_fingerspelling",
)


def run_any_job(job_id: int) -> None:
    """Run job ``job_id`` with its kind's work, progress and cancellation (nothing when the job is gone)."""
    kind = Job.objects.filter(pk=job_id).values_list("kind", flat=True).first()
    if kind is None:
        return
    registered = job_kind(kind)
    services.run(job_id, registered.work, cancelled=registered.cancelled)


run_job = app.task(name="kslars.run_job", ignore_result=True)(run_any_job)
for _name in EARLIER_TASK_NAMES:  # the job row names its kind, so the message's task name only has to be known
    app.task(name=_name, ignore_result=True)(run_any_job)


@worker_ready.connect
def fail_jobs_of_lost_workers(**_kwargs) -> None:
    """When a worker starts, jobs left running by a worker that was killed are marked failed."""
    services.fail_stale_jobs()
