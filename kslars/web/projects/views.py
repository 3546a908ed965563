"""Pages of the projects app: the project list, renaming, deleting, the sharing page and Help.

Each page resolves its project through ``project_for``: no access gives 404, too little access 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kslars.web.projects import services
from kslars.web.projects.access import Access, AccessDenied, project_for
from kslars.web.projects.models import Role
from kslars.web.projects.paths import editor_path, link_url


def with_project(need: Access):
    """Decorator: log in first, then pass ``project`` and ``level`` (404 without access, 403 with too little)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, project_id: int, *args, **kwargs) -> HttpResponse:
            try:
                project, level = project_for(request, project_id, need)
            except AccessDenied as exc:
                raise PermissionDenied(str(exc)) from None
            return view(request, project, level, *args, **kwargs)

        return wrapper

    return decorate


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """The user's projects as cards: thumbnail, duration, last change, role; a form for a new one."""
    cards = [
        {"project": p, "role": services.role_name(level), "video": getattr(p, "video", None)}
        for p, level in services.user_projects(request.user)
    ]
    return render(request, "projects/list.html", {"cards": cards})


@login_required
@require_POST
def project_create(request: HttpRequest) -> HttpResponse:
    """Create a project and open it in the editor, which offers to upload its video."""
    try:
        project = services.create_project(request.user, request.POST.get("name", ""))
    except services.ProjectError as exc:
        messages.error(request, str(exc))
        return redirect("project-list")
    return redirect(editor_path(project))


@with_project(Access.EDIT)
@require_POST
def project_rename(request: HttpRequest, project, level) -> HttpResponse:
    """Rename a project (editors and the owner) and go back to the list."""
    try:
        services.rename_project(project, request.POST.get("name", ""))
    except services.ProjectError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Renamed to “%(name)s”.") % {"name": project.name})
    return redirect("project-list")


@with_project(Access.OWN)
@require_http_methods(["GET", "POST"])
def project_delete(request: HttpRequest, project, level) -> HttpResponse:
    """Ask for confirmation (GET), then delete the project with its video and annotations (POST)."""
    if request.method == "POST":
        name = project.name
        services.delete_project(project)
        messages.success(request, _("Deleted “%(name)s”.") % {"name": name})
        return redirect("project-list")
    return render(request, "projects/delete.html", {"project": project})


SHARE_ACTIONS = ("add", "role", "revoke", "link", "unlink")


@with_project(Access.OWN)
@require_http_methods(["GET", "POST"])
def project_share(request: HttpRequest, project, level) -> HttpResponse:
    """The sharing page: users and their roles, read-only links. Each form posts an ``action`` back here."""
    if request.method == "POST":
        run_share_action(request, project)
        return redirect("project-share", project_id=project.pk)
    shares = project.shares.select_related("user").order_by("user__username")
    links = [{"link": link, "url": link_url(request, link)} for link in services.active_links(project)]
    return render(
        request,
        "projects/share.html",
        {"project": project, "shares": shares, "links": links, "roles": Role.choices},
    )


def run_share_action(request: HttpRequest, project) -> None:
    """Carry out one sharing form's action and leave a message saying what happened."""
    action = request.POST.get("action")
    if action not in SHARE_ACTIONS:
        messages.error(request, _("Unknown action."))
        return
    try:
        if action == "add":
            share = services.share_project(project, request.POST.get("username", ""), request.POST.get("role", ""))
            messages.success(request, _("Shared with %(name)s as %(role)s.") % share_names(share))
        elif action == "role":
            share = get_object_or_404(project.shares.select_related("user"), pk=posted_id(request, "share_id"))
            services.change_role(share, request.POST.get("role", ""))
            messages.success(request, _("%(name)s is now %(role)s.") % share_names(share))
        elif action == "revoke":
            share = get_object_or_404(project.shares.select_related("user"), pk=posted_id(request, "share_id"))
            share.delete()
            messages.success(request, _("%(name)s no longer has access.") % {"name": share.user.username})
        elif action == "link":
            services.create_link(project)
            messages.success(request, _("New read-only link created."))
        else:
            services.revoke_link(get_object_or_404(services.active_links(project), pk=posted_id(request, "link_id")))
            messages.success(request, _("The link was revoked: it no longer opens the project."))
    except services.ProjectError as exc:
        messages.error(request, str(exc))


def share_names(share) -> dict[str, str]:
    """The user name and the translated role of ``share``, for messages."""
    return {"name": share.user.username, "role": share.get_role_display()}


def posted_id(request: HttpRequest, field: str) -> int:
    """The integer id posted in ``field``; 404 when it is missing or not a number."""
    value = request.POST.get(field, "")
    if not value.isdigit():
        raise Http404(f"no {field} given")
    return int(value)


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    """What every part of SLAN does, and every keyboard shortcut of the editor."""
    return render(request, "help.html")
