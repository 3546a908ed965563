"""Batch automatic annotation of a corpus: the plan, the state kept in the output folder, and the work on one video.

The state lives beside the results, so that any machine that sees the output folder sees the batch::

    OUT/.kslars-batch/batch.json          the current run: its id, options, and every video (key -> video, output)
    OUT/.kslars-batch/videos/KEY.json     one video's state: queued, running, done or failed; progress, message,
                                          error, the worker (host:pid) and its heartbeat, times, counts

A video is finished when its state says ``done`` and its output exists: the output is written whole under a
temporary name and renamed (``kslars.formats.write``), and only then is the state set to done, so an interrupted
video is never taken for a finished one. Every run has a new id; a worker skips a message of an earlier run (left in
the broker by an interrupted run), so a video is not annotated twice for one message. Pure Python: the Celery task
in :mod:`kslars.corpus.batch_worker` calls :func:`annotate_one`.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

STATE_FOLDER = ".kslars-batch"
BATCH_FILE = "batch.json"
HEARTBEAT_SECONDS = 5.0  # a running video's state is rewritten at least this often
PROGRESS_SECONDS = 1.0  # and at most this often for progress alone
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass
class VideoState:
    """What is known of one video of the batch."""

    key: str  # the output's path in OUT without its suffix
    video: str
    output: str
    status: str = QUEUED
    progress: float = 0.0
    message: str = ""
    error: str | None = None
    run: str = ""
    worker: str | None = None
    heartbeat: float | None = None
    started: float | None = None
    finished: float | None = None
    signs: int | None = None

    @property
    def finished_ok(self) -> bool:
        """Done, with its output in place."""
        return self.status == DONE and Path(self.output).is_file()


class BatchStore:
    """The state files of a batch in ``out/.kslars-batch``; writes are atomic and serialised within a process."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.folder = self.out / STATE_FOLDER
        self._lock = threading.Lock()

    def _video_file(self, key: str) -> Path:
        return self.folder / "videos" / f"{key}.json"

    def read_batch(self) -> dict[str, Any] | None:
        """The current run (None before the first)."""
        path = self.folder / BATCH_FILE
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def write_batch(self, batch: dict[str, Any]) -> None:
        """Replace the current run's description."""
        self._write(self.folder / BATCH_FILE, batch)

    def read(self, key: str) -> VideoState | None:
        """One video's state (None when it has none, or an unreadable one)."""
        path = self._video_file(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        known = {f.name for f in fields(VideoState)}
        return VideoState(**{k: v for k, v in data.items() if k in known})

    def write(self, state: VideoState) -> None:
        """Replace one video's state."""
        self._write(self._video_file(state.key), asdict(state))

    def states(self) -> list[VideoState]:
        """The states of the current run's videos, in its order (a video without a state file counts as queued)."""
        batch = self.read_batch() or {"videos": {}}
        return [
            self.read(key) or VideoState(key, item["video"], item["output"], run=batch.get("run", ""))
            for key, item in batch["videos"].items()
        ]

    def _write(self, path: Path, data: dict[str, Any]) -> None:
        with self._lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.part")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, path)


def plan_batch(folder: Path, videos: list[Path], out: Path, fmt: str = "eaf") -> dict[str, tuple[Path, Path]]:
    """Key -> (video, output) for every video: the output keeps the video's path in ``folder`` (or its name, for a
    video outside it) with the suffix ``fmt``; ValueError when two videos would write the same output."""
    plan: dict[str, tuple[Path, Path]] = {}
    root = folder.resolve()
    for video in videos:
        video = video.resolve()
        relative = video.relative_to(root) if video.is_relative_to(root) else Path(video.name)
        key = relative.with_suffix("").as_posix()
        if key in plan:
            raise ValueError(f"{plan[key][0]} and {video} would both be written to {key}.{fmt}: rename one")
        plan[key] = (video, (out / relative).with_suffix(f".{fmt}").resolve())
    return plan


def start_run(
    store: BatchStore, plan: dict[str, tuple[Path, Path]], options: dict[str, Any], retry_failed: bool = True
) -> tuple[str, list[str], list[str]]:
    """Begin a new run over ``plan``: (run id, keys to annotate, keys finished before). Finished videos are kept;
    failed ones are queued again unless ``retry_failed`` is False (then they stay failed and are not redone)."""
    run = uuid.uuid4().hex
    before = {key: store.read(key) for key in plan}
    finished = [key for key, state in before.items() if state is not None and state.finished_ok]
    kept = [key for key, state in before.items() if not retry_failed and state is not None and state.status == FAILED]
    todo = [key for key in plan if key not in finished and key not in kept]
    store.write_batch(
        {
            "run": run,
            "started": time.time(),
            "options": options,
            "videos": {key: {"video": str(video), "output": str(output)} for key, (video, output) in plan.items()},
        }
    )
    for key in todo:
        video, output = plan[key]
        store.write(VideoState(key, str(video), str(output), run=run))
    return run, todo, finished


def worker_id() -> str:
    """This process as a batch names its worker: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def annotate_one(out: Path, key: str, run: str) -> str:
    """Annotate one video of the batch in ``out`` (the Celery task's work) and return its final status; a message
    of an earlier run, or for a video finished already, is skipped ("skipped"). Never raises for a bad video: the
    error is written to the video's state, so the rest of the batch goes on."""
    from kslars import formats
    from kslars.engine.pipeline import AnnotateOptions, annotate_video

    store = BatchStore(out)
    batch = store.read_batch()
    state = store.read(key)
    if batch is None or batch.get("run") != run or state is None or state.finished_ok or state.status == RUNNING:
        return "skipped"
    now = time.time()
    state.status, state.worker, state.started, state.heartbeat = RUNNING, worker_id(), now, now
    state.progress, state.message, state.error = 0.0, "starting", None
    store.write(state)
    extra = batch["options"]
    landmarks = Path(extra["landmarks_dir"]) / f"{key}.pose" if extra.get("landmarks_dir") else None
    if landmarks is not None:
        landmarks.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _heartbeat(store, state) as report:
            options = AnnotateOptions(**{k: v for k, v in extra.items() if k != "landmarks_dir"}, jobs=1)
            doc = annotate_video(state.video, options, landmarks_path=landmarks, progress=report)
            Path(state.output).parent.mkdir(parents=True, exist_ok=True)
            formats.write(doc, state.output)
        state.status, state.progress, state.message = DONE, 1.0, "done"
        state.signs = len(doc.tier("Signs").annotations) if doc.has_tier("Signs") else 0
    except Exception as e:  # noqa: BLE001 - any failure of one video is recorded and the batch goes on
        state.status, state.error = FAILED, str(e) or type(e).__name__
        state.message = "failed"
    state.finished = state.heartbeat = time.time()
    store.write(state)
    return state.status


@contextmanager
def _heartbeat(store: BatchStore, state: VideoState) -> Iterator[Any]:
    """A progress callback for the block, and a thread that rewrites the state every few seconds meanwhile."""
    stop = threading.Event()
    last = [0.0]

    def report(fraction: float, message: str) -> None:
        state.progress, state.message = round(float(fraction), 3), message
        if time.monotonic() - last[0] >= PROGRESS_SECONDS:
            beat()

    def beat() -> None:
        last[0] = time.monotonic()
        state.heartbeat = time.time()
        store.write(state)

    def keep_beating() -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            beat()

    thread = threading.Thread(target=keep_beating, daemon=True)
    thread.start()
    try:
        yield report
    finally:
        stop.set()
        thread.join()


def mark_lost(
    store: BatchStore, run: str, stale_after: float, dead_workers: AbstractSet[str] = frozenset()
) -> list[str]:
    """Mark failed the running videos of ``run`` whose worker is known dead or gave no heartbeat for
    ``stale_after`` seconds; returns their keys."""
    lost = []
    now = time.time()
    for state in store.states():
        if state.status != RUNNING or state.run != run:
            continue
        if state.worker in dead_workers:
            state.error = f"the worker {state.worker} stopped while annotating this video (killed, out of memory?)"
        elif state.heartbeat is not None and now - state.heartbeat > stale_after:
            state.error = f"the worker {state.worker} gave no sign of life for {stale_after:g} s"
        else:
            continue
        state.status, state.message, state.finished = FAILED, "failed", now
        store.write(state)
        lost.append(state.key)
    return lost


def release(store: BatchStore, run: str, workers: set[str]) -> None:
    """Put the videos that ``workers`` (stopped on purpose) were annotating back in the queue's state."""
    for state in store.states():
        if state.status == RUNNING and state.run == run and state.worker in workers:
            state.status, state.progress, state.message, state.worker = QUEUED, 0.0, "interrupted", None
            store.write(state)


@dataclass
class Summary:
    """How far the run is: counts by status and the share of the work done."""

    total: int
    done: int
    failed: int
    running: int
    queued: int
    fraction: float

    def line(self) -> str:
        """One line for the terminal."""
        return (
            f"corpus: {self.done + self.failed}/{self.total} videos finished ({self.fraction:.0%}): {self.done} done, "
            f"{self.failed} failed, {self.running} running, {self.queued} queued"
        )


def summarise(states: list[VideoState]) -> Summary:
    """Counts and progress of a run's states (a failed video counts as finished work)."""
    count = {s: sum(state.status == s for state in states) for s in (QUEUED, RUNNING, DONE, FAILED)}
    work = sum(1.0 if s.status in (DONE, FAILED) else s.progress if s.status == RUNNING else 0.0 for s in states)
    fraction = work / len(states) if states else 1.0
    return Summary(len(states), count[DONE], count[FAILED], count[RUNNING], count[QUEUED], fraction)
