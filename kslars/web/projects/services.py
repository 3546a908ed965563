"""What the projects pages and API do: create, rename and delete projects, share them, manage read-only links.

Views call these after ``project_for`` has checked the caller's access; every change is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kslars.web.projects.access import Access, visible_projects
from kslars.web.projects.models import Project, Role, Share, ShareLink

NAME_MAX_LENGTH = Project._meta.get_field("name").max_length
# What fills a new project (its default document), registered by the app that keeps documents (the annotation app,
# from its AppConfig.ready()), so that projects imports no app above it.
_new_project_content: Callable[[Project], None] | None = None


class ProjectError(ValueError):
    """A request the user can correct (empty name, unknown user, ...); the message says what to do."""


def role_name(level: Access) -> str:
    """The role shown to users for an access level: owner, editor or viewer."""
    return {Access.OWN: "owner", Access.EDIT: "editor", Access.VIEW: "viewer"}[level]


def clean_name(name: str) -> str:
    """A project name without surrounding spaces; ProjectError when empty or too long."""
    name = (name or "").strip()
    if not name:
        raise ProjectError(_("A project needs a name."))
    if len(name) > NAME_MAX_LENGTH:
        raise ProjectError(_("A project name can have at most %(max)d characters.") % {"max": NAME_MAX_LENGTH})
    return name


def interface_language() -> str:
    """The language of the current request (en, ru or kk), for a project being made now."""
    code = (translation.get_language() or "en").split("-")[0]
    return code if code in ("ru", "kk") else "en"


def register_new_project_content(fill: Callable[[Project], None]) -> None:
    """Have ``fill`` give each project made by :func:`create_project` its content, in the same transaction;
    registering again replaces it (Django may run ready() twice)."""
    global _new_project_content
    _new_project_content = fill


@transaction.atomic
def create_project(owner, name: str) -> Project:
    """A new project owned by ``owner``, in the language of the request, filled by the registered content (the
    annotation app's default document: kslars.web.annotation.defaults)."""
    if _new_project_content is None:
        raise RuntimeError("no app registered the content of new projects (is kslars.web.annotation installed?)")
    project = Project.objects.create(owner=owner, name=clean_name(name), language=interface_language())
    _new_project_content(project)
    return project


def rename_project(project: Project, name: str) -> Project:
    """Give ``project`` a new name."""
    project.name = clean_name(name)
    project.save(update_fields=["name"])
    project.count_change()
    return project


def delete_project(project: Project) -> None:
    """Delete ``project`` with its document, shares, links and jobs; its video files go once the deletion commits."""
    video = getattr(project, "video", None)  # the reverse one-to-one raises an AttributeError when missing
    files = [f for f in (video.original, video.playable, video.thumbnail) if f] if video else []
    stored = [(f.storage, f.name) for f in files]
    with transaction.atomic():
        project.tiers.all().delete()  # tiers protect their tier types, so they go first
        project.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])


def user_projects(user) -> list[tuple[Project, Access]]:
    """The projects ``user`` may see, most recently changed first, each with the user's access level."""
    projects = visible_projects(user).select_related("owner", "video").order_by("-updated_at")
    shared_roles = dict(Share.objects.filter(user=user).values_list("project_id", "role"))
    result = []
    for project in projects:
        if project.owner_id == user.id:
            level = Access.OWN
        else:
            level = Access.EDIT if shared_roles.get(project.id) == Role.EDITOR else Access.VIEW
        result.append((project, level))
    return result


def share_project(project: Project, username: str, role: str) -> Share:
    """Share ``project`` with the user called ``username`` as ``role`` (viewer or editor)."""
    if role not in Role.values:
        raise ProjectError(_("The role must be viewer or editor."))
    username = (username or "").strip()
    user = get_user_model().objects.filter(username__iexact=username).first() if username else None
    if user is None:
        raise ProjectError(_("There is no user called “%(name)s”.") % {"name": username})
    if user.pk == project.owner_id:
        raise ProjectError(_("%(name)s owns this project already.") % {"name": user.username})
    try:
        with transaction.atomic():
            return Share.objects.create(project=project, user=user, role=role)
    except IntegrityError:
        raise ProjectError(
            _("The project is already shared with %(name)s: change their role instead.") % {"name": user.username}
        ) from None


def change_role(share: Share, role: str) -> Share:
    """Make the shared user a viewer or an editor."""
    if role not in Role.values:
        raise ProjectError(_("The role must be viewer or editor."))
    share.role = role
    share.save(update_fields=["role"])
    return share


def active_links(project: Project) -> QuerySet[ShareLink]:
    """The project's read-only links that still work, oldest first."""
    return project.links.filter(revoked_at__isnull=True).order_by("created_at", "id")


def create_link(project: Project) -> ShareLink:
    """A new read-only link with an unguessable token."""
    return ShareLink.objects.create(project=project)


def revoke_link(link: ShareLink) -> None:
    """Stop ``link`` from working; it is kept, marked with the time it was revoked."""
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
