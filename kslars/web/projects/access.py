"""Who may do what with a project. Every page and API route goes through ``project_for``."""

from __future__ import annotations

from enum import IntEnum

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from kslars.web.projects.models import Project, Role, ShareLink


class Access(IntEnum):
    """Levels of access, each including the ones below it."""

    NONE = 0
    VIEW = 1
    EDIT = 2
    OWN = 3


class AccessDenied(Exception):
    """The user can see the project but may not do this (HTTP 403)."""


def visible_projects(user) -> QuerySet[Project]:
    """Projects ``user`` owns or that are shared with them."""
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(Q(owner=user) | Q(shares__user=user)).distinct()


def access_level(project: Project, user, share_token: str | None = None) -> Access:
    """The access ``user`` (or the holder of ``share_token``) has to ``project``."""
    if user.is_authenticated:
        if project.owner_id == user.id:
            return Access.OWN
        share = project.shares.filter(user=user).first()
        if share is not None:
            return Access.EDIT if share.role == Role.EDITOR else Access.VIEW
    if share_token and ShareLink.objects.filter(project=project, token=share_token, revoked_at__isnull=True).exists():
        return Access.VIEW
    return Access.NONE


def share_token_of(request: HttpRequest) -> str | None:
    """The read-only link token a request carries (header X-Share-Token, or the ?share= query parameter)."""
    return request.headers.get("X-Share-Token") or request.GET.get("share") or None


def project_for(request: HttpRequest, project_id: int, need: Access = Access.VIEW) -> tuple[Project, Access]:
    """The project and the caller's access to it.

    Raises Http404 when the caller has no access at all (ids of other users' projects look like missing
    ones) and AccessDenied when the caller can see the project but needs more than ``need``.
    """
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project")
    level = access_level(project, request.user, share_token_of(request))
    if level == Access.NONE:
        raise Http404("No such project")
    if level < need:
        raise AccessDenied(f"this needs {need.name.lower()} access to the project")
    return project, level
