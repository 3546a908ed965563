"""``kslars corpus annotate``, ``kslars corpus status`` and ``kslars corpus worker``: automatic annotation of a whole
corpus over Celery workers (docs/corpus.md, "Annotating a whole corpus")."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import click

from kslars.cli_errors import fail
from kslars.corpus.batch import (
    DONE,
    FAILED,
    HEARTBEAT_SECONDS,
    RUNNING,
    BatchStore,
    VideoState,
    mark_lost,
    plan_batch,
    release,
    start_run,
    summarise,
)

WORKER_RESTARTS = 5  # local workers started again after dying, in one run
STOP_TIMEOUT_S = 15
POLL_SECONDS = 0.5


def shown_url(url: str) -> str:
    """A broker URL with its password hidden."""
    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


@click.command("annotate")
@click.argument("source", type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Folder for the results.")
@click.option(
    "--broker",
    envvar="KSLARS_BROKER_URL",
    help="Celery broker, e.g. redis://host:6379/0 for workers on several machines "
    "[env: KSLARS_BROKER_URL; default: an SQLite file in OUTPUT/.kslars-batch, for workers on this machine].",
)
@click.option(
    "--workers",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="Worker processes to start on this machine (0: only queue the videos, for workers started elsewhere).",
)
@click.option("--format", "fmt", type=click.Choice(["eaf", "json", "csv"]), default="eaf", show_default=True)
@click.option("--root", type=click.Path(file_okay=False), help="The corpus folder a manifest's paths start from.")
@click.option("--hands", type=click.Choice(["both", "right", "left"]), default="both", show_default=True)
@click.option("--nonmanual/--no-nonmanual", default=False, show_default=True, help="Eyebrows, head and mouth tiers.")
@click.option(
    "--landmarks-dir",
    type=click.Path(file_okay=False),
    help="Keep each video's landmarks here (KEY.pose) and reuse them when a video is annotated again.",
)
@click.option(
    "--retry-failed/--skip-failed",
    default=True,
    show_default=True,
    help="Whether videos that failed in an earlier run are tried again.",
)
@click.option("--wait/--no-wait", default=True, show_default=True, help="Follow the batch until it ends.")
@click.option(
    "--stale-after",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    help="Seconds without a sign of life after which a running video's worker counts as lost.",
)
def annotate(
    source: str,
    output: str,
    broker: str | None,
    workers: int,
    fmt: str,
    root: str | None,
    hands: str,
    nonmanual: bool,
    landmarks_dir: str | None,
    retry_failed: bool,
    wait: bool,
    stale_after: float,
) -> None:
    """Annotate every video of SOURCE (a folder of videos, or a manifest from `kslars corpus manifest`) with the
    engine of `kslars annotate`, one Celery task per video, writing OUTPUT/<the video's path>.eaf.

    Progress is printed and kept in OUTPUT/.kslars-batch (see `kslars corpus status OUTPUT`). Run the same command
    again after an interruption: finished videos are not redone. A video that cannot be annotated is listed with
    its error and the others go on (exit status 1 when some failed)."""
    from kslars.corpus.batch_worker import send_videos, sqlite_broker
    from kslars.corpus.sources import corpus_videos
    from kslars.document import DocumentError

    out = Path(output)
    try:
        folder, videos = corpus_videos(source, root)
        if not videos:
            fail(f"no video in {source}")
        plan = plan_batch(folder, videos, out, fmt)
    except (DocumentError, ValueError, OSError) as e:
        fail(str(e))
    out.mkdir(parents=True, exist_ok=True)
    broker_url = broker or sqlite_broker(out)
    store = BatchStore(out)
    options = {
        "hands": hands,
        "nonmanual": nonmanual,
        "landmarks_dir": str(Path(landmarks_dir).resolve()) if landmarks_dir else None,
    }
    run, todo, finished = start_run(store, plan, options, retry_failed)
    click.echo(f"{len(plan)} videos: {len(finished)} finished before (not redone), {len(todo)} to annotate")
    if todo:
        try:
            send_videos(broker_url, out, todo, run)
        except Exception as e:  # noqa: BLE001 - kombu raises many kinds for an unreachable broker
            fail(f"cannot queue the videos on the broker {shown_url(broker_url)}: {e}")
        click.echo(f"Queued on {shown_url(broker_url)}")
    if todo and workers == 0:
        click.echo(f"No worker started here: start them with `kslars corpus worker --broker {shown_url(broker_url)}`")
    if not wait or not todo:
        if todo:
            click.echo(f"Follow the batch with: kslars corpus status {out}")
        else:
            report(store)
        return
    follow(store, run, broker_url, workers, stale_after)


def follow(store: BatchStore, run: str, broker_url: str, workers: int, stale_after: float) -> None:
    """Start the local workers, print progress until every video of the run has finished, then the report."""
    from kslars.corpus.batch_worker import start_local_worker, worker_core

    host = socket.gethostname()
    children: list[subprocess.Popen] = []

    def start(number: int) -> subprocess.Popen:
        name = f"corpus{number}-{os.getpid()}@{host}"
        return start_local_worker(broker_url, name, store.folder / f"worker-{number}.log", core=worker_core(number - 1))

    restarts = 0
    previous_handler = signal.signal(signal.SIGTERM, interrupt)
    try:
        children = [start(i + 1) for i in range(workers)]
        shown: dict[str, tuple[str, int]] = {}
        last_step: tuple[int, ...] = ()
        while True:
            dead = {f"{host}:{child.pid}" for child in children if child.poll() is not None}
            if dead:
                mark_lost(store, run, stale_after, dead)
                for i, child in enumerate(children):
                    if child.poll() is not None:
                        if restarts >= WORKER_RESTARTS:
                            raise click.ClickException(
                                "the local workers keep stopping; see OUTPUT/.kslars-batch/worker-*.log"
                            )
                        restarts += 1
                        click.echo(
                            f"worker {i + 1} stopped (exit code {child.returncode}); starting it again", err=True
                        )
                        children[i] = start(i + 1)
            mark_lost(store, run, stale_after)
            states = store.states()
            for state in states:
                seen = (state.status, int(state.progress * 10))
                if state.run == run and shown.get(state.key) != seen:
                    shown[state.key] = seen
                    click.echo(video_line(state))
            summary = summarise(states)
            if summary.running == 0 and summary.queued == 0:
                break
            step = (summary.done, summary.failed, summary.running, int(summary.fraction * 10))
            if step != last_step:  # on a change of counts or every tenth of the work
                last_step = step
                click.echo(summary.line())
            time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        click.echo("\nInterrupted: finished videos are kept; run the same command again to go on.", err=True)
        stop_workers(children, at_once=True)
        release(store, run, {f"{host}:{child.pid}" for child in children})
        sys.exit(130)
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
    stop_workers(children)
    report(store)


def interrupt(signum: int, frame: object) -> None:
    """SIGTERM handler: stop following the batch as on Ctrl+C."""
    raise KeyboardInterrupt


def stop_workers(children: list[subprocess.Popen], at_once: bool = False) -> None:
    """Stop the local workers: idle ones by Celery's warm shutdown, or ``at_once`` by SIGKILL, abandoning the video
    in progress (its output is written whole or not at all, so the next run simply does it again)."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGKILL if at_once else signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def video_line(state: VideoState) -> str:
    """One video's state for the terminal."""
    if state.status == FAILED:
        return f"  {state.key}: failed: {state.error}"
    if state.status == DONE:
        return f"  {state.key}: done ({state.signs} signs) -> {state.output}"
    if state.status == RUNNING:
        silent = time.time() - (state.heartbeat or time.time())
        quiet = f", no sign of life for {silent:.0f} s" if silent > 3 * HEARTBEAT_SECONDS else ""
        return f"  {state.key}: {state.progress:.0%} {state.message} [{state.worker}{quiet}]"
    return f"  {state.key}: {state.status}"


