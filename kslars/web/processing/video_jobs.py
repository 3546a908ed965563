"""What the jobs that work on a project's video share ("annotate", "recognise", "fingerspell"): their kind, starting one on
the current video (one of a kind per project at a time), the time window and result tier name of a request, the
video and its landmarks on the worker's machine (a .pose file kept with the video, extracted once), and refusing
work once the video was replaced."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import transaction

from kslars.web.jobs import services as jobs
from kslars.web.jobs.models import Job, JobBatch, JobStatus
from kslars.web.jobs.registry import JobKind
from kslars.web.projects.models import Project, Video
from kslars.web.projects.videos import local_copy, project_video

if TYPE_CHECKING:
    from kslars.vision.pose_file import Landmarks

log = logging.getLogger(__name__)

REPLACED = "The video was replaced since this job was started; process the new video instead."
MAX_TIER_NAME = 200  # as long as a tier name may be (annotation.models.Tier.name)


def start_video_job(
    project: Project,
    kind: str,
    user,
    options: Callable[[Video], dict[str, Any]],
    busy: str,
    batch: JobBatch | None = None,
) -> Job:
    """Queue a ``kind`` job on the project's video with ``options(video)`` (in ``batch`` when given); ValueError
    when there is no video, the options are wrong or a job of that kind has not ended yet (``busy`` says so)."""
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)  # one start at a time per project
        video = project_video(project)
        if video is None:
            raise ValueError("This project has no video yet: upload one first.")
        chosen = {**options(video), "original": video.original.name}
        if Job.objects.filter(project=project, kind=kind, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
            raise ValueError(busy)
        job = Job.objects.create(
            project=project,
            created_by=user if user.is_authenticated else None,
            kind=kind,
            options=chosen,
            message=jobs.WAITING,
            batch=batch,
        )
        jobs.enqueue(job)
    return job


def window_options(data: dict[str, Any], video: Video) -> dict[str, int | None]:
    """``start_ms`` and ``end_ms`` of a request (both None: the whole video); ValueError for a bad window."""
    start, end = data.get("start_ms"), data.get("end_ms")
    if (start is None) != (end is None):
        raise ValueError("Give both start_ms and end_ms to process a segment, or neither for the whole video.")
    if start is not None:
        if start < 0 or end <= start:
            raise ValueError(f"The segment {start}-{end} ms is empty or negative: its end must come after its start.")
        if video.duration_ms and start >= video.duration_ms:
            raise ValueError(f"The segment starts at {start} ms, after the end of the video ({video.duration_ms} ms).")
    return {"start_ms": start, "end_ms": end}


def tier_option(data: dict[str, Any], default: str, longest: int = MAX_TIER_NAME) -> str:
    """The result tier's name of a request (``default`` when it names none); ValueError when it is too long."""
    tier = (data.get("tier") or default).strip()
    if not tier or len(tier) > longest:
        raise ValueError(f"The tier name must have 1 to {longest} characters.")
    return tier


def job_landmarks(video: Video, progress: jobs.Progress, label: str) -> Landmarks:
    """The landmarks of ``video`` for a job's work, kept with the video or extracted (progress up to 0.85 under
    ``label``); Cancelled when the job was cancelled meanwhile."""
    from kslars.engine.pipeline import video_landmarks
    from kslars.vision.landmarks import Cancelled

    with video_and_landmarks(video) as (source, pose_path):
        landmarks = video_landmarks(
            source, pose_path, progress=reporter(progress, label), should_cancel=progress.should_cancel
        )
    if progress.should_cancel():
        raise Cancelled()
    return landmarks


def current_video(job: Job) -> Video:
    """The video ``job`` was started on; JobObsolete when it was replaced since."""
    video = project_video(job.project)
    if video is None or video.original.name != job.options.get("original"):
        raise jobs.JobObsolete(REPLACED)
    return video


def video_job_kind(work: Callable[[Job, jobs.Progress], str], label: str) -> JobKind:
    """The kind of a job on the project's video: cancelled as the landmark extraction is, refused a retry once the
    video was replaced, and with nothing to undo when it fails (it writes only in its last transaction)."""
    from kslars.vision.landmarks import Cancelled

    return JobKind(work=work, cancelled=Cancelled, label=label, before_retry=refuse_replaced_video)


def refuse_replaced_video(job: Job) -> None:
    """Before a video job is retried: refuse when the video was replaced since it ran."""
    video = project_video(job.project)
    if video is None or video.original.name != job.options.get("original"):
        raise jobs.JobError(REPLACED)


def reporter(progress: jobs.Progress, label: str) -> Callable[[float, str], None]:
    """A ``progress(fraction, message)`` callback for the library that writes into the job's row under ``label``."""

    def report(fraction: float, message: str) -> None:
        progress.message = f"{label}: {message}"[:500]
        progress(fraction)

    return report


@contextmanager
def video_and_landmarks(video: Video) -> Iterator[tuple[Path, Path]]:
    """(video file, .pose path) on this machine. The .pose is the video's stored one, or a path for the work to
    extract the landmarks into; a file made there is kept with the video afterwards, even when the work fails.
    A VideoError names the user's file, not the server's path."""
    from kslars.vision.video import VideoError

    with tempfile.TemporaryDirectory(prefix="kslars-video-job-") as folder:
        with local_copy(video.original) as source, _landmarks_path(video, source, Path(folder)) as (pose_path, stored):
            try:
                yield source, pose_path
            except VideoError as exc:
                raise VideoError(str(exc).replace(str(source), video.original_name)) from exc
            finally:
                if not stored and pose_path.exists():
                    keep_landmarks(video, pose_path)


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
        log.warning(
            "stored landmarks %s are unreadable or made for a picture other than the video's %dx%d; "
            "extracting them again",
            video.landmarks.name,
            info.width,
            info.height,
        )
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
