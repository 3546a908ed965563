"""Batch annotation of a corpus: the state kept in the output folder, and real runs of `kslars corpus annotate`
with real Celery worker processes on the embedded SQLite broker and on Redis, with a corrupt video in the middle,
a run killed and resumed, and a worker started apart as on another machine."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kslars import formats
from kslars.corpus.batch import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    BatchStore,
    VideoState,
    annotate_one,
    mark_lost,
    plan_batch,
    start_run,
)
from tests.conftest import shared_file
from tests.generated_video import write_video
from tests.web.worker_flow import REPO_ROOT, require_server

REDIS_URL = os.environ.get("KSLARS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
VIDEOS = "sign-language-processing__pose/videos"
RUN_TIMEOUT_S = 400


def corpus_folder(folder: Path, names: dict[str, str | None]) -> Path:
    """A folder of videos: name -> a real video of ../shared/data, or None for a corrupt file."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in names.items():
        if source is None:
            (folder / name).write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8)  # a header, no video
        else:
            shutil.copy(shared_file(f"{VIDEOS}/{source}"), folder / name)
    return folder


def kslars(*arguments: str) -> list[str]:
    """The installed `kslars` command with ``arguments``."""
    return [str(Path(sys.executable).parent / "kslars"), *arguments]


def status(out: Path) -> dict:
    """`kslars corpus status OUT --json`."""
    result = subprocess.run(
        kslars("corpus", "status", str(out), "--json"), capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def by_key(report: dict) -> dict[str, dict]:
    """The videos of a status report by key."""
    return {v["key"]: v for v in report["videos"]}


def test_the_plan_keeps_paths_and_refuses_colliding_outputs(tmp_path):
    (tmp_path / "in" / "day1").mkdir(parents=True)
    videos = [tmp_path / "in" / "day1" / "a.mp4", tmp_path / "in" / "b.mov"]
    plan = plan_batch(tmp_path / "in", videos, tmp_path / "out")
    assert {k: v[1] for k, v in plan.items()} == {
        "day1/a": (tmp_path / "out" / "day1" / "a.eaf").resolve(),
        "b": (tmp_path / "out" / "b.eaf").resolve(),
    }
    with pytest.raises(ValueError, match="would both be written"):
        plan_batch(tmp_path / "in", [tmp_path / "in" / "b.mov", tmp_path / "in" / "b.mp4"], tmp_path / "out")


def test_unusable_sources_exit_with_status_2_before_anything_is_queued(tmp_path):
    from click.testing import CliRunner

    from kslars.cli import main

    runner = CliRunner()
    (tmp_path / "empty").mkdir()
    (tmp_path / "twice").mkdir()
    (tmp_path / "twice" / "a.mp4").write_bytes(b"x")
    (tmp_path / "twice" / "a.mov").write_bytes(b"x")
    for source, message in (
        ("missing", "does not exist"),
        ("empty", "no video in"),
        ("twice", "would both be written"),
    ):
        result = runner.invoke(main, ["corpus", "annotate", str(tmp_path / source), "-o", str(tmp_path / "out")])
        assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "out").exists()
    result = runner.invoke(main, ["corpus", "status", str(tmp_path / "out")])
    assert result.exit_code == 2 and "no batch annotation" in result.output


def test_a_run_skips_finished_videos_and_redoes_a_done_state_without_its_output(tmp_path):
    store = BatchStore(tmp_path / "out")
    plan = {k: (tmp_path / f"{k}.mp4", tmp_path / "out" / f"{k}.eaf") for k in ("a", "b", "c", "d")}
    run, todo, finished = start_run(store, plan, {})
    assert todo == ["a", "b", "c", "d"] and finished == []
    (tmp_path / "out" / "a.eaf").write_text("<ANNOTATION_DOCUMENT/>")
    for key, status_ in (("a", DONE), ("b", DONE), ("c", FAILED)):  # b's output was never written
        store.write(VideoState(key, str(plan[key][0]), str(plan[key][1]), status=status_, run=run))
    second, todo, finished = start_run(store, plan, {}, retry_failed=False)
    assert second != run and finished == ["a"] and todo == ["b", "d"]
    assert [s.status for s in store.states()] == [DONE, QUEUED, FAILED, QUEUED]
    assert start_run(store, plan, {})[1] == ["b", "c", "d"]  # failed videos are tried again by default


def test_a_task_of_an_earlier_run_is_skipped_and_a_corrupt_video_fails_with_its_error(tmp_path):
    video = corpus_folder(tmp_path / "in", {"broken.mp4": None}) / "broken.mp4"
    store = BatchStore(tmp_path / "out")
    run, _, _ = start_run(store, {"broken": (video, tmp_path / "out" / "broken.eaf")}, {"hands": "both"})
    assert annotate_one(tmp_path / "out", "broken", "an-earlier-run") == "skipped"
    assert store.read("broken").status == QUEUED
    assert annotate_one(tmp_path / "out", "broken", run) == FAILED
    state = store.read("broken")
    assert "broken.mp4" in state.error and "not a readable video" in state.error
    assert not (tmp_path / "out" / "broken.eaf").exists()


def test_lost_workers_fail_their_videos(tmp_path):
    store = BatchStore(tmp_path)
    run, _, _ = start_run(store, {k: (tmp_path / k, tmp_path / f"{k}.eaf") for k in ("a", "b", "c")}, {})
    now = time.time()
    store.write(VideoState("a", "a", "a.eaf", status=RUNNING, run=run, worker="m:1", heartbeat=now))
    store.write(VideoState("b", "b", "b.eaf", status=RUNNING, run=run, worker="m:2", heartbeat=now - 1000))
    store.write(VideoState("c", "c", "c.eaf", status=RUNNING, run=run, worker="m:3", heartbeat=now))
    assert mark_lost(store, run, stale_after=300, dead_workers={"m:1"}) == ["a", "b"]
    assert "m:1 stopped" in store.read("a").error and "no sign of life for 300 s" in store.read("b").error
    assert store.read("c").status == RUNNING


