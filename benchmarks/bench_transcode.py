"""Speed of converting a video for the browser (kslars.vision.transcode) against plain decoding and real time.

Baseline (measured in the same run): decoding every frame of the same file with PyAV and discarding it, the
least any conversion has to do. K-SLARS: ``transcode_to_mp4`` (decode, scale to even size, libx264
``veryfast``, AAC, +faststart). The source is the real Slovo clip from ../shared/data (720x1280 H.264,
3.7 s) re-encoded as MPEG-4 Part 2 in AVI (what old cameras and screen recorders write) and repeated to
``--seconds``; also the FOOTBALL clip. Everything goes to a temporary folder.

    .venv/bin/python benchmarks/bench_transcode.py [--seconds 30]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KSLARS_SHARED_DATA", REPO.parent / "shared" / "data"))
CLIPS = [
    "hukenovs__slovo/examples/f17a6060-6ced-4bd1-9886-8578cfbb864f.mp4",
    "sign-language-processing__pose/videos/FOOTBALL.mp4",
]


def as_avi(source: Path, target: Path, seconds: float) -> Path:
    """Write ``source`` repeated until ``seconds`` long as MPEG-4 Part 2 in AVI."""
    import av

    with av.open(str(source)) as src:
        stream = src.streams.video[0]
        rate, width, height = stream.average_rate, stream.codec_context.width, stream.codec_context.height
        frames = [frame.to_ndarray(format="yuv420p") for frame in src.decode(stream)]
    wanted = int(seconds * float(rate))
    with av.open(str(target), "w") as out:
        video = out.add_stream("mpeg4", rate=rate)
        video.width, video.height, video.pix_fmt, video.bit_rate = width, height, "yuv420p", 4_000_000
        for i in range(wanted):
            frame = av.VideoFrame.from_ndarray(frames[i % len(frames)], format="yuv420p")
            for packet in video.encode(frame):
                out.mux(packet)
        for packet in video.encode(None):
            out.mux(packet)
    return target


def decode_only(path: Path) -> int:
    """Decode every frame and drop it; returns the frame count."""
    import av

    count = 0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _ in container.decode(stream):
            count += 1
    return count


def main() -> None:
    """Print decode time, conversion time, their ratio and the conversion's speed against real time."""
    from kslars.vision.probe import probe_media
    from kslars.vision.transcode import transcode_to_mp4

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each test video")
    args = parser.parse_args()
    print(f"{'video':<34} {'size':>9} {'length':>7} {'decode':>7} {'convert':>8} {'ratio':>6} {'x realtime':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for clip in CLIPS:
            source = as_avi(SHARED / clip, Path(folder) / (Path(clip).stem[:12] + ".avi"), args.seconds)
            info = probe_media(source)
            start = time.perf_counter()
            decode_only(source)
            decode_s = time.perf_counter() - start
            start = time.perf_counter()
            transcode_to_mp4(source, Path(folder) / "out.mp4")
            convert_s = time.perf_counter() - start
            length_s = info.duration_ms / 1000
            print(
                f"{source.name:<34} {info.width}x{info.height:<5} {length_s:6.1f}s {decode_s:6.2f}s "
                f"{convert_s:7.2f}s {convert_s / decode_s:5.1f}x {length_s / convert_s:9.2f}x"
            )


if __name__ == "__main__":
    main()
