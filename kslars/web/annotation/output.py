"""The JSON form of a project's annotation document and its parts (shapes in kslars.web.annotation.schemas)."""

from __future__ import annotations

from django.urls import get_script_prefix

from kslars.document import Annotation
from kslars.web.annotation import models as m
from kslars.web.annotation.store import ANNOTATION_COLUMNS, annotation_from_values
from kslars.web.projects.access import Access
from kslars.web.projects.models import Project

ROLE_NAMES = {Access.OWN: "owner", Access.EDIT: "editor", Access.VIEW: "viewer"}


def annotation_out(a: Annotation) -> dict:
    """The JSON form of a document annotation."""
    return {
        "id": a.id,
        "value": a.value,
        "start_ms": a.start_ms,
        "end_ms": a.end_ms,
        "parent": a.parent,
        "previous": a.previous,
        "cv_entry": a.cv_entry,
        "attributes": a.attributes,
        "version": a.version,
        "annotator": a.annotator,
    }


def tier_out(tier: m.Tier, annotations: list[dict]) -> dict:
    """The JSON form of a tier row with its annotations."""
    return {
        "id": tier.id,
        "name": tier.name,
        "type_id": tier.tier_type_id,
        "parent_id": tier.parent_id,
        "position": tier.position,
        "hidden": tier.hidden,
        "participant": tier.participant,
        "annotator": tier.annotator,
        "language": tier.language,
        "version": tier.version,
        "annotations": annotations,
    }


def tiers_out(project: Project, tiers: list[m.Tier]) -> list[dict]:
    """The JSON form of ``tiers`` (rows of ``project``) with their annotations, read in one query."""
    by_tier: dict[int, list[dict]] = {t.id: [] for t in tiers}
    rows = m.Annotation.objects.filter(project=project, tier_id__in=list(by_tier))
    for values in rows.order_by("tier_id", "position", "start_ms", "id").values_list(*ANNOTATION_COLUMNS):
        by_tier[values[-2]].append(annotation_out(annotation_from_values(values)))
    return [tier_out(t, by_tier[t.id]) for t in tiers]


def tier_type_out(row: m.TierType) -> dict:
    """The JSON form of a tier type row."""
    return {"id": row.id, "name": row.name, "constraint": row.constraint, "vocabulary_id": row.vocabulary_id}


def vocabulary_out(row: m.Vocabulary) -> dict:
    """The JSON form of a vocabulary row."""
    return {
        "id": row.id,
        "name": row.name,
        "entries": [
            {
                "id": e["id"],
                "values": e.get("values", []),
                "attributes": e.get("attributes") or {},
                "ext_ref": e.get("ext_ref"),
            }
            for e in row.entries
        ],
        "descriptions": row.descriptions,
    }


def video_out(project: Project) -> dict | None:
    """What the player needs about the project's video, or None when there is none yet."""
    video = getattr(project, "video", None)  # the reverse one-to-one raises AttributeError when missing
    if video is None:
        return None
    return {
        "url": f"{get_script_prefix()}p/{project.pk}/video",
        "status": video.status,
        "fps": video.fps,
        "duration_ms": video.duration_ms,
        "width": video.width,
        "height": video.height,
    }


def languages_out(project: Project) -> list[dict]:
    """The document's languages (kept in ``document_meta``), for vocabulary values in each language."""
    return [
        {"id": lang["id"], "label": lang.get("label"), "def_url": lang.get("def_url")}
        for lang in project.document_meta.get("languages") or []
        if isinstance(lang, dict) and lang.get("id")
    ]


def document_out(project: Project, level: Access) -> dict:
    """The whole document of ``project`` as the caller with access ``level`` sees it, in a fixed number of queries."""
    role = ROLE_NAMES[level]
    return {
        "project": {"id": project.id, "name": project.name, "role": role, "updated_at": project.updated_at},
        "video": video_out(project),
        "languages": languages_out(project),
        "tier_types": [tier_type_out(t) for t in project.tier_types.all()],
        "vocabularies": [vocabulary_out(v) for v in project.vocabularies.all()],
        "tiers": tiers_out(project, list(project.tiers.all())),
        "revision": project.revision,
    }
