"""A project's video: store an upload, convert it for the browser in a job, and describe it for the API.

An upload is probed before anything is stored; the files are written to storage first and the database
row changes in one transaction afterwards, so a failure at any step leaves the previous video as it was.
Replaced files are deleted only once the new row has been committed. Annotations are never touched.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.text import get_valid_filename

from kslars.vision.probe import MediaInfo, VideoError, probe_media
from kslars.vision.thumbnail import video_thumbnail
from kslars.vision.transcode import transcode_to_mp4
from kslars.web.jobs import services as jobs
from kslars.web.jobs.models import Job, JobStatus
from kslars.web.projects.models import Project, Video, VideoStatus

TRANSCODE = "transcode"
REPLACED = "The video was replaced by a new upload."


def project_video(project: Project) -> Video | None:
    """The project's video row, None when nothing was uploaded yet."""
    return Video.objects.filter(project=project).first()


def store_upload(project: Project, upload_path: Path, original_name: str, user) -> tuple[Video, Job | None]:
    """Make the video at ``upload_path`` the project's video; returns it with its conversion job, if any.

    Raises VideoError (nothing stored, the previous video kept) when the file is not a usable video.
    """
    info = probe_media(upload_path)
    thumbnail = video_thumbnail(upload_path, at_ms=min(1000, info.duration_ms // 2))
    name = _safe_name(original_name, info)
    field = Video._meta.get_field("original")
    storage = field.storage
    stored: list[str] = []
    try:
        with open(upload_path, "rb") as f:
            stored.append(storage.save(field.generate_filename(None, name), File(f)))
        thumb_field = Video._meta.get_field("thumbnail")
        stored.append(
            storage.save(thumb_field.generate_filename(None, Path(name).stem + ".jpg"), ContentFile(thumbnail))
        )
        with transaction.atomic():
            video, job = _replace_row(project, info, stored[0], stored[1], original_name, upload_path, user)
    except BaseException:
        for stored_name in stored:
            storage.delete(stored_name)
        raise
    return video, job


def _replace_row(
    project: Project, info: MediaInfo, original: str, thumbnail: str, original_name: str, upload_path: Path, user
) -> tuple[Video, Job | None]:
    video = Video.objects.select_for_update().filter(project=project).first() or Video(project=project)
    old_files = [f.name for f in (video.original, video.playable, video.thumbnail, video.landmarks) if f]
    for running in Job.objects.filter(
        project=project, kind=TRANSCODE, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ):
        Job.objects.filter(pk=running.pk).update(cancel_requested=True)
        if running.status == JobStatus.QUEUED:
            Job.objects.filter(pk=running.pk).update(status=JobStatus.CANCELLED, message=REPLACED)
    video.original, video.playable, video.thumbnail, video.landmarks = original, "", thumbnail, ""
    video.original_name = original_name[:255]
    video.size_bytes = upload_path.stat().st_size
    video.fps, video.duration_ms, video.width, video.height = info.fps, info.duration_ms, info.width, info.height
    video.codec, video.container, video.error = info.codec, info.container, ""
    video.status = VideoStatus.READY if info.browser_playable else VideoStatus.TRANSCODING
    video.save()
    project.count_change()
    job = None
    if not info.browser_playable:
        job = Job.objects.create(
            project=project,
            created_by=user if user.is_authenticated else None,
            kind=TRANSCODE,
            options={"original": original},
            message=jobs.WAITING,
        )
        jobs.enqueue(job)
    storage = video.original.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in old_files])
    return video, job


def _safe_name(original_name: str, info: MediaInfo) -> str:
    """A storage-safe file name that keeps the user's name and a suffix matching the container."""
    stem = get_valid_filename(Path(original_name).stem)[:80] or "video"
    suffix = {"mp4": ".mp4", "mov": ".mov", "webm": ".webm", "matroska": ".mkv", "avi": ".avi"}.get(
        info.container, Path(original_name).suffix.lower()[:10] or ".video"
    )
    return stem + suffix


