"""The "annotate" job: run the automatic annotation engine on a project's video and add its tiers.

The worker copies the original video to this machine when storage is remote, reuses the project's stored
landmarks (a .pose file kept with the video) or extracts them and stores them for later runs, runs
``kslars.engine.pipeline.annotate_video`` with progress and cancellation wired to the Job row, and writes the
result with ``kslars.web.annotation.auto.write_result`` in one transaction. Any failure before or during
that transaction leaves the project's document as it was.
"""

from __future__ import annotations

import logging
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from django.core.files import File
from django.db import transaction

from kslars.web.annotation.auto import EXISTING_CHOICES, NEW_VERSION, write_result
from kslars.web.jobs import services as jobs
from kslars.web.jobs.models import Job, JobStatus
from kslars.web.projects.models import Project, Video
from kslars.web.projects.videos import local_copy, project_video

log = logging.getLogger(__name__)

ANNOTATE = "annotate"
LABEL = "Annotating the video automatically"
REPLACED = "The video was replaced since this job was started; process the new video instead."
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
    start, end = data.get("start_ms"), data.get("end_ms")
    if (start is None) != (end is None):
        raise ValueError("Give both start_ms and end_ms to process a segment, or neither for the whole video.")
    if start is not None:
        if start < 0 or end <= start:
            raise ValueError(f"The segment {start}-{end} ms is empty or negative: its end must come after its start.")
        if video.duration_ms and start >= video.duration_ms:
            raise ValueError(f"The segment starts at {start} ms, after the end of the video ({video.duration_ms} ms).")
    return {**options, "hands": hands, "existing": existing, "start_ms": start, "end_ms": end,
            "original": video.original.name}


def start_annotation(project: Project, data: dict[str, Any], user) -> Job:
    """Queue an "annotate" job for ``project``; ValueError when there is no video, the options are wrong or
    another annotation job of the project has not ended yet."""
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)  # one start at a time per project
        video = project_video(project)
        if video is None:
            raise ValueError("This project has no video yet: upload one first.")
        options = annotate_options(data, video)
        active = Job.objects.filter(project=project, kind=ANNOTATE, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        if active.exists():
            raise ValueError("The video is being processed already: wait for that job to end, or cancel it.")
        job = Job.objects.create(project=project, created_by=user if user.is_authenticated else None,
                                 kind=ANNOTATE, options=options, message=jobs.WAITING)
        jobs.enqueue(job)
    return job


def annotate_project(job: Job, progress: jobs.Progress) -> str:
    """The work of an "annotate" job; returns the final message (what was added, kept and replaced)."""
    from kslars.engine.pipeline import AnnotateOptions, annotate_video
    from kslars.vision.landmarks import Cancelled
    from kslars.vision.video import VideoError

    opts = job.options
    video = project_video(job.project)
    if video is None or video.original.name != opts.get("original"):
        raise jobs.JobObsolete(REPLACED)
    options = AnnotateOptions(
        phrases=opts["phrases"], signs=opts["signs"], handshapes=opts["handshapes"],
        orientation=opts["orientation"], nonmanual=opts.get("nonmanual", False),  # jobs queued before it existed
        hands=opts["hands"], start_ms=opts["start_ms"], end_ms=opts["end_ms"],
    )

    def report(fraction: float, message: str) -> None:
        progress.message = f"{LABEL}: {message}"[:500]
        progress(fraction)

    with tempfile.TemporaryDirectory(prefix="kslars-annotate-") as folder:
        with local_copy(video.original) as source, _landmarks_path(video, source, Path(folder)) as (pose_path, stored):
            try:
                result = annotate_video(source, options, landmarks_path=pose_path, progress=report,
                                        should_cancel=progress.should_cancel)
            except VideoError as exc:  # name the user's file, not the server's path
                raise VideoError(str(exc).replace(str(source), video.original_name)) from exc
            finally:
                if not stored and pose_path.exists():
                    keep_landmarks(video, pose_path)
    if progress.should_cancel():
        raise Cancelled()
    summary = write_result(job.project, result, existing=opts["existing"], start_ms=opts["start_ms"],
                           end_ms=opts["end_ms"])
    return summary.message()


@contextmanager
def _landmarks_path(video: Video, source: Path, folder: Path) -> Iterator[tuple[Path, bool]]:
    """(path, stored): the video's stored .pose on this machine, or a path in ``folder`` for a new one. A stored
    file that cannot be read, or that was made for another picture size than ``source`` shows (e.g. before phone
    videos were turned upright), is forgotten and the landmarks are extracted again."""
    from kslars.vision.pose_file import landmarks_fit
    from kslars.vision.video import probe_video

    if video.landmarks:
        info = probe_video(source)
        with local_copy(video.landmarks) as path:
            if landmarks_fit(path, (info.width, info.height)):
                yield path, True
                return
        log.warning("stored landmarks %s are unreadable or made for a picture other than the video's %dx%d; "
                    "extracting them again", video.landmarks.name, info.width, info.height)
        forget_landmarks(video)
    yield folder / "landmarks.pose", False


def keep_landmarks(video: Video, pose_path: Path) -> None:
    """Store the .pose at ``pose_path`` with ``video`` for later runs, unless the video was replaced meanwhile."""
    field = Video._meta.get_field("landmarks")
    with open(pose_path, "rb") as f:
        name = field.storage.save(field.generate_filename(None, Path(video.original.name).stem + ".pose"), File(f))
    with transaction.atomic():
        current = Video.objects.select_for_update().filter(pk=video.pk).first()
        if current is None or current.original.name != video.original.name or current.landmarks:
            transaction.on_commit(lambda: field.storage.delete(name))
            return
        current.landmarks = name
        current.save(update_fields=["landmarks"])


def forget_landmarks(video: Video) -> None:
    """Delete the video's stored .pose (unreadable) so that the next run extracts the landmarks again."""
    name = video.landmarks.name
    Video.objects.filter(pk=video.pk, landmarks=name).update(landmarks="")
    video.landmarks = ""
    Video._meta.get_field("landmarks").storage.delete(name)


def annotation_stopped(job: Job) -> None:
    """An "annotate" job failed or was cancelled: nothing was written, so there is nothing to undo."""


def annotation_retried(job: Job) -> None:
    """Before an "annotate" job is retried: refuse when the video was replaced since it ran."""
    video = project_video(job.project)
    if video is None or video.original.name != job.options.get("original"):
        raise jobs.JobError(REPLACED)
