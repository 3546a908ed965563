"""Failed-login counting: per username and per client address, in the shared cache, over a fixed window.

After ``KSLARS_LOGIN_ATTEMPTS`` failures within ``KSLARS_LOGIN_WINDOW_SECONDS`` (counted from the first failure),
further logins for that username or from that address are refused until the window has passed.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

clock = time.time  # seconds since the epoch; replaced in tests to let windows pass


def _keys(request: HttpRequest, username: str) -> list[str]:
    """Cache keys counting failures for this username and this client address."""
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = request.META.get("REMOTE_ADDR") or "unknown"
    return [f"login-failures:user:{name}", f"login-failures:ip:{address}"]


def blocked_for(request: HttpRequest, username: str) -> int:
    """Seconds until logins for ``username`` or from this client are allowed again; 0 when they are allowed now."""
    now = clock()
    waits = [
        window_ends - now
        for count, window_ends in cache.get_many(_keys(request, username)).values()
        if count >= settings.KSLARS_LOGIN_ATTEMPTS and window_ends > now
    ]
    return math.ceil(max(waits)) if waits else 0


def record_failure(request: HttpRequest, username: str) -> None:
    """Count one failed login for ``username`` and for this client."""
    now = clock()
    window = settings.KSLARS_LOGIN_WINDOW_SECONDS
    for key in _keys(request, username):
        count, window_ends = cache.get(key) or (0, now + window)
        if window_ends <= now:  # the previous window has passed: start a new one
            count, window_ends = 0, now + window
        cache.set(key, (count + 1, window_ends), timeout=math.ceil(window_ends - now))


def clear_username(request: HttpRequest, username: str) -> None:
    """Forget the failures of ``username`` after it logged in (the client's count stays)."""
    cache.delete(_keys(request, username)[0])
