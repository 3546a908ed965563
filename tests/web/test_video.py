"""Uploading a project's video, serving it with Range requests, and converting it for the browser."""

from __future__ import annotations

import random

import pytest
from django.core.files.storage import InMemoryStorage, Storage
from django.test import Client

from kslars.vision.probe import probe_media
from kslars.web.annotation.store import load_document
from kslars.web.jobs.models import Job, JobStatus
from kslars.web.projects.models import Video, VideoStatus
from tests.conftest import shared_file
from tests.generated_video import write_video
from tests.web.site_helpers import client_for
from tests.web.video_helpers import FOOTBALL, SOUP, media_files, upload

pytestmark = pytest.mark.django_db


def test_upload_of_browser_playable_mp4(people, project, media_root):
    path = shared_file(SOUP)
    response = upload(client_for(people["editor"]), project, path)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "ready" and body["job"] is None
    assert body["codec"] == "h264" and body["container"] == "mp4"
    assert (body["width"], body["height"], body["duration_ms"]) == (320, 240, 1368)
    assert body["fps"] == pytest.approx(29.97, abs=0.01)
    assert body["original_name"] == "SOUP.mp4" and body["size_bytes"] == path.stat().st_size
    assert body["url"] == f"/p/{project.pk}/video" and body["thumbnail_url"] == f"/p/{project.pk}/thumbnail"
    video = Video.objects.get(project=project)
    assert video.original.read() == path.read_bytes()
    assert client_for(people["viewer"]).get(f"/api/projects/{project.pk}/video").json() == {**body, "job": None}
    thumbnail = client_for(people["viewer"]).get(body["thumbnail_url"])
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert b"".join(thumbnail.streaming_content)[:3] == b"\xff\xd8\xff"


def test_avi_is_converted_by_a_job_and_the_original_kept(
    people, project, media_root, tmp_path, eager_jobs, django_capture_on_commit_callbacks
):
    source = write_video(tmp_path / "lesson.avi", codec="mpeg4", frames=50)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(people["owner"]), project, source)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "transcoding" and body["url"] is None
    assert body["job"]["kind"] == "transcode" and body["job"]["status"] == "queued"
    job = Job.objects.get(pk=body["job"]["id"])
    assert job.status == JobStatus.SUCCEEDED and job.progress == 1.0 and job.finished_at is not None
    video = Video.objects.get(project=project)
    assert video.status == VideoStatus.READY and video.codec == "mpeg4"
    assert video.original.read() == source.read_bytes()
    playable = probe_media(video.playable.path)
    assert playable.browser_playable and playable.codec == "h264"
    response = client_for(people["viewer"]).get(f"/p/{project.pk}/video")
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == open(video.playable.path, "rb").read()


@pytest.mark.parametrize(
    "name, codec, converted", [("phone.mp4", "libx264", False), ("phone.webm", "libvpx-vp9", True)]
)
def test_portrait_phone_video_is_stored_upright(
    people, project, media_root, tmp_path, eager_jobs, django_capture_on_commit_callbacks, name, codec, converted
):
    """A phone's portrait clip (landscape pictures and a -90 degree display matrix) is stored with its portrait
    size; an H.264 MP4 plays as it is (browsers apply the matrix), other containers are converted upright."""
    from tests.vision.test_rotation import PORTRAIT, sideways_clip

    source = sideways_clip(tmp_path / name, 270, codec=codec)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(people["owner"]), project, source)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["width"], body["height"]) == PORTRAIT
    assert (body["job"] is not None) == converted
    video = Video.objects.get(project=project)
    assert video.status == VideoStatus.READY
    served = probe_media(video.playable_file().path)
    assert (served.width, served.height) == PORTRAIT and served.browser_playable
    assert served.rotation == (0 if converted else 270)


def test_too_large_by_declared_length_is_refused_before_reading(people, project, media_root, settings):
    settings.KSLARS_MAX_UPLOAD_BYTES = 1000
    response = upload(client_for(people["owner"]), project, shared_file(SOUP))
    assert response.status_code == 413
    assert "larger than the upload limit" in response.json()["detail"]
    assert not Video.objects.exists() and media_files(media_root) == []


