"""The Celery side of batch annotation: an application of its own (no Django, no database), its one task, and
local worker processes.

The broker is the embedded SQLite file of the batch (``OUT/.kslars-batch/broker.sqlite3``, for workers on this
machine) or Redis (``redis://...``, for workers on several machines); the queue is ``kslars-corpus``, apart from
SLAN's jobs even on a shared Redis. A worker annotates one video at a time on one core: torch, OpenMP and BLAS are
limited to one thread before they load, and a local worker is kept to one CPU core (MediaPipe's own threads
included), so two workers on two cores do not fight over them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from functools import partial
from pathlib import Path

# one thread per worker, set before numpy, torch or MediaPipe are imported by anything in this process
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")
for _name in THREAD_VARIABLES:
    os.environ.setdefault(_name, "1")

from celery import Celery, signals  # noqa: E402 - after the thread limits

from kslars.child_process import die_with_parent  # noqa: E402

QUEUE = "kslars-corpus"
TASK = "kslars.corpus.annotate_video"
BROKER_VARIABLE = "KSLARS_BROKER_URL"


def sqlite_broker(out: Path) -> str:
    """The embedded broker of the batch in ``out``: an SQLite file in its state folder."""
    from kslars.corpus.batch import STATE_FOLDER

    return f"sqla+sqlite:///{(Path(out) / STATE_FOLDER / 'broker.sqlite3').resolve()}"


def make_app(broker_url: str | None) -> Celery:
    """A Celery application on ``broker_url`` with the batch's task; messages are acknowledged after the task ends
    (a video being annotated by a worker that dies is not lost from the broker) and fetched one at a time."""
    app = Celery("kslars-corpus", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=False,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_default_queue=QUEUE,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    app.task(name=TASK)(annotate_task)
    return app


def annotate_task(out: str, key: str, run: str) -> str:
    """The task: annotate video ``key`` of the batch in ``out`` (see :func:`kslars.corpus.batch.annotate_one`)."""
    from kslars.corpus.batch import annotate_one

    return annotate_one(Path(out), key, run)


def send_videos(broker_url: str, out: Path, keys: list[str], run: str) -> None:
    """Queue one task per video of ``keys``."""
    sender = make_app(broker_url)
    try:
        with sender.connection_for_write() as connection:
            for key in keys:
                sender.send_task(TASK, args=[str(Path(out).resolve()), key, run], queue=QUEUE, connection=connection)
    finally:
        sender.close()


def worker_arguments(name: str, loglevel: str = "WARNING") -> list[str]:
    """``celery worker`` arguments: one video at a time in the worker process itself, on the batch's queue."""
    return [
        "worker", "--pool", "solo", "--concurrency", "1", "--queues", QUEUE, "--loglevel", loglevel,
        "--without-gossip", "--without-mingle", "--hostname", name,
    ]  # fmt: skip


def start_local_worker(
    broker_url: str, name: str, log: Path | None = None, loglevel: str = "WARNING", core: int | None = None
) -> subprocess.Popen:
    """A worker process on this machine, killed when this process dies (a video in progress is left unfinished, its
    state "running", and redone by the next run), kept to CPU ``core`` when given; its output goes to ``log``."""
    env = {**os.environ, BROKER_VARIABLE: broker_url, **dict.fromkeys(THREAD_VARIABLES, "1")}
    command = [sys.executable, "-m", "celery", "-A", "kslars.corpus.batch_worker", *worker_arguments(name, loglevel)]
    with open(log if log is not None else os.devnull, "ab") as output:  # the child keeps its own copy
        return subprocess.Popen(
            command,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=partial(_prepare_child, core),
        )


def worker_core(number: int) -> int | None:
    """The CPU core for local worker ``number`` (0, 1, ...): the cores this process may use, in turn (None where the
    system cannot say). MediaPipe runs its graph on threads of its own, about two cores' worth while it extracts
    landmarks, whatever the thread variables say: kept to one core, each worker takes one core and N workers on N
    cores do not slow each other down."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cores = sorted(os.sched_getaffinity(0))
    return cores[number % len(cores)]


def _prepare_child(core: int | None) -> None:
    """In the worker process before it starts: die with its parent, and keep to ``core``."""
    die_with_parent(signal.SIGKILL)
    if core is not None:
        os.sched_setaffinity(0, {core})


@signals.worker_init.connect
def _warm_up(**_: object) -> None:
    """Before the first video: one torch thread, and the engine's heavy modules imported once for all videos."""
    import torch

    torch.set_num_threads(1)
    import mediapipe  # noqa: F401

    import kslars.engine.pipeline  # noqa: F401
    import kslars.engine.segmentation  # noqa: F401


# `celery -A kslars.corpus.batch_worker worker` and `kslars corpus worker` use this one, on KSLARS_BROKER_URL
app = make_app(os.environ.get(BROKER_VARIABLE))
