"""Automatic annotation through real `celery worker` processes: on the SQLite broker (the embedded setup) and on
Redis (the multi-machine setup), and a worker killed in the middle of a job."""

from __future__ import annotations

import os

import pytest

from tests.conftest import shared_file
from tests.generated_video import write_video
from tests.web.video_helpers import CLIP
from tests.web.worker_flow import flow_environment, migrate, require_server, run_driver, start_worker, stop_worker

pytestmark = pytest.mark.slow

REDIS_URL = os.environ.get("KSLARS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SETTLE_SECONDS = 30  # the new worker's start included


def process_on_worker(tmp_path, broker_url: str | None, database_url: str | None = None) -> dict:
    """Upload the real clip and process it with a worker running; the driver's report."""
    env = flow_environment(tmp_path / "data", broker_url, database_url)
    migrate(env)
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        return run_driver(
            "tests.web.annotate_flow", ["process", str(tmp_path), str(shared_file(CLIP))], env, tmp_path / "worker.log"
        )
    finally:
        stop_worker(worker)


def check_processed(report: dict) -> None:
    assert report["job"]["status"] == "succeeded", report
    assert report["job"]["progress"] == 1.0 and report["job"]["task_id"]
    assert report["tiers"]["Signs"] >= 1 and report["tiers"]["Right handshape"] >= 1
    assert "Signing segments" not in report["tiers"]  # phrases were not asked for
    assert report["landmarks"].endswith(".pose")
    assert any(0 < p < 1 for p in report["seen_progress"])  # the worker reported progress on the way
    assert "kslars.run_job" in report["worker_log"]


def test_annotation_job_runs_on_a_worker_through_the_sqlite_broker(tmp_path):
    check_processed(process_on_worker(tmp_path, broker_url=None))


@pytest.mark.redis
@pytest.mark.postgres
def test_annotation_job_runs_on_a_worker_through_redis_with_postgresql(tmp_path, fresh_database):
    """The setup at scale: Redis carries the job, PostgreSQL holds the project, the worker is its own process."""
    require_server(REDIS_URL, "Redis")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # no messages left from earlier runs
    check_processed(process_on_worker(tmp_path, broker_url=REDIS_URL, database_url=fresh_database))


def test_a_worker_killed_mid_job_leaves_a_failed_job_and_no_tiers(tmp_path):
    """SIGKILL the worker while it extracts landmarks, then start another (as `kslars serve` does): the new worker
    fails the lost job within seconds, long before the stale-job timeout; nothing was written."""
    video = write_video(tmp_path / "long.mp4", codec="libx264", frames=1500, fps=25)  # a minute: time to kill it
    env = flow_environment(tmp_path / "data", None)
    migrate(env)
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        started = run_driver(
            "tests.web.annotate_flow", ["start", str(tmp_path), str(video)], env, tmp_path / "worker.log"
        )
        assert started["job"]["status"] == "running", started
        worker.kill()  # SIGKILL: no chance to clean up
        worker.wait()
    finally:
        stop_worker(worker)
    new_worker = start_worker(env, tmp_path / "worker2.log")  # the stale-job timeout stays at its 300 s default
    try:
        report = run_driver(
            "tests.web.annotate_flow", ["settled", str(tmp_path), str(started["job_id"])], env, tmp_path / "worker2.log"
        )
    finally:
        stop_worker(new_worker)
    assert report["job"]["status"] == "failed" and "worker stopped" in report["job"]["error"], report
    assert report["waited"] < SETTLE_SECONDS
    assert (
        report["tiers"] == started["tiers"] == {"Translation": 0, "Gloss": 0, "Right handshape": 0, "Left handshape": 0}
    )
    assert report["revision"] == started["revision"] and not report["landmarks"]
