"""GET /projects/{id}/nonmanual: the face lane's series from a project's stored landmarks, window by window, with
the same access rules and browser caching as /landmarks."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import Client

from kslars.engine.nonmanual import read_face_track
from kslars.engine.nonmanual.measurements import SERIES, measure_series
from kslars.web.processing import nonmanual_api
from tests.conftest import shared_file
from tests.engine.test_nonmanual import EXAMPLE_POSE
from tests.web.site_helpers import client_for
from tests.web.test_landmarks_cache import store_landmarks

pytestmark = pytest.mark.django_db
NO_FACE = "sign-language-processing__pose/poses/mmposewholebody/SOUP.pose"  # body and hands, no face mesh


@pytest.fixture(autouse=True)
def empty_cache():
    nonmanual_api.CACHE.clear()
    yield
    nonmanual_api.CACHE.clear()


def url(project, query: str = "") -> str:
    return f"/api/projects/{project.pk}/nonmanual{query}"


def test_a_window_holds_the_measured_series_of_its_frames(people, project, media_root) -> None:
    source = shared_file(EXAMPLE_POSE)
    store_landmarks(project, source)
    expected = measure_series(read_face_track(source))  # 130 frames at 30 fps
    answer = client_for(people["viewer"]).get(url(project, "?start_ms=1000&end_ms=2000"))
    assert answer.status_code == 200
    data = answer.json()
    assert (data["available"], data["fps"], data["first_frame"], data["frame_count"]) == (True, 30.0, 30, 30)
    assert [s["name"] for s in data["series"]] == list(SERIES)
    for s in data["series"]:
        values = expected.values[s["name"]]
        assert s["values"] == pytest.approx(values[30:60].tolist(), abs=1e-4)
        assert (s["min"], s["max"]) == pytest.approx((np.nanmin(values), np.nanmax(values)), abs=1e-4)
        assert s["unit"] == SERIES[s["name"]][1]
    whole = client_for(people["owner"]).get(url(project)).json()
    assert whole["frame_count"] == 130 and whole["first_frame"] == 0
    assert [s["min"] for s in whole["series"]] == [s["min"] for s in data["series"]]  # one scale for every window
    late = client_for(people["owner"]).get(url(project, "?start_ms=60000&end_ms=120000")).json()
    assert late["available"] and late["frame_count"] == 0 and late["series"][0]["values"] == []


def test_access_and_browser_cache(people, project, media_root, share_link) -> None:
    store_landmarks(project, shared_file(EXAMPLE_POSE))
    link = Client(HTTP_X_SHARE_TOKEN=share_link.token)
    first = link.get(url(project))
    assert first.status_code == 200 and first.json()["available"]
    tag = first["ETag"]
    assert link.get(url(project), HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert link.get(url(project, "?start_ms=0&end_ms=1000"), HTTP_IF_NONE_MATCH=tag).status_code == 200
    assert client_for(people["stranger"]).get(url(project), HTTP_IF_NONE_MATCH=tag).status_code == 404
    assert Client().get(url(project)).status_code in (401, 403, 404)
    assert len(nonmanual_api.CACHE.keys()) == 1  # measured once for all these requests


def test_not_available_without_landmarks_or_without_a_face(people, project, media_root) -> None:
    owner = client_for(people["owner"])
    assert owner.get(url(project)).json() == {
        "available": False,
        "fps": 0,
        "first_frame": 0,
        "frame_count": 0,
        "series": [],
    }
    store_landmarks(project, shared_file(NO_FACE), name="soup.pose")
    assert owner.get(url(project)).json()["available"] is False
