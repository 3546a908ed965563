"""A conversion job through the default SQLite broker and a real `celery worker` process (the embedded setup)."""

from __future__ import annotations

import pytest

from tests.web.worker_flow import run_flow

pytestmark = pytest.mark.slow


def test_job_runs_on_a_worker_through_the_sqlite_broker(tmp_path):
    report = run_flow(tmp_path, broker_url=None)  # the default: sqla+sqlite in the data folder
    assert report["job"]["status"] == "succeeded", report
    assert report["video"]["status"] == "ready" and report["video"]["playable"].endswith(".mp4")
    assert bytes.fromhex(report["stream"][0])[4:8] == b"ftyp"
    assert (tmp_path / "data" / "broker.sqlite3").exists()


def test_a_job_queued_under_an_earlier_task_name_runs_on_a_worker(tmp_path):
    """A message left in the queue by an earlier version, under its kind's own task name, runs after an upgrade."""
    report = run_flow(tmp_path, broker_url=None, task_name="kslars.transcode_video")
    assert report["job"]["status"] == "succeeded", report
    assert report["video"]["status"] == "ready"
    assert "Task kslars.transcode_video[" in report["worker_log"] and "Task kslars.run_job[" not in report["worker_log"]