@contextmanager
def local_copy(field_file: FieldFile) -> Iterator[Path]:
    """A path on this machine holding ``field_file``: the stored file itself, or a temporary download (S3)."""
    try:
        yield Path(field_file.storage.path(field_file.name))
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=Path(field_file.name).suffix) as tmp:
        with field_file.storage.open(field_file.name, "rb") as src:
            shutil.copyfileobj(src, tmp, 1024 * 1024)
        tmp.flush()
        yield Path(tmp.name)


def convert_for_browser(job: Job, progress: jobs.Progress) -> str:
    """The work of a "transcode" job: write an H.264 MP4 copy of the project's video and make it playable."""
    original = job.options.get("original")
    video = project_video(job.project)
    if video is None or video.original.name != original:
        raise jobs.JobObsolete(REPLACED)
    with tempfile.TemporaryDirectory(prefix="kslars-transcode-") as folder:
        target = Path(folder) / (Path(original).stem + ".mp4")
        with local_copy(video.original) as source:
            try:
                transcode_to_mp4(source, target, progress=progress, should_cancel=progress.should_cancel)
            except VideoError as exc:  # name the user's file, not the server's path
                raise VideoError(str(exc).replace(str(source), video.original_name)) from exc
        field = Video._meta.get_field("playable")
        with open(target, "rb") as f:
            playable = field.storage.save(field.generate_filename(None, target.name), File(f))
    try:
        with transaction.atomic():
            video = Video.objects.select_for_update().filter(project=job.project).first()
            if video is None or video.original.name != original:
                raise jobs.JobObsolete(REPLACED)
            old_playable = video.playable.name if video.playable else None
            video.playable, video.status, video.error = playable, VideoStatus.READY, ""
            video.save(update_fields=["playable", "status", "error"])
            job.project.count_change()
            if old_playable:
                transaction.on_commit(lambda: field.storage.delete(old_playable))
    except BaseException:
        field.storage.delete(playable)
        raise
    return "The video is ready to play."


def conversion_stopped(job: Job) -> None:
    """A transcode job failed or was cancelled: the video, if it is still the one the job was for, says why."""
    video = Video.objects.select_for_update().filter(project=job.project).first()
    if video is None or video.original.name != job.options.get("original") or video.status == VideoStatus.READY:
        return
    if job.status == JobStatus.CANCELLED:
        video.status = VideoStatus.UPLOADED
        video.error = "The conversion for the browser was cancelled; retry it to play the video."
    else:
        video.status = VideoStatus.FAILED
        video.error = (
            f"The video could not be converted for the browser: {job.error} "
            "Retry the conversion, or upload the video as an H.264 MP4 file."
        )
    video.save(update_fields=["status", "error"])
    job.project.count_change()


def conversion_retried(job: Job) -> None:
    """Before a transcode job is retried: refuse when the video changed since, else show it as converting."""
    video = Video.objects.select_for_update().filter(project=job.project).first()
    if video is None or video.original.name != job.options.get("original"):
        raise jobs.JobError("The video was replaced since this job ran; there is nothing to retry.")
    if video.status == VideoStatus.READY:
        raise jobs.JobError("The video already plays in the browser; there is nothing to retry.")
    video.status, video.error = VideoStatus.TRANSCODING, ""
    video.save(update_fields=["status", "error"])
    job.project.count_change()


def video_out(video: Video, job: Job | None = None) -> dict:
    """The JSON form of a video (and of its latest conversion job) for the API."""
    project_id = video.project_id
    if job is None:
        job = Job.objects.filter(project_id=project_id, kind=TRANSCODE).order_by("-created_at", "-pk").first()
    return {
        "status": video.status,
        "error": video.error,
        "fps": video.fps,
        "duration_ms": video.duration_ms,
        "width": video.width,
        "height": video.height,
        "codec": video.codec,
        "container": video.container,
        "original_name": video.original_name,
        "size_bytes": video.size_bytes,
        "url": reverse("project-video", args=[project_id]) if video.playable_file() else None,
        "thumbnail_url": reverse("project-thumbnail", args=[project_id]) if video.thumbnail else None,
        "job": job,
    }
