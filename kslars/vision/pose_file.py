"""Landmark arrays and .pose files (pose-format v0.2, MediaPipe Holistic header).

The engine keeps only body and hand landmarks in memory (:class:`Landmarks`, a few hundred floats per frame);
the face mesh goes to the .pose file, from which :func:`read_face_points` reads only the points a caller needs.
Files are written from per-chunk temporary arrays so that memory does not grow with video length, and read back
through a memory map for the same reason.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import BinaryIO

import numpy as np

BODY_POINTS = 33
FACE_POINTS = 468
HAND_POINTS = 21
# Component order of pose-format's holistic header (without refined irises).
COMPONENTS = (
    ("POSE_LANDMARKS", BODY_POINTS),
    ("FACE_LANDMARKS", FACE_POINTS),
    ("LEFT_HAND_LANDMARKS", HAND_POINTS),
    ("RIGHT_HAND_LANDMARKS", HAND_POINTS),
    ("POSE_WORLD_LANDMARKS", BODY_POINTS),
)
TOTAL_POINTS = sum(n for _, n in COMPONENTS)


class PoseFileError(ValueError):
    """A .pose file cannot be used; the message names the file and the problem."""


_BODY_AND_HANDS = ("POSE_LANDMARKS", "LEFT_HAND_LANDMARKS", "RIGHT_HAND_LANDMARKS")  # what Landmarks holds


@dataclass
class Landmarks:
    """Body and hand landmarks of one signer, sampled at a constant rate.

    Coordinates are in pixels of the original video (x, y) plus MediaPipe's relative depth (z), as in
    pose-format's holistic files. A confidence of 0 marks a landmark that was not seen in that frame.
    """

    fps: float
    width: int
    height: int
    body: np.ndarray  # (T, 33, 3) float32
    body_confidence: np.ndarray  # (T, 33)
    left_hand: np.ndarray  # (T, 21, 3), the signer's left hand
    left_confidence: np.ndarray  # (T, 21)
    right_hand: np.ndarray  # (T, 21, 3)
    right_confidence: np.ndarray  # (T, 21)

    @property
    def frame_count(self) -> int:
        """Number of sampled frames."""
        return int(self.body.shape[0])

    @property
    def duration_ms(self) -> int:
        """Time covered by the samples."""
        return int(round(self.frame_count * 1000 / self.fps))

    def time_ms(self, frame: int) -> int:
        """Start time of sample ``frame`` in milliseconds."""
        return int(round(frame * 1000 / self.fps))

    def person_seen(self) -> np.ndarray:
        """(T,) bool: frames where MediaPipe found a body."""
        return self.body_confidence.max(axis=1) > 0

    def frames(self, first: int, stop: int) -> Landmarks:
        """The samples from frame ``first`` up to (not including) ``stop``."""
        arrays = {f.name: getattr(self, f.name) for f in fields(self) if isinstance(getattr(self, f.name), np.ndarray)}
        return replace(self, **{name: array[first:stop] for name, array in arrays.items()})


def _header(width: int, height: int):  # noqa: ANN202 - pose_format type
    from pose_format.pose_header import PoseHeader, PoseHeaderDimensions
    from pose_format.utils.holistic import holistic_components

    return PoseHeader(
        version=0.2,
        dimensions=PoseHeaderDimensions(width=width, height=height, depth=0),
        components=holistic_components("XYZC", 0),
    )


def write_pose(
    path: Path,
    width: int,
    height: int,
    fps: float,
    data_parts: Iterable[np.ndarray],
    confidence_parts: Iterable[np.ndarray],
    frame_count: int,
) -> None:
    """Write a holistic .pose file from consecutive blocks, atomically (a temporary file renamed at the end).

    ``data_parts`` are (n, 576, 3) and ``confidence_parts`` (n, 576) float32 arrays (or memory maps) whose
    lengths add up to ``frame_count``. A failure leaves no file behind.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        with open(tmp, "wb") as f:
            _header(width, height).write(f)
            f.write(struct.pack("<f", fps))
            f.write(struct.pack("<I", frame_count))
            f.write(struct.pack("<H", 1))
            written = _write_blocks(f, data_parts, (TOTAL_POINTS, 3))
            _write_blocks(f, confidence_parts, (TOTAL_POINTS,))
        if written != frame_count:
            raise PoseFileError(f"{path}: {written} frames of landmarks for {frame_count} announced")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_blocks(f: BinaryIO, parts: Iterable[np.ndarray], shape: tuple[int, ...], block: int = 2048) -> int:
    count = 0
    for part in parts:
        for i in range(0, len(part), block):
            chunk = np.ascontiguousarray(part[i : i + block], dtype=np.float32).reshape(-1, 1, *shape)
            f.write(chunk.tobytes())
            count += chunk.shape[0]
    return count


