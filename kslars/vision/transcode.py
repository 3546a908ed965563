"""Convert any readable video into an H.264 MP4 that every browser plays.

Pictures become H.264 (libx264, 8-bit 4:2:0, even width and height); the MP4 index is written at the
front (``+faststart``) so playback and seeking start before the whole file has arrived. Audio is kept
as AAC when the source has any: signers' voices or room sound sometimes matter to annotators, and it
costs little. Timestamps are carried over from the source, so annotation times stay valid. Pictures a
phone stored sideways (a rotation in the display matrix) are turned upright and written without a
rotation, so the copy is upright in every player.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from kslars.vision.video import VideoError, probe_video

ProgressCallback = Callable[[float], None]
CancelCheck = Callable[[], bool]
# FFmpeg filters that turn a picture counter-clockwise by so many degrees
_TURNS: dict[int, list[tuple[str, str | None]]] = {
    90: [("transpose", "cclock")],
    180: [("hflip", None), ("vflip", None)],
    270: [("transpose", "clock")],
}


class TranscodeCancelled(Exception):
    """The conversion was stopped because ``should_cancel`` returned True."""


@dataclass(frozen=True)
class TranscodeOptions:
    """How the browser copy is encoded."""

    crf: int = 20  # libx264 quality: lower is better and bigger; 18-23 keeps handshapes crisp
    preset: str = "veryfast"  # speed/size trade-off of libx264
    audio_bitrate: int = 128_000


def transcode_to_mp4(
    source: str | Path,
    target: str | Path,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    options: TranscodeOptions = TranscodeOptions(),
) -> None:
    """Write ``source`` as a browser-playable H.264 MP4 to ``target``.

    ``progress`` receives the done fraction (0..1) after every frame; ``should_cancel`` is asked as often
    and stops the conversion with TranscodeCancelled. On any failure ``target`` is removed, never left
    half-written. Raises VideoError when the source cannot be decoded.
    """
    import av

    source, target = Path(source), Path(target)
    try:
        _transcode(av, source, target, progress or (lambda _: None), should_cancel or (lambda: False), options)
    except BaseException as exc:
        target.unlink(missing_ok=True)
        if isinstance(exc, av.error.FFmpegError):
            raise VideoError(f"{source}: conversion failed ({exc.strerror or exc}); the file seems damaged") from exc
        raise


def _transcode(
    av, source: Path, target: Path, progress: ProgressCallback, should_cancel: CancelCheck, options: TranscodeOptions
) -> None:  # noqa: ANN001 - the av module
    rotation = probe_video(source).rotation
    with av.open(str(source)) as src:
        in_video = src.streams.video[0]
        in_video.thread_type = "AUTO"
        in_audio = src.streams.audio[0] if src.streams.audio else None
        total_s = _duration_s(src, in_video)
        origin = in_video.start_time or 0
        # the stored picture's size, rounded down to even numbers (4:2:0 needs them)
        width, height = in_video.codec_context.width // 2 * 2, in_video.codec_context.height // 2 * 2
        if width == 0 or height == 0:
            raise VideoError(f"{source}: the video stream has no picture size; the file seems damaged")
        rate = in_video.average_rate or in_video.guessed_rate or Fraction(25)
        turning = _turning_graph(av, width, height, in_video.time_base, rotation) if rotation else None

        with av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            out_video = out.add_stream("libx264", rate=rate)
            out_video.width, out_video.height = (height, width) if rotation % 180 else (width, height)
            out_video.pix_fmt = "yuv420p"
            out_video.time_base = in_video.time_base
            out_video.codec_context.time_base = in_video.time_base
            out_video.options = {"crf": str(options.crf), "preset": options.preset}
            out_audio = None
            if in_audio is not None:
                out_audio = out.add_stream("aac", rate=in_audio.codec_context.sample_rate or 48000)
                out_audio.bit_rate = options.audio_bitrate
            streams = [in_video] + ([in_audio] if in_audio is not None else [])
            for packet in src.demux(*streams):
                if should_cancel():
                    raise TranscodeCancelled()
                for frame in packet.decode():
                    if packet.stream is in_video:
                        _encode_picture(out, out_video, frame, width, height, turning)
                        if total_s and frame.pts is not None:
                            done = float((frame.pts - origin) * in_video.time_base) / total_s
                            progress(min(max(done, 0.0), 1.0))
                    elif out_audio is not None:
                        frame.pts = None  # let the encoder number audio samples continuously
                        for out_packet in out_audio.encode(frame):
                            out.mux(out_packet)
            for stream in (out_video, out_audio):
                if stream is not None:
                    for out_packet in stream.encode(None):
                        out.mux(out_packet)
    progress(1.0)


def _encode_picture(out, stream, frame, width: int, height: int, turning) -> None:  # noqa: ANN001
    picture = frame.reformat(width=width, height=height, format="yuv420p")
    picture.pts, picture.time_base = frame.pts, frame.time_base
    if turning is not None:
        turning.push(picture)
        picture = turning.pull()
    for packet in stream.encode(picture):
        out.mux(packet)


def _turning_graph(av, width: int, height: int, time_base: Fraction, rotation: int):  # noqa: ANN001, ANN202
    """An FFmpeg filter graph that turns yuv420p pictures ``rotation`` degrees counter-clockwise."""
    graph = av.filter.Graph()
    nodes = [graph.add_buffer(width=width, height=height, format="yuv420p", time_base=time_base)]
    nodes += [graph.add(name, args) for name, args in _TURNS[rotation]]
    nodes.append(graph.add("buffersink"))
    graph.link_nodes(*nodes)
    graph.configure()
    return graph


def _duration_s(container, stream) -> float:  # noqa: ANN001 - PyAV objects
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return 0.0
