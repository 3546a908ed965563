"""Changes outside the annotations (name, video) count as revisions, so editors polling /changes see them."""

from __future__ import annotations

import pytest

from tests.generated_video import write_video
from tests.web.site_helpers import client_for
from tests.web.video_helpers import upload

pytestmark = pytest.mark.django_db


def revision(client, project) -> int:
    return client.get(f"/api/projects/{project.pk}/document").json()["revision"]


def test_rename_is_seen_by_other_editors(people, project):
    owner, viewer = client_for(people["owner"]), client_for(people["viewer"])
    before = revision(viewer, project)
    assert (
        owner.patch(f"/api/projects/{project.pk}", {"name": "Renamed"}, content_type="application/json").status_code
        == 200
    )
    changes = viewer.get(f"/api/projects/{project.pk}/changes", {"since": before}).json()
    assert changes["revision"] > before
    assert changes["project"]["name"] == "Renamed"


def test_video_conversion_finishing_is_seen_by_open_editors(
    people, project, media_root, tmp_path, eager_jobs, django_capture_on_commit_callbacks
):
    viewer = client_for(people["viewer"])
    source = write_video(tmp_path / "lesson.avi", codec="mpeg4", frames=30)
    with django_capture_on_commit_callbacks() as queued:
        assert upload(client_for(people["owner"]), project, source).status_code == 201
    uploaded = viewer.get(f"/api/projects/{project.pk}/document").json()
    assert uploaded["video"]["status"] == "transcoding"
    for run_job in queued:
        run_job()
    changes = viewer.get(f"/api/projects/{project.pk}/changes", {"since": uploaded["revision"]}).json()
    assert changes["revision"] > uploaded["revision"]
    assert changes["video"]["status"] == "ready"
