"""JSON shapes of the projects API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema

from kslars.web.jobs.schemas import JobOut


class VideoSummary(Schema):
    """What the project list needs to know about a project's video."""

    status: str
    duration_ms: int
    fps: float
    width: int
    height: int
    codec: str
    thumbnail_url: str | None


class ProjectOut(Schema):
    """A project as the caller sees it, with the caller's role."""

    id: int
    name: str
    role: Literal["owner", "editor", "viewer"]
    owner: str
    created_at: datetime
    updated_at: datetime
    video: VideoSummary | None


class ProjectCreate(Schema):
    """A new project: only its name."""

    name: str


class ProjectRename(Schema):
    """A project's new name."""

    name: str


class ShareOut(Schema):
    """A user the project is shared with."""

    id: int
    username: str
    role: Literal["viewer", "editor"]


class ShareCreate(Schema):
    """Share with a user, by username."""

    username: str
    role: Literal["viewer", "editor"] = "viewer"


class ShareUpdate(Schema):
    """A shared user's new role."""

    role: Literal["viewer", "editor"]


class LinkOut(Schema):
    """A read-only link: the full URL to hand out."""

    id: int
    token: str
    url: str
    created_at: datetime


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
