"""The job kinds of the projects app: "transcode", the conversion of an uploaded video for the browser."""

from __future__ import annotations

from kslars.vision.transcode import TranscodeCancelled
from kslars.web.jobs.registry import JobKind, register
from kslars.web.projects import videos
from kslars.web.projects.videos import TRANSCODE


def register_job_kinds() -> None:
    """Tell the jobs app how to run, stop and retry a video conversion."""
    register(
        TRANSCODE,
        JobKind(
            work=videos.convert_for_browser,
            cancelled=TranscodeCancelled,
            label="Converting the video for the browser",
            stopped=videos.conversion_stopped,
            before_retry=videos.conversion_retried,
        ),
    )
