"""API routes of the projects app: projects, the users they are shared with, read-only links.

Every route resolves the project through ``project_for``: no access gives 404, too little access 403.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.errors import HttpError

from kslars.web.api_errors import ERRORS
from kslars.web.projects import services
from kslars.web.projects.access import Access, project_for
from kslars.web.projects.models import Project, Share
from kslars.web.projects.paths import link_url, thumbnail_url
from kslars.web.projects.schemas import (
    LinkOut,
    ProjectCreate,
    ProjectOut,
    ProjectRename,
    ShareCreate,
    ShareOut,
    ShareUpdate,
)

router = Router(tags=["projects"])


def project_out(project: Project, level: Access) -> dict:
    """The JSON form of ``project`` for a caller with access ``level``."""
    video = getattr(project, "video", None)
    return {
        "id": project.id,
        "name": project.name,
        "role": services.role_name(level),
        "owner": project.owner.username,
        "created_at": project.created_at,
        "updated_at": project.updated_at,
        "video": None
        if video is None
        else {
            "status": video.status,
            "duration_ms": video.duration_ms,
            "fps": video.fps,
            "width": video.width,
            "height": video.height,
            "codec": video.codec,
            "thumbnail_url": thumbnail_url(project) if video.thumbnail else None,
        },
    }


def share_out(share: Share) -> dict:
    """The JSON form of a share."""
    return {"id": share.id, "username": share.user.username, "role": share.role}


def require_login(request: HttpRequest) -> None:
    """HTTP 401 unless the caller is logged in (read-only links cannot list or create projects)."""
    if not request.user.is_authenticated:
        raise HttpError(401, "Log in first.")


def user_error(exc: services.ProjectError) -> HttpError:
    """A ProjectError as an HTTP 400 carrying its message."""
    return HttpError(400, str(exc))


@router.get("/projects", response={200: list[ProjectOut], **ERRORS})
def list_projects(request: HttpRequest):
    """The projects the caller owns or that are shared with them, most recently changed first."""
    require_login(request)
    return [project_out(p, level) for p, level in services.user_projects(request.user)]


@router.post("/projects", response={201: ProjectOut, **ERRORS})
def create_project(request: HttpRequest, payload: ProjectCreate):
    """A new project with the KRSL default tiers; the caller owns it."""
    require_login(request)
    try:
        project = services.create_project(request.user, payload.name)
    except services.ProjectError as exc:
        raise user_error(exc) from None
    return Status(201, project_out(project, Access.OWN))


@router.get("/projects/{int:project_id}", response={200: ProjectOut, **ERRORS})
def get_project(request: HttpRequest, project_id: int):
    """One project, with the caller's role."""
    project, level = project_for(request, project_id, Access.VIEW)
    return project_out(project, level)


@router.patch("/projects/{int:project_id}", response={200: ProjectOut, **ERRORS})
def rename_project(request: HttpRequest, project_id: int, payload: ProjectRename):
    """Rename a project (editors and the owner)."""
    project, level = project_for(request, project_id, Access.EDIT)
    try:
        services.rename_project(project, payload.name)
    except services.ProjectError as exc:
        raise user_error(exc) from None
    return project_out(project, level)


@router.delete("/projects/{int:project_id}", response={204: None, **ERRORS})
def delete_project(request: HttpRequest, project_id: int):
    """Delete a project with its video and annotations (owner only)."""
    project, _ = project_for(request, project_id, Access.OWN)
    services.delete_project(project)
    return Status(204, None)


@router.get("/projects/{int:project_id}/shares", response={200: list[ShareOut], **ERRORS})
def list_shares(request: HttpRequest, project_id: int):
    """The users the project is shared with (owner only)."""
    project, _ = project_for(request, project_id, Access.OWN)
    return [share_out(s) for s in project.shares.select_related("user").order_by("user__username")]


@router.post("/projects/{int:project_id}/shares", response={201: ShareOut, **ERRORS})
def add_share(request: HttpRequest, project_id: int, payload: ShareCreate):
    """Share the project with a user as viewer or editor (owner only)."""
    project, _ = project_for(request, project_id, Access.OWN)
    try:
        share = services.share_project(project, payload.username, payload.role)
    except services.ProjectError as exc:
        raise user_error(exc) from None
    return Status(201, share_out(share))


@router.patch("/projects/{int:project_id}/shares/{int:share_id}", response={200: ShareOut, **ERRORS})
def change_share(request: HttpRequest, project_id: int, share_id: int, payload: ShareUpdate):
    """Change a shared user's role (owner only)."""
    project, _ = project_for(request, project_id, Access.OWN)
    share = get_object_or_404(Share.objects.select_related("user"), pk=share_id, project=project)
    return share_out(services.change_role(share, payload.role))


@router.delete("/projects/{int:project_id}/shares/{int:share_id}", response={204: None, **ERRORS})
def revoke_share(request: HttpRequest, project_id: int, share_id: int):
    """Stop sharing the project with a user (owner only)."""
    project, _ = project_for(request, project_id, Access.OWN)
    get_object_or_404(Share, pk=share_id, project=project).delete()
    return Status(204, None)


@router.get("/projects/{int:project_id}/links", response={200: list[LinkOut], **ERRORS})
def list_links(request: HttpRequest, project_id: int):
    """The project's read-only links that still work (owner only)."""
    project, _ = project_for(request, project_id, Access.OWN)
    return [link_out(request, link) for link in services.active_links(project)]


@router.post("/projects/{int:project_id}/links", response={201: LinkOut, **ERRORS})
def create_link(request: HttpRequest, project_id: int):
    """A new read-only link anyone can open without an account (owner only)."""
    project, _ = project_for(request, project_id, Access.OWN)
    return Status(201, link_out(request, services.create_link(project)))


@router.delete("/projects/{int:project_id}/links/{int:link_id}", response={204: None, **ERRORS})
def revoke_link(request: HttpRequest, project_id: int, link_id: int):
    """Revoke a read-only link: it stops working at once (owner only)."""
    project, _ = project_for(request, project_id, Access.OWN)
    services.revoke_link(get_object_or_404(services.active_links(project), pk=link_id))
    return Status(204, None)


def link_out(request: HttpRequest, link) -> dict:
    """The JSON form of a read-only link, with its full URL."""
    return {"id": link.id, "token": link.token, "url": link_url(request, link), "created_at": link.created_at}
