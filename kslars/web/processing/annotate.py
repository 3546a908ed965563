"""The "annotate" job: run the automatic annotation engine on a project's video and add its tiers.

The worker copies the original video to this machine when storage is remote, reuses the project's stored
landmarks (a .pose file kept with the video) or extracts them and stores them for later runs (video_jobs), runs
``kslars.engine.pipeline.annotate_video`` with progress and cancellation wired to the Job row, and writes the
result with ``kslars.web.annotation.auto.write_result`` in one transaction. Any failure before or during
that transaction leaves the project's document as it was.
"""

from __future__ import annotations

from typing import Any

from kslars.web.annotation.auto import EXISTING_CHOICES, NEW_VERSION, write_result
from kslars.web.jobs import services as jobs
from kslars.web.jobs.models import Job
from kslars.web.jobs.video_jobs import (
    current_video,
    reporter,
    start_video_job,
    video_and_landmarks,
    window_options,
)
from kslars.web.projects.models import Project, Video

ANNOTATE = "annotate"
LABEL = "Annotating the video automatically"
WHAT = ("phrases", "signs", "handshapes", "orientation")  # each on unless the request turns it off
OPTIONAL = ("nonmanual",)  # each off unless the request turns it on


def annotate_options(data: dict[str, Any], video: Video) -> dict[str, Any]:
    """The job options for a request to process ``video``; ValueError with a clear message for bad choices."""
    options = {key: bool(data.get(key, True)) for key in WHAT}
    options.update({key: bool(data.get(key, False)) for key in OPTIONAL})
    if not any(options.values()):
        raise ValueError("Choose at least one of phrases, signs, handshapes, orientation and nonmanual.")
    hands = data.get("hands") or "both"
    if hands not in ("both", "right", "left"):
        raise ValueError(f"hands must be both, right or left, not {hands!r}.")
    existing = data.get("existing") or NEW_VERSION
    if existing not in EXISTING_CHOICES:
        raise ValueError(f"existing must be one of {', '.join(EXISTING_CHOICES)}, not {existing!r}.")
    return {**options, "hands": hands, "existing": existing, **window_options(data, video)}


def start_annotation(project: Project, data: dict[str, Any], user) -> Job:
    """Queue an "annotate" job for ``project``; ValueError when there is no video, the options are wrong or
    another annotation job of the project has not ended yet."""
    return start_video_job(
        project,
        ANNOTATE,
        user,
        lambda video: annotate_options(data, video),
        busy="The video is being processed already: wait for that job to end, or cancel it.",
    )


def annotate_project(job: Job, progress: jobs.Progress) -> str:
    """The work of an "annotate" job; returns the final message (what was added, kept and replaced)."""
    from kslars.engine.pipeline import AnnotateOptions, annotate_video
    from kslars.vision.landmarks import Cancelled

    opts = job.options
    video = current_video(job)
    options = AnnotateOptions(
        phrases=opts["phrases"],
        signs=opts["signs"],
        handshapes=opts["handshapes"],
        orientation=opts["orientation"],
        nonmanual=opts.get("nonmanual", False),  # jobs queued before it existed
        hands=opts["hands"],
        start_ms=opts["start_ms"],
        end_ms=opts["end_ms"],
    )

    report = reporter(progress, LABEL)
    with video_and_landmarks(video) as (source, pose_path):
        result = annotate_video(
            source, options, landmarks_path=pose_path, progress=report, should_cancel=progress.should_cancel
        )
    if progress.should_cancel():
        raise Cancelled()
    summary = write_result(
        job.project, result, existing=opts["existing"], start_ms=opts["start_ms"], end_ms=opts["end_ms"]
    )
    return summary.message()
