"""Time of the editor's landmark requests (GET /landmarks windows and /series) when the .pose file is read for
the request against answers from the in-process cache and 304 answers to the browser's cache.

A synthetic holistic .pose of a long video (default ten minutes at the engine's 15 fps, 83 MB, face mesh
included as the engine writes it) is stored as a project's landmarks in a throw-away data folder. Through
Django's test client, with the owner logged in:

- first: the cache emptied before each request, so the file is read and parsed (what every request cost before
  the cache existed, apart from building the JSON, which is now faster too);
- cached: the same requests with the file's prepared landmarks in memory;
- 304: the same requests with the ETag of the answer the browser holds (If-None-Match).

/landmarks asks for five-minute windows, as the editor does. Each time is the median of ``--repeat`` requests;
the ratios are first/cached and first/304.

    .venv/bin/python benchmarks/bench_landmarks_api.py [--minutes 10] [--fps 15] [--repeat 5]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from bench_annotation_edits import setup_django  # the same throw-away data folder and tables

WINDOW_MS = 300_000  # the editor's window (kslars/web/static/slan/js/skeleton.js)
WIDTH, HEIGHT = 1280, 720


def synthetic_blocks(frames: int, block: int = 1000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(data, confidence) blocks of a signer: a body swaying slowly about a resting pose, hands moving faster and
    unseen in about a quarter of the frames (in runs of a few seconds), as MediaPipe Holistic reports them."""
    from kslars.vision.pose_file import BODY_POINTS, FACE_POINTS, HAND_POINTS, TOTAL_POINTS

    rng = np.random.default_rng(7)
    rest = rng.uniform([0.3, 0.2, -0.1], [0.7, 0.9, 0.1], (TOTAL_POINTS, 3)) * [WIDTH, HEIGHT, 1]
    left = BODY_POINTS + FACE_POINTS
    drift = np.zeros(3)
    for start in range(0, frames, block):
        n = min(block, frames - start)
        t = np.arange(start, start + n)[:, None, None]
        sway = 20 * np.sin(t / 40.0 + rng.uniform(0, 6, (1, TOTAL_POINTS, 1)))
        data = rest + sway + rng.normal(0, 2, (n, TOTAL_POINTS, 3))
        hands = np.cumsum(rng.normal(0, 6, (n, 1, 3)), axis=0) + drift
        drift = hands[-1, 0]
        data[:, left : left + 2 * HAND_POINTS] += hands
        confidence = np.ones((n, TOTAL_POINTS), np.float32)
        for offset in (0, HAND_POINTS):  # each hand leaves the picture now and then
            unseen = (np.sin(t[:, 0, 0] / (37.0 + offset)) > 0.7)[:, None]
            confidence[:, left + offset : left + offset + HAND_POINTS] *= ~unseen
        yield data.astype(np.float32), confidence


def make_project(minutes: float, fps: float, folder: Path):
    """A project whose video has the synthetic landmarks of ``minutes`` minutes, and a client for its owner."""
    from django.contrib.auth import get_user_model
    from django.core.files import File
    from django.core.files.storage import default_storage
    from django.test import Client

    from kslars.vision.pose_file import write_pose
    from kslars.web.projects.models import Project, Video, VideoStatus

    frames = int(minutes * 60 * fps)
    blocks = list(synthetic_blocks(frames))
    pose = folder / "long.pose"
    write_pose(pose, WIDTH, HEIGHT, fps, (d for d, _ in blocks), (c for _, c in blocks), frames)
    owner = get_user_model().objects.create_user("owner", password="bench-password-1")
    project = Project.objects.create(owner=owner, name=f"{minutes} minutes")
    with open(pose, "rb") as f:
        stored = default_storage.save("videos/landmarks/long.pose", File(f))
    Video.objects.create(
        project=project,
        original="videos/original/long.mp4",
        landmarks=stored,
        original_name="long.mp4",
        status=VideoStatus.READY,
        fps=fps,
        duration_ms=int(minutes * 60_000),
        width=WIDTH,
        height=HEIGHT,
    )
    client = Client()
    client.force_login(owner)
    return project, client, pose.stat().st_size


def median_seconds(request: Callable[[], object], repeat: int, before: Callable[[], None] = lambda: None) -> float:
    """Median seconds of ``repeat`` calls of ``request``, each after ``before()`` (not timed)."""
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        request()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the time per request for each path and the ratios against reading the file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--fps", type=float, default=15)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kslars-bench-") as data_dir:
        setup_django(data_dir)
        from kslars.web.processing.landmark_cache import CACHE

        project, client, size = make_project(args.minutes, args.fps, Path(data_dir))
        base = f"/api/projects/{project.pk}"
        print(
            f"{args.minutes:g} minutes at {args.fps:g} fps: {int(args.minutes * 60 * args.fps)} frames, "
            f".pose {size / 1e6:.0f} MB"
        )
        print(
            f"{'request':<26} {'bytes':>11} {'first ms':>9} {'cached ms':>10} {'304 ms':>7} {'ratio':>8} "
            f"{'ratio 304':>10}"
        )
        for label, url in [
            ("/landmarks (first window)", f"{base}/landmarks?start_ms=0&end_ms={WINDOW_MS}"),
            ("/series", f"{base}/series"),
        ]:
            answer = client.get(url)
            assert answer.status_code == 200, answer.content[:200]
            tag = answer["ETag"]

            def get(url: str = url, **headers: str) -> None:
                response = client.get(url, **headers)
                assert response.status_code in (200, 304)

            first = median_seconds(get, args.repeat, before=CACHE.clear)
            get()
            cached = median_seconds(get, args.repeat)
            revalidated = median_seconds(functools.partial(get, HTTP_IF_NONE_MATCH=tag), args.repeat)
            print(
                f"{label:<26} {len(answer.content):>11,} {first * 1000:>9.1f} {cached * 1000:>10.1f} "
                f"{revalidated * 1000:>7.1f} {first / cached:>7.1f}x {first / revalidated:>9.1f}x"
            )
        print(
            f"memory the cache holds for this video: {CACHE.nbytes / 1e6:.1f} MB (it keeps at most "
            f"{CACHE.max_entries} files and {CACHE.max_bytes / 1e6:.0f} MB)"
        )


if __name__ == "__main__":
    main()
