"""GET /projects/{id}/nonmanual: the non-manual measurements of a project's video (eyebrows, eyes, mouth, head) for
the editor's face lane, from the .pose file kept with the video.

Anyone who may view the project (share links included) may read them. The series are measured once per stored file
by kslars.engine.nonmanual.measurements (the neutral levels need the whole video) and kept in memory like the
landmarks (landmark_cache); each request writes only the frames of its window (start_ms, end_ms), and a browser that
holds the answer gets 304. Without landmarks, or without a face in them, the answer says ``available: false``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.http import HttpRequest
from ninja import Router, Schema

from kslars.engine.nonmanual.measurements import SERIES, NonManualSeries
from kslars.web.api_errors import ERRORS
from kslars.web.processing import landmark_cache
from kslars.web.projects.access import Access, project_for
from kslars.web.projects.videos import local_copy, project_video

router = Router(tags=["automatic annotation"])
CACHE: landmark_cache.LandmarkCache[PreparedSeries] = landmark_cache.LandmarkCache()
DECIMALS = 4


class FaceSeriesOut(Schema):
    """One series of a window: ``values[i]`` belongs to frame ``first_frame + i`` (null: no face there)."""

    name: str
    unit: str
    min: float | None  # over the whole video, so that every window is drawn to one scale
    max: float | None
    values: list[float | None]


class NonManualOut(Schema):
    """The measurements of frames ``first_frame`` .. ``first_frame + frame_count - 1``; frame i lies at
    ``i * 1000 / fps`` ms."""

    available: bool
    fps: float
    first_frame: int
    frame_count: int
    series: list[FaceSeriesOut]


EMPTY = {"available": False, "fps": 0, "first_frame": 0, "frame_count": 0, "series": []}


@dataclass(frozen=True)
class PreparedSeries:
    """The series of one stored file, rounded, with each one's range over the whole video."""

    series: NonManualSeries

    @cached_property
    def ranges(self) -> dict[str, tuple[float | None, float | None]]:
        """name -> (min, max) over the frames with a face (None, None without any)."""
        out = {}
        for name, values in self.series.values.items():
            finite = values[np.isfinite(values)]
            out[name] = (_number(finite.min()), _number(finite.max())) if len(finite) else (None, None)
        return out

    @cached_property
    def nbytes(self) -> int:
        """Memory held, in bytes (what the cache counts)."""
        return sum(v.nbytes for v in self.series.values.values()) + self.series.seen.nbytes

    def window_json(self, start_ms: int | None, end_ms: int | None) -> bytes:
        """The JSON of :class:`NonManualOut` for the frames whose time lies in [start_ms, end_ms)."""
        s = self.series
        whole = s.frame_count * 1000 / s.fps + 1
        frames = s.frames_between(start_ms or 0, whole if end_ms is None else end_ms)
        return json.dumps(
            {
                "available": True,
                "fps": s.fps,
                "first_frame": frames.start,
                "frame_count": len(frames),
                "series": [
                    {
                        "name": name,
                        "unit": SERIES[name][1],
                        "min": self.ranges[name][0],
                        "max": self.ranges[name][1],
                        "values": [_number(v) for v in s.values[name][frames.start : frames.stop].tolist()],
                    }
                    for name in SERIES
                ],
            }
        ).encode()


def _number(value: float) -> float | None:
    return None if value != value else round(float(value), DECIMALS)


def _prepared(landmarks, identity: str) -> PreparedSeries | None:  # noqa: ANN001 - a FieldFile
    """The measured series of the stored .pose ``landmarks``, from :data:`CACHE` or measured now; None when the file
    has no usable face mesh."""

    def load() -> PreparedSeries | None:
        from kslars.engine.nonmanual import read_face_track
        from kslars.engine.nonmanual.measurements import measure_series
        from kslars.vision.pose_file import PoseFileError

        with local_copy(landmarks) as path:
            try:
                track = read_face_track(path)
            except (PoseFileError, ValueError):
                return None
        return PreparedSeries(measure_series(track)) if track.seen.any() else None

    return CACHE.get(identity, load)


@router.get("/projects/{int:project_id}/nonmanual", response={200: NonManualOut, **ERRORS})
def nonmanual(request: HttpRequest, project_id: int, start_ms: int | None = None, end_ms: int | None = None):
    """Eyebrow heights, eye aperture, mouth opening and head angles per frame of the window [start_ms, end_ms)
    (docs/engine/nonmanual.md); ``available: false`` until the video was processed or when no face was found."""
    project, _ = project_for(request, project_id, Access.VIEW)
    video = project_video(project)
    if video is None or not video.landmarks:
        return EMPTY
    identity = landmark_cache.stored_identity(video.landmarks)
    tag = landmark_cache.etag(identity, "nonmanual", start_ms, end_ms)
    if (unchanged := landmark_cache.not_modified(request, tag)) is not None:
        return unchanged
    prepared = _prepared(video.landmarks, identity)
    return EMPTY if prepared is None else landmark_cache.json_response(prepared.window_json(start_ms, end_ms), tag)