def test_too_large_by_bytes_received_is_refused(people, project, media_root, settings):
    path = shared_file(SOUP)
    settings.KSLARS_MAX_UPLOAD_BYTES = path.stat().st_size - 100  # declared length passes, the data does not
    response = upload(client_for(people["owner"]), project, path)
    assert response.status_code == 413
    assert not Video.objects.exists() and media_files(media_root) == []


@pytest.mark.parametrize(
    "content, name, reason",
    [
        # fixed bytes: fresh random ones are now and then taken for a container without a video stream
        (random.Random(7).randbytes(20_000), "clip.mp4", "not a readable video"),
        (b"", "empty.mp4", "empty"),
        (None, "hand.png", "still image"),
    ],
)
def test_non_video_is_refused_and_previous_video_kept(people, project, media_root, tmp_path, content, name, reason):
    client = client_for(people["owner"])
    assert upload(client, project, shared_file(SOUP)).status_code == 201
    before = Video.objects.values().get(project=project)
    files = media_files(media_root)
    bad = tmp_path / name
    if content is None:
        from PIL import Image

        Image.new("RGB", (64, 48)).save(bad)
    else:
        bad.write_bytes(content)
    response = upload(client, project, bad)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("This file cannot be used as the project's video") and reason in detail
    assert str(tmp_path) not in detail and "/tmp" not in detail  # no server paths in messages
    assert Video.objects.values().get(project=project) == before
    assert media_files(media_root) == files


def test_replacing_keeps_annotations_and_removes_old_files(
    people, project, media_root, django_capture_on_commit_callbacks
):
    client = client_for(people["owner"])
    doc_before = load_document(project)
    assert upload(client, project, shared_file(SOUP)).status_code == 201
    old = media_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, project, shared_file(FOOTBALL))
    assert response.status_code == 201 and response.json()["width"] == 640
    assert load_document(project) == doc_before
    new = media_files(media_root)
    assert len(new) == 2 and not set(old) & set(new)  # original + thumbnail, the old pair deleted


def test_viewer_gets_403_and_stranger_404(people, project, media_root):
    path = shared_file(SOUP)
    response = upload(client_for(people["viewer"]), project, path)
    assert response.status_code == 403
    assert upload(client_for(people["stranger"]), project, path).status_code == 404
    assert upload(Client(), project, path).status_code == 404
    assert not Video.objects.exists() and media_files(media_root) == []


def test_share_link_cannot_upload(people, project, share_link, media_root):
    response = upload(Client(), project, shared_file(SOUP), HTTP_X_SHARE_TOKEN=share_link.token)
    assert response.status_code == 403
    assert not Video.objects.exists()


def test_forged_request_without_csrf_token_is_refused(people, project, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["owner"])
    response = upload(client, project, shared_file(SOUP))
    assert response.status_code == 403
    assert not Video.objects.exists() and media_files(media_root) == []


