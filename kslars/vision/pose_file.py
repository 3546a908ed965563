"""Landmark arrays and .pose files (pose-format v0.2, MediaPipe Holistic header).

The engine keeps only body and hand landmarks in memory (:class:`Landmarks`, a few hundred floats per frame);
the face mesh goes to the .pose file only. Files are written from per-chunk temporary arrays so that memory does
not grow with video length, and read back through a memory map for the same reason.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable

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


def _header(width: int, height: int):  # noqa: ANN202 - pose_format type
    from pose_format.pose_header import PoseHeader, PoseHeaderDimensions
    from pose_format.utils.holistic import holistic_components

    return PoseHeader(
        version=0.2, dimensions=PoseHeaderDimensions(width=width, height=height, depth=0),
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
    missing = [name for name in ("POSE_LANDMARKS", "LEFT_HAND_LANDMARKS", "RIGHT_HAND_LANDMARKS") if name not in starts]
    if missing:
        raise PoseFileError(f"{path}: not a MediaPipe Holistic .pose file (missing {', '.join(missing)})")
    dims = len(header.components[0].format) - 1
    body_at = offset + 10
    data_bytes = frames * people * index * dims * 4
    if body_at + data_bytes + frames * people * index * 4 > len(raw):
        raise PoseFileError(f"{path}: the file is shorter than its header says; it seems truncated")
    data = np.memmap(path, np.float32, "r", body_at, (frames, people, index, dims))
    confidence = np.memmap(path, np.float32, "r", body_at + data_bytes, (frames, people, index))

    def part(name: str) -> tuple[np.ndarray, np.ndarray]:
        start, n = starts[name]
        xyz = np.zeros((frames, n, 3), np.float32)
        xyz[:, :, : min(dims, 3)] = data[:, 0, start : start + n, :3]
        return xyz, np.array(confidence[:, 0, start : start + n], np.float32)

    body, body_conf = part("POSE_LANDMARKS")
    left, left_conf = part("LEFT_HAND_LANDMARKS")
    right, right_conf = part("RIGHT_HAND_LANDMARKS")
    return Landmarks(
        fps=float(fps), width=int(header.dimensions.width), height=int(header.dimensions.height),
        body=body, body_confidence=body_conf, left_hand=left, left_confidence=left_conf,
        right_hand=right, right_confidence=right_conf,
    )
