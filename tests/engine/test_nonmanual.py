"""Non-manual signal proposals: known events injected into a real neutral face, and real clips end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from kslars.engine import annotation_tiers as tiers
from kslars.engine.nonmanual import EYEBROWS, HEAD, MOUTH, FaceTrack, propose_nonmanual, read_face_track
from kslars.engine.nonmanual.face import (
    CHIN,
    FOREHEAD,
    INNER_LIP_PAIRS,
    LEFT_BROW,
    LEFT_BROW_INNER,
    LEFT_EYE,
    MOUTH_CORNERS,
    RIGHT_BROW,
    RIGHT_BROW_INNER,
    RIGHT_EYE,
    columns,
)
from kslars.engine.pipeline import AnnotateOptions, annotate_video
from kslars.vision.pose_file import PoseFileError, read_face_points
from tests.conftest import shared_file

EXAMPLE_POSE = "sign-language-processing__segmentation/tests/example.pose"
TEST_VIDEO = "sign-language-processing__pose/src/python/tests/data/test_video.mp4"
SLOVO_CLIP = "hukenovs__slovo/examples/f17a6060-6ced-4bd1-9886-8578cfbb864f.mp4"
SOUP = "sign-language-processing__pose/videos/SOUP.mp4"
FOOTBALL = "sign-language-processing__pose/videos/FOOTBALL.mp4"
FPS = 15.0  # the pipeline's landmark rate
SECONDS = 6.0
TOLERANCE_MS = 200


# ---- a synthetic signer built from a real face ---------------------------------------------------------------
class Face:
    """A real neutral face (the first frame of a MediaPipe .pose file) and its axes, for injecting events."""

    def __init__(self, points: np.ndarray) -> None:
        self.points = points  # (n, 3) pixels
        right_eye = points[columns(RIGHT_EYE)].mean(axis=0)
        left_eye = points[columns(LEFT_EYE)].mean(axis=0)
        self.interocular = float(np.linalg.norm(left_eye - right_eye))
        x = (left_eye - right_eye) / self.interocular
        up = points[columns(FOREHEAD)] - points[columns(CHIN)]
        y = up - np.dot(up, x) * x
        y /= np.linalg.norm(y)
        self.axes = np.stack([x, y, np.cross(x, y)], axis=1)  # columns: right, up, forward
        self.centre = points.mean(axis=0)


@pytest.fixture(scope="module")
def face() -> Face:
    track = read_face_track(shared_file(EXAMPLE_POSE))
    assert track.seen[0]
    return Face(track.points[0])


def still(face: Face, seconds: float = SECONDS) -> np.ndarray:
    """(T, n, 3) frames of the neutral face, not moving at all."""
    return np.repeat(face.points[None], int(seconds * FPS), axis=0).copy()


def envelope(start_s: float, end_s: float, count: int, ramp_s: float = 0.1) -> np.ndarray:
    """(T,) 0..1: 1 between start and end, with raised-cosine ramps of ``ramp_s`` on both sides inside them."""
    t = np.arange(count) / FPS
    rise = np.clip((t - start_s) / ramp_s, 0, 1)
    fall = np.clip((end_s - t) / ramp_s, 0, 1)
    return 0.5 - 0.5 * np.cos(np.pi * np.minimum(rise, fall))


def move_points(
    frames: np.ndarray, face: Face, indices: tuple[int, ...], offset: np.ndarray, amount: np.ndarray
) -> None:
    """Move face-mesh points ``indices`` by ``offset`` (face axes: right, up, forward) times ``amount`` per frame."""
    shift = face.axes @ offset
    frames[:, columns(indices)] += amount[:, None, None] * shift


def rotate_head(frames: np.ndarray, face: Face, axis: int, degrees: np.ndarray) -> None:
    """Turn every frame's face about one of its own axes (0 right: nod, 1 up: shake, 2 forward: tilt)."""
    for t, angle in enumerate(np.radians(degrees)):
        c, s = np.cos(angle), np.sin(angle)
        local = {
            0: [[1, 0, 0], [0, c, -s], [0, s, c]],
            1: [[c, 0, s], [0, 1, 0], [-s, 0, c]],
            2: [[c, -s, 0], [s, c, 0], [0, 0, 1]],
        }[axis]
        rotation = face.axes @ np.array(local) @ face.axes.T
        frames[t] = (frames[t] - face.centre) @ rotation.T + face.centre


