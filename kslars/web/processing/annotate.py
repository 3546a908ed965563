"""The "annotate" job: run the automatic annotation engine on a project's video and add its tiers.

The worker copies the original video to this machine when storage is remote, reuses the project's stored
landmarks (a .pose file kept with the video) or extracts them and stores them for later runs (video_jobs), runs
``kslars.engine.pipeline.annotate_video`` with progress and cancellation wired to the Job row, and writes the
result with ``kslars.web.processing.results.write_result`` in one transaction. Any failure before or during
that transaction leaves the project's document as it was.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kslars.engine.pipeline import AnnotateOptions
from kslars.proposals import NEW_VERSION, check_existing
from kslars.web.jobs import services as jobs
from kslars.web.jobs.models import Job, JobBatch
from kslars.web.processing.results import write_result
from kslars.web.processing.video_jobs import (
    current_video,
    reporter,
    start_video_job,
    video_and_landmarks,
    window_options,
)
from kslars.web.projects.models import Project, Video

ANNOTATE = "annotate"
LABEL = "Annotating the video automatically"


def annotate_options(data: dict[str, Any], video: Video) -> dict[str, Any]:
    """The job options for a request to process ``video``: the engine's options (``AnnotateOptions``, whose
    checks apply), how to treat existing tiers and the window; ValueError with a clear message for bad choices."""
    options = AnnotateOptions.from_dict(data, **window_options(data, video))
    return {**options.as_dict(), "existing": check_existing(data.get("existing") or NEW_VERSION)}


def start_annotation(project: Project, data: dict[str, Any], user, batch: JobBatch | None = None) -> Job:
    """Queue an "annotate" job for ``project`` (in ``batch`` when given); ValueError when there is no video, the
    options are wrong or another annotation job of the project has not ended yet."""
    return start_video_job(
        project,
        ANNOTATE,
        user,
        lambda video: annotate_options(data, video),
        busy="The video is being processed already: wait for that job to end, or cancel it.",
        batch=batch,
    )


def annotate_project(job: Job, progress: jobs.Progress) -> str:
    """The work of an "annotate" job; returns the final message (what was added, kept and replaced)."""
    from kslars.engine.pipeline import annotate_video
    from kslars.vision.landmarks import Cancelled
    from kslars.web.learning.learn import HANDSHAPE, project_weights

    options = AnnotateOptions.from_dict(job.options)
    video = current_video(job)
    report = reporter(progress, LABEL)
    with (
        project_weights(job.project) as weights,
        project_weights(job.project, HANDSHAPE) as handshapes,
        video_and_landmarks(video) as (source, pose_path),
    ):
        if weights is not None:  # the project's own models ("Improve from my corrections")
            options = dataclasses.replace(options, segmentation_weights=str(weights))
        if handshapes is not None and options.handshapes:
            options = dataclasses.replace(options, handshape_weights=str(handshapes))
        result = annotate_video(
            source, options, landmarks_path=pose_path, progress=report, should_cancel=progress.should_cancel
        )
    if progress.should_cancel():
        raise Cancelled()
    summary = write_result(job.project, result, job.options["existing"], options.start_ms, options.end_ms)
    own = [
        text
        for text, used in (
            (" Segmented with the project's own model.", options.segmentation_weights),
            (" Handshapes by the project's own model.", options.handshape_weights),
        )
        if used
    ]
    return summary.message() + "".join(own)
