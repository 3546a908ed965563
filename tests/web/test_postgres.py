"""The API tests and a worker-run job against a real PostgreSQL server (the at-scale database)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.web.worker_flow import POSTGRES_URL, require_server, run_flow, with_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REDIS_URL = os.environ.get("KSLARS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WEB_TESTS = Path(__file__).resolve().parent
REPO_ROOT = WEB_TESTS.parents[1]
# The modules whose flows go through the database: every API test module of the web tool.
API_TEST_PATTERNS = [
    "test_video*.py",
    "test_jobs*.py",
    "test_store*.py",
    "test_projects*.py",
    "test_sharing*.py",
    "test_annotation_api*.py",
    "test_permissions*.py",
    "test_search*.py",
    "test_attribution*.py",
]


def test_api_tests_pass_on_postgresql():
    require_server(POSTGRES_URL, "PostgreSQL")
    modules = sorted({str(p) for pattern in API_TEST_PATTERNS for p in WEB_TESTS.glob(pattern)})
    assert any(m.endswith("test_video.py") for m in modules)
    env = {k: v for k, v in os.environ.items() if k not in ("KSLARS_DATA_DIR", "DATABASE_URL")}
    # A name of its own: Django creates and drops "test_<name>", so parallel runs on one server never collide.
    env["DATABASE_URL"] = with_database(POSTGRES_URL, f"kslars_api_{uuid.uuid4().hex[:10]}")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--create-db",
            "-m",
            "not slow and not browser and not redis and not postgres",
            *modules,
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout


@pytest.mark.redis
def test_job_runs_on_a_worker_with_postgresql_and_redis(tmp_path, fresh_database):
    require_server(REDIS_URL, "Redis")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    report = run_flow(tmp_path, broker_url=REDIS_URL, database_url=fresh_database)
    assert report["job"]["status"] == "succeeded", report
    assert report["video"]["status"] == "ready"
    assert bytes.fromhex(report["stream"][0])[4:8] == b"ftyp"
