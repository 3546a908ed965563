"""Converting videos browsers cannot play into H.264 MP4."""

from __future__ import annotations

import pytest

from kslars.vision.probe import VideoError, probe_media
from kslars.vision.transcode import TranscodeCancelled, transcode_to_mp4
from tests.generated_video import write_video


@pytest.mark.parametrize(
    "name, codec, size, expected_size",
    [("clip.avi", "mpeg4", (161, 121), (160, 120)), ("clip.mkv", "libx264", (176, 144), (176, 144))],
)
def test_converted_copy_is_browser_playable_h264_of_the_same_length(tmp_path, name, codec, size, expected_size):
    source = write_video(tmp_path / name, codec=codec, frames=50, fps=25, size=size)
    steps: list[float] = []
    transcode_to_mp4(source, tmp_path / "out.mp4", progress=steps.append)
    before, after = probe_media(source), probe_media(tmp_path / "out.mp4")
    assert (after.codec, after.container, after.pixel_format) == ("h264", "mp4", "yuv420p")
    assert after.browser_playable
    assert (after.width, after.height) == expected_size  # odd sizes rounded down to even ones
    assert after.fps == before.fps
    assert abs(after.duration_ms - before.duration_ms) <= 1000 / before.fps
    assert steps == sorted(steps) and steps[-1] == 1.0 and len(steps) >= 50


def test_index_is_at_the_front_for_fast_start(tmp_path):
    source = write_video(tmp_path / "clip.avi", frames=20)
    transcode_to_mp4(source, tmp_path / "out.mp4")
    data = (tmp_path / "out.mp4").read_bytes()
    assert 0 <= data.find(b"moov") < data.find(b"mdat")


def test_audio_is_kept_as_aac(tmp_path):
    source = write_video(tmp_path / "clip.mkv", codec="mpeg4", audio_codec="mp2", frames=50)
    transcode_to_mp4(source, tmp_path / "out.mp4")
    info = probe_media(tmp_path / "out.mp4")
    assert info.audio_codec == "aac" and info.browser_playable


def test_cancel_stops_and_leaves_no_output(tmp_path):
    source = write_video(tmp_path / "clip.avi", frames=50)
    steps: list[float] = []
    with pytest.raises(TranscodeCancelled):
        transcode_to_mp4(source, tmp_path / "out.mp4", progress=steps.append, should_cancel=lambda: len(steps) >= 10)
    assert 10 <= len(steps) < 50
    assert not (tmp_path / "out.mp4").exists()


def test_damaged_source_fails_clearly_and_leaves_no_output(tmp_path):
    source = tmp_path / "broken.avi"
    source.write_bytes(b"RIFF" + bytes(5000))
    with pytest.raises(VideoError, match="broken.avi"):
        transcode_to_mp4(source, tmp_path / "out.mp4")
    assert not (tmp_path / "out.mp4").exists()
