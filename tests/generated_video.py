"""Small videos written on the fly with PyAV, for formats the shared data has no example of."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def write_video(
    path: Path,
    codec: str = "mpeg4",
    frames: int = 30,
    size: tuple[int, int] = (160, 120),
    fps: int = 25,
    pix_fmt: str = "yuv420p",
    audio_codec: str | None = None,
    container_format: str | None = None,
) -> Path:
    """Write ``frames`` frames of a white bar moving over black (plus a 440 Hz tone when ``audio_codec``)."""
    import av

    width, height = size
    with av.open(str(path), "w", format=container_format) as container:
        video = container.add_stream(codec, rate=fps)
        video.width, video.height, video.pix_fmt = width, height, pix_fmt
        audio = container.add_stream(audio_codec, rate=48000) if audio_codec else None
        samples_per_frame = 48000 // fps
        for i in range(frames):
            rgb = np.zeros((height, width, 3), np.uint8)
            x = (i * 4) % width
            rgb[:, x : x + 10] = 255
            for packet in video.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
            if audio is not None:
                t = (np.arange(samples_per_frame) + i * samples_per_frame) / 48000
                tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None, :]
                sound = av.AudioFrame.from_ndarray(tone, format="flt", layout="mono")
                sound.sample_rate = 48000
                for packet in audio.encode(sound):
                    container.mux(packet)
        for stream in (video, audio):
            if stream is not None:
                for packet in stream.encode(None):
                    container.mux(packet)
    return path