@pytest.mark.slow
def test_sqlite_broker_corrupt_video_in_the_middle_and_resume_after_a_kill(tmp_path):
    source = corpus_folder(
        tmp_path / "in", {"a_soup.mp4": "SOUP.mp4", "b_broken.mp4": None, "c_football.mp4": "FOOTBALL.mp4"}
    )
    out = tmp_path / "out"
    first = subprocess.Popen(
        kslars("corpus", "annotate", str(source), "-o", str(out), "--workers", "1"),
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its worker shares its process group, so the test can wait for both to be gone
    )
    store = BatchStore(out)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline and [s.status for s in store.states()] != [DONE, FAILED, RUNNING]:
        time.sleep(0.2)
    first.kill()  # SIGKILL while c_football is being annotated; the kernel stops the worker (die_with_parent)
    first.wait()
    wait_for_group(first.pid)
    before = {s.key: s for s in store.states()}
    assert [s.status for s in before.values()] == [DONE, FAILED, RUNNING], before
    assert not (out / "c_football.eaf").exists()

    second = subprocess.run(
        kslars("corpus", "annotate", str(source), "-o", str(out), "--workers", "1"),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert second.returncode == 1, second.stdout + second.stderr  # 1: a video failed
    assert "3 videos: 1 finished before (not redone), 2 to annotate" in second.stdout
    assert "b_broken: " in second.stdout.split("Failed videos:")[1]
    report = by_key(status(out))
    assert report["a_soup"]["started"] == before["a_soup"].started  # not annotated again
    assert report["a_soup"]["run"] == before["a_soup"].run
    assert report["c_football"]["run"] == report["b_broken"]["run"] != before["c_football"].run  # redone
    assert report["b_broken"]["status"] == FAILED and "not a readable video" in report["b_broken"]["error"]
    for key in ("a_soup", "c_football"):
        assert report[key]["status"] == DONE
        doc = formats.read(out / f"{key}.eaf")
        assert doc.has_tier("Signs") and len(doc.tier("Signs").annotations) == report[key]["signs"] > 0
    assert not list(out.glob("*.part")) and not list(out.glob(".*.part"))


def wait_for_group(pgid: int, timeout: float = 120) -> None:
    """Wait until no process of the group is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.5)
    os.killpg(pgid, signal.SIGKILL)
    pytest.fail("the batch's worker did not stop after its command was killed")


@pytest.mark.slow
@pytest.mark.redis
def test_redis_broker_with_a_worker_started_apart(tmp_path):
    require_server(REDIS_URL, "Redis")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    source = corpus_folder(tmp_path / "in", {"a_soup.mp4": "SOUP.mp4", "b_broken.mp4": None})
    write_video(source / "c_empty.mp4", frames=20)  # a moving bar: nobody to annotate
    out = tmp_path / "out"
    queued = subprocess.run(
        kslars("corpus", "annotate", str(source), "-o", str(out), "--broker", REDIS_URL, "--workers", "0", "--no-wait"),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert queued.returncode == 0, queued.stderr
    assert "3 to annotate" in queued.stdout and "redis://127.0.0.1:6379/15" in queued.stdout
    assert {v["status"] for v in status(out)["videos"]} == {QUEUED}
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        kslars("corpus", "worker", "--broker", REDIS_URL), cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while time.monotonic() < deadline:
            report = status(out)
            if report["summary"]["done"] + report["summary"]["failed"] == 3:
                break
            time.sleep(1)
    finally:
        worker.send_signal(signal.SIGQUIT)
        worker.wait(timeout=30)
        log.close()
    videos = by_key(report)
    assert videos["a_soup"]["status"] == DONE and (out / "a_soup.eaf").is_file(), videos
    assert videos["b_broken"]["status"] == FAILED and "not a readable video" in videos["b_broken"]["error"]
    assert videos["c_empty"]["status"] == FAILED and "nobody" in videos["c_empty"]["error"]
    assert "kslars.corpus.annotate_video" in (tmp_path / "worker.log").read_text(errors="replace")


@pytest.mark.slow
def test_an_interrupted_run_puts_its_video_back_in_the_queue(tmp_path):
    source = corpus_folder(tmp_path / "in", {"a_football.mp4": "FOOTBALL.mp4"})
    out = tmp_path / "out"
    command = subprocess.Popen(
        kslars("corpus", "annotate", str(source), "-o", str(out)),
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    store = BatchStore(out)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline and [s.status for s in store.states()] != [RUNNING]:
        time.sleep(0.2)
    command.send_signal(signal.SIGTERM)  # as Ctrl+C: the worker is stopped at once
    _, errors = command.communicate(timeout=60)
    wait_for_group(command.pid)
    assert command.returncode == 130 and "run the same command again" in errors
    [state] = store.states()
    assert (state.status, state.message, state.worker) == (QUEUED, "interrupted", None)
    assert not (out / "a_football.eaf").exists()
    assert "1 to annotate" in status_line(out)


def status_line(out: Path) -> str:
    """What `kslars corpus annotate --no-wait` says when started again on ``out`` (queues on a fresh broker)."""
    source = out.parent / "in"
    again = subprocess.run(
        kslars("corpus", "annotate", str(source), "-o", str(out), "--no-wait"),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr
    return again.stdout
