"""The server's WSGI module loads the whole site before the first request and sets it aside from the cyclic garbage
collector, so that a full collection does not stop every thread of a server process for a hundred milliseconds; with
SQLite, a server thread keeps its database connection from one request to the next."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import gc, sys\n"
    "import kslars.web.wsgi\n"
    "print(gc.get_freeze_count(), 'kslars.web.annotation.api' in sys.modules, len(gc.get_objects(2)))\n"
)


# One request through the WSGI application, as gunicorn sends it: does the connection opened before it outlive it?
KEEPS_CONNECTION = """
import io, sys
import kslars.web.wsgi
from django.db import connection
connection.ensure_connection()
before = connection.connection
environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/formats", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
           "HTTP_HOST": "localhost", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr}
statuses = []
response = kslars.web.wsgi.application(environ, lambda status, headers, *rest: statuses.append(status))
b"".join(response)
response.close()
print(statuses[0].split()[0], connection.connection is before)
"""


def run_python(code: str, data_dir: Path, **env: str) -> list[str]:
    """What ``code`` prints, run with the production settings over the data folder ``data_dir``."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KSLARS_DB_CONN_MAX_AGE")}
    environment |= {"KSLARS_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "kslars.web.settings", **env}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_site_is_loaded_and_frozen_before_the_first_request(tmp_path):
    frozen, routes_loaded, oldest = run_python(PROBE, tmp_path)
    assert routes_loaded == "True"  # the API's routes were imported by the WSGI module, not left to a request
    assert int(frozen) > 50_000  # Django, the views and their schemas: set aside from the collector
    assert int(oldest) < 1_000  # what a full collection still looks at


@pytest.mark.parametrize(("setting", "kept"), [({}, "True"), ({"KSLARS_DB_CONN_MAX_AGE": "0"}, "False")])
def test_a_server_thread_keeps_its_sqlite_connection_between_requests(tmp_path, setting, kept):
    """By default a thread reuses its SQLite connection (opening one took longer than half an edit);
    KSLARS_DB_CONN_MAX_AGE=0 opens one per request."""
    assert run_python(KEEPS_CONNECTION, tmp_path, **setting) == ["200", kept]
