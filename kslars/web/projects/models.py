"""Projects, their video and who may see or edit them."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user may do with a project. Owners can do everything, including share and delete."""

    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")


class Project(models.Model):
    """A video and its annotation document."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_projects")
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # touched on every annotation edit too
    # Bumped on every change to the annotation document, so that editors can poll for other people's edits.
    revision = models.BigIntegerField(default=0)
    # Document-level data that has no table of its own (EAF header, languages, locales, licences, ...):
    # the keys of kslars.document.Document.to_dict() other than tiers, tier_types and vocabularies.
    document_meta = models.JSONField(default=dict, blank=True)
    # The interface language the project was made in (en, ru, kk): its default tiers and the tiers automatic
    # annotation adds are named in it. Empty for projects made before it was kept: English.
    language = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name

    def count_change(self, also: Iterable[str] = (), locked: bool = False) -> int:
        """Count one more change that open editors should reload (the annotation document, the name, the video):
        bump ``revision`` and touch ``updated_at`` in one statement that also saves this object's fields ``also``;
        returns the new revision. The one place the revision grows.

        ``locked``: this object was read under the row's lock, held by the caller's transaction
        (kslars.web.annotation.editing.lock_project), so no one else can have changed ``revision`` since: the new
        one is known without reading it back."""
        now = timezone.now()
        fields = {name: getattr(self, name) for name in also}
        Project.objects.filter(pk=self.pk).update(revision=models.F("revision") + 1, updated_at=now, **fields)
        if locked:
            self.revision, self.updated_at = self.revision + 1, now
            return self.revision
        current = Project.objects.filter(pk=self.pk).values_list("revision", flat=True).first()
        self.revision, self.updated_at = (current if current is not None else self.revision + 1), now
        return self.revision


class VideoStatus(models.TextChoices):
    """Where a video is on its way to being playable in the browser."""

    UPLOADED = "uploaded", _("Uploaded")
    TRANSCODING = "transcoding", _("Converting for the browser")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Video(models.Model):
    """The project's video: the original upload, a browser-playable copy when needed, and its probed properties."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="video")
    original = models.FileField(upload_to="videos/original/%Y/%m/", max_length=500)
    playable = models.FileField(upload_to="videos/playable/%Y/%m/", max_length=500, blank=True)
    thumbnail = models.FileField(upload_to="videos/thumbnails/%Y/%m/", max_length=500, blank=True)
    # MediaPipe landmarks of the original (.pose), kept by automatic annotation so that later runs reuse them
    landmarks = models.FileField(upload_to="videos/landmarks/%Y/%m/", max_length=500, blank=True)
    original_name = models.CharField(max_length=255)
    size_bytes = models.BigIntegerField(default=0)
    fps = models.FloatField(default=0)
    duration_ms = models.IntegerField(default=0)
    width = models.IntegerField(default=0)
    height = models.IntegerField(default=0)
    codec = models.CharField(max_length=50, blank=True)
    container = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=20, choices=VideoStatus.choices, default=VideoStatus.UPLOADED)
    error = models.TextField(blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def playable_file(self) -> models.fields.files.FieldFile | None:
        """The file the browser plays: the transcoded copy, or the original when it plays as it is."""
        if self.playable:
            return self.playable
        return self.original if self.status == VideoStatus.READY else None


class Share(models.Model):
    """A project shared with another user as viewer or editor."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="one_share_per_user")]


def new_share_token() -> str:
    """An unguessable token for a read-only link (256 bits)."""
    return secrets.token_urlsafe(32)


class ShareLink(models.Model):
    """A read-only link that lets someone without an account view a project until the owner revokes it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=64, unique=True, default=new_share_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
