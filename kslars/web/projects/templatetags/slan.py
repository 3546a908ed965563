"""Template filters of the SLAN pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def duration(milliseconds: int | None) -> str:
    """A duration in milliseconds as mm:ss, or h:mm:ss from one hour on; empty when unknown."""
    if not milliseconds or milliseconds < 0:
        return ""
    seconds = int(milliseconds) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}"


@register.filter
def clock(milliseconds: int | None) -> str:
    """A time in milliseconds as mm:ss.mmm (h:mm:ss.mmm from one hour on), as the editor shows it; empty when
    unknown."""
    if milliseconds is None or milliseconds < 0:
        return ""
    seconds, millis = divmod(int(milliseconds), 1000)
    return f"{duration(seconds * 1000) or '00:00'}.{millis:03d}"
