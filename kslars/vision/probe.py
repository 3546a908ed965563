"""What an uploaded video is and whether a web browser can play it as it is.

Builds on ``kslars.vision.video.probe_video`` (which refuses empty, unreadable, still and oversized input)
and adds what a web tool needs to know: the container, the pixel format, and the verdict
``browser_playable``. Videos that are not playable are converted by ``kslars.vision.transcode``.

A phone video stored sideways with a rotation in its display matrix is described by its displayed
(upright) size. Browsers apply the MP4 display matrix, so such an MP4 still plays as it is; in any other
container the rotation makes it need conversion, which turns the pictures upright.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kslars.vision.video import VideoError, probe_video

__all__ = ["MediaInfo", "VideoError", "probe_media", "browser_playable"]

# Pixel formats every current browser decodes (4:2:0, 8 bit; "j" is the full-range variant phones write).
_BROWSER_PIXEL_FORMATS = {"yuv420p", "yuvj420p"}
_BROWSER_CODECS = {"mp4": {"h264"}, "webm": {"vp8", "vp9", "av1"}}
_BROWSER_AUDIO = {"mp4": {"aac", "mp3"}, "webm": {"opus", "vorbis"}}
_EBML_DOCTYPE_ID = b"\x42\x82"


@dataclass(frozen=True)
class MediaInfo:
    """A video file's properties as stored with a project."""

    fps: float
    duration_ms: int
    width: int  # as displayed, i.e. after ``rotation``
    height: int
    codec: str  # video codec, e.g. "h264", "mpeg4", "vp9"
    container: str  # "mp4", "mov", "webm", "matroska", "avi", ... (FFmpeg's name when none of these)
    pixel_format: str
    audio_codec: str | None  # None when the file has no audio
    browser_playable: bool
    rotation: int = 0  # degrees a player turns the stored picture counter-clockwise: 0, 90, 180 or 270


def probe_media(path: str | Path) -> MediaInfo:
    """Describe the video at ``path``; VideoError (with a message for the user) when it is not a usable video."""
    import av

    path = Path(path)
    info = probe_video(path)
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            pixel_format = stream.codec_context.pix_fmt or ""
            audio_codec = container.streams.audio[0].codec_context.name if container.streams.audio else None
            container_name = _container_name(path, container.format.name, container.metadata)
            duration_ms = info.duration_ms or _demuxed_duration_ms(container, stream)
    except av.error.FFmpegError as exc:
        raise VideoError(f"{path}: not a readable video ({exc.strerror or exc}); the file may be damaged") from exc
    if not duration_ms:
        raise VideoError(f"{path}: the video has no length; nothing to annotate")
    return MediaInfo(
        fps=info.fps,
        duration_ms=duration_ms,
        width=info.width,
        height=info.height,
        codec=info.codec,
        container=container_name,
        pixel_format=pixel_format,
        audio_codec=audio_codec,
        browser_playable=browser_playable(container_name, info.codec, pixel_format, audio_codec, info.rotation),
        rotation=info.rotation,
    )


def browser_playable(
    container: str, codec: str, pixel_format: str, audio_codec: str | None = None, rotation: int = 0
) -> bool:
    """Whether Chrome, Firefox and Safari all play this combination without conversion, upright.

    That is H.264 in MP4, or VP8/VP9/AV1 in WebM, with 8-bit 4:2:0 pictures and audio (if any) the
    container's usual codec. A ``rotation`` (from the display matrix) is applied by browsers only in MP4.
    """
    if rotation % 360 and container != "mp4":
        return False
    if codec not in _BROWSER_CODECS.get(container, ()):
        return False
    if pixel_format not in _BROWSER_PIXEL_FORMATS:
        return False
    return audio_codec is None or audio_codec in _BROWSER_AUDIO[container]


def _container_name(path: Path, ffmpeg_name: str, metadata: dict) -> str:
    """A short container name: FFmpeg reports MP4/MOV and Matroska/WebM as one family each."""
    if ffmpeg_name.startswith("mov,mp4"):
        return "mov" if metadata.get("major_brand", "").strip() == "qt" else "mp4"
    if ffmpeg_name.startswith("matroska"):
        return "webm" if _ebml_doctype(path) == "webm" else "matroska"
    return ffmpeg_name.split(",")[0]


def _ebml_doctype(path: Path) -> str | None:
    """The DocType ("webm" or "matroska") from a Matroska file's EBML header, None when not found."""
    with open(path, "rb") as f:
        head = f.read(64)
    at = head.find(_EBML_DOCTYPE_ID)
    if at < 0 or at + 3 > len(head):
        return None
    size = head[at + 2] & 0x7F  # one-byte EBML size (0x80 | n), the form every muxer writes for "webm"
    return head[at + 3 : at + 3 + size].decode("ascii", "replace")


def _demuxed_duration_ms(container, stream) -> int:  # noqa: ANN001 - PyAV objects
    """The end time of the last video packet, for files whose header has no duration (e.g. MediaRecorder WebM)."""
    origin = stream.start_time or 0
    end = None
    for packet in container.demux(stream):
        if packet.pts is None:
            continue
        packet_end = packet.pts + (packet.duration or 0)
        end = packet_end if end is None else max(end, packet_end)
    if end is None:
        return 0
    return int(round(float((end - origin) * stream.time_base) * 1000))
