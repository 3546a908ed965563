"""A recognition input from a file: the skeleton of a .pose file, or of a video after landmark extraction."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from kslars.engine.segmentation.features import Skeleton, skeleton_from_landmarks


def skeleton_of(
    source: Path, fps: float, jobs: int | None = None, progress: Callable[[float, str], None] | None = None
) -> Skeleton:
    """The signer's skeleton in ``source``: a .pose file as it is, a video through MediaPipe Holistic sampled
    at ``fps`` (the landmarks are not kept; ``progress(fraction, message)`` follows the extraction). Raises
    ValueError or OSError with a message for unusable files."""
    from kslars.vision.pose_file import read_landmarks

    if source.suffix.lower() == ".pose":
        return skeleton_from_landmarks(read_landmarks(source))
    from kslars.vision.landmarks import extract_landmarks

    with tempfile.TemporaryDirectory(prefix="kslars-recognize-") as folder:
        landmarks = extract_landmarks(
            source,
            Path(folder) / "landmarks.pose",
            fps=fps,
            jobs=jobs or max(1, min(os.cpu_count() or 1, 4)),
            progress=progress,
        )
    return skeleton_from_landmarks(landmarks)