def read_landmarks(path: str | Path) -> Landmarks:
    """Body and hand landmarks from a MediaPipe Holistic .pose file, read through a memory map (the face mesh
    is never loaded); the arrays returned are copies that do not depend on the file."""
    pose = _open_pose(path, _BODY_AND_HANDS)
    body, body_conf = pose.part("POSE_LANDMARKS")
    left, left_conf = pose.part("LEFT_HAND_LANDMARKS")
    right, right_conf = pose.part("RIGHT_HAND_LANDMARKS")
    return Landmarks(
        fps=pose.fps,
        width=pose.width,
        height=pose.height,
        body=body,
        body_confidence=body_conf,
        left_hand=left,
        left_confidence=left_conf,
        right_hand=right,
        right_confidence=right_conf,
    )


def read_pose_size(path: str | Path) -> tuple[int, int]:
    """The (width, height) of the video a holistic .pose file was made from, from its header; PoseFileError if
    :func:`read_landmarks` could not read it."""
    pose = _open_pose(path, _BODY_AND_HANDS)
    return pose.width, pose.height


def landmarks_fit(path: str | Path, size: tuple[int, int]) -> bool:
    """Whether ``path`` is a readable holistic .pose file made for a picture of ``size`` (width, height).

    Landmarks are in that picture's pixels: a missing or unreadable file, or one made for another size (e.g.
    from a phone video before it was turned upright), does not fit the video and is to be extracted anew."""
    try:
        return Path(path).exists() and read_pose_size(path) == tuple(size)
    except PoseFileError:
        return False


@dataclass(frozen=True)
class FacePoints:
    """Chosen face-mesh points of one signer: x, y in pixels, z in MediaPipe's relative depth (about x's scale
    divided by the frame width); a confidence of 0 marks a frame where the face was not found."""

    fps: float
    width: int
    height: int
    xyz: np.ndarray  # (T, n, 3) float32
    confidence: np.ndarray  # (T, n)


def read_face_points(path: str | Path, points: Sequence[int]) -> FacePoints:
    """The chosen points of the face mesh (indices 0..467) from a holistic .pose file, through a memory map.

    Only the requested points are copied, so a long video costs a few bytes per point and frame.
    PoseFileError when the file has no face mesh.
    """
    pose = _open_pose(path, ("FACE_LANDMARKS",))
    xyz, confidence = pose.part("FACE_LANDMARKS", np.asarray(points, np.intp))
    return FacePoints(fps=pose.fps, width=pose.width, height=pose.height, xyz=xyz, confidence=confidence)


@dataclass(frozen=True)
class _PoseArrays:
    """A .pose file opened through memory maps: its rate, size, component offsets and the raw arrays."""

    fps: float
    width: int
    height: int
    starts: dict[str, tuple[int, int]]  # component name -> (first point, point count)
    dims: int
    data: np.ndarray  # (T, people, points, dims) memory map
    confidence: np.ndarray  # (T, people, points) memory map

    def part(self, name: str, points: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Copies of one component's (T, n, 3) coordinates and (T, n) confidences (first person only)."""
        start, n = self.starts[name]
        if points is not None and len(points) and (points.min() < 0 or points.max() >= n):
            raise ValueError(f"{name} has {n} points; asked for points {points.min()}..{points.max()}")
        chosen: slice | np.ndarray = slice(start, start + n) if points is None else start + points
        count = n if points is None else len(points)
        xyz = np.zeros((self.data.shape[0], count, 3), np.float32)
        xyz[:, :, : min(self.dims, 3)] = self.data[:, 0, chosen, :3]
        return xyz, np.array(self.confidence[:, 0, chosen], np.float32)


def _open_pose(path: str | Path, required: Sequence[str]) -> _PoseArrays:
    """Parse the header of a .pose file and map its data; PoseFileError naming the file for anything unusable."""
    from pose_format.pose_header import PoseHeader
    from pose_format.utils.reader import BufferReader

    path = Path(path)
    try:
        raw = np.memmap(path, dtype=np.uint8, mode="r")
        reader = BufferReader(bytes(raw[: min(len(raw), 4 << 20)]))
        header = PoseHeader.read(reader)
        offset = reader.read_offset
        fps, frames, people = struct.unpack_from("<fIH", bytes(raw[offset : offset + 10]))
    except (struct.error, ValueError, UnicodeDecodeError, IndexError) as exc:
        raise PoseFileError(f"{path}: not a readable .pose file ({exc})") from exc
    starts: dict[str, tuple[int, int]] = {}
    index = 0
    for component in header.components:
        starts[component.name] = (index, len(component.points))
        index += len(component.points)
    missing = [name for name in required if name not in starts]
    if missing:
        raise PoseFileError(f"{path}: not a MediaPipe Holistic .pose file (missing {', '.join(missing)})")
    dims = len(header.components[0].format) - 1
    body_at = offset + 10
    data_bytes = frames * people * index * dims * 4
    if body_at + data_bytes + frames * people * index * 4 > len(raw):
        raise PoseFileError(f"{path}: the file is shorter than its header says; it seems truncated")
    return _PoseArrays(
        fps=float(fps),
        width=int(header.dimensions.width),
        height=int(header.dimensions.height),
        starts=starts,
        dims=dims,
        data=np.memmap(path, np.float32, "r", body_at, (frames, people, index, dims)),
        confidence=np.memmap(path, np.float32, "r", body_at + data_bytes, (frames, people, index)),
    )
