"""Decoding for landmarks: the time grid, variable frame rate, seeking into chunks, and unusable input."""

from __future__ import annotations

import pytest

from kslars.vision.video import VideoError, detection_size, probe_video, sample_frames
from tests.conftest import shared_file
from tests.vision.bad_videos import empty_file, huge_video, still_image, timed_video, truncated_copy

TEST_VIDEO = "sign-language-processing__pose/src/python/tests/data/test_video.mp4"
SLOVO_CLIP = "hukenovs__slovo/examples/f17a6060-6ced-4bd1-9886-8578cfbb864f.mp4"


def test_probe_reads_size_rate_and_length_of_a_real_clip():
    info = probe_video(shared_file(SLOVO_CLIP))
    assert (info.width, info.height) == (720, 1280)
    assert info.fps == pytest.approx(30.0)
    assert info.duration_ms == pytest.approx(3733, abs=5)
    assert info.frame_count == 112


def test_sampling_at_the_video_rate_keeps_every_frame_once():
    frames = list(sample_frames(shared_file(TEST_VIDEO), probe_video(shared_file(TEST_VIDEO)).fps))
    assert [s for f in frames for s in f.slots] == list(range(58))
    assert all(len(f.slots) == 1 for f in frames)
    assert frames[0].rgb.shape == (720, 540, 3)


def test_sampling_at_half_rate_converts_only_every_other_frame():
    frames = list(sample_frames(shared_file(SLOVO_CLIP), 15.0))
    assert [s for f in frames for s in f.slots] == list(range(56))
    times = [f.time_ms for f in frames]
    assert times[:3] == pytest.approx([0, 66.7, 133.3], abs=1)


def test_chunks_seek_to_their_own_range_and_join_up():
    path = shared_file(SLOVO_CLIP)
    whole = {s: f.time_ms for f in sample_frames(path, 15.0) for s in f.slots}
    second = {s: f.time_ms for f in sample_frames(path, 15.0, first_slot=30) for s in f.slots}
    first = {s: f.time_ms for f in sample_frames(path, 15.0, first_slot=0, stop_slot=30) for s in f.slots}
    assert sorted(first) == list(range(30)) and sorted(second) == list(range(30, 56))
    assert {**first, **second} == whole


def test_variable_frame_rate_lands_on_the_time_grid(tmp_path):
    # frames at irregular times: a gap of 120 ms and one of 320 ms
    path = timed_video(tmp_path / "vfr.mp4", [0, 40, 80, 200, 240, 280, 600, 640])
    frames = list(sample_frames(path, 25.0))  # grid every 40 ms
    assert [f.slots for f in frames] == [[0], [1], [2], [3, 4, 5], [6], [7], list(range(8, 16)), [16]]
    # the slot in a gap shows the frame that follows it (brightness 10 * source index)
    assert frames[3].rgb.mean() == pytest.approx(30, abs=3)


def test_frames_larger_than_full_hd_are_scaled_down_for_detection():
    assert detection_size(3840, 2160) == (1920, 1080)
    assert detection_size(720, 1280) == (720, 1280)


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_a_truncated_video_is_reported_as_such(tmp_path, keep):
    path = truncated_copy(shared_file(TEST_VIDEO), tmp_path / "cut.mp4", keep)
    with pytest.raises(VideoError, match="truncated or damaged|damaged"):
        list(sample_frames(path, 15.0))


def test_a_video_cut_inside_its_header_is_not_readable(tmp_path):
    path = truncated_copy(shared_file(TEST_VIDEO), tmp_path / "cut.mp4", 0.02)
    with pytest.raises(VideoError, match="cut.mp4.*damaged"):
        list(sample_frames(path, 15.0))


def test_empty_file_missing_file_and_still_image_are_refused(tmp_path):
    with pytest.raises(VideoError, match="empty"):
        probe_video(empty_file(tmp_path / "empty.mp4"))
    with pytest.raises(VideoError, match="no such file"):
        probe_video(tmp_path / "absent.mp4")
    with pytest.raises(VideoError, match="still image"):
        probe_video(still_image(tmp_path / "picture.mp4"))
    with pytest.raises(VideoError, match="still image"):
        probe_video(shared_file("nurkal022__kazakh-sign-language/video_grid.png"))


def test_an_enormous_resolution_is_refused_before_decoding(tmp_path):
    with pytest.raises(VideoError, match="8200x8200 is too large.*scale the video down"):
        probe_video(huge_video(tmp_path / "huge.mkv"))
