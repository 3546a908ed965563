"""Phone videos stored sideways with a rotation in the display matrix come out upright everywhere.

Phones film portrait video as landscape pictures and write the turn a player must apply into the MP4
display matrix. The generated clips below are written exactly so: the stored picture is the upright one
turned the other way, plus ``set_display_rotation``. Their upright picture has a red block in the top-left
corner and a green one in the top-right, so every turn or mirror image is told apart.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from kslars.vision.probe import browser_playable, probe_media
from kslars.vision.thumbnail import video_thumbnail
from kslars.vision.transcode import transcode_to_mp4
from kslars.vision.video import probe_video, sample_frames
from tests.conftest import shared_file

SLOVO_CLIP = "hukenovs__slovo/examples/f17a6060-6ced-4bd1-9886-8578cfbb864f.mp4"  # 720x1280 portrait, upright
PORTRAIT = (96, 160)  # displayed width, height
ROTATIONS = [90, 180, 270]


def marked_picture(width: int, height: int) -> np.ndarray:
    """An upright RGB picture: red block top-left, green block top-right, black elsewhere."""
    rgb = np.zeros((height, width, 3), np.uint8)
    rgb[: height // 4, : width // 4] = (255, 0, 0)
    rgb[: height // 4, -(width // 4) :] = (0, 255, 0)
    return rgb


def corners(rgb: np.ndarray) -> dict[str, str]:
    """The colour ("red", "green" or "black") at the middle of each corner block of an upright picture."""
    height, width = rgb.shape[:2]
    at = {
        "top-left": (height // 8, width // 8),
        "top-right": (height // 8, width - width // 8),
        "bottom-left": (height - height // 8, width // 8),
        "bottom-right": (height - height // 8, width - width // 8),
    }

    def colour(pixel: np.ndarray) -> str:
        r, g, b = (int(v) for v in pixel)
        if r > 150 and g < 100 and b < 100:
            return "red"
        if g > 150 and r < 100 and b < 100:
            return "green"
        assert max(r, g, b) < 60, f"unexpected colour {r, g, b}"
        return "black"

    return {name: colour(rgb[y, x]) for name, (y, x) in at.items()}


UPRIGHT = {"top-left": "red", "top-right": "green", "bottom-left": "black", "bottom-right": "black"}


def write_sideways(
    path: Path, pictures: list[np.ndarray], rotation: int, codec: str = "libx264", fps: int = 25
) -> Path:
    """Write upright ``pictures`` the way a phone does: turned back by ``rotation``, with the display rotation set."""
    import av

    stored = [np.ascontiguousarray(np.rot90(p, -(rotation // 90))) for p in pictures]
    height, width = stored[0].shape[:2]
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.set_display_rotation(rotation)
        for rgb in stored:
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def sideways_clip(path: Path, rotation: int, codec: str = "libx264", frames: int = 25) -> Path:
    """A one-second clip of the marked portrait picture, stored sideways."""
    return write_sideways(path, [marked_picture(*PORTRAIT)] * frames, rotation, codec)


def first_frame(path: Path):  # noqa: ANN201 - a PyAV VideoFrame
    """The first decoded frame of ``path``, as a player's decoder gives it (display matrix not applied)."""
    import av

    with av.open(str(path)) as container:
        return next(container.decode(video=0))


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_probing_reports_the_rotation_and_the_displayed_size(tmp_path, rotation):
    path = sideways_clip(tmp_path / "phone.mp4", rotation)
    stored = first_frame(path)
    assert (stored.width, stored.height) == (PORTRAIT if rotation == 180 else PORTRAIT[::-1])
    info = probe_media(path)
    assert info.rotation == rotation and (info.width, info.height) == PORTRAIT
    assert probe_video(path).rotation == rotation
    # browsers apply the MP4 display matrix: the phone's H.264 MP4 plays upright as it is
    assert info.browser_playable


def test_unrotated_video_reports_no_rotation(tmp_path):
    path = sideways_clip(tmp_path / "plain.mp4", 0)
    info = probe_media(path)
    assert info.rotation == 0 and (info.width, info.height) == PORTRAIT


def test_rotation_outside_mp4_needs_conversion(tmp_path):
    info = probe_media(sideways_clip(tmp_path / "phone.webm", 270, codec="libvpx-vp9", frames=5))
    assert (info.container, info.codec, info.rotation) == ("webm", "vp9", 270)
    assert (info.width, info.height) == PORTRAIT and not info.browser_playable
    assert browser_playable("webm", "vp9", "yuv420p", rotation=0)
    assert not browser_playable("matroska", "h264", "yuv420p", rotation=90)
    assert browser_playable("mp4", "h264", "yuv420p", "aac", rotation=90)


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_frames_for_the_engine_are_upright(tmp_path, rotation):
    path = sideways_clip(tmp_path / "phone.mp4", rotation)
    assert corners(first_frame(path).to_ndarray(format="rgb24")) != UPRIGHT  # stored sideways or upside down
    frames = list(sample_frames(path, 5.0))
    assert len(frames) == 5
    for frame in frames:
        assert frame.rgb.shape == (PORTRAIT[1], PORTRAIT[0], 3) and frame.rgb.flags.c_contiguous
        assert corners(frame.rgb) == UPRIGHT


