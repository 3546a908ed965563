"""Addresses of a project's pages that the project list, sharing page and API hand out."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from kslars.web.projects.models import Project, ShareLink


def editor_path(project: Project) -> str:
    """The editor page of ``project``."""
    return reverse("editor", args=[project.pk])


def thumbnail_url(project: Project) -> str:
    """The thumbnail image of ``project``'s video."""
    return reverse("project-thumbnail", args=[project.pk])


def link_url(request: HttpRequest, link: ShareLink) -> str:
    """The full URL of a read-only link, ready to copy and send."""
    return request.build_absolute_uri(reverse("shared-editor", args=[link.token]))
