"""The "fingerspell" job: read the word fingerspelled in a segment of a project's video, and write it as a
Fingerspelling tier (the word over the segment) with a child tier of its letters and their times.

The hand landmarks come from the .pose file kept with the video, or are extracted and kept as the "annotate" job
does (video_jobs); the signing hand is chosen as ``kslars.dictionary.fingerspelling_tier`` says. The result is
written with ``results.write_result`` in one transaction, replacing only this tier's untouched
predictions inside the segment. A failure before that transaction leaves the project's document as it was.
"""

from __future__ import annotations

from typing import Any

from kslars.dictionary.alphabets import get_alphabet
from kslars.dictionary.fingerspelling_tier import FINGERSPELLING_TIER, LETTERS_SUFFIX
from kslars.proposals import REPLACE_PREDICTIONS
from kslars.web.jobs import services as jobs
from kslars.web.jobs.models import Job
from kslars.web.processing.results import write_result
from kslars.web.processing.video_jobs import (
    MAX_TIER_NAME,
    current_video,
    job_landmarks,
    reporter,
    start_video_job,
    tier_option,
    window_options,
)
from kslars.web.projects.models import Project, Video

FINGERSPELL = "fingerspell"
LABEL = "Reading fingerspelling"


def fingerspell_options(data: dict[str, Any], video: Video) -> dict[str, Any]:
    """The job options for a request to read fingerspelling in a segment of ``video``; ValueError with a clear
    message for an unknown alphabet, a missing or bad segment or a bad tier name."""
    get_alphabet(data.get("alphabet"))
    window = window_options(data, video)
    if window["start_ms"] is None:
        raise ValueError("Fingerspelling is read on a segment: give start_ms and end_ms (select an annotation).")
    tier = tier_option(data, FINGERSPELLING_TIER, MAX_TIER_NAME - len(LETTERS_SUFFIX))
    return {"alphabet": data["alphabet"], "tier": tier, **window}


def start_fingerspelling(project: Project, data: dict[str, Any], user) -> Job:
    """Queue a "fingerspell" job for ``project``; ValueError when there is no video, the alphabet, segment or tier
    is wrong or fingerspelling is being read in the project already."""
    return start_video_job(
        project,
        FINGERSPELL,
        user,
        lambda video: fingerspell_options(data, video),
        busy="Fingerspelling is being read already: wait for that job to end, or cancel it.",
    )


def fingerspell_project(job: Job, progress: jobs.Progress) -> str:
    """The work of a "fingerspell" job; returns the final message (the word, what was added, kept, replaced)."""
    from kslars.dictionary.fingerspelling_tier import fingerspelling_document, read_landmarks
    from kslars.engine.pipeline import landmarks_window
    from kslars.vision.landmarks import Cancelled

    opts = job.options
    start, end = opts["start_ms"], opts["end_ms"]
    landmarks = job_landmarks(current_video(job), progress, LABEL)
    reporter(progress, LABEL)(0.9, "reading the letters")
    first, window = landmarks_window(landmarks, start, end)
    spelled, hand = read_landmarks(window, opts["alphabet"], first)
    if progress.should_cancel():
        raise Cancelled()
    result = fingerspelling_document(spelled, opts["alphabet"], start, end, hand, 1000 / landmarks.fps, opts["tier"])
    summary = write_result(job.project, result, existing=REPLACE_PREDICTIONS, start_ms=start, end_ms=end)
    word = result.tier(opts["tier"]).annotations
    if not word:
        return f"No fingerspelled letters were read between {start} and {end} ms. {summary.message()}"
    return f"Read “{word[0].value}” ({word[0].attributes['hand']} hand). {summary.message()}"
