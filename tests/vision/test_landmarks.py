"""MediaPipe Holistic landmarks of real clips, written as .pose files that pose-format reads."""

from __future__ import annotations

import numpy as np
import pytest

from kslars.vision.landmarks import Cancelled, NoSignerError, extract_landmarks, plan_chunks
from kslars.vision.pose_file import TOTAL_POINTS, PoseFileError, read_landmarks
from tests.conftest import shared_file
from tests.generated_video import write_video

TEST_VIDEO = "sign-language-processing__pose/src/python/tests/data/test_video.mp4"
SLOVO_CLIP = "hukenovs__slovo/examples/f17a6060-6ced-4bd1-9886-8578cfbb864f.mp4"


def test_chunk_plan_covers_every_slot_and_respects_the_minimum_length():
    chunks = plan_chunks(expected_slots=900, jobs=2, fps=15, min_chunk_ms=8000)
    assert [(c.start, c.stop) for c in chunks] == [(0, 450), (450, None)]
    assert len(plan_chunks(expected_slots=100, jobs=4, fps=15, min_chunk_ms=8000)) == 1  # 6.7 s: one chunk
    assert len(plan_chunks(expected_slots=10_000, jobs=3, fps=15)) == 3


@pytest.mark.slow
def test_extract_writes_a_holistic_pose_file_that_pose_format_reads(tmp_path):
    from pose_format import Pose

    out = tmp_path / "test_video.pose"
    seen = []
    landmarks = extract_landmarks(shared_file(TEST_VIDEO), out, progress=lambda f, m: seen.append(f))
    with open(out, "rb") as f:
        pose = Pose.read(f.read())
    assert pose.body.data.shape == (58, 1, TOTAL_POINTS, 3)
    assert pose.body.fps == pytest.approx(29.92, abs=0.01)
    assert (pose.header.dimensions.width, pose.header.dimensions.height) == (540, 720)
    assert [c.name for c in pose.header.components][:4] == [
        "POSE_LANDMARKS",
        "FACE_LANDMARKS",
        "LEFT_HAND_LANDMARKS",
        "RIGHT_HAND_LANDMARKS",
    ]
    # the signer is in every frame, the nose is in the upper half of the picture, in pixels
    assert landmarks.person_seen().all()
    nose = landmarks.body[:, 0]
    assert (0 < nose[:, 0]).all() and (nose[:, 0] < 540).all() and (nose[:, 1] < 360).all()
    # the face mesh is stored in the file (not kept in memory)
    assert pose.body.confidence[:, 0, 33:501].max() == 1
    # what was returned is what the file holds
    again = read_landmarks(out)
    np.testing.assert_allclose(again.right_hand, landmarks.right_hand)
    np.testing.assert_allclose(pose.body.data[:, 0, :33].filled(0), landmarks.body, atol=1e-4)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


@pytest.mark.slow
def test_two_processes_give_the_same_frames_as_one(tmp_path):
    path = shared_file(SLOVO_CLIP)
    one = extract_landmarks(path, tmp_path / "one.pose", fps=15, jobs=1)
    two = extract_landmarks(path, tmp_path / "two.pose", fps=15, jobs=2, min_chunk_ms=1000)
    assert one.frame_count == two.frame_count == 56
    assert two.person_seen().all()
    # the second chunk starts without tracking history, so allow small differences in pixels
    assert np.abs(one.body[:, :25, :2] - two.body[:, :25, :2]).mean() < 5.0


def test_nobody_in_the_video_is_an_error_and_leaves_no_file(tmp_path):
    video = write_video(tmp_path / "empty_room.mp4", frames=20)
    out = tmp_path / "empty_room.pose"
    with pytest.raises(NoSignerError, match="nobody"):
        extract_landmarks(video, out)
    assert list(tmp_path.iterdir()) == [video]


def test_cancelling_stops_extraction_and_leaves_no_file(tmp_path):
    out = tmp_path / "x.pose"
    with pytest.raises(Cancelled):
        extract_landmarks(shared_file(TEST_VIDEO), out, should_cancel=lambda: True)
    assert not out.exists()


def test_landmarks_of_pose_format_fixtures_are_readable():
    landmarks = read_landmarks(shared_file("sign-language-processing__segmentation/tests/example.pose"))
    assert landmarks.frame_count > 100
    assert landmarks.person_seen().mean() > 0.9


def test_a_truncated_pose_file_is_refused(tmp_path):
    source = shared_file("sign-language-processing__segmentation/tests/example.pose").read_bytes()
    cut = tmp_path / "cut.pose"
    cut.write_bytes(source[: len(source) // 2])
    with pytest.raises(PoseFileError, match="truncated"):
        read_landmarks(cut)


@pytest.mark.slow
def test_a_very_large_video_is_detected_at_a_smaller_size_and_keeps_its_pixel_coordinates(tmp_path):
    from tests.vision.bad_videos import upscaled_copy

    small = extract_landmarks(shared_file(TEST_VIDEO), tmp_path / "small.pose", fps=10)
    big_video = upscaled_copy(shared_file(TEST_VIDEO), tmp_path / "big.mp4", factor=4, frames=20)  # 2160x2880
    big = extract_landmarks(big_video, tmp_path / "big.pose", fps=10)
    assert (big.width, big.height) == (2160, 2880)
    n = big.frame_count
    assert n == 7 and big.person_seen().all()
    # the same body, four times larger in pixels
    np.testing.assert_allclose(big.body[:n, :11, :2] / 4, small.body[:n, :11, :2], atol=20)
