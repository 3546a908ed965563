"""Which process runs a job, and whether that process still runs: how a job lost with its worker is told apart
from a slow one at once, without waiting for its heartbeat to go stale.

A worker identity is ``host|pid namespace|pid|start time``. Only a process of the same machine (and the same
pid namespace, so two containers are never confused) can be checked; the start time tells a reused process id
from the process that claimed the job. Jobs of workers on other machines are left to the stale-job timeout.
No Django here: a worker's identity is taken before anything else is loaded.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

SEPARATOR = "|"


def _namespace() -> str:
    """This process's pid namespace (``pid:[4026531836]`` on Linux), empty where there is none to read."""
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def _start_time(pid: int) -> str:
    """When process ``pid`` started, in clock ticks since boot (Linux), empty where it cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]  # field 22; the command name in parentheses may hold spaces


def this_process() -> str:
    """The identity of the running process, written into a job when the process claims it."""
    pid = os.getpid()
    return SEPARATOR.join([socket.gethostname(), _namespace(), str(pid), _start_time(pid)])


def _running(pid: int) -> bool:
    """Whether a process with id ``pid`` exists (possibly another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_gone(worker: str) -> bool:
    """Whether ``worker`` was a process of this machine that no longer runs; False when it cannot be known."""
    parts = worker.split(SEPARATOR)
    if len(parts) != 4 or not parts[2].isdigit():
        return False
    host, namespace, pid, started = parts
    if host != socket.gethostname() or namespace != _namespace():
        return False
    if not _running(int(pid)):
        return True
    now_started = _start_time(int(pid))
    return bool(started and now_started) and now_started != started  # the id now belongs to another process
