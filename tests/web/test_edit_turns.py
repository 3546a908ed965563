"""SQLite edits take turns across the web server's processes (gunicorn runs several), not only across the threads
of one: while an edit runs, no other process may start one, and a nested edit does not end the turn early."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.db import connection

from kslars.web.annotation.editing import edit_transaction

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")]

PROBE = """
import fcntl, sys
with open(sys.argv[1], "ab") as f:
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("busy")
    else:
        print("free")
"""


def other_process_may_edit() -> bool:
    """Whether another process could take the edit turn of the test database now."""
    if connection.vendor != "sqlite":
        pytest.skip("the turn is SQLite's; PostgreSQL queues on the project row's lock")
    lock_file = f"{connection.settings_dict['NAME']}-edits.lock"
    answer = subprocess.run([sys.executable, "-c", PROBE, lock_file], capture_output=True, text=True, check=True)
    return answer.stdout.strip() == "free"


def test_another_process_waits_for_an_edit_to_end():
    with edit_transaction():
        assert not other_process_may_edit()
    assert other_process_may_edit()


def test_a_nested_edit_keeps_the_turn_until_the_outer_one_ends():
    with edit_transaction():
        with edit_transaction():
            assert not other_process_may_edit()
        assert not other_process_may_edit()
    assert other_process_may_edit()
