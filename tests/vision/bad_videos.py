"""Unusable inputs written on the fly: empty, truncated, still images, nobody in view, variable frame rate."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image


def empty_file(path: Path) -> Path:
    """A zero-byte file named like a video."""
    path.write_bytes(b"")
    return path


def truncated_copy(source: Path, path: Path, keep: float) -> Path:
    """The first ``keep`` fraction of ``source``'s bytes."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def still_image(path: Path, size: tuple[int, int] = (320, 240)) -> Path:
    """A PNG picture (named by ``path``)."""
    Image.fromarray(np.full((size[1], size[0], 3), 128, np.uint8)).save(path, format="PNG")
    return path


def timed_video(path: Path, times_ms: list[int], size: tuple[int, int] = (128, 96)) -> Path:
    """An H.264 MP4 of grey frames shown at exactly ``times_ms`` (variable frame rate when irregular).

    Frame i is drawn with brightness 10 * i, so a decoded frame tells which source frame it was.
    """
    import av

    width, height = size
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=1000)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, 1000)
        stream.codec_context.time_base = Fraction(1, 1000)
        stream.options = {"crf": "10"}
        for i, t in enumerate(times_ms):
            frame = av.VideoFrame.from_ndarray(np.full((height, width, 3), min(250, 10 * i), np.uint8), format="rgb24")
            frame.pts = t
            frame.time_base = Fraction(1, 1000)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def upscaled_copy(source: Path, path: Path, factor: int, frames: int) -> Path:
    """The first ``frames`` frames of ``source`` scaled up ``factor`` times (a very large video)."""
    import av

    with av.open(str(source)) as src, av.open(str(path), "w") as out:
        stream_in = src.streams.video[0]
        stream = out.add_stream("libx264", rate=stream_in.average_rate)
        stream.width, stream.height = stream_in.width * factor, stream_in.height * factor
        stream.pix_fmt, stream.options = "yuv420p", {"preset": "ultrafast"}
        for i, frame in enumerate(src.decode(stream_in)):
            if i == frames:
                break
            rgb = frame.to_ndarray(format="rgb24", width=stream.width, height=stream.height)
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def huge_video(path: Path, side: int = 8200, frames: int = 2) -> Path:
    """A Motion-JPEG video of ``side`` x ``side`` pixels (67 megapixels at 8200): cheap to write, huge to decode."""
    import av

    with av.open(str(path), "w") as container:
        stream = container.add_stream("mjpeg", rate=25)
        stream.width = stream.height = side
        stream.pix_fmt = "yuvj420p"
        for _ in range(frames):
            for packet in stream.encode(av.VideoFrame(side, side, "yuvj420p")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path
