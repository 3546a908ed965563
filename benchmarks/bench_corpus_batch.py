"""Throughput of batch corpus annotation (``kslars corpus annotate``) with 1 and with 2 Celery workers.

The same videos (copies of the real clips in ../shared/data: SOUP, FOOTBALL and pose-format's test video, each
annotated by the whole engine: MediaPipe landmarks, segmentation, handshapes, orientation) are annotated once with
one local worker and once with two, each on the embedded SQLite broker in a fresh output folder. Workers are
started first and each takes its first video once its engine is loaded, so the times are of annotation, not of
starting Python. Printed per run: the wall time from queueing to the last output, the span from the first video
taken to the last finished, videos per minute over that span, the CPU time the workers used (per video, and as the
cores they kept busy on average); then the 2-worker/1-worker throughput ratio (goal >= 1.8). Each worker is kept
to one CPU core, as `kslars corpus annotate` keeps its local workers (torch, OpenMP and BLAS on one thread; MediaPipe's
own threads share the core), so two workers need two free cores to scale: the load average before each run is
printed, as other programs on the machine lower the ratio.

    .venv/bin/python benchmarks/bench_corpus_batch.py [--copies 2] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("KSLARS_SHARED_DATA", REPO.parent / "shared" / "data"))
CLIPS = (
    "sign-language-processing__pose/videos/SOUP.mp4",
    "sign-language-processing__pose/videos/FOOTBALL.mp4",
    "sign-language-processing__pose/src/python/tests/data/test_video.mp4",
)
TIMEOUT_S = 1800


def make_corpus(folder: Path, copies: int) -> list[Path]:
    """``copies`` copies of every clip under ``folder``."""
    folder.mkdir(parents=True)
    videos = []
    for copy in range(copies):
        for clip in CLIPS:
            source = SHARED / clip
            if not source.is_file():
                sys.exit(f"missing {source}: lay ../shared/data beside the repository or set KSLARS_SHARED_DATA")
            videos.append(folder / f"{copy}_{source.name}")
            shutil.copy(source, videos[-1])
    return videos


def run_batch(corpus: Path, videos: list[Path], out: Path, workers: int) -> dict[str, float]:
    """Annotate ``videos`` with ``workers`` local workers; wall time, busy span and throughput."""
    from kslars.corpus.batch import DONE, FAILED, BatchStore, plan_batch, start_run
    from kslars.corpus.batch_worker import send_videos, sqlite_broker, start_local_worker, worker_core

    store = BatchStore(out)
    broker = sqlite_broker(out)
    store.folder.mkdir(parents=True)
    logs = [out / f"worker-{i}.log" for i in range(workers)]
    children = [
        start_local_worker(broker, f"bench{i}-{os.getpid()}@%h", log, "INFO", worker_core(i))
        for i, log in enumerate(logs)
    ]
    try:
        while not all(" ready." in log.read_text(errors="replace") for log in logs):
            if any(child.poll() is not None for child in children):  # each worker loads the engine, then listens
                sys.exit(f"a worker stopped while starting: see {logs[0].parent}")
            time.sleep(0.2)
        run, todo, _ = start_run(store, plan_batch(corpus, videos, out), {"hands": "both", "nonmanual": False})
        queued = time.perf_counter()
        send_videos(broker, out, todo, run)
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            states = store.states()
            if all(s.status in (DONE, FAILED) for s in states):
                break
            time.sleep(0.5)
        wall = time.perf_counter() - queued
        cpu = sum(cpu_seconds(child.pid) for child in children)
    finally:
        for child in children:
            child.kill()
            child.wait()
    failed = [s for s in states if s.status != DONE]
    if failed:
        sys.exit(f"{len(failed)} videos not annotated: {failed[0].key}: {failed[0].error}")
    span = max(s.finished for s in states) - min(s.started for s in states)
    return {"wall": wall, "span": span, "per_minute": len(states) * 60 / span, "cpu": cpu, "cores": cpu / wall}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) a process has used, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=2, help="copies of each of the 3 clips (default 2: 6 videos)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"CPU cores: {os.cpu_count()}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-corpus-batch-") as tmp:
        videos = make_corpus(Path(tmp, "corpus"), args.copies)
        print(f"{len(videos)} videos")
        for workers in args.workers:
            load = os.getloadavg()[0]
            result = run_batch(Path(tmp, "corpus"), videos, Path(tmp, f"out-{workers}"), workers)
            results[workers] = result
            print(
                f"{workers} worker(s): wall {result['wall']:.1f} s, busy span {result['span']:.1f} s, "
                f"{result['per_minute']:.2f} videos/min; workers' CPU {result['cpu']:.1f} s "
                f"({result['cpu'] / len(videos):.1f} s per video, {result['cores']:.2f} cores busy on average; "
                f"load average before: {load:.2f})"
            )
    if 1 in results and 2 in results:
        print(
            f"throughput 2 workers / 1 worker: {results[2]['per_minute'] / results[1]['per_minute']:.2f}x (goal 1.8x)"
        )


if __name__ == "__main__":
    main()
