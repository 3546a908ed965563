"""The picture of a project's video at a moment, for search results: taken once with kslars.vision.thumbnail and
kept in the site's cache (keyed by the video file, so a replaced video never shows an old picture)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from kslars.vision.thumbnail import video_thumbnail
from kslars.vision.video import VideoError
from kslars.web.projects.access import project_for
from kslars.web.projects.media import serve_file
from kslars.web.projects.models import Video
from kslars.web.projects.videos import local_copy

STILL_SIDE = 240  # pixels of the longer side
CACHE_SECONDS = 30 * 24 * 3600


@require_safe
def project_still(request: HttpRequest, project_id: int, at_ms: int) -> HttpResponse:
    """The JPEG still of the project's playable video at ``at_ms`` (its last picture past the end); the video's
    thumbnail when no picture can be decoded there; 404 without a playable video."""
    project, _ = project_for(request, project_id)
    video = Video.objects.filter(project=project).first()
    playable = video.playable_file() if video else None
    if playable is None:
        raise Http404("The project has no video that plays in the browser.")
    key = "still:" + hashlib.sha256(f"{video.pk}:{playable.name}:{at_ms}".encode()).hexdigest()
    picture = cache.get(key)
    if picture is None:
        try:
            with local_copy(playable) as path:
                picture = video_thumbnail(path, at_ms=at_ms, max_side=STILL_SIDE, quality=75)
        except VideoError as error:
            if video.thumbnail:
                return serve_file(request, video.thumbnail)
            raise Http404("No picture could be taken from the video.") from error
        cache.set(key, picture, CACHE_SECONDS)
    response = HttpResponse(picture, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
