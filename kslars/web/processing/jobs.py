"""The job kinds of the processing app, registered with the jobs app when Django starts: "annotate" (automatic
annotation), "recognise" (glosses) and "fingerspell" (a fingerspelled word), all three jobs on the video."""

from __future__ import annotations

from kslars.web.jobs.registry import register
from kslars.web.processing import annotate, fingerspell, recognise
from kslars.web.processing.video_jobs import video_job_kind


def register_job_kinds() -> None:
    """Tell the jobs app how to run each kind of job on a project's video."""
    register(annotate.ANNOTATE, video_job_kind(annotate.annotate_project, annotate.LABEL))
    register(recognise.RECOGNISE, video_job_kind(recognise.recognise_project, recognise.LABEL))
    register(fingerspell.FINGERSPELL, video_job_kind(fingerspell.fingerspell_project, fingerspell.LABEL))
