"""Probing uploads: real sign language clips, generated non-browser formats, and things that are not videos."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from kslars.vision.probe import VideoError, browser_playable, probe_media
from kslars.vision.thumbnail import video_thumbnail
from tests.conftest import shared_file
from tests.generated_video import write_video

SLOVO_CLIP = "hukenovs__slovo/examples/f17a6060-6ced-4bd1-9886-8578cfbb864f.mp4"


@pytest.mark.parametrize(
    "relative, fps, duration_ms, size",
    [
        ("sign-language-processing__pose/videos/FOOTBALL.mp4", 29.97, 2102, (640, 360)),
        ("sign-language-processing__pose/videos/SOUP.mp4", 29.97, 1368, (320, 240)),
        (SLOVO_CLIP, 30.0, 3733, (720, 1280)),
    ],
)
def test_real_h264_clips_play_in_browsers(relative, fps, duration_ms, size):
    info = probe_media(shared_file(relative))
    assert info.codec == "h264" and info.container == "mp4" and info.pixel_format == "yuv420p"
    assert info.fps == pytest.approx(fps, abs=0.01)
    assert abs(info.duration_ms - duration_ms) <= 1
    assert (info.width, info.height) == size
    assert info.browser_playable


def test_mpeg4_in_avi_needs_conversion(tmp_path):
    info = probe_media(write_video(tmp_path / "clip.avi", codec="mpeg4", frames=30, fps=25))
    assert (info.container, info.codec) == ("avi", "mpeg4")
    assert info.fps == 25 and info.duration_ms == 1200 and (info.width, info.height) == (160, 120)
    assert not info.browser_playable


def test_h264_in_matroska_needs_conversion_but_vp9_in_webm_does_not(tmp_path):
    mkv = probe_media(write_video(tmp_path / "clip.mkv", codec="libx264"))
    assert (mkv.container, mkv.codec, mkv.browser_playable) == ("matroska", "h264", False)
    webm = probe_media(write_video(tmp_path / "clip.webm", codec="libvpx-vp9", frames=10))
    assert (webm.container, webm.codec, webm.browser_playable) == ("webm", "vp9", True)


def test_h264_with_full_colour_resolution_needs_conversion(tmp_path):
    info = probe_media(write_video(tmp_path / "clip.mp4", codec="libx264", pix_fmt="yuv444p", frames=10))
    assert (info.container, info.codec, info.pixel_format) == ("mp4", "h264", "yuv444p")
    assert not info.browser_playable


def test_audio_codec_is_reported_and_judged(tmp_path):
    info = probe_media(write_video(tmp_path / "clip.mkv", codec="mpeg4", audio_codec="mp2", frames=10))
    assert info.audio_codec == "mp2"
    assert browser_playable("mp4", "h264", "yuv420p", "aac")
    assert not browser_playable("mp4", "h264", "yuv420p", "mp2")
    assert not browser_playable("webm", "h264", "yuv420p", None)


def test_png_is_refused_as_a_still_image(tmp_path):
    path = tmp_path / "hand.png"
    Image.new("RGB", (64, 48), "white").save(path)
    with pytest.raises(VideoError, match="still image"):
        probe_media(path)


def test_random_bytes_are_refused(tmp_path):
    path = tmp_path / "clip.mp4"
    path.write_bytes(os.urandom(50_000))
    with pytest.raises(VideoError, match="clip.mp4"):
        probe_media(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")
    with pytest.raises(VideoError, match="empty"):
        probe_media(path)


def test_truncated_real_clip_is_refused_or_reported(tmp_path):
    data = shared_file(SLOVO_CLIP).read_bytes()
    path = tmp_path / "cut.mp4"
    path.write_bytes(data[-len(data) // 2 :])  # the second half: no file header
    with pytest.raises(VideoError, match="cut.mp4"):
        probe_media(path)


def test_thumbnail_is_a_small_jpeg_of_a_real_clip():
    image = Image.open(io.BytesIO(video_thumbnail(shared_file(SLOVO_CLIP))))
    assert image.format == "JPEG"
    assert image.size == (180, 320)  # portrait 720x1280 scaled to a 320 px longer side
    assert max(image.convert("L").getextrema()) > 50  # a picture, not a black frame


def test_thumbnail_of_a_clip_shorter_than_a_second_uses_its_last_frame(tmp_path):
    path = write_video(tmp_path / "short.avi", frames=10, fps=25)
    image = Image.open(io.BytesIO(video_thumbnail(path)))
    assert image.size == (160, 120)
    gray = image.convert("L")
    # the white bar moved 4 px per frame: in the last frame (index 9) it starts at x=36
    assert gray.getpixel((40, 60)) > 200 and gray.getpixel((10, 60)) < 50