def raise_brows(frames: np.ndarray, face: Face, start: float, end: float, amount: float = 0.12) -> None:
    """Both eyebrows up by ``amount`` inter-ocular distances (a clear AU1+2 raise is about 0.1 to 0.2)."""
    brows = RIGHT_BROW + LEFT_BROW + RIGHT_BROW_INNER + LEFT_BROW_INNER
    move_points(
        frames,
        face,
        tuple(sorted(set(brows))),
        np.array([0, amount * face.interocular, 0]),
        envelope(start, end, len(frames)),
    )


def furrow_brows(frames: np.ndarray, face: Face, start: float, end: float) -> None:
    """Inner eyebrows down and towards the middle (AU4) by 0.07 inter-ocular distances each way."""
    d = 0.07 * face.interocular
    curve = envelope(start, end, len(frames))
    move_points(frames, face, RIGHT_BROW_INNER, np.array([d, -d, 0]), curve)
    move_points(frames, face, LEFT_BROW_INNER, np.array([-d, -d, 0]), curve)


def open_mouth(frames: np.ndarray, face: Face, start: float, end: float) -> None:
    """The lower lip and chin down by 0.3 mouth widths."""
    width = np.linalg.norm(face.points[columns(MOUTH_CORNERS[0])] - face.points[columns(MOUTH_CORNERS[1])])
    lower = tuple(down for _, down in INNER_LIP_PAIRS) + (CHIN,)
    move_points(frames, face, lower, np.array([0, -0.3 * width, 0]), envelope(start, end, len(frames)))


def oscillate(
    frames: np.ndarray, face: Face, axis: int, start: float, end: float, degrees: float, hertz: float
) -> None:
    """A head oscillation about one face axis: ``degrees`` either way at ``hertz`` between start and end."""
    t = np.arange(len(frames)) / FPS
    angle = degrees * np.sin(2 * np.pi * hertz * (t - start)) * ((t >= start) & (t <= end))
    rotate_head(frames, face, axis, angle)


def track(frames: np.ndarray, seen: np.ndarray | None = None) -> FaceTrack:
    return FaceTrack(FPS, frames, np.ones(len(frames), bool) if seen is None else seen)


def found(result: dict, tier: str) -> list[tuple[str, int, int]]:
    """(value, start ms, end ms) of every proposal on ``tier``."""
    return [(e.value, round(e.start * 1000 / FPS), round(e.stop * 1000 / FPS)) for e in result[tier]]


def assert_one(result: dict, tier: str, value: str, start_s: float, end_s: float, end_slack_ms: int = 0) -> None:
    events = found(result, tier)
    assert len(events) == 1, events
    label, start, end = events[0]
    assert label == value
    assert abs(start - start_s * 1000) <= TOLERANCE_MS, events
    assert abs(end - end_s * 1000) <= TOLERANCE_MS + end_slack_ms, events
    assert 0.5 <= result[tier][0].confidence <= 1.0


def assert_nothing(result: dict, *names: str) -> None:
    for name in names or (EYEBROWS, HEAD, MOUTH):
        assert result[name] == [], (name, result[name])


def noise(frames: np.ndarray, face: Face, seed: int, scale: float = 0.005) -> np.ndarray:
    """Landmark jitter of ``scale`` inter-ocular distances per coordinate (about what MediaPipe shows on a
    still face: the brow measure of a still real clip wanders by about 0.005)."""
    return frames + np.random.default_rng(seed).normal(0, scale * face.interocular, frames.shape)


# ---- nothing on a still face ---------------------------------------------------------------------------------
def test_a_still_face_gives_no_signal(face):
    assert_nothing(propose_nonmanual(track(still(face))))


@pytest.mark.parametrize("seed", range(5))
def test_landmark_jitter_gives_no_signal(face, seed):
    assert_nothing(propose_nonmanual(track(noise(still(face), face, seed))))


def test_a_slow_head_turn_is_not_a_shake(face):
    frames = still(face)
    t = np.arange(len(frames)) / FPS
    rotate_head(frames, face, 1, 20 * np.clip(t - 2, 0, 1))  # turns 20 degrees in 1 s and stays there
    assert_nothing(propose_nonmanual(track(frames)), HEAD, EYEBROWS, MOUTH)


