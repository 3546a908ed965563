"""The annotate pipeline on a real sign language clip: tiers, times, landmark reuse, progress, cancellation."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from kslars.engine.annotation_tiers import PHRASES_TIER, SIGNS_TIER
from kslars.engine.pipeline import AnnotateOptions, Cancelled, NoSignerError, annotate_video
from kslars.vision.pose_file import TOTAL_POINTS
from tests.conftest import shared_file
from tests.generated_video import write_video

SLOVO_CLIP = "hukenovs__slovo/examples/f17a6060-6ced-4bd1-9886-8578cfbb864f.mp4"
SEGMENTS_ONLY = AnnotateOptions(handshapes=False, orientation=False)


@pytest.fixture(scope="module")
def slovo_landmarks(tmp_path_factory):
    """The Slovo clip's landmarks, extracted once by the pipeline and reused by the tests below."""
    path = tmp_path_factory.mktemp("landmarks") / "slovo.pose"
    messages = []
    doc = annotate_video(
        shared_file(SLOVO_CLIP), SEGMENTS_ONLY, landmarks_path=path, progress=lambda f, m: messages.append((f, m))
    )
    return path, doc, messages


def test_segments_of_a_real_clip_make_a_valid_document(slovo_landmarks):
    _, doc, messages = slovo_landmarks
    doc.validate()
    assert [t.id for t in doc.tiers] == [PHRASES_TIER, SIGNS_TIER]
    signs = doc.tier(SIGNS_TIER).annotations
    phrases = doc.tier(PHRASES_TIER).annotations
    # one isolated sign in a 3.7 s clip, signed in its first 2.3 s; then the signer walks up to the camera.
    # A phrase covers the signing; the model (trained on DGS studio recordings) also cuts the hands' way up
    # and down into short pieces and may take the walk for a short extra phrase
    assert any(a.start_ms <= 500 and a.end_ms >= 1500 for a in phrases) and len(phrases) <= 3
    assert 1 <= len(signs) <= 8
    for a in signs + phrases:
        assert 0 <= a.start_ms < a.end_ms <= 3734
        assert 0 < a.attributes["confidence"] <= 1
    assert doc.media[0].url.endswith(".mp4") and doc.media[0].mime_type == "video/mp4"
    fractions = [f for f, _ in messages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("landmarks" in m for _, m in messages)


def test_existing_landmarks_are_reused(slovo_landmarks, tmp_path):
    pose, first, _ = slovo_landmarks
    video = tmp_path / "renamed.mp4"
    shutil.copy(shared_file(SLOVO_CLIP), video)
    messages = []
    doc = annotate_video(video, SEGMENTS_ONLY, landmarks_path=pose, progress=lambda f, m: messages.append(m))
    assert "reusing landmarks" in messages
    assert [(a.start_ms, a.end_ms) for a in doc.tier(SIGNS_TIER).annotations] == [
        (a.start_ms, a.end_ms) for a in first.tier(SIGNS_TIER).annotations
    ]


def test_landmarks_of_another_picture_size_are_replaced_not_reused(slovo_landmarks, tmp_path):
    """A .pose made for another picture size (e.g. of a phone video before it was turned upright) is extracted anew."""
    from kslars.vision.pose_file import read_landmarks, read_pose_size, write_pose

    pose, first, _ = slovo_landmarks
    landmarks = read_landmarks(pose)
    sideways = tmp_path / "sideways.pose"
    n = landmarks.frame_count
    write_pose(
        sideways,
        landmarks.height,
        landmarks.width,
        landmarks.fps,
        [np.zeros((n, TOTAL_POINTS, 3), np.float32)],
        [np.zeros((n, TOTAL_POINTS), np.float32)],
        n,
    )
    messages = []
    doc = annotate_video(
        shared_file(SLOVO_CLIP), SEGMENTS_ONLY, landmarks_path=sideways, progress=lambda f, m: messages.append(m)
    )
    assert "reusing landmarks" not in messages
    assert read_pose_size(sideways) == (landmarks.width, landmarks.height)
    assert [(a.start_ms, a.end_ms) for a in doc.tier(SIGNS_TIER).annotations] == [
        (a.start_ms, a.end_ms) for a in first.tier(SIGNS_TIER).annotations
    ]


def test_time_range_and_tier_choice(slovo_landmarks):
    pose, _, _ = slovo_landmarks
    options = AnnotateOptions(phrases=False, handshapes=False, orientation=False, start_ms=1000, end_ms=3000)
    doc = annotate_video(shared_file(SLOVO_CLIP), options, landmarks_path=pose)
    assert [t.id for t in doc.tiers] == [SIGNS_TIER]
    assert all(1000 <= a.start_ms < a.end_ms <= 3000 for a in doc.tier(SIGNS_TIER).annotations)
    with pytest.raises(ValueError, match="holds no frame"):
        annotate_video(shared_file(SLOVO_CLIP), AnnotateOptions(start_ms=9000), landmarks_path=pose)


def test_handshape_and_orientation_tiers(slovo_landmarks):
    pytest.importorskip("kslars.engine.orientation")
    from kslars.engine.handshape import WEIGHTS

    if not WEIGHTS.exists():
        pytest.skip("the handshape model has not been trained in this checkout")
    pose, _, _ = slovo_landmarks
    doc = annotate_video(shared_file(SLOVO_CLIP), AnnotateOptions(), landmarks_path=pose)
    doc.validate()
    names = [t.id for t in doc.tiers]
    assert names == [
        PHRASES_TIER,
        SIGNS_TIER,
        "Right handshape",
        "Left handshape",
        "Right palm orientation",
        "Right finger direction",
        "Left palm orientation",
        "Left finger direction",
    ]
    shapes = doc.tier("Right handshape").annotations + doc.tier("Left handshape").annotations
    assert shapes, "the signer's hands are visible during the sign"
    vocabulary = doc.vocabulary(doc.tier_type("Handshape").vocabulary)
    for a in shapes:
        assert vocabulary.entry_by_value(a.value) is not None and a.cv_entry is not None
        assert len(a.attributes["alternatives"]) == 3 and a.attributes["alternatives"][0][0] == a.value
    sign_times = {(a.start_ms, a.end_ms) for a in doc.tier(SIGNS_TIER).annotations}
    assert all((a.start_ms, a.end_ms) in sign_times for a in shapes)
    right_only = annotate_video(shared_file(SLOVO_CLIP), AnnotateOptions(hands="right"), landmarks_path=pose)
    assert not any(t.id.startswith("Left") for t in right_only.tiers)


def test_cancelling_stops_the_pipeline(tmp_path):
    calls = []

    def should_cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        annotate_video(
            shared_file(SLOVO_CLIP), SEGMENTS_ONLY, landmarks_path=tmp_path / "x.pose", should_cancel=should_cancel
        )
    assert not (tmp_path / "x.pose").exists()


def test_a_video_with_nobody_in_it_is_an_error(tmp_path):
    with pytest.raises(NoSignerError, match="nobody"):
        annotate_video(write_video(tmp_path / "room.mp4", frames=20), SEGMENTS_ONLY)


def test_options_are_checked():
    with pytest.raises(ValueError, match="hands"):
        AnnotateOptions(hands="both hands")
    with pytest.raises(ValueError, match="after the start"):
        AnnotateOptions(start_ms=500, end_ms=100)
    with pytest.raises(ValueError, match="jobs"):
        AnnotateOptions(jobs=0)
