"""Video decoding with PyAV: probing, checks for unusable input, and frames sampled on a regular time grid.

Frames are picked by their timestamps, not their index, so variable-frame-rate video lands on the same
uniform grid as constant-rate video. Only the frames that are kept are converted to RGB.

Phones store portrait video as landscape pictures plus a rotation in the stream's display matrix, which
players apply. Sizes here are the displayed ones and sampled frames are turned upright, so landmarks are
found on an upright signer and their coordinates are in the pixels a player shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

# Container formats that hold a single picture rather than a video.
_IMAGE_FORMATS = {"image2", "gif_pipe"}
# Frames larger than this are refused: decoding them would need more memory than a laptop has to spare.
MAX_PIXELS = 8192 * 8192
# Frames whose longer side exceeds this are downscaled before landmark detection (MediaPipe works on
# small crops anyway); landmark coordinates stay in the original pixel space.
DETECTION_MAX_SIDE = 1920


class VideoError(ValueError):
    """A video cannot be used; the message names the file and says what is wrong."""


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a video's first video stream."""

    path: str
    width: int  # as displayed, i.e. after ``rotation``
    height: int
    fps: float  # average frame rate
    duration_ms: int | None  # from the header, None when unknown
    frame_count: int  # from the header, 0 when unknown
    codec: str
    rotation: int = 0  # degrees a player turns the stored picture counter-clockwise: 0, 90, 180 or 270


def probe_video(path: str | Path) -> VideoInfo:
    """Open ``path`` and describe its video stream; VideoError for empty, unreadable, still or oversized input."""
    import av

    path = Path(path)
    if not path.exists():
        raise VideoError(f"{path}: no such file")
    if path.is_dir():
        raise VideoError(f"{path}: is a folder, not a video file")
    if path.stat().st_size == 0:
        raise VideoError(f"{path}: the file is empty (0 bytes)")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise VideoError(f"{path}: the file has no video stream")
            fmt = container.format.name
            stream = container.streams.video[0]
            if fmt in _IMAGE_FORMATS or fmt.endswith("_pipe"):
                raise VideoError(f"{path}: this is a still image ({fmt}), not a video; annotate a video file")
            width, height = stream.codec_context.width, stream.codec_context.height
            if not width or not height:
                raise VideoError(f"{path}: the video stream has no picture size; the file seems damaged")
            if width * height > MAX_PIXELS:
                raise VideoError(
                    f"{path}: the resolution {width}x{height} is too large (at most {MAX_PIXELS // 1_000_000} "
                    "megapixels); scale the video down first, e.g. ffmpeg -i IN -vf scale=1920:-2 OUT.mp4"
                )
            rate = stream.average_rate or stream.guessed_rate or stream.base_rate
            fps = float(rate) if rate else 0.0
            duration_ms = _duration_ms(container, stream)
            if duration_ms == 0 or stream.frames == 1:
                raise VideoError(f"{path}: the video has no length (a single frame or none); nothing to annotate")
            rotation = _first_frame_rotation(container, stream)
            if rotation % 180:
                width, height = height, width
            return VideoInfo(
                path=str(path),
                width=width,
                height=height,
                fps=fps if fps > 0 else 25.0,
                duration_ms=duration_ms,
                frame_count=stream.frames or 0,
                codec=stream.codec_context.name,
                rotation=rotation,
            )
    except av.error.FFmpegError as exc:
        raise VideoError(f"{path}: not a readable video ({exc.strerror or exc}); the file may be damaged") from exc


def display_rotation(frame) -> int:  # noqa: ANN001 - a PyAV VideoFrame
    """Degrees (0, 90, 180 or 270) a player turns ``frame`` counter-clockwise, from its display matrix."""
    return round((frame.rotation or 0) / 90) % 4 * 90


