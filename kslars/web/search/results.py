"""A search's results in the shape the page and the API both show: where each one opens the editor, its still."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse

from kslars.web.search.services import Hit, Page


def editor_link(hit: Hit) -> str:
    """The editor of the hit's project, opened at the hit's start with the annotation selected (#t=seconds&a=id)."""
    at = f"t={hit.start_ms / 1000:.3f}&" if hit.start_ms is not None else ""
    return f"{reverse('editor', args=[hit.project_id])}#{at}a={quote(hit.annotation_id, safe='')}"


def still_link(hit: Hit) -> str | None:
    """The video's picture at the hit's start; None when the project has no playable video."""
    if not hit.has_video or hit.start_ms is None:
        return None
    return reverse("project-still", args=[hit.project_id, hit.start_ms])


def page_dict(page: Page) -> dict:
    """``page`` with each hit's editor and still links, and the number of pages."""
    results = [{**h.dict(), "editor_url": editor_link(h), "still_url": still_link(h)} for h in page.hits]
    pages = max(1, -(-page.count // page.page_size))
    return {
        "count": page.count,
        "more": page.more,
        "page": page.page,
        "page_size": page.page_size,
        "pages": pages,
        "results": results,
    }