# ---- injected events are found -----------------------------------------------------------------------------
# name: (injection, tier, value, start s, end s); oscillations end at their last turning point, which may come
# up to a frame or two after the injected end
EVENTS = {
    "raised eyebrows": (lambda f, face: raise_brows(f, face, 2.0, 3.0), EYEBROWS, "raised", 2.0, 3.0),
    "furrowed eyebrows": (lambda f, face: furrow_brows(f, face, 1.5, 3.0), EYEBROWS, "furrowed", 1.5, 3.0),
    "head shake": (lambda f, face: oscillate(f, face, 1, 2.0, 3.0, degrees=10, hertz=2.5), HEAD, "shake", 2.0, 3.0),
    "head nod": (lambda f, face: oscillate(f, face, 0, 3.0, 4.0, degrees=8, hertz=2.0), HEAD, "nod", 3.0, 4.0),
    "head tilt": (
        lambda f, face: rotate_head(f, face, 2, 15 * envelope(2.0, 3.5, len(f), ramp_s=0.2)),
        HEAD,
        "tilt",
        2.0,
        3.5,
    ),
    "open mouth": (lambda f, face: open_mouth(f, face, 1.0, 1.6), MOUTH, "open", 1.0, 1.6),
}


@pytest.mark.parametrize("name", EVENTS)
def test_an_injected_event_is_found_on_its_tier_only(face, name):
    inject, tier, value, start, end = EVENTS[name]
    frames = still(face)
    inject(frames, face)
    result = propose_nonmanual(track(noise(frames, face, seed=len(name))))
    assert_one(result, tier, value, start, end, end_slack_ms=100 if value in ("nod", "shake") else 0)
    if value in ("nod", "shake"):
        assert result[HEAD][0].attributes["reversals"] >= 2
    assert_nothing(result, *(t for t in (EYEBROWS, HEAD, MOUTH) if t != tier))


@pytest.mark.parametrize("degrees, side", [(15, "right"), (-15, "left")])
def test_a_tilt_says_towards_which_shoulder(face, degrees, side):
    frames = still(face)
    rotate_head(frames, face, 2, degrees * envelope(2.0, 3.5, len(frames), ramp_s=0.2))
    (tilt,) = propose_nonmanual(track(noise(frames, face, 9)))[HEAD]
    # a positive turn about the forward axis lifts the signer's left eye: the head leans to the right shoulder
    left_eye = frames[int(2.5 * FPS)][columns(LEFT_EYE)].mean(axis=0) - face.points[columns(LEFT_EYE)].mean(axis=0)
    assert (np.dot(left_eye, face.axes[:, 1]) > 0) == (side == "right")
    assert tilt.value == "tilt" and tilt.attributes["side"] == side


def everything(face: Face) -> np.ndarray:
    """Brows raised 0.5-1.5 s, mouth open 2-2.6 s, a shake 3-4 s and a nod 4.8-5.8 s, with jitter."""
    frames = still(face, 7.0)
    raise_brows(frames, face, 0.5, 1.5)
    open_mouth(frames, face, 2.0, 2.6)
    oscillate(frames, face, 1, 3.0, 4.0, degrees=10, hertz=2.5)
    oscillate(frames, face, 0, 4.8, 5.8, degrees=8, hertz=2.0)
    return noise(frames, face, 7)


def summary(result: dict) -> dict[str, list[str]]:
    return {tier: [e.value for e in events] for tier, events in result.items()}


def test_several_events_in_one_video(face):
    result = propose_nonmanual(track(everything(face)))
    assert summary(result) == {EYEBROWS: ["raised"], HEAD: ["shake", "nod"], MOUTH: ["open"]}


@pytest.mark.parametrize(
    "degrees, scale, shift", [(25, 1.0, (0, 0)), (0, 2.5, (0, 0)), (0, 1.0, (400, -150)), (-40, 0.6, (120, 300))]
)
def test_turned_scaled_and_moved_faces_give_the_same_result(face, degrees, scale, shift):
    frames = everything(face)
    expected = propose_nonmanual(track(frames))
    angle = np.radians(degrees)
    turn = np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]])
    moved = (frames - face.centre) @ turn.T * scale + face.centre + np.array([*shift, 0])
    result = propose_nonmanual(track(moved))
    assert summary(result) == summary(expected)
    for name in expected:
        for a, b in zip(expected[name], result[name], strict=True):
            assert abs(a.start - b.start) <= 1 and abs(a.stop - b.stop) <= 1


