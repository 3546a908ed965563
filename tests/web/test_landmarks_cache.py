"""GET /landmarks and /series from memory and the browser's cache: the same answers as when every request read
the .pose file, 304 while the file is the same, fresh answers for a new file, access checked first, bounded memory.

The answers are compared with the reference below: the skeleton built per frame and part from the parsed file and
rendered through the routes' schemas, as the API answered before the cache existed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from django.core.files import File
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder
from pydantic import TypeAdapter

from kslars.vision import pose_file
from kslars.vision.pose_file import read_landmarks, write_pose
from kslars.web.processing import landmark_cache
from kslars.web.processing.landmark_json import (
    BODY_EDGES,
    HAND_EDGES,
    UPPER_BODY_POINTS,
    editor_landmarks,
    frame_range,
    hand_speed_series,
    skeleton_json,
)
from kslars.web.processing.process_api import SeriesOut, SkeletonOut
from kslars.web.projects.models import Project, Share, Video, VideoStatus
from tests.conftest import shared_file
from tests.web.site_helpers import client_for
from tests.web.test_video import RemoteStorage

pytestmark = pytest.mark.django_db

POSES = "sign-language-processing__pose/src"
EXAMPLE = f"{POSES}/js/pose_viewer/src/sample-data/example.pose"  # 97 frames at 25 fps, hands partly unseen
OTHER = f"{POSES}/python/tests/data/hand_estimation/7bd6dd48722def3cf84258b96371cb1e.pose"  # 91 frames, 30.007 fps
TRUNCATED = f"{POSES}/python/tests/data/mediapipe.pose"  # shorter than its header says
WINDOWS = [(None, None), (0, 300000), (1000, 1500), (2000, 2040), (300000, 600000), (10_000_000, None)]


@pytest.fixture(autouse=True)
def empty_cache():
    landmark_cache.CACHE.clear()
    yield
    landmark_cache.CACHE.clear()


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """The paths of every .pose file read from now on."""
    seen: list[Path] = []

    def counting(path):
        seen.append(Path(path))
        return read_landmarks(path)

    monkeypatch.setattr(pose_file, "read_landmarks", counting)
    return seen


def store_landmarks(project: Project, source: Path, name: str = "clip.pose") -> Video:
    """Store ``source`` as the landmarks of the project's video (a new row, or the existing one's new file)."""
    with open(source, "rb") as f:
        stored = default_storage.save(f"videos/landmarks/{name}", File(f))
    video = Video.objects.filter(project=project).first()
    if video is None:
        return Video.objects.create(
            project=project,
            original="videos/original/clip.mp4",
            landmarks=stored,
            original_name="clip.mp4",
            status=VideoStatus.READY,
            fps=25,
            duration_ms=3880,
            width=320,
            height=240,
        )
    video.landmarks = stored
    video.save(update_fields=["landmarks"])
    return video


def reference_skeleton(path: Path, start_ms: int | None, end_ms: int | None) -> bytes:
    """The /landmarks answer built the straightforward way: per frame and part from the parsed file, each
    coordinate rounded to 3 decimals, then rendered through SkeletonOut the way the API renders a returned dict."""
    landmarks = read_landmarks(path)
    scale = np.array([landmarks.width, landmarks.height], np.float32)

    def flat(points: np.ndarray, confidence: np.ndarray) -> list[float] | None:
        if confidence.max() <= 0:
            return None
        return [round(v, 3) for v in np.round(points[:, :2] / scale, 3).reshape(-1).tolist()]

    frames = frame_range(landmarks, start_ms, end_ms)
    rows = [
        [
            flat(landmarks.body[i, :UPPER_BODY_POINTS], landmarks.body_confidence[i]),
            flat(landmarks.left_hand[i], landmarks.left_confidence[i]),
            flat(landmarks.right_hand[i], landmarks.right_confidence[i]),
        ]
        for i in frames
    ]
    answer = {
        "available": True,
        "fps": landmarks.fps,
        "width": landmarks.width,
        "height": landmarks.height,
        "start_ms": landmarks.time_ms(frames.start) if rows else 0,
        "frame_count": len(rows),
        "body_edges": BODY_EDGES,
        "hand_edges": HAND_EDGES,
        "frames": rows,
    }
    return rendered(SkeletonOut, answer)


def reference_series(path: Path) -> bytes:
    """The /series answer as built before the cache."""
    return rendered(list[SeriesOut], hand_speed_series(read_landmarks(path)))


def rendered(schema, data) -> bytes:
    """``data`` validated by ``schema`` and written as Django Ninja writes a route's answer."""
    adapter = TypeAdapter(schema)
    return json.dumps(adapter.dump_python(adapter.validate_python(data)), cls=NinjaJSONEncoder).encode()


