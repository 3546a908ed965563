"""``kslars extract`` and ``kslars annotate`` on real clips and on unusable input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kslars.cli import main
from tests.conftest import shared_file
from tests.generated_video import write_video
from tests.vision.bad_videos import empty_file, huge_video, still_image, truncated_copy

TEST_VIDEO = "sign-language-processing__pose/src/python/tests/data/test_video.mp4"
SOUP = "sign-language-processing__pose/videos/SOUP.mp4"
SLOVO_CLIP = "hukenovs__slovo/examples/f17a6060-6ced-4bd1-9886-8578cfbb864f.mp4"
SEGMENTS_ONLY = ["--no-handshapes", "--no-orientation"]


def _run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.slow
def test_extract_writes_a_pose_file(tmp_path):
    from pose_format import Pose

    out = tmp_path / "soup.pose"
    result = _run("extract", shared_file(SOUP), "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "41 frames" in result.output
    with open(out, "rb") as f:
        assert Pose.read(f.read()).body.data.shape[0] == 41


def test_extract_needs_a_pose_output(tmp_path):
    result = _run("extract", shared_file(SOUP), "-o", tmp_path / "soup.json")
    assert result.exit_code == 2 and ".pose" in result.output


@pytest.mark.slow
def test_annotate_one_video_to_json(tmp_path):
    out = tmp_path / "slovo.json"
    result = _run("annotate", shared_file(SLOVO_CLIP), "-o", out, *SEGMENTS_ONLY, "--landmarks-dir", tmp_path / "lm")
    assert result.exit_code == 0, result.output
    assert "annotated 1 of 1 videos" in result.output
    data = json.loads(out.read_text())
    text = json.dumps(data)
    assert "Signing segments" in text and "Signs" in text
    assert (tmp_path / "lm" / f"{shared_file(SLOVO_CLIP).stem}.pose").exists()


@pytest.mark.slow
def test_annotate_many_videos_into_a_folder_reports_failures_at_the_end(tmp_path):
    broken = empty_file(tmp_path / "broken.mp4")
    out = tmp_path / "out"
    result = _run(
        "annotate", shared_file(TEST_VIDEO), broken, shared_file(SOUP), "-o", out, "--format", "eaf", *SEGMENTS_ONLY
    )
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["SOUP.eaf", "test_video.eaf"]
    assert "annotated 2 of 3 videos" in result.output
    assert "broken.mp4: the file is empty" in result.output


def _bad_inputs(tmp_path):
    yield "empty", empty_file(tmp_path / "empty.mp4"), "empty"
    yield "picture", still_image(tmp_path / "picture.png"), "still image"
    yield "truncated", truncated_copy(shared_file(TEST_VIDEO), tmp_path / "cut.mp4", 0.6), "truncated"
    yield "header cut", truncated_copy(shared_file(TEST_VIDEO), tmp_path / "head.mp4", 0.01), "damaged"
    yield "nobody", write_video(tmp_path / "room.mp4", frames=20), "nobody"
    yield "enormous", huge_video(tmp_path / "huge.mkv"), "too large"


@pytest.mark.slow
def test_bad_input_fails_with_a_message_and_writes_nothing(tmp_path):
    for name, video, message in _bad_inputs(tmp_path):
        out = tmp_path / f"{name}.json"
        result = _run("annotate", video, "-o", out, *SEGMENTS_ONLY, "--jobs", "1")
        assert result.exit_code == 1, (name, result.output)
        assert message in result.output, (name, result.output)
        assert not out.exists()
        pose = tmp_path / f"{name}.pose"
        result = _run("extract", video, "-o", pose, "--jobs", "1")
        assert result.exit_code == 1 and message in result.output, (name, result.output)
        assert not pose.exists() and not list(tmp_path.glob(".*partial"))


def test_annotate_output_rules(tmp_path):
    video = shared_file(SOUP)
    result = _run("annotate", video, video, "-o", tmp_path / "one.eaf")
    assert result.exit_code == 2 and "output folder" in result.output
    result = _run("annotate", video, "-o", tmp_path / "out.txt")
    assert result.exit_code == 2 and ".eaf, .json or .csv" in result.output
    result = _run("annotate", video, "-o", tmp_path / "a.eaf", "--start", "500", "--end", "100")
    assert result.exit_code == 2 and "after the start" in result.output
    nothing = ("--no-phrases", "--no-signs", "--no-handshapes", "--no-orientation")
    result = _run("annotate", video, "-o", tmp_path / "a.eaf", *nothing)  # the same rule as the web tool's
    assert result.exit_code == 2 and "Choose at least one of phrases" in result.output
    assert not (tmp_path / "a.eaf").exists()


def test_help_lists_the_engine_commands():
    result = _run("--help")
    for name in ("extract", "annotate", "train", "evaluate"):
        assert name in result.output
    assert "segmentation" in _run("train", "--help").output
