"""The "recognise" job: recognise the glosses signed in a project's video (or a window of it) with a checkpoint
from the recognition models folder, and write them as a gloss tier.

Landmarks come from the .pose file kept with the video, or are extracted and kept as the "annotate" job does
(video_jobs). The glosses are written with ``results.write_result`` in one transaction,
replacing only this tier's untouched predictions inside the window; each annotation names its checkpoint.
A failure anywhere before that transaction (an unreadable checkpoint, a video without a signer) leaves the
project's document as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from kslars.proposals import REPLACE_PREDICTIONS
from kslars.recognition.catalogue import CheckpointInfo, checkpoint_path, list_checkpoints
from kslars.recognition.gloss_tier import GLOSS_TIER
from kslars.web.jobs import services as jobs
from kslars.web.jobs.models import Job
from kslars.web.processing.results import write_result
from kslars.web.processing.video_jobs import (
    current_video,
    job_landmarks,
    reporter,
    start_video_job,
    tier_option,
    window_options,
)
from kslars.web.projects.models import Project, Video

RECOGNISE = "recognise"
LABEL = "Recognising glosses"


def models_folder() -> Path:
    """The folder of recognition checkpoints (setting KSLARS_RECOGNITION_MODELS)."""
    return Path(settings.KSLARS_RECOGNITION_MODELS)


def available_checkpoints() -> list[CheckpointInfo]:
    """The checkpoints of the models folder, readable or not, by name."""
    return list_checkpoints(models_folder())


def recognise_options(data: dict[str, Any], video: Video) -> dict[str, Any]:
    """The job options for a request to recognise glosses in ``video``; ValueError with a clear message for a
    checkpoint that is not in the models folder, a bad window or tier name."""
    checkpoint_path(models_folder(), data.get("checkpoint"))  # CheckpointNameError is a ValueError
    return {"checkpoint": data["checkpoint"], "tier": tier_option(data, GLOSS_TIER), **window_options(data, video)}


def start_recognition(project: Project, data: dict[str, Any], user) -> Job:
    """Queue a "recognise" job for ``project``; ValueError when there is no video, the checkpoint or window is
    wrong or glosses are being recognised in the project already."""
    return start_video_job(
        project,
        RECOGNISE,
        user,
        lambda video: recognise_options(data, video),
        busy="Glosses are being recognised already: wait for that job to end, or cancel it.",
    )


def recognise_project(job: Job, progress: jobs.Progress) -> str:
    """The work of a "recognise" job; returns the final message (what was added, kept and replaced)."""
    from kslars.recognition.checkpoint import load_recognizer
    from kslars.recognition.gloss_tier import gloss_document, recognise_window
    from kslars.vision.landmarks import Cancelled

    opts = job.options
    video = current_video(job)
    name = opts["checkpoint"]
    try:
        recognizer = load_recognizer(checkpoint_path(models_folder(), name), device="cpu")
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise ValueError(
            f"The checkpoint {name!r} cannot be used: it is not a K-SLARS recognition checkpoint "
            f"(make one with `kslars cslr train`)."
        ) from exc

    landmarks = job_landmarks(video, progress, LABEL)
    reporter(progress, LABEL)(0.9, "recognising")
    glosses = recognise_window(recognizer, landmarks, opts["start_ms"], opts["end_ms"])
    if progress.should_cancel():
        raise Cancelled()
    summary = write_result(
        job.project,
        gloss_document(glosses, name, opts["tier"]),
        existing=REPLACE_PREDICTIONS,
        start_ms=opts["start_ms"],
        end_ms=opts["end_ms"],
    )
    text = summary.message()
    return text if glosses else f"No glosses were recognised in the chosen part of the video. {text}"
