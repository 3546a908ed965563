"""A video's own annotation as segmentation training data: its landmarks with the sign and phrase spans of two tiers.

:func:`annotated_run` cuts the landmarks to the annotated part (a window, or from the first to the last
annotation of the chosen tiers): frames outside it are not used at all. :func:`tier_spans` and
:func:`check_media` read and check an annotation document. Bad input raises ValueError with a message that
names the file and what is wrong.
"""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

import numpy as np

from kslars.document import Document
from kslars.engine.segmentation.dgs_data import Run, Span
from kslars.engine.segmentation.features import skeleton_from_landmarks
from kslars.vision.pose_file import Landmarks


def tier_spans(doc: Document, tier_name: str, source: str = "the annotation") -> list[Span]:
    """Sorted (start_ms, end_ms) of every time-aligned annotation of the tier ``tier_name``; ValueError when the
    document has no such tier."""
    if not doc.has_tier(tier_name):
        names = ", ".join(repr(t.id) for t in doc.tiers) or "none"
        raise ValueError(f"{source} has no tier {tier_name!r} (its tiers: {names})")
    spans = [
        (a.start_ms, a.end_ms)
        for a in doc.tier(tier_name).annotations
        if a.start_ms is not None and a.end_ms is not None and a.end_ms > a.start_ms
    ]
    return sorted(spans)


def check_media(doc: Document, media: Path, source: str = "the annotation") -> None:
    """ValueError when ``doc`` names its media files and none of them is ``media`` (compared by file name without
    its extension, so that a video's .pose file matches its video)."""
    names = [PureWindowsPath(m.url.removeprefix("file://")).stem for m in doc.media if m.url]
    names += [PureWindowsPath(m.relative_url).stem for m in doc.media if m.relative_url]
    if names and media.stem not in names:
        listed = ", ".join(sorted({PureWindowsPath(m.url).name for m in doc.media}))
        raise ValueError(f"{source} annotates {listed}, not {media.name}")


def annotated_run(
    landmarks: Landmarks,
    signs: list[Span] | None,
    phrases: list[Span] | None,
    window: tuple[int, int] | None = None,
    name: str = "video",
) -> Run:
    """The landmarks from ``window`` (start_ms, end_ms) or, without one, from the first to the last annotation of
    ``signs`` and ``phrases`` (None: that tier is not used), with the spans inside it (clipped to it, times
    relative to its first frame). ValueError for a window outside the video or an empty annotated part."""
    duration = landmarks.duration_ms
    spans = [*(signs or []), *(phrases or [])]
    if window is None:
        if not spans:
            raise ValueError(f"{name}: the tiers hold no time-aligned annotations to learn from")
        window = (min(s for s, _ in spans), max(e for _, e in spans))
    start, end = window
    frame_ms = 1000 / landmarks.fps if landmarks.fps else 0
    if start < 0 or end <= start or start >= duration or end > duration + frame_ms:
        raise ValueError(f"{name}: the window {start}-{end} ms lies outside the video (0-{duration} ms)")
    first = int(np.ceil(start * landmarks.fps / 1000))
    stop = min(landmarks.frame_count, int(np.ceil(end * landmarks.fps / 1000)))
    if stop - first < 2:
        raise ValueError(f"{name}: the window {start}-{end} ms holds fewer than two frames")
    offset = first * 1000 / landmarks.fps
    end_ms = stop * 1000 / landmarks.fps

    def inside(tier: list[Span] | None) -> list[Span]:
        kept = [(max(a, offset), min(b, end_ms)) for a, b in tier or [] if b > offset and a < end_ms]
        return [(round(a - offset), round(b - offset)) for a, b in kept if b > a]

    skeleton = skeleton_from_landmarks(landmarks.frames(first, stop))
    if not (skeleton.right_seen.any() or skeleton.left_seen.any() or skeleton.body_seen.any()):
        raise ValueError(f"{name}: nobody is visible in the window {start}-{end} ms")
    return Run([name], round(offset), skeleton, inside(signs), inside(phrases))