@pytest.mark.parametrize("zeroed", [True, False])
def test_frames_without_a_face_are_never_inside_a_segment(face, zeroed):
    frames = still(face)
    raise_brows(frames, face, 1.0, 4.0)
    open_mouth(frames, face, 1.0, 4.0)
    oscillate(frames, face, 1, 1.0, 4.0, degrees=10, hertz=2.5)
    frames = noise(frames, face, 8)
    seen = np.ones(len(frames), bool)
    missing = (np.arange(len(frames)) >= int(2.4 * FPS)) & (np.arange(len(frames)) < int(2.6 * FPS))
    seen[missing] = False
    if zeroed:  # what a .pose file holds where MediaPipe found no face; else the points are there but unseen
        frames[missing] = 0.0
    result = propose_nonmanual(track(frames, seen))
    gap = np.flatnonzero(missing)
    for name in (EYEBROWS, HEAD, MOUTH):
        assert result[name], name
        for event in result[name]:
            assert seen[event.start : event.stop].all(), (name, event)
            assert event.stop <= gap[0] or event.start > gap[-1]


def test_no_face_at_all_gives_no_signal(face):
    frames = np.zeros((60, len(face.points), 3))
    assert_nothing(propose_nonmanual(track(frames, np.zeros(60, bool))))


# ---- reading the face from .pose files -------------------------------------------------------------------------
def test_face_points_of_a_pose_file(face):
    points = read_face_points(shared_file(EXAMPLE_POSE), [1, 13, 14])
    assert points.xyz.shape == (130, 3, 3) and points.confidence.shape == (130, 3)
    assert points.fps == 30.0 and (points.width, points.height) == (320, 240)
    # the nose tip lies between the eyebrows and the lips in the picture
    assert face.points[columns(RIGHT_BROW)][:, 1].max() < points.xyz[0, 0, 1] < points.xyz[0, 1, 1]
    with pytest.raises(ValueError, match="468 points"):
        read_face_points(shared_file(EXAMPLE_POSE), [1, 468])


def test_a_pose_file_without_a_face_is_refused(tmp_path):
    from pose_format import Pose

    with open(shared_file(EXAMPLE_POSE), "rb") as f:
        pose = Pose.read(f.read())
    body_only = pose.get_components(["POSE_LANDMARKS"])
    path = tmp_path / "body.pose"
    with open(path, "wb") as f:
        body_only.write(f)
    with pytest.raises(PoseFileError, match="missing FACE_LANDMARKS"):
        read_face_track(path)


# ---- the pipeline and the command --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def test_video_landmarks(tmp_path_factory):
    """test_video.mp4 annotated with non-manual tiers, its landmarks kept for the other tests."""
    pose = tmp_path_factory.mktemp("landmarks") / "test_video.pose"
    doc = annotate_video(shared_file(TEST_VIDEO), AnnotateOptions(nonmanual=True, jobs=1), landmarks_path=pose)
    return pose, doc


def check_nonmanual_tiers(doc, start_ms: int, end_ms: int) -> None:
    doc.validate()
    for name in tiers.NONMANUAL_TIERS:
        tier = doc.tier(name)
        assert tier.type == tiers.NONMANUAL_TYPES[name]
        vocabulary = doc.vocabulary(doc.tier_type(tier.type).vocabulary)
        allowed = {value for t, value, _ in tiers.NONMANUAL_SIGNALS if t == name}
        assert {e.value for e in vocabulary.entries} == allowed  # a tier offers only its own values
        for a in tier.annotations:
            assert a.value in allowed and vocabulary.entry(a.cv_entry).value == a.value
            assert start_ms <= a.start_ms < a.end_ms <= end_ms
            assert 0 < a.attributes["confidence"] <= 1


def test_pipeline_adds_the_three_tiers(test_video_landmarks):
    _, doc = test_video_landmarks
    assert [t.id for t in doc.tiers][-3:] == ["Eyebrows", "Head", "Mouth"]
    check_nonmanual_tiers(doc, 0, 1940)


