"""Template context of the accounts app."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def signup_open(request: HttpRequest) -> dict[str, bool]:
    """``signup_open``: whether people may create their own accounts (KSLARS_SIGNUP), so pages offer sign-up only then."""
    return {"signup_open": settings.KSLARS_SIGNUP}
