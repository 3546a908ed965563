"""The document a new project starts with: the KRSL default document (kslars.krsl: tiers and the handshape
vocabulary), its tiers named in the project's language, each keeping its role (tier_names.py). The app registers
it with kslars.web.projects.services when Django starts, so that projects needs no import of annotation."""

from __future__ import annotations

from kslars.krsl import default_document
from kslars.web.annotation.store import save_document
from kslars.web.annotation.tier_names import ROLE, localise_defaults
from kslars.web.projects.models import Project


def fill_new_project(project: Project) -> None:
    """Store the default document in the new, empty ``project``, named in ``project.language``."""
    document = default_document()
    roles = localise_defaults(document, project.language)
    save_document(project, document)
    for row in project.tiers.all():
        row.extra = {**row.extra, ROLE: roles[row.name]}
        row.save(update_fields=["extra"])
