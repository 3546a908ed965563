"""The server's WSGI module loads the whole site before the first request and sets it aside from the cyclic garbage
collector, so that a full collection does not stop every thread of a server process for a hundred milliseconds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import gc, sys\n"
    "import kslars.web.wsgi\n"
    "print(gc.get_freeze_count(), 'kslars.web.annotation.api' in sys.modules, len(gc.get_objects(2)))\n"
)


def test_the_site_is_loaded_and_frozen_before_the_first_request(tmp_path):
    env = {**os.environ, "KSLARS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kslars.web.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    frozen, routes_loaded, oldest = result.stdout.split()
    assert routes_loaded == "True"  # the API's routes were imported by the WSGI module, not left to a request
    assert int(frozen) > 50_000  # Django, the views and their schemas: set aside from the collector
    assert int(oldest) < 1_000  # what a full collection still looks at
