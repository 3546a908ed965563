"""Speed, memory and segmentation agreement of ``kslars annotate`` against per-frame MediaPipe Holistic.

Baseline (measured in the same run): pose-format's ``pose_video`` (the code behind its ``video_to_pose``
command), MediaPipe Holistic on every frame in a single process. K-SLARS: ``kslars annotate`` with the
full pipeline (landmarks, segmentation, handshapes, orientation) and ``--jobs 2``.

The test video is made from the real signing clips in ../shared/data (pose-format's test video, the
Slovo clip, the FOOTBALL and SOUP signs), scaled to one size and joined end to end with PyAV until it
lasts ``--seconds``. For memory, a 1-minute and a 10-minute video made the same way are annotated and
the peak memory of the whole process tree (sampled from /proc) is compared. Everything is written to a
temporary folder.

    .venv/bin/python benchmarks/bench_annotate.py [--seconds 60] [--repeats 2] [--long-minutes 10] [--skip-memory]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KSLARS_SHARED_DATA", REPO.parent / "shared" / "data"))
CLIPS = [
    "sign-language-processing__pose/src/python/tests/data/test_video.mp4",
    "hukenovs__slovo/examples/f17a6060-6ced-4bd1-9886-8578cfbb864f.mp4",
    "sign-language-processing__pose/videos/FOOTBALL.mp4",
    "sign-language-processing__pose/videos/SOUP.mp4",
]
SIZE = (540, 720)  # width, height of the joined video (pose-format's test video)
FPS = 30


def make_video(path: Path, seconds: float) -> Path:
    """Join the real clips (letterboxed to SIZE, 30 fps) end to end until ``seconds`` of video are written."""
    import av

    width, height = SIZE
    frames_needed = int(seconds * FPS)
    written = 0
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "23"}
        while written < frames_needed:
            for clip in CLIPS:
                with av.open(str(SHARED / clip)) as source:
                    for frame in source.decode(video=0):
                        if written >= frames_needed:
                            break
                        canvas = np.zeros((height, width, 3), np.uint8)
                        scale = min(width / frame.width, height / frame.height)
                        w, h = int(frame.width * scale) // 2 * 2, int(frame.height * scale) // 2 * 2
                        rgb = frame.to_ndarray(format="rgb24", width=w, height=h)
                        y, x = (height - h) // 2, (width - w) // 2
                        canvas[y : y + h, x : x + w] = rgb
                        picture = av.VideoFrame.from_ndarray(canvas, format="rgb24")
                        picture.pts = written
                        for packet in stream.encode(picture):
                            out.mux(packet)
                        written += 1
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in kB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        todo += children.get(p, [])
    return total


def timed(command: list[str]) -> tuple[float, int, float]:
    """Run ``command``; return wall seconds, the peak resident memory of its process tree in MB and the CPU
    seconds of that tree (which other work on the machine does not inflate)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output, _ = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output[-3000:]}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, peak // 1024, cpu


def baseline_command(video: Path, pose: Path) -> list[str]:
    """pose-format's per-frame Holistic (model_complexity=1, one process), as its video_to_pose runs it."""
    code = (
        "import sys; from pose_format.bin.pose_estimation import pose_video; "
        "pose_video(sys.argv[1], sys.argv[2], 'mediapipe', {'model_complexity': 1}, progress=False)"
    )
    return [sys.executable, "-c", code, str(video), str(pose)]


def annotate_command(video: Path, out: Path, landmarks_dir: Path, full: bool) -> list[str]:
    """``kslars annotate`` on two processes."""
    extra = [] if full else ["--no-handshapes", "--no-orientation"]
    return [
        str(Path(sys.executable).parent / "kslars"),
        "annotate",
        str(video),
        "-o",
        str(out),
        "--jobs",
        "2",
        "--landmarks-dir",
        str(landmarks_dir),
        *extra,
    ]


def sign_agreement(baseline_pose: Path, ours: Path) -> dict[str, float]:
    """Signs found from the baseline's every-frame landmarks vs. those in our output (both by the same model)."""
    from kslars import formats
    from kslars.engine.segmentation import segment_landmarks
    from kslars.engine.segmentation.metrics import best_iou
    from kslars.vision.pose_file import read_landmarks

    reference = [(s.start_ms, s.end_ms) for s in segment_landmarks(read_landmarks(baseline_pose)).signs]
    predicted = [(a.start_ms, a.end_ms) for a in formats.read(ours).tier("Signs").annotations]
    ious = [best_iou(r, predicted) for r in reference]
    return {
        "baseline_signs": len(reference),
        "our_signs": len(predicted),
        "mean_best_iou": float(np.mean(ious)) if ious else 0.0,
    }


def _full_pipeline_available() -> bool:
    try:
        import kslars.engine.handshape  # noqa: F401
        import kslars.engine.orientation  # noqa: F401
    except ImportError:
        return False
    return (REPO / "kslars/engine/weights/handshape.pt").exists()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the speed test video")
    parser.add_argument("--long-minutes", type=float, default=10.0, help="length of the long video for memory")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs of each, alternating; the fastest counts")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    full = _full_pipeline_available()
    with tempfile.TemporaryDirectory(prefix="kslars-bench-") as tmp:
        tmp = Path(tmp)
        video = make_video(tmp / "signing.mp4", args.seconds)
        print(
            f"video: {args.seconds:g} s of real signing clips joined, {SIZE[0]}x{SIZE[1]} at {FPS} fps; "
            f"{os.cpu_count()} CPU cores; pipeline: {'full' if full else 'segments only (no handshape model yet)'}"
        )
        # alternate the two and keep each one's fastest run: other work on a shared machine only slows runs down
        runs = [
            (
                timed(baseline_command(video, tmp / "baseline.pose")),
                timed(annotate_command(video, tmp / "ours.json", tmp / f"lm{i}", full)),
            )
            for i in range(args.repeats)
        ]
        base_s, base_mb, base_cpu = min(r[0] for r in runs)
        ours_s, ours_mb, ours_cpu = min(r[1] for r in runs)
        print(
            "runs (s): "
            + ", ".join(f"baseline {b[0]:.1f} / ours {o[0]:.1f}" for b, o in runs)
            + f"; load average {os.getloadavg()[0]:.1f}"
        )
        print(f"baseline (Holistic every frame, 1 process): {base_s:7.1f} s  CPU {base_cpu:6.1f} s  peak {base_mb} MB")
        print(f"kslars annotate --jobs 2:                  {ours_s:7.1f} s  CPU {ours_cpu:6.1f} s  peak {ours_mb} MB")
        print(
            f"speed-up: {base_s / ours_s:.2f}x   real-time factor: {args.seconds / ours_s:.2f}x "
            f"(baseline {args.seconds / base_s:.2f}x)   CPU work: {base_cpu / ours_cpu:.2f}x less"
        )
        print(f"sign agreement with every-frame landmarks: {sign_agreement(tmp / 'baseline.pose', tmp / 'ours.json')}")
        if not args.skip_memory:
            short = make_video(tmp / "one_minute.mp4", 60)
            long = make_video(tmp / "long.mp4", args.long_minutes * 60)
            short_s, short_mb, _ = timed(annotate_command(short, tmp / "short.json", tmp / "lm_short", full))
            long_s, long_mb, _ = timed(annotate_command(long, tmp / "long.json", tmp / "lm_long", full))
            print(
                f"memory: 1 min {short_mb} MB ({short_s:.0f} s), {args.long_minutes:g} min {long_mb} MB "
                f"({long_s:.0f} s); ratio {long_mb / short_mb:.2f}"
            )


if __name__ == "__main__":
    main()
