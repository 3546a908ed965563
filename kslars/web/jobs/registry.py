"""The kinds of jobs there are: each app that runs work in the background registers its kinds here when Django
starts (its AppConfig.ready() calls its ``jobs.py``), so the jobs app needs to know none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kslars.web.jobs.models import Job
    from kslars.web.jobs.services import Progress


def nothing(job: Job) -> None:
    """The hook of a kind that has nothing to do at that moment."""


@dataclass(frozen=True)
class JobKind:
    """What the jobs machinery needs to know about one kind of job."""

    work: Callable[[Job, Progress], str]  # the work on the worker; returns the final message
    cancelled: type[BaseException]  # what ``work`` raises when it noticed a cancel request
    label: str  # shown while the job runs
    stopped: Callable[[Job], None] = nothing  # called in the transaction that marks the job failed or cancelled
    before_retry: Callable[[Job], None] = nothing  # called in the transaction that queues a retry; JobError refuses


_KINDS: dict[str, JobKind] = {}


def register(kind: str, job_kind: JobKind) -> None:
    """Make ``kind`` a kind of job; registering the same kind again replaces it (Django may run ready() twice)."""
    _KINDS[kind] = job_kind


def job_kind(kind: str) -> JobKind:
    """The registered kind ``kind``; KeyError naming the kinds there are for unknown kinds."""
    try:
        return _KINDS[kind]
    except KeyError:
        raise KeyError(f"no job kind {kind!r} is registered; the kinds are {', '.join(sorted(_KINDS))}") from None
