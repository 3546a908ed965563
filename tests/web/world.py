"""The world of the access tests: a project with one of everything, its owner, a viewer, a user without access and
read-only links (the ``world`` fixture of tests/web/conftest.py makes it), and how to fill each route's path
parameters from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from kslars.krsl import default_document
from kslars.web.annotation import models as am
from kslars.web.annotation.store import add_to_project
from kslars.web.jobs.models import Job, JobBatch
from kslars.web.projects.models import Project, Role, Share, ShareLink, Video, VideoStatus

SECRET_NAME = "Secret project 7f3a"


@dataclass
class World:
    """A project with one of everything, its owner, a viewer, a user without access and a read-only link."""

    owner: object
    viewer: object
    stranger: object
    project: Project
    tier: am.Tier
    tier_type: am.TierType
    vocabulary: am.Vocabulary
    share: Share
    link: ShareLink
    revoked_link: ShareLink
    job: Job
    batch: JobBatch


# How to fill each path parameter, from the fixtures. A new route with a new parameter name needs a row here.
PATH_VALUES: dict[str, Callable[[World], object]] = {
    "project_id": lambda w: w.project.pk,
    "tier_id": lambda w: w.tier.pk,
    "type_id": lambda w: w.tier_type.pk,
    "vocabulary_id": lambda w: w.vocabulary.pk,
    "ann_id": lambda w: "a1",
    "share_id": lambda w: w.share.pk,
    "link_id": lambda w: w.link.pk,
    "job_id": lambda w: w.job.pk,
    "batch_id": lambda w: w.batch.pk,
    "token": lambda w: w.link.token,
    "at_ms": lambda w: 0,
}


def make_world() -> World:
    """Create the world in the test database."""
    users = get_user_model().objects
    owner, viewer, stranger = (users.create_user(n, password="a-long-pass-1") for n in ("olzhas", "bota", "max"))
    project = Project.objects.create(owner=owner, name=SECRET_NAME)
    add_to_project(project, default_document())
    gloss = project.tiers.get(name="Gloss")
    am.Annotation.objects.create(project=project, tier=gloss, key="a1", value="СӘЛЕМ", start_ms=0, end_ms=500)
    original = default_storage.save("videos/original/permissions.mp4", ContentFile(b"\x00" * 64))
    thumbnail = default_storage.save("videos/thumbnails/permissions.jpg", ContentFile(b"\xff\xd8\xff\xd9"))
    Video.objects.create(
        project=project,
        original=original,
        thumbnail=thumbnail,
        original_name="greeting.mp4",
        status=VideoStatus.READY,
        duration_ms=1000,
        fps=25,
        width=64,
        height=48,
    )
    batch = JobBatch.objects.create(created_by=owner, kind="annotate", options={"phrases": True})
    batch.projects.add(project)
    Job.objects.create(project=project, created_by=owner, kind="annotate", status="failed", error="x", batch=batch)
    return World(
        owner=owner,
        viewer=viewer,
        stranger=stranger,
        project=project,
        tier=gloss,
        tier_type=project.tier_types.get(name="handshape"),
        vocabulary=project.vocabularies.get(),
        share=Share.objects.create(project=project, user=viewer, role=Role.VIEWER),
        link=ShareLink.objects.create(project=project),
        revoked_link=ShareLink.objects.create(project=project, revoked_at=timezone.now()),
        job=Job.objects.create(project=project, created_by=owner, kind="transcode", status="failed", error="x"),
        batch=batch,
    )