def test_large_sideways_frames_are_scaled_for_detection_and_upright(tmp_path):
    path = write_sideways(tmp_path / "phone.mp4", [marked_picture(240, 400)] * 3, 270)
    (frame,) = list(sample_frames(path, 25.0, stop_slot=1, max_side=200))
    assert frame.rgb.shape == (200, 120, 3)
    assert corners(frame.rgb) == UPRIGHT


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_conversion_writes_upright_pictures_without_rotation(tmp_path, rotation):
    source = sideways_clip(tmp_path / "phone.mkv", rotation)
    steps: list[float] = []
    transcode_to_mp4(source, tmp_path / "out.mp4", progress=steps.append)
    info = probe_media(tmp_path / "out.mp4")
    assert info.rotation == 0 and (info.width, info.height) == PORTRAIT and info.browser_playable
    picture = first_frame(tmp_path / "out.mp4")
    assert picture.rotation == 0 and (picture.width, picture.height) == PORTRAIT
    assert corners(picture.to_ndarray(format="rgb24")) == UPRIGHT  # upright with no display matrix at all
    assert steps[-1] == 1.0 and len(steps) >= 25


def test_conversion_of_odd_sized_sideways_video_keeps_it_upright(tmp_path):
    source = write_sideways(tmp_path / "phone.mkv", [marked_picture(99, 161)] * 5, 90, codec="mpeg4")
    transcode_to_mp4(source, tmp_path / "out.mp4")
    info = probe_media(tmp_path / "out.mp4")
    assert (info.width, info.height, info.rotation) == (98, 160, 0)
    assert corners(first_frame(tmp_path / "out.mp4").to_ndarray(format="rgb24")) == UPRIGHT


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_thumbnail_is_upright(tmp_path, rotation):
    path = sideways_clip(tmp_path / "phone.mp4", rotation)
    image = Image.open(io.BytesIO(video_thumbnail(path, at_ms=500, max_side=80)))
    assert image.size == (48, 80)
    assert corners(np.asarray(image.convert("RGB"))) == UPRIGHT


@pytest.fixture(scope="module")
def phone_copy(tmp_path_factory) -> tuple[Path, Path]:
    """The real portrait Slovo clip, and a copy stored as a phone in portrait does: landscape, rotated -90."""
    import av

    original = shared_file(SLOVO_CLIP)
    with av.open(str(original)) as container:
        pictures = [f.to_ndarray(format="rgb24", width=360, height=640) for f in container.decode(video=0)]
    folder = tmp_path_factory.mktemp("phone")
    return original, write_sideways(folder / "portrait.mp4", pictures, 270, fps=30)


def test_real_signer_filmed_on_a_phone_is_probed_and_decoded_upright(phone_copy):
    original, phone = phone_copy
    assert (first_frame(phone).width, first_frame(phone).height) == (640, 360)  # stored sideways
    info = probe_media(phone)
    assert (info.width, info.height, info.rotation) == (360, 640, 270) and info.browser_playable
    upright = [f.rgb.astype(np.float32) for f in sample_frames(original, 5.0, max_side=640)]
    decoded = [f.rgb.astype(np.float32) for f in sample_frames(phone, 5.0)]
    assert len(decoded) == len(upright) == 19
    assert decoded[0].shape == upright[0].shape == (640, 360, 3)
    # the same pictures as the upright original, up to compression
    differences = [np.abs(a - b).mean() for a, b in zip(decoded, upright, strict=True)]
    assert max(differences) < 6.0
    # while the picture upside down would differ a lot: the comparison can tell
    assert np.abs(decoded[0][::-1, ::-1] - upright[0]).mean() > 4 * max(differences)


@pytest.mark.slow
def test_landmarks_of_a_phone_video_match_the_upright_original(phone_copy, tmp_path):
    from kslars.vision.landmarks import extract_landmarks

    original, phone = phone_copy
    reference = extract_landmarks(original, tmp_path / "original.pose", fps=5)
    turned = extract_landmarks(phone, tmp_path / "phone.pose", fps=5)
    assert (turned.width, turned.height) == (360, 640)
    assert turned.frame_count == reference.frame_count and turned.person_seen().all()
    # pixel coordinates of the displayed (upright) picture: compare them as fractions of its size
    scale = np.array([360, 640]) / np.array([reference.width, reference.height])
    upper_body = slice(0, 25)
    offset = turned.body[:, upper_body, :2] - reference.body[:, upper_body, :2] * scale
    assert np.abs(offset).mean() < 4.0  # pixels of 360x640
    nose, hips = turned.body[:, 0, 1], turned.body[:, 23:25, 1].mean(axis=1)
    assert (nose < hips).all()  # the head is above the hips: the signer stands upright
