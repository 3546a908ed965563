"""SQLite edits take turns across the web server's processes (gunicorn runs several), not only across the threads
of one: while an edit runs, no other process may start one, and a nested edit does not end the turn early. Edits
made at once each count a revision of their own."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from django.db import connection

from kslars.web.annotation.editing import edit_transaction
from kslars.web.projects.models import Project
from tests.web.site_helpers import client_for, send_json

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


@pytest.mark.django_db(transaction=True)
def test_edits_at_once_each_count_a_revision_of_their_own(project, people):
    """Eight editors change their own annotations at the same moment: each answer names a different revision, and
    the project ends exactly eight revisions later (an edit knows its revision from the project row it locked)."""
    url = f"/api/projects/{project.id}/annotations"
    gloss, keys = project.tiers.get(name="Gloss").id, []
    for n in range(1, 9):
        created = {"tier_id": gloss, "start_ms": 1000 * n, "end_ms": 1000 * n + 500}
        r = send_json(client_for(people["owner"]), "post", url, created)
        assert r.status_code == 201, r.content
        keys.append(r.json()["id"])
    before = Project.objects.get(pk=project.pk).revision
    revisions, barrier = [], threading.Barrier(len(keys))

    def edit(key: str) -> None:
        client = client_for(people["owner"])
        barrier.wait()
        update = {"op": "update", "id": key, "version": 1, "value": "at once"}
        r = send_json(client, "post", f"{url}/batch", {"operations": [update]})
        revisions.append(r.json()["revision"] if r.status_code == 200 else r.status_code)
        connection.close()

    threads = [threading.Thread(target=edit, args=(key,)) for key in keys]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(revisions) == list(range(before + 1, before + len(keys) + 1))
    assert Project.objects.get(pk=project.pk).revision == before + len(keys)
