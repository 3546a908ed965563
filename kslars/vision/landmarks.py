"""MediaPipe Holistic landmarks for a whole video, in parallel chunks, streamed to a .pose file.

Each worker process decodes its own time range of the video (seeking to it), runs its own Holistic
instance on the sampled frames and appends every frame's landmarks to temporary files; the main process
only follows progress. The chunks' files are then joined into one .pose file and the body and hand
landmarks read back through a memory map, so memory stays flat however long the video is.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing as mp
import os
import queue
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kslars.vision.pose_file import COMPONENTS, TOTAL_POINTS, Landmarks, read_landmarks, write_pose
from kslars.vision.video import VideoError, probe_video, sample_frames

ProgressCallback = Callable[[float, str], None]
CancelCheck = Callable[[], bool]

# Chunks shorter than this are not worth a process of their own (starting MediaPipe takes about a second).
MIN_CHUNK_MS = 8000


class Cancelled(Exception):
    """The caller asked to stop (its ``should_cancel()`` returned True)."""


class NoSignerError(VideoError):
    """MediaPipe found nobody in the video."""


@dataclass(frozen=True)
class Chunk:
    """A range of sample slots that one worker processes; ``stop`` None means "to the end of the video"."""

    index: int
    start: int
    stop: int | None


def plan_chunks(expected_slots: int, jobs: int, fps: float, min_chunk_ms: int = MIN_CHUNK_MS) -> list[Chunk]:
    """Split ``expected_slots`` samples into at most ``jobs`` consecutive chunks of at least ``min_chunk_ms``."""
    min_slots = max(1, math.ceil(min_chunk_ms * fps / 1000))
    count = max(1, min(jobs, expected_slots // min_slots))
    bounds = [round(i * expected_slots / count) for i in range(count)]
    return [Chunk(i, bounds[i], bounds[i + 1] if i + 1 < count else None) for i in range(count)]


def _frame_landmarks(results, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    """(576, 3) coordinates in pixels and (576,) confidences from one Holistic result, pose-format's layout."""
    data = np.zeros((TOTAL_POINTS, 3), np.float32)
    conf = np.zeros(TOTAL_POINTS, np.float32)
    sources = (
        (results.pose_landmarks, True, True),
        (results.face_landmarks, True, False),
        (results.left_hand_landmarks, True, False),
        (results.right_hand_landmarks, True, False),
        (results.pose_world_landmarks, False, True),
    )
    start = 0
    for (_name, n), (component, scale, has_visibility) in zip(COMPONENTS, sources, strict=True):
        if component is not None:
            points = component.landmark
            xyz = np.array([[p.x, p.y, p.z] for p in points], np.float32)
            if scale:
                xyz[:, 0] *= width
                xyz[:, 1] *= height
            data[start : start + n] = xyz
            conf[start : start + n] = [p.visibility for p in points] if has_visibility else 1.0
        start += n
    return data, conf


@contextlib.contextmanager
def _native_logs_silenced() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null: MediaPipe's C++ start-up chatter is no use to annotators."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _process_chunk(
    video_path: str,
    fps: float,
    chunk: Chunk,
    workdir: str,
    report: Callable[[int], None],
    cancelled: Callable[[], bool],
) -> int:
    """Run Holistic over one chunk, appending landmarks to ``chunk<i>.data``/``.conf`` files; returns slot count."""
    import mediapipe as mp_solutions

    info = probe_video(video_path)
    with _native_logs_silenced():
        holistic = mp_solutions.solutions.holistic.Holistic(
            static_image_mode=False, model_complexity=1, refine_face_landmarks=False
        )
        holistic.process(np.zeros((64, 64, 3), np.uint8))  # the first call loads the models (and logs)
    count = 0
    try:
        with (
            open(Path(workdir, f"chunk{chunk.index}.data"), "wb") as data_file,
            open(Path(workdir, f"chunk{chunk.index}.conf"), "wb") as conf_file,
        ):
            for sampled in sample_frames(video_path, fps, chunk.start, chunk.stop):
                if cancelled():
                    raise Cancelled()
                if count == 0:  # the first picture with a person in it logs once more
                    with _native_logs_silenced():
                        results = holistic.process(sampled.rgb)
                else:
                    results = holistic.process(sampled.rgb)
                data, conf = _frame_landmarks(results, info.width, info.height)
                for _ in sampled.slots:
                    data_file.write(data.tobytes())
                    conf_file.write(conf.tobytes())
                count += len(sampled.slots)
                report(len(sampled.slots))
    finally:
        holistic.close()
    return count


