"""Counting failed password checks in the shared cache, over a fixed window, to refuse guessing.

Logins are counted per client and username together (``KSLARS_LOGIN_ATTEMPTS``), so whoever guesses locks only
themselves out of that account, never its owner, and per client whatever the usernames
(``KSLARS_LOGIN_ATTEMPTS_PER_CLIENT``), so one client cannot try a few passwords on every account. The
password-change form counts wrong old passwords per user. After that many failures within
``KSLARS_LOGIN_WINDOW_SECONDS`` (counted from the first failure), further tries are refused until the window ends.

The client is the connection's address or, behind a reverse proxy, the address the proxy writes into
``KSLARS_CLIENT_ADDRESS_HEADER`` (the last one in the header: the one that proxy added, which a client cannot forge).
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

clock = time.time  # seconds since the epoch; replaced in tests to let windows pass

Limits = dict[str, int]  # cache key -> failures allowed within the window


def client_address(request: HttpRequest) -> str:
    """The address of the client: from the configured proxy header when there is one, else the connection's."""
    header = settings.KSLARS_CLIENT_ADDRESS_HEADER
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR") or "unknown"


def _hashed(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def login_limits(request: HttpRequest, username: str) -> Limits:
    """The counts a failed login adds to: this client with this username, and this client."""
    client = _hashed(client_address(request))
    name = _hashed(username.strip().lower())
    return {
        f"login-failures:client-user:{client}:{name}": settings.KSLARS_LOGIN_ATTEMPTS,
        f"login-failures:client:{client}": settings.KSLARS_LOGIN_ATTEMPTS_PER_CLIENT,
    }


def password_change_limits(user_id: int) -> Limits:
    """The count a wrong old password on the password-change form adds to: this user's."""
    return {f"password-change-failures:user:{user_id}": settings.KSLARS_LOGIN_ATTEMPTS}


def blocked_for(limits: Limits) -> int:
    """Seconds until tries are allowed again under ``limits``; 0 when they are allowed now."""
    now = clock()
    counts = cache.get_many(list(limits))
    waits = [
        window_ends - now for key, (count, window_ends) in counts.items() if count >= limits[key] and window_ends > now
    ]
    return math.ceil(max(waits)) if waits else 0


def record_failure(limits: Limits) -> None:
    """Count one failure in each of ``limits``."""
    now = clock()
    window = settings.KSLARS_LOGIN_WINDOW_SECONDS
    for key in limits:
        count, window_ends = cache.get(key) or (0, now + window)
        if window_ends <= now:  # the previous window has passed: start a new one
            count, window_ends = 0, now + window
        cache.set(key, (count + 1, window_ends), timeout=math.ceil(window_ends - now))


def forget_login_failures(request: HttpRequest, username: str) -> None:
    """Forget this client's failures with ``username`` after it logged in (the client's own count stays)."""
    cache.delete(next(iter(login_limits(request, username))))
