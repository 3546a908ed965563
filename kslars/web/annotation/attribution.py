"""Who made or last changed an annotation (kslars.document.Annotation.annotator, stored on each row): the user of
an edit in the editor (annotation/services.py), the engine for what a job writes (processing/results.py). An
imported file keeps the attribution it carries (the annotator column of CSV, the annotator of each annotation in
JSON; EAF has an annotator per tier only, kept on the tier): the person importing did not make the annotations."""

from __future__ import annotations

from kslars.document import Document

ENGINE = "K-SLARS engine"  # the annotator of what automatic annotation, recognition and fingerspelling jobs write


def user_name(user) -> str | None:
    """The name recorded for ``user``'s edits (None for anonymous callers, who cannot edit)."""
    return user.get_username() if user is not None and user.is_authenticated else None


def attribute(doc: Document, who: str) -> None:
    """Record ``who`` as the annotator of every annotation of ``doc`` that names none."""
    for _, a in doc.annotations():
        a.annotator = a.annotator or who