def _worker(video_path: str, fps: float, chunk: Chunk, workdir: str, messages, stop_event) -> None:  # noqa: ANN001
    """Process entry point: runs one chunk and reports ("progress"|"done"|"error"|"cancelled", index, payload).

    Its standard error goes to /dev/null: everything it has to say travels through ``messages``.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        count = _process_chunk(
            video_path,
            fps,
            chunk,
            workdir,
            lambda n: messages.put(("progress", chunk.index, n)),
            stop_event.is_set,
        )
        messages.put(("done", chunk.index, count))
    except Cancelled:
        messages.put(("cancelled", chunk.index, 0))
    except VideoError as exc:
        messages.put(("error", chunk.index, str(exc)))
    except Exception:  # noqa: BLE001 - the parent turns this into a clear error
        messages.put(("error", chunk.index, traceback.format_exc()))


def _run_in_processes(
    video_path: str,
    fps: float,
    chunks: list[Chunk],
    workdir: str,
    on_progress: Callable[[int], None],
    should_cancel: CancelCheck,
) -> dict[int, int]:
    ctx = mp.get_context("spawn")
    messages = ctx.Queue()
    stop_event = ctx.Event()
    procs = [
        ctx.Process(target=_worker, args=(video_path, fps, c, workdir, messages, stop_event), daemon=True)
        for c in chunks
    ]
    for p in procs:
        p.start()
    counts: dict[int, int] = {}
    error: str | None = None
    try:
        while len(counts) < len(chunks) and error is None:
            if should_cancel():
                stop_event.set()
                raise Cancelled()
            try:
                kind, index, payload = messages.get(timeout=0.2)
            except queue.Empty:
                dead = [i for i, p in enumerate(procs) if not p.is_alive() and i not in counts]
                if dead and messages.empty():
                    error = f"landmark worker for chunk {dead[0]} stopped unexpectedly (exit code {procs[dead[0]].exitcode})"
                continue
            if kind == "progress":
                on_progress(payload)
            elif kind == "done":
                counts[index] = payload
            elif kind == "error":
                error = payload
            elif kind == "cancelled":
                raise Cancelled()
    finally:
        stop_event.set()
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
                p.join()
    if error is not None:
        raise VideoError(error)
    return counts


def extract_landmarks(
    video_path: str | Path,
    pose_path: str | Path,
    fps: float | None = None,
    jobs: int = 1,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    min_chunk_ms: int = MIN_CHUNK_MS,
) -> Landmarks:
    """Run MediaPipe Holistic over ``video_path`` and write every landmark to ``pose_path``; return body and hands.

    ``fps`` is the sampling rate (the video's own rate when None); ``jobs`` processes work on consecutive
    chunks. ``progress(fraction, message)`` is called as frames complete; ``should_cancel()`` returning True
    stops the work with :class:`Cancelled`. A daemon process (such as a Celery prefork worker) always works
    alone, as it may not start processes of its own. Raises VideoError for unusable video and NoSignerError when no
    person is seen; in every failure no .pose file is left behind.
    """
    video_path = str(video_path)
    pose_path = Path(pose_path)
    info = probe_video(video_path)
    fps = float(fps or info.fps)
    duration_ms = info.duration_ms or (info.frame_count * 1000 / info.fps if info.frame_count else 0)
    expected = max(1, math.ceil(duration_ms * fps / 1000))
    if mp.current_process().daemon:  # e.g. a Celery prefork worker: it may not start processes of its own
        jobs = 1
    chunks = plan_chunks(expected, max(1, jobs), fps, min_chunk_ms)
    should_cancel = should_cancel or (lambda: False)
    done = 0

    def on_progress(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done / expected, 1.0), f"landmarks: {done}/{expected} frames")

    with tempfile.TemporaryDirectory(prefix="kslars-landmarks-") as workdir:
        if len(chunks) == 1:
            counts = {0: _process_chunk(video_path, fps, chunks[0], workdir, on_progress, should_cancel)}
        else:
            counts = _run_in_processes(video_path, fps, chunks, workdir, on_progress, should_cancel)
        total = _chunk_total(chunks, counts)
        if total == 0:
            raise VideoError(f"{video_path}: no frame could be decoded")
        data_parts, conf_parts = _chunk_parts(workdir, chunks, counts)
        body_conf = np.concatenate([c[:, : COMPONENTS[0][1]] for c in conf_parts])
        if not (body_conf.max(axis=1) > 0).any():
            raise NoSignerError(f"{video_path}: MediaPipe found nobody in the video; a signer must be visible")
        write_pose(pose_path, info.width, info.height, fps, data_parts, conf_parts, total)
        del data_parts, conf_parts
    if progress is not None:
        progress(1.0, f"landmarks: {total} frames")
    return read_landmarks(pose_path)


def _chunk_total(chunks: list[Chunk], counts: dict[int, int]) -> int:
    total = 0
    for chunk in chunks:
        n = counts.get(chunk.index, 0)
        if n:
            total = max(total, chunk.start) + n
    return total


def _chunk_parts(workdir: str, chunks: list[Chunk], counts: dict[int, int]) -> tuple[list, list]:
    """Memory maps of each chunk's files, with empty (unseen) frames where a chunk ended early."""
    data_parts, conf_parts = [], []
    position = 0
    for chunk in chunks:
        n = counts.get(chunk.index, 0)
        if n == 0:
            continue
        gap = chunk.start - position
        if gap > 0:  # an earlier chunk stopped short (e.g. a damaged stretch): leave those frames unseen
            data_parts.append(np.zeros((gap, TOTAL_POINTS, 3), np.float32))
            conf_parts.append(np.zeros((gap, TOTAL_POINTS), np.float32))
        data_parts.append(
            np.memmap(Path(workdir, f"chunk{chunk.index}.data"), np.float32, "r", shape=(n, TOTAL_POINTS, 3))
        )
        conf_parts.append(
            np.memmap(Path(workdir, f"chunk{chunk.index}.conf"), np.float32, "r", shape=(n, TOTAL_POINTS))
        )
        position = max(position, chunk.start) + n
    return data_parts, conf_parts