def landmarks_url(project: Project, start_ms: int | None = None, end_ms: int | None = None) -> str:
    query = "&".join(f"{k}={v}" for k, v in (("start_ms", start_ms), ("end_ms", end_ms)) if v is not None)
    return f"/api/projects/{project.pk}/landmarks" + (f"?{query}" if query else "")


@pytest.mark.parametrize("fixture", [EXAMPLE, OTHER])
def test_answers_are_the_same_as_reading_the_file_each_time(people, project, media_root, fixture, reads):
    source = shared_file(fixture)
    store_landmarks(project, source)
    viewer = client_for(people["viewer"])
    for start_ms, end_ms in WINDOWS + WINDOWS:  # the second round is answered from memory
        response = viewer.get(landmarks_url(project, start_ms, end_ms))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.content == reference_skeleton(source, start_ms, end_ms), (start_ms, end_ms)
    series = viewer.get(f"/api/projects/{project.pk}/series")
    assert series.content == reference_series(source)
    assert [s["name"] for s in series.json()] == ["Right hand speed", "Left hand speed"]
    assert len(reads) == 1  # read once, for the first request
    # numbers go out as short decimals (coordinates 3 places, speeds 4), not float32's long expansions
    whole = viewer.get(f"/api/projects/{project.pk}/landmarks").content.split(b'"frames"')[1]
    assert re.search(rb"\d\.\d{4}", whole) is None and re.search(rb"\d\.\d{5}", series.content) is None
    assert re.search(rb"\d\.\d{3}[,\]]", whole) and re.search(rb"\d\.\d{4}[,\]]", series.content)


def test_negative_zero_and_out_of_frame_points_are_written_as_before(tmp_path):
    landmarks = read_landmarks(shared_file(EXAMPLE))
    landmarks.body[:5, :, 0] = -0.0001 * landmarks.width  # rounds to -0.0, which JSON writes as -0.0
    landmarks.left_hand[:5, :, 1] = 1.7 * landmarks.height  # below the picture
    path = tmp_path / "edge.pose"
    write_pose_from(landmarks, path)
    body = skeleton_json(editor_landmarks(read_landmarks(path)))
    assert b"-0.0, " in body and body == reference_skeleton(path, None, None)


def test_a_file_without_frames_is_answered_as_before(people, project, media_root, tmp_path):
    empty = tmp_path / "empty.pose"
    write_pose(empty, 320, 240, 15.0, [], [], 0)
    store_landmarks(project, empty)
    viewer = client_for(people["viewer"])
    assert viewer.get(landmarks_url(project, 0, 300000)).content == reference_skeleton(empty, 0, 300000)
    assert viewer.get(f"/api/projects/{project.pk}/series").content == reference_series(empty)


def write_pose_from(landmarks, path: Path) -> None:
    """Write ``landmarks`` (body and hands; no face) as a holistic .pose file."""
    frames = landmarks.frame_count
    data = np.zeros((frames, pose_file.TOTAL_POINTS, 3), np.float32)
    confidence = np.zeros((frames, pose_file.TOTAL_POINTS), np.float32)
    left = pose_file.BODY_POINTS + pose_file.FACE_POINTS
    for start, points, conf in (
        (0, landmarks.body, landmarks.body_confidence),
        (left, landmarks.left_hand, landmarks.left_confidence),
        (left + pose_file.HAND_POINTS, landmarks.right_hand, landmarks.right_confidence),
    ):
        data[:, start : start + points.shape[1]] = points
        confidence[:, start : start + points.shape[1]] = conf
    write_pose(path, landmarks.width, landmarks.height, landmarks.fps, [data], [confidence], frames)