def test_pipeline_without_the_option_adds_no_nonmanual_tier_or_type(test_video_landmarks):
    pose, _ = test_video_landmarks
    doc = annotate_video(
        shared_file(TEST_VIDEO), AnnotateOptions(handshapes=False, orientation=False), landmarks_path=pose
    )
    assert [t.id for t in doc.tiers] == [tiers.PHRASES_TIER, tiers.SIGNS_TIER]
    assert set(tiers.NONMANUAL_TYPES.values()).isdisjoint(t.id for t in doc.tier_types)
    assert set(tiers.NONMANUAL_VOCABULARIES.values()).isdisjoint(v.id for v in doc.vocabularies)


def test_pipeline_nonmanual_only_within_the_time_range(test_video_landmarks, monkeypatch):
    pose, _ = test_video_landmarks

    def no_segmentation(_landmarks):  # nothing manual asked for: the segmentation model is not even loaded
        raise AssertionError("segmented although no manual tier was asked for")

    monkeypatch.setattr("kslars.engine.segmentation.segment_landmarks", no_segmentation)
    options = AnnotateOptions(
        phrases=False, signs=False, handshapes=False, orientation=False, nonmanual=True, start_ms=500, end_ms=1500
    )
    doc = annotate_video(shared_file(TEST_VIDEO), options, landmarks_path=pose)
    assert [t.id for t in doc.tiers] == list(tiers.NONMANUAL_TIERS)
    check_nonmanual_tiers(doc, 500, 1500)


@pytest.mark.slow
def test_pipeline_on_a_slovo_clip_where_the_face_leaves_the_picture(tmp_path):
    pose = tmp_path / "slovo.pose"
    doc = annotate_video(
        shared_file(SLOVO_CLIP),
        AnnotateOptions(nonmanual=True, handshapes=False, orientation=False),
        landmarks_path=pose,
    )
    check_nonmanual_tiers(doc, 0, 3734)
    # from about 2.8 s the signer stands so close that the forehead is out of the picture: no face there
    face = read_face_track(pose)
    assert face.seen[:30].all() and not face.seen[-10:].any()
    last_seen_ms = (np.flatnonzero(face.seen)[-1] + 1) * 1000 / face.fps
    for name in tiers.NONMANUAL_TIERS:
        assert all(a.end_ms <= last_seen_ms + 1 for a in doc.tier(name).annotations)


@pytest.mark.parametrize("clip, mouth", [(SOUP, [(300, 800)]), (FOOTBALL, [])])
def test_real_mouthing_is_found_and_a_smile_is_not(clip, mouth, tmp_path):
    """Checked by eye on the frames: the SOUP signer mouths "soup" at about 0.3-0.8 s; the FOOTBALL signer
    smiles with her teeth showing throughout and makes no other face or head signal."""
    options = AnnotateOptions(nonmanual=True, phrases=False, handshapes=False, orientation=False, jobs=1)
    doc = annotate_video(shared_file(clip), options, landmarks_path=tmp_path / "clip.pose")
    check_nonmanual_tiers(doc, 0, 2200)
    found_mouth = doc.tier("Mouth").annotations
    assert len(found_mouth) == len(mouth)
    for a, (start, end) in zip(found_mouth, mouth, strict=True):
        assert a.value == "open" and abs(a.start_ms - start) <= 150 and abs(a.end_ms - end) <= 150
    assert not doc.tier("Eyebrows").annotations and not doc.tier("Head").annotations


def test_cli_flag_writes_the_tiers(test_video_landmarks, tmp_path):
    from kslars.cli import main

    pose, _ = test_video_landmarks
    folder = tmp_path / "lm"
    folder.mkdir()
    (folder / "test_video.pose").write_bytes(pose.read_bytes())
    out = tmp_path / "out.json"
    args = [
        "annotate",
        str(shared_file(TEST_VIDEO)),
        "-o",
        str(out),
        "--nonmanual",
        "--no-handshapes",
        "--no-orientation",
        "--landmarks-dir",
        str(folder),
        "--jobs",
        "1",
    ]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = json.dumps(json.loads(out.read_text()))
    for name in (*tiers.NONMANUAL_TIERS, *tiers.NONMANUAL_TYPES.values(), *tiers.NONMANUAL_VOCABULARIES.values()):
        assert f'"{name}"' in text
    without = tmp_path / "plain.json"
    args[3] = str(without)
    args.remove("--nonmanual")
    assert CliRunner().invoke(main, args, catch_exceptions=False).exit_code == 0
    assert '"Eyebrows"' not in without.read_text()