def report(store: BatchStore) -> None:
    """The summary and the failed videos with their errors; exit status 1 when some failed."""
    states = store.states()
    summary = summarise(states)
    click.echo(summary.line())
    failed = [s for s in states if s.status == FAILED]
    if failed:
        click.echo("Failed videos:")
        for state in failed:
            click.echo(f"  {state.key}: {state.error}")
        sys.exit(1)


@click.command("status")
@click.argument("output", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: the summary and every video's state.")
def status(output: str, as_json: bool) -> None:
    """The progress of the batch annotation writing to OUTPUT: every video's state and the corpus summary."""
    store = BatchStore(Path(output))
    batch = store.read_batch()
    if batch is None:
        fail(f"no batch annotation in {output} (start one with `kslars corpus annotate SOURCE -o {output}`)")
    states = store.states()
    if as_json:
        data = {"run": batch["run"], "summary": asdict(summarise(states)), "videos": [asdict(s) for s in states]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for state in states:
        click.echo(video_line(state))
    click.echo(summarise(states).line())


@click.command("worker")
@click.option(
    "--broker",
    envvar="KSLARS_BROKER_URL",
    help="The broker the batch was queued on, e.g. redis://host:6379/0 [env: KSLARS_BROKER_URL].",
)
@click.option("--loglevel", default="INFO", show_default=True, type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]))
def worker(broker: str | None, loglevel: str) -> None:
    """Run a batch annotation worker, e.g. on another machine: it annotates the videos queued by `kslars corpus
    annotate --broker URL`, one at a time on one thread. The videos and the output folder must be at the same paths
    as on the machine that queued them (shared storage)."""
    if not broker:
        fail("give the broker with --broker or KSLARS_BROKER_URL (an SQLite broker serves workers on its machine only)")
    from kslars.corpus.batch_worker import make_app, worker_arguments

    make_app(broker).worker_main([*worker_arguments(f"corpus-{os.getpid()}@{socket.gethostname()}", loglevel)])
