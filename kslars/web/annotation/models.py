"""The annotation document in tables. kslars.web.annotation.store converts to and from kslars.document."""

from __future__ import annotations

from django.db import models

from kslars.document import Constraint
from kslars.web.projects.models import Project


class TierType(models.Model):
    """A tier type (ELAN linguistic type) of one project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tier_types")
    name = models.CharField(max_length=200)
    constraint = models.CharField(
        max_length=30, choices=[(c.value, c.value) for c in Constraint], default=Constraint.NONE.value
    )
    vocabulary = models.ForeignKey("Vocabulary", null=True, blank=True, on_delete=models.SET_NULL)
    extra = models.JSONField(default=dict, blank=True)  # graphic_references, ext_ref, lexicon_ref

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_tier_type_name")]
        ordering = ["id"]


class Vocabulary(models.Model):
    """A controlled vocabulary; its entries are kslars.document.VocabularyEntry dicts, in order."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="vocabularies")
    name = models.CharField(max_length=200)
    entries = models.JSONField(default=list, blank=True)
    descriptions = models.JSONField(default=list, blank=True)
    ext_ref = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_vocabulary_name")]
        ordering = ["id"]


class Tier(models.Model):
    """A tier of one project, in display order."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(max_length=200)
    tier_type = models.ForeignKey(TierType, on_delete=models.PROTECT, related_name="tiers")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.IntegerField(default=0)
    hidden = models.BooleanField(default=False)
    participant = models.CharField(max_length=200, null=True, blank=True)
    annotator = models.CharField(max_length=200, null=True, blank=True)
    language = models.CharField(max_length=100, null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)  # default_locale, ext_ref
    version = models.IntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_tier_name")]
        ordering = ["position", "id"]


VALUE_HEAD = 100  # characters of an annotation's value in the search index


class ValueHead(models.Func):
    """The first VALUE_HEAD characters of a text: written with literal numbers, not query parameters, so that
    SQLite recognises the indexed expression in a query and searches the index."""

    function = "SUBSTR"
    template = f"%(function)s(%(expressions)s, 1, {VALUE_HEAD})"
    output_field = models.TextField()


POSITION_GAP = 1024  # room left between stored annotation positions, so an insert rarely renumbers a tier


class Annotation(models.Model):
    """One annotation. ``key`` is its id in the document (ELAN's ANNOTATION_ID), unique per project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="annotations")
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="annotations")
    key = models.CharField(max_length=100)
    value = models.TextField(blank=True, default="")
    start_ms = models.IntegerField(null=True, blank=True)
    end_ms = models.IntegerField(null=True, blank=True)
    parent_key = models.CharField(max_length=100, null=True, blank=True)
    previous_key = models.CharField(max_length=100, null=True, blank=True)
    cv_entry = models.CharField(max_length=200, null=True, blank=True)
    ext_ref = models.CharField(max_length=200, null=True, blank=True)
    language = models.CharField(max_length=100, null=True, blank=True)
    # ELAN time slot ids the annotation was imported with, so an exported .eaf shares slots as the original did
    start_slot = models.CharField(max_length=100, null=True, blank=True)
    end_slot = models.CharField(max_length=100, null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    # who made or last changed it: a user name, or the engine (kslars.web.annotation.attribution)
    annotator = models.CharField(max_length=150, null=True, blank=True)
    position = models.IntegerField(default=0)  # document order within the tier
    version = models.IntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="unique_annotation_key")]
        indexes = [
            models.Index(fields=["tier", "start_ms"]),
            # a symbolic tier's annotations found by their parents' ids (an edit loads those of the parents it loaded)
            models.Index(fields=["project", "tier", "parent_key"], name="annotation_tier_parent"),
            # corpus-wide search by value (kslars.web.search): the head of the value, since PostgreSQL's b-tree
            # refuses entries of more than about 2.7 kB and a translation may be longer
            models.Index(ValueHead("value"), "project", "tier", name="annotation_value_head_tier"),
        ]
        ordering = ["position", "start_ms", "id"]