def test_the_same_answer_is_304_with_its_etag(people, project, media_root, reads):
    store_landmarks(project, shared_file(EXAMPLE))
    viewer = client_for(people["viewer"])
    first = viewer.get(landmarks_url(project, 0, 300000))
    tag = first["ETag"]
    assert tag.startswith('"') and first["Cache-Control"] == "private, no-cache"
    again = viewer.get(landmarks_url(project, 0, 300000), HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == tag and again["Cache-Control"] == "private, no-cache"
    assert viewer.get(landmarks_url(project, 0, 300000), HTTP_IF_NONE_MATCH=f"W/{tag}").status_code == 304
    other_window = viewer.get(landmarks_url(project, 1000, 1500), HTTP_IF_NONE_MATCH=tag)
    assert other_window.status_code == 200 and other_window["ETag"] != tag
    series = viewer.get(f"/api/projects/{project.pk}/series")
    assert series.status_code == 200 and series["ETag"] not in (tag, other_window["ETag"])
    assert viewer.get(f"/api/projects/{project.pk}/series", HTTP_IF_NONE_MATCH=series["ETag"]).status_code == 304
    assert len(reads) == 1


def test_a_new_extraction_is_served_fresh(people, project, media_root):
    store_landmarks(project, shared_file(EXAMPLE))
    viewer = client_for(people["viewer"])
    old = viewer.get(landmarks_url(project))
    old_series = viewer.get(f"/api/projects/{project.pk}/series")
    store_landmarks(project, shared_file(OTHER), name="clip-2.pose")  # as keep_landmarks stores a new extraction
    new = viewer.get(landmarks_url(project), HTTP_IF_NONE_MATCH=old["ETag"])
    assert new.status_code == 200 and new["ETag"] != old["ETag"]
    assert new.content == reference_skeleton(shared_file(OTHER), None, None) != old.content
    new_series = viewer.get(f"/api/projects/{project.pk}/series", HTTP_IF_NONE_MATCH=old_series["ETag"])
    assert new_series.status_code == 200 and new_series.content == reference_series(shared_file(OTHER))


def test_a_new_file_under_a_deleted_files_name_is_served_fresh(people, project, media_root, tmp_path):
    """A video uploaded again under the same name gets landmarks under the same name: the content changed."""
    source = shared_file(EXAMPLE)
    video = store_landmarks(project, source)
    viewer = client_for(people["viewer"])
    old = viewer.get(landmarks_url(project))
    changed = read_landmarks(source)
    changed.body[:, :, :2] *= 0.5  # the same size of file, other points
    write_pose_from(changed, tmp_path / "changed.pose")
    stored = Path(video.landmarks.path)
    default_storage.delete(video.landmarks.name)
    assert store_landmarks(project, tmp_path / "changed.pose").landmarks.name == video.landmarks.name
    later = stored.stat().st_mtime_ns + 2_000_000_000  # as if extracted a while after the first file
    os.utime(stored, ns=(later, later))
    new = viewer.get(landmarks_url(project), HTTP_IF_NONE_MATCH=old["ETag"])
    assert new.status_code == 200 and new["ETag"] != old["ETag"]
    assert new.content == reference_skeleton(tmp_path / "changed.pose", None, None) != old.content


class DatedRemoteStorage(RemoteStorage):
    """A storage without local paths that knows when each file was written, as S3 does."""

    def get_modified_time(self, name):
        return self.files.get_modified_time(name)


def test_remote_storage_is_downloaded_once_and_told_apart_by_time(people, project, settings, reads):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.DatedRemoteStorage",
            "OPTIONS": {"base_url": "https://media.example/"},
        },
    }
    video = store_landmarks(project, shared_file(EXAMPLE))
    viewer = client_for(people["viewer"])
    first = viewer.get(landmarks_url(project))
    assert first.content == reference_skeleton(shared_file(EXAMPLE), None, None)
    assert viewer.get(f"/api/projects/{project.pk}/series").content == reference_series(shared_file(EXAMPLE))
    assert viewer.get(landmarks_url(project), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert len(reads) == 1 and not reads[0].exists()  # one download, to a temporary file since deleted
    default_storage.delete(video.landmarks.name)
    assert store_landmarks(project, shared_file(OTHER)).landmarks.name == video.landmarks.name
    again = viewer.get(landmarks_url(project), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again.content == reference_skeleton(shared_file(OTHER), None, None)


def test_who_lost_access_gets_404_even_with_the_etag(people, project, media_root, share_link):
    store_landmarks(project, shared_file(EXAMPLE))
    viewer = client_for(people["viewer"])
    link = Client(HTTP_X_SHARE_TOKEN=share_link.token)
    urls = [landmarks_url(project, 0, 300000), f"/api/projects/{project.pk}/series"]
    tags = [viewer.get(url)["ETag"] for url in urls]
    assert [link.get(url, HTTP_IF_NONE_MATCH=tag).status_code for url, tag in zip(urls, tags, strict=True)] == [
        304,
        304,
    ]
    Share.objects.filter(project=project, user=people["viewer"]).delete()
    share_link.revoked_at = timezone.now()
    share_link.save()
    for url, tag in zip(urls, tags, strict=True):
        assert viewer.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 404
        assert link.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 404
        assert client_for(people["stranger"]).get(url, HTTP_IF_NONE_MATCH=tag).status_code == 404
        assert Client().get(url, HTTP_IF_NONE_MATCH=tag).status_code in (401, 403, 404)


def test_an_unreadable_file_is_answered_empty_and_not_kept(people, project, media_root, reads):
    store_landmarks(project, shared_file(TRUNCATED))
    viewer = client_for(people["viewer"])
    for _ in range(2):
        skeleton = viewer.get(landmarks_url(project))
        assert skeleton.json()["available"] is False and not skeleton.has_header("ETag")
        series = viewer.get(f"/api/projects/{project.pk}/series")
        assert series.json() == [] and not series.has_header("ETag")
    assert landmark_cache.CACHE.keys() == [] and len(reads) == 4


def test_memory_stays_bounded(people, media_root, reads):
    files = [shared_file(EXAMPLE), shared_file(OTHER), shared_file(EXAMPLE)]
    projects = [Project.objects.create(owner=people["owner"], name=f"Video {i}") for i in range(3)]
    owner = client_for(people["owner"])
    for each, source in zip(projects, files, strict=True):
        store_landmarks(each, source, name=f"p{each.pk}.pose")
        assert owner.get(landmarks_url(each)).status_code == 200
    held = landmark_cache.CACHE.keys()
    assert len(held) == landmark_cache.MAX_ENTRIES == 2
    assert all(f"p{projects[0].pk}.pose" not in key for key in held)  # the least recently used went first
    assert landmark_cache.CACHE.nbytes <= landmark_cache.MAX_BYTES
    owner.get(landmarks_url(projects[2]))
    owner.get(landmarks_url(projects[0]))  # dropped: read again
    assert [p.name for p in reads] == [f"p{p.pk}.pose" for p in projects] + [f"p{projects[0].pk}.pose"]


def test_the_cache_keeps_within_its_byte_budget():
    entries = {
        name: editor_landmarks(read_landmarks(shared_file(path))) for name, path in (("a", EXAMPLE), ("b", OTHER))
    }
    cache = landmark_cache.LandmarkCache(max_entries=10, max_bytes=max(e.nbytes for e in entries.values()) + 1)
    assert cache.get("a", lambda: entries["a"]) is entries["a"]
    assert cache.get("b", lambda: entries["b"]) is entries["b"]
    assert cache.keys() == ["b"] and cache.nbytes == entries["b"].nbytes  # both would exceed the budget
    small = landmark_cache.LandmarkCache(max_bytes=entries["a"].nbytes - 1)
    assert small.get("a", lambda: entries["a"]) is entries["a"] and small.keys() == []  # served, not kept
