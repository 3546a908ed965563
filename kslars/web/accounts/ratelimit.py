"""Failed-login counting: per username and per client address, in the shared cache, over a fixed window.

After ``KSLARS_LOGIN_ATTEMPTS`` failures within ``KSLARS_LOGIN_WINDOW_SECONDS`` (counted from the first failure),
further logins for that username or from that address are refused until the window has passed.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest, username: str) -> list[str]:
    """Cache keys counting failures for this username and this client address."""
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = request.META.get("REMOTE_ADDR") or "unknown"
    return [f"login-failures:user:{name}", f"login-failures:ip:{address}"]


def is_blocked(request: HttpRequest, username: str) -> bool:
    """Whether logins for ``username`` or from this client are refused for now."""
    counts = cache.get_many(_keys(request, username))
    return any(count >= settings.KSLARS_LOGIN_ATTEMPTS for count in counts.values())


def record_failure(request: HttpRequest, username: str) -> None:
    """Count one failed login for ``username`` and for this client."""
    for key in _keys(request, username):
        if not cache.add(key, 1, timeout=settings.KSLARS_LOGIN_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr(): start a new window
                cache.add(key, 1, timeout=settings.KSLARS_LOGIN_WINDOW_SECONDS)


def clear_username(request: HttpRequest, username: str) -> None:
    """Forget the failures of ``username`` after it logged in (the client's count stays)."""
    cache.delete(_keys(request, username)[0])