def upright(rgb: np.ndarray, rotation: int) -> np.ndarray:
    """The (H, W, C) picture ``rgb`` turned ``rotation`` degrees counter-clockwise, as a player shows it."""
    if rotation % 360 == 0:
        return rgb
    return np.ascontiguousarray(np.rot90(rgb, rotation // 90))


def _first_frame_rotation(container, stream) -> int:  # noqa: ANN001 - PyAV objects
    """The display rotation decoded frames carry (FFmpeg attaches the stream's display matrix to each one)."""
    for frame in container.decode(stream):
        return display_rotation(frame)
    return 0


def time_base(stream: Any, path: str | Path) -> Fraction:
    """Seconds per tick of a PyAV ``stream``'s timestamps; VideoError when the file gives none."""
    if stream.time_base is None:
        raise VideoError(f"{path}: the video stream has no time base; the file seems damaged")
    return stream.time_base


def _duration_ms(container, stream) -> int | None:  # noqa: ANN001 - PyAV objects
    if stream.duration is not None and stream.time_base is not None:
        return int(round(float(stream.duration * stream.time_base) * 1000))
    if container.duration is not None:
        return int(round(container.duration / 1000))
    return None


def detection_size(width: int, height: int, max_side: int = DETECTION_MAX_SIDE) -> tuple[int, int]:
    """The (width, height) frames are converted to for detection: the original, or scaled to ``max_side``."""
    longer = max(width, height)
    if longer <= max_side:
        return width, height
    scale = max_side / longer
    # even sizes keep the scaler's chroma handling simple
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


@dataclass
class SampledFrame:
    """One decoded frame and the grid slots (sample indices) it stands for."""

    slots: list[int]
    time_ms: float
    rgb: np.ndarray  # (H, W, 3) uint8


def sample_frames(
    path: str | Path,
    fps: float,
    first_slot: int = 0,
    stop_slot: int | None = None,
    max_side: int = DETECTION_MAX_SIDE,
) -> Iterator[SampledFrame]:
    """Yield the frames that fall on the grid ``slot * 1000 / fps`` ms, for slots ``first_slot`` .. ``stop_slot - 1``.

    Frames are RGB, turned upright as a player shows them (see ``VideoInfo.rotation``).

    A frame stands for every slot up to its own time plus half a source frame; a slot that falls into a gap
    of a variable-frame-rate video takes the next frame. Frames that stand for no slot are decoded but never
    converted. Raises VideoError when decoding fails part-way.
    """
    import av

    info = probe_video(path)
    period_ms = 1000.0 / fps
    tolerance_ms = 500.0 / info.fps
    width, height = detection_size(info.width, info.height, max_side)
    if info.rotation % 180:
        width, height = height, width  # the decoder scales the stored picture, before it is turned upright
    next_slot = first_slot
    last_time_ms = -1.0
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            origin = stream.start_time or 0
            tick = time_base(stream, path)
            start_ms = first_slot * period_ms
            if start_ms > 1000:
                target = origin + int((start_ms - 1000) / 1000 / tick)
                container.seek(target, stream=stream, backward=True)
            for frame in container.decode(stream):
                if frame.pts is None:
                    continue
                time_ms = float((frame.pts - origin) * tick) * 1000.0
                last_time_ms = max(last_time_ms, time_ms)
                slots = []
                while (stop_slot is None or next_slot < stop_slot) and next_slot * period_ms <= time_ms + tolerance_ms:
                    slots.append(next_slot)
                    next_slot += 1
                if slots:
                    rgb = upright(frame.to_ndarray(format="rgb24", width=width, height=height), info.rotation)
                    yield SampledFrame(slots=slots, time_ms=time_ms, rgb=rgb)
                if stop_slot is not None and next_slot >= stop_slot:
                    return
    except av.error.FFmpegError as exc:
        where = f"after {last_time_ms / 1000:.1f} s" if last_time_ms >= 0 else "at the start"
        raise VideoError(f"{path}: decoding failed {where} ({exc.strerror or exc}); the file seems damaged") from exc
    if last_time_ms < 0:
        raise VideoError(f"{path}: no frame could be decoded; the file is empty or damaged")
    if stop_slot is None and info.duration_ms:
        missing_ms = info.duration_ms - (last_time_ms + 1000.0 / info.fps)
        if missing_ms > max(500.0, 0.05 * info.duration_ms):
            raise VideoError(
                f"{path}: the video stops at {last_time_ms / 1000:.1f} s although its header says "
                f"{info.duration_ms / 1000:.1f} s; the file seems truncated or damaged"
            )
