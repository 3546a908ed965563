"""The Content-Security-Policy header every response carries.

Scripts and style sheets come only from the site itself (no inline code, no CDN: Swagger UI is served from
django-ninja's static files). Pictures may also be ``blob:`` and ``data:`` (a photo picked for a dictionary search,
frames drawn on a canvas); media may be ``blob:`` and, for the dictionary's sign videos, any ``https:`` address;
with S3 storage, the bucket's origin serves videos and thumbnails through signed URLs. The webcam
(getUserMedia) needs no source.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

AWS_S3_ORIGIN = "https://*.amazonaws.com"


def media_origin() -> str:
    """The origin that serves media besides the site itself: the S3 endpoint with S3 storage, else none."""
    if settings.MEDIA_STORAGE != "s3":
        return ""
    endpoint = settings.STORAGES["default"]["OPTIONS"].get("endpoint_url")
    if not endpoint:
        return AWS_S3_ORIGIN
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy() -> str:
    """The policy for this installation's settings."""
    storage = media_origin()
    extra = f" {storage}" if storage else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' blob: data:{extra}",
            f"media-src 'self' blob: https:{extra}",
            f"connect-src 'self'{extra}",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header to every response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
