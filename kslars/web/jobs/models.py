"""Background jobs and their progress, written by the worker and read by the web pages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    """A job's life: queued, running, then one of succeeded, failed or cancelled."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class JobBatch(models.Model):
    """Jobs of one kind started together with one set of options, one job per project (a batch): the jobs are
    ordinary jobs that name their batch; its projects stay listed so that the batch can be resumed."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_batches")
    kind = models.CharField(max_length=50)
    options = models.JSONField(default=dict, blank=True)
    # named, not imported, as the job's project is
    projects = models.ManyToManyField("projects.Project", related_name="job_batches")
    cancel_requested = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Job(models.Model):
    """One background task run for a project: transcoding a video, automatic annotation, ..."""

    # named, not imported: the apps that run jobs depend on this one, never the other way round
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=50)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.FloatField(default=0.0)  # 0..1
    message = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    cancel_requested = models.BooleanField(default=False)
    task_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written by the worker with every progress report; a running job whose heartbeat stops was lost with its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The process that claimed the job (workers.this_process()): a job whose process is gone is failed at once.
    worker = models.CharField(max_length=300, blank=True)
    # The batch the job was started in, if any (a job started on its own has none).
    batch = models.ForeignKey(JobBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")

    class Meta:
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        """Whether the job has ended, one way or another."""
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)
