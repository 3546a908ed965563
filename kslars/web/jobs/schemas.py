"""JSON shapes of the jobs API and of project videos."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class JobOut(Schema):
    """A background job and how far it got; poll GET /api/jobs/{id} for progress."""

    id: int
    project_id: int
    kind: str
    status: str  # queued, running, succeeded, failed, cancelled
    progress: float  # 0..1
    message: str
    error: str
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class VideoOut(Schema):
    """A project's video: probed properties, where to play it, and its conversion job (if it needs one)."""

    status: str  # uploaded, transcoding, ready, failed
    error: str
    fps: float
    duration_ms: int
    width: int
    height: int
    codec: str
    container: str
    original_name: str
    size_bytes: int
    url: str | None  # null until the video plays in the browser
    thumbnail_url: str | None
    job: JobOut | None
