"""A project's own segmentation and handshape models and how well they did on the part of the project they did not
learn from."""

from __future__ import annotations

from django.db import models

from kslars.web.projects.models import Project


class ProjectModel(models.Model):
    """The segmentation weights "Improve from my corrections" made for one project; Process video uses them.
    Deleting the row (and its file) goes back to the shipped model."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="segmentation_model")
    weights = models.FileField(upload_to="models/segmentation/%Y/%m/", max_length=500)
    # what it learnt from and its scores beside the default model's on the held-back part (learn.py)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class ProjectHandshapeModel(models.Model):
    """The handshape model "Improve from my corrections" learnt from one project's corrected handshape tiers;
    Process video writes its labels on the handshape tiers. Deleting the row (and its file) goes back to the
    shipped classifier."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="handshape_model")
    weights = models.FileField(upload_to="models/handshape/%Y/%m/", max_length=500)
    # the labels it learnt, how many examples each, and its accuracy beside the shipped one's on those kept back
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
