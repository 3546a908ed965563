"""The JSON shape of a job, for every API route that answers with one."""

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