def test_upload_with_csrf_token_from_cookie_works(people, project, media_root):
    """What upload.js does: send the csrftoken cookie's value back as the X-CSRFToken header."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["owner"])
    client.cookies["csrftoken"] = token = "k" * 32
    response = upload(client, project, shared_file(SOUP), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content


@pytest.fixture
def stored_video(people, project, media_root):
    assert upload(client_for(people["owner"]), project, shared_file(FOOTBALL)).status_code == 201
    return Video.objects.get(project=project)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_range_requests(people, project, stored_video):
    data = open(stored_video.original.path, "rb").read()
    client = client_for(people["viewer"])
    url = f"/p/{project.pk}/video"
    whole = client.get(url)
    assert whole.status_code == 200 and _body(whole) == data
    assert whole["Accept-Ranges"] == "bytes" and int(whole["Content-Length"]) == len(data)
    part = client.get(url, HTTP_RANGE="bytes=100-1099")
    assert part.status_code == 206 and _body(part) == data[100:1100]
    assert part["Content-Range"] == f"bytes 100-1099/{len(data)}" and part["Content-Length"] == "1000"
    tail = client.get(url, HTTP_RANGE="bytes=-500")
    assert tail.status_code == 206 and _body(tail) == data[-500:]
    rest = client.get(url, HTTP_RANGE=f"bytes={len(data) - 10}-")
    assert rest.status_code == 206 and _body(rest) == data[-10:]
    clipped = client.get(url, HTTP_RANGE=f"bytes=0-{len(data) * 2}")
    assert clipped.status_code == 206 and _body(clipped) == data
    beyond = client.get(url, HTTP_RANGE=f"bytes={len(data)}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"
    assert client.get(url, HTTP_RANGE="bytes=0-1,5-9").status_code == 200  # several ranges: the whole file


def test_range_with_numbers_of_any_length_is_answered(people, project, share_link, stored_video):
    """Numbers past Python's 4,300-digit limit for int() (or just past the file) clip or miss like any other."""
    data = open(stored_video.original.path, "rb").read()
    huge = "9" * 5000
    client, url = Client(), f"/p/{project.pk}/video?share={share_link.token}"  # anyone with a link may send these
    beyond = client.get(url, HTTP_RANGE=f"bytes={huge}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"
    assert client.get(url, HTTP_RANGE=f"bytes={huge}-{huge}").status_code == 416
    clipped = client.get(url, HTTP_RANGE=f"bytes=10-{huge}")
    assert clipped.status_code == 206 and _body(clipped) == data[10:]
    tail = client.get(url, HTTP_RANGE=f"bytes=-{huge}")
    assert tail.status_code == 206 and _body(tail) == data
    padded = client.get(url, HTTP_RANGE="bytes=" + "0" * 5000 + "7-" + "0" * 5000 + "9")
    assert padded.status_code == 206 and _body(padded) == data[7:10]


def test_media_access_follows_project_access(people, project, share_link, stored_video):
    url = f"/p/{project.pk}/video"
    assert client_for(people["stranger"]).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    shared = Client().get(f"{url}?share={share_link.token}", HTTP_RANGE="bytes=0-99")
    assert shared.status_code == 206 and len(_body(shared)) == 100
    assert Client().get(f"/p/{project.pk}/thumbnail?share={share_link.token}").status_code == 200
    share_link.revoked_at = share_link.created_at
    share_link.save()
    assert Client().get(f"{url}?share={share_link.token}").status_code == 404
    assert client_for(people["owner"]).post(url).status_code == 405


def test_video_not_yet_playable_is_not_served(
    people, project, media_root, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = upload(client_for(people["owner"]), project, write_video(tmp_path / "a.avi"))
    assert response.json()["status"] == "transcoding"
    assert client_for(people["owner"]).get(f"/p/{project.pk}/video").status_code == 404
    assert client_for(people["owner"]).get(f"/api/projects/{project.pk}/video").json()["url"] is None


def test_project_without_video(people, project):
    response = client_for(people["owner"]).get(f"/api/projects/{project.pk}/video")
    assert response.status_code == 404 and response.json()["detail"] == "This project has no video yet."


class RemoteStorage(Storage):
    """A storage without local paths, like S3 (files kept in memory)."""

    def __init__(self, base_url: str) -> None:
        self.files = InMemoryStorage(location="/remote", base_url=base_url)

    def _open(self, name, mode="rb"):
        return self.files._open(name, mode)

    def _save(self, name, content):
        return self.files._save(name, content)

    def delete(self, name):
        self.files.delete(name)

    def exists(self, name):
        return self.files.exists(name)

    def size(self, name):
        return self.files.size(name)

    def url(self, name):
        return self.files.url(name)


@pytest.fixture
def remote_storage(settings):
    """Media in a storage without local paths: files are served by redirect and downloaded to convert."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.RemoteStorage",
            "OPTIONS": {"base_url": "https://media.example/"},
        },
    }


def test_remote_storage_redirects_and_converts(
    people, project, remote_storage, tmp_path, eager_jobs, django_capture_on_commit_callbacks
):
    source = write_video(tmp_path / "lesson.mkv", codec="mpeg4", frames=30)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(people["owner"]), project, source)
    assert response.status_code == 201
    video = Video.objects.get(project=project)
    assert video.status == VideoStatus.READY and video.playable.read()[4:8] == b"ftyp"
    redirect = client_for(people["viewer"]).get(f"/p/{project.pk}/video")
    assert redirect.status_code == 302 and redirect["Location"] == f"https://media.example/{video.playable.name}"
    assert client_for(people["stranger"]).get(f"/p/{project.pk}/video").status_code == 404
