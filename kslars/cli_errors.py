"""How every ``kslars`` command refuses input it cannot use: a message and exit status 2, as click's own usage
errors (a clear ``Error: ...`` line, no traceback)."""

from __future__ import annotations

from typing import NoReturn

import click


class InputError(click.ClickException):
    """Input that cannot be used (a missing or malformed file, an unknown name, values out of range): exit status 2."""

    exit_code = 2


def fail(message: str) -> NoReturn:
    """Refuse the command's input with ``message`` (exit status 2)."""
    raise InputError(message)
