"""API routes of a project's background jobs (of every kind): list them, poll one, cancel it, retry it.

Access always goes through the job's project with ``project_for``: no access gives 404, viewers get 403
on cancel and retry.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from kslars.web.api_errors import ERRORS
from kslars.web.jobs import services
from kslars.web.jobs.models import Job
from kslars.web.jobs.schemas import JobOut
from kslars.web.projects.access import Access, project_for

router = Router(tags=["jobs"])


def job_for(request: HttpRequest, job_id: int, need: Access = Access.VIEW) -> Job:
    """The job ``job_id`` if the caller has ``need`` access to its project (404 / 403 otherwise)."""
    project_id = Job.objects.filter(pk=job_id).values_list("project_id", flat=True).first()
    if project_id is None:
        raise Http404("No such job")
    project_for(request, project_id, need)
    return Job.objects.get(pk=job_id)


@router.get("/projects/{int:project_id}/jobs", response={200: list[JobOut], **ERRORS})
def list_jobs(request: HttpRequest, project_id: int):
    """The project's jobs, newest first (jobs whose worker was lost are marked failed first)."""
    project, _ = project_for(request, project_id, Access.VIEW)
    services.fail_stale_jobs(project.pk)
    return list(project.jobs.order_by("-created_at", "-pk"))


@router.get("/jobs/{int:job_id}", response={200: JobOut, **ERRORS})
def get_job(request: HttpRequest, job_id: int):
    """One job, for polling its progress."""
    job = job_for(request, job_id)
    if services.fail_stale_jobs(job.project_id):
        job.refresh_from_db()
    return job


@router.post("/jobs/{int:job_id}/cancel", response={200: JobOut, **ERRORS})
def cancel_job(request: HttpRequest, job_id: int):
    """Cancel a queued job, or ask a running one to stop (editors and the owner)."""
    job = job_for(request, job_id, Access.EDIT)
    try:
        return services.cancel(job)
    except services.JobError as exc:
        raise HttpError(400, str(exc)) from None


@router.post("/jobs/{int:job_id}/retry", response={201: JobOut, **ERRORS})
def retry_job(request: HttpRequest, job_id: int):
    """Run a failed or cancelled job again as a new job (editors and the owner)."""
    job = job_for(request, job_id, Access.EDIT)
    try:
        return Status(201, services.retry(job, request.user))
    except services.JobError as exc:
        raise HttpError(400, str(exc)) from None
