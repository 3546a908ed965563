"""Batch processing on real `celery worker` processes through the SQLite broker (the embedded setup of `kslars
serve`): two workers run the batch's videos side by side, each result is written as Process video writes it, a
corrupt video and one where nobody signs fail alone with their reasons, and resuming redoes only those two; the
same on Redis with PostgreSQL."""

from __future__ import annotations

import pytest

from tests.web.test_annotate_worker import REDIS_URL
from tests.web.worker_flow import (
    flow_environment,
    migrate,
    require_server,
    run_driver,
    start_worker,
    stop_worker,
)

pytestmark = pytest.mark.slow


def run_batch(tmp_path, clip, clip_pose, broker_url: str | None, database_url: str | None = None) -> dict:
    """Start two workers on the broker and database, run the driver, stop the workers; the driver's report."""
    env = flow_environment(tmp_path / "data", broker_url, database_url)
    migrate(env)
    workers = [start_worker(env, tmp_path / f"worker{n}.log") for n in (1, 2)]
    try:
        report = run_driver(
            "tests.web.batch_flow", [str(tmp_path), str(clip), str(clip_pose)], env, tmp_path / "worker1.log"
        )
    finally:
        for worker in workers:
            stop_worker(worker)
    return report


def check_batch(report: dict) -> None:
    first = report["first"]
    assert first["status"] == "failed" and first["progress"] == 1.0, report
    assert first["counts"] == {"queued": 0, "running": 0, "succeeded": 2, "failed": 2, "cancelled": 0}
    items = {item["project_name"]: item for item in first["items"]}
    assert items["A lesson"]["status"] == items["B lesson"]["status"] == "succeeded"
    assert "corrupt.mp4" in items["C corrupt"]["error"] and "damaged" in items["C corrupt"]["error"]
    assert "nobody" in items["D empty room"]["error"]
    assert report["signs"]["A lesson"] == report["signs"]["B lesson"] >= 1
    assert report["signs"]["C corrupt"] == report["signs"]["D empty room"] == 0
    assert any(status == "running" for _name, status in report["seen"])  # followed while workers ran them

    jobs = report["jobs"]
    assert [status for status, *_ in jobs["A lesson"]] == ["succeeded"]  # resuming did not redo it
    assert [status for status, *_ in jobs["C corrupt"]] == ["failed", "failed"]
    assert report["revisions"]["A lesson"] == report["revisions_after_first"]["A lesson"]
    assert report["second"]["counts"]["succeeded"] == 2 and report["second"]["counts"]["failed"] == 2
    ran_on = {worker.split("|")[2] for job in jobs.values() for _status, worker, _task in job}
    assert len(ran_on) == 2, jobs  # both workers took videos of the batch
    assert all(task for job in jobs.values() for *_, task in job)  # every job went through the broker


def test_a_batch_runs_on_two_workers_fails_bad_videos_alone_and_resumes_only_them(tmp_path, clip, clip_pose):
    check_batch(run_batch(tmp_path, clip, clip_pose, broker_url=None))  # the default: SQLite in the data folder


@pytest.mark.redis
@pytest.mark.postgres
def test_a_batch_on_two_workers_through_redis_with_postgresql(tmp_path, clip, clip_pose, fresh_database):
    """The setup at scale: Redis carries the jobs, PostgreSQL holds the projects, each worker locks its project."""
    require_server(REDIS_URL, "Redis")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # no messages left from earlier runs
    check_batch(run_batch(tmp_path, clip, clip_pose, broker_url=REDIS_URL, database_url=fresh_database))
