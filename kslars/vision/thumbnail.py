"""A small JPEG picture of a video for project lists: the frame about one second in, upright."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from kslars.vision.video import VideoError, display_rotation, time_base, upright


def video_thumbnail(path: str | Path, at_ms: int = 1000, max_side: int = 320, quality: int = 80) -> bytes:
    """JPEG bytes of the first frame at or after ``at_ms`` (the last frame for shorter videos), turned upright
    as players show it and scaled so its longer side is at most ``max_side``. Raises VideoError when no frame
    can be decoded."""
    import av

    path = Path(path)
    picture = None
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            origin = stream.start_time or 0
            tick = time_base(stream, path)
            if at_ms > 0:
                container.seek(origin + int(at_ms / 1000 / tick), stream=stream, backward=True)
            for frame in container.decode(stream):
                picture = frame
                if frame.pts is not None and float((frame.pts - origin) * tick) * 1000 >= at_ms:
                    break
    except (av.error.FFmpegError, IndexError) as exc:
        raise VideoError(f"{path}: no picture could be decoded for the thumbnail ({exc})") from exc
    if picture is None:
        raise VideoError(f"{path}: no picture could be decoded for the thumbnail; the file seems damaged")
    image = Image.fromarray(upright(picture.to_ndarray(format="rgb24"), display_rotation(picture)))
    image.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
