"""The editor page (/p/<id>/) and its read-only twin for share links (/s/<token>/).

Both render the same template; what the page may do travels to its JavaScript as one JSON script tag.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from kslars.web.projects.access import Access, project_for, share_token_of
from kslars.web.projects.models import Project, ShareLink, Video


@require_safe
@ensure_csrf_cookie
def editor(request: HttpRequest, project_id: int) -> HttpResponse:
    """The annotation editor; read-only for viewers. Logged-out callers without a link are sent to log in."""
    if not request.user.is_authenticated and not share_token_of(request):
        return redirect_to_login(request.get_full_path())
    project, level = project_for(request, project_id, need=Access.VIEW)
    token = share_token_of(request) if level == Access.VIEW else None
    return _render_editor(request, project, can_edit=level >= Access.EDIT, role=_role_name(level), share_token=token)


@require_safe
@ensure_csrf_cookie
def shared_editor(request: HttpRequest, token: str) -> HttpResponse:
    """The read-only editor reached through a share link; works logged out. 404 for unknown or revoked links."""
    link = ShareLink.objects.select_related("project").filter(token=token, revoked_at__isnull=True).first()
    if link is None:
        raise Http404("This link does not exist or has been revoked")
    return _render_editor(request, link.project, can_edit=False, role="link", share_token=link.token)


def _role_name(level: Access) -> str:
    return {Access.OWN: "owner", Access.EDIT: "editor"}.get(level, "viewer")


def _render_editor(
    request: HttpRequest, project: Project, *, can_edit: bool, role: str, share_token: str | None
) -> HttpResponse:
    video = Video.objects.filter(project=project).first()
    config = {
        "projectId": project.id,
        "projectName": project.name,
        "role": role,
        "canEdit": can_edit,
        "shareToken": share_token,
        "apiBase": reverse("api:api-root"),
        "fps": video.fps if video and video.fps else None,
        "videoUrl": reverse("project-video", args=[project.id]) + (f"?share={share_token}" if share_token else ""),
        "helpUrl": reverse("help"),
    }
    context = {
        "project": project,
        "config": config,
        "can_edit": can_edit,
        "max_upload_bytes": settings.KSLARS_MAX_UPLOAD_BYTES,
        "share_url": reverse("project-share", args=[project.id]) if role == "owner" else None,
    }
    return render(request, "editor.html", context)
