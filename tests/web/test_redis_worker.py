"""A conversion job through a real Redis broker and a real `celery worker` process (the multi-machine setup)."""

from __future__ import annotations

import os

import pytest

from tests.web.worker_flow import require_server, run_flow

pytestmark = [pytest.mark.redis, pytest.mark.slow]

REDIS_URL = os.environ.get("KSLARS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_job_runs_on_a_worker_through_redis(tmp_path):
    require_server(REDIS_URL, "Redis")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # no messages left from earlier runs
    report = run_flow(tmp_path, broker_url=REDIS_URL)
    assert report["job"]["status"] == "succeeded", report
    assert report["job"]["progress"] == 1.0 and report["job"]["task_id"]
    assert report["video"]["status"] == "ready" and report["video"]["playable"].endswith(".mp4")
    assert bytes.fromhex(report["stream"][0])[4:8] == b"ftyp"  # the browser copy is an MP4, served by Range
    assert "kslars.run_job" in report["worker_log"]
