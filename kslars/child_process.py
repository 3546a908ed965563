"""Child processes that end with the command that started them (SLAN's web server and worker, a corpus batch's
workers), even when that command is killed."""

from __future__ import annotations

import signal
import sys


def die_with_parent(signum: int = signal.SIGTERM) -> None:
    """In a child process on Linux: receive ``signum`` when the parent dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signum)
