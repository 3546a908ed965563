"""The automatic annotation pipeline: video -> landmarks (.pose) -> segments -> handshapes and orientation
(and, when asked, non-manual signals from the face) -> Document.

A library entry point with no Django: the ``kslars annotate`` command and the web tool's background job both
call :func:`annotate_video`, passing a progress callback and a cancellation check.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np

from kslars.document import Document
from kslars.engine import annotation_tiers as tiers
from kslars.vision.landmarks import CancelCheck, Cancelled, NoSignerError, ProgressCallback, extract_landmarks
from kslars.vision.pose_file import Landmarks, landmarks_fit, read_landmarks
from kslars.vision.video import VideoError, probe_video

if TYPE_CHECKING:
    from kslars.engine.nonmanual import FaceTrack

__all__ = ["AnnotateOptions", "Cancelled", "NoSignerError", "VideoError", "annotate_video"]

_LANDMARK_SHARE = 0.85  # share of the progress bar that landmark extraction takes


Hands = Literal["both", "right", "left"]
WHAT = ("phrases", "signs", "handshapes", "orientation", "nonmanual")  # the parts that can be turned on and off


@dataclass(frozen=True)
class AnnotateOptions:
    """What to annotate: which tiers, which hands, which time range (ms), and how many processes to use.

    The one options type of automatic annotation: ``kslars annotate``, the web tool's Process video request
    (its API schema has these fields) and its job all make one, and its checks are the only ones.
    ``nonmanual`` adds the "Eyebrows", "Head" and "Mouth" tiers read from the face mesh (off by default).
    ``segmentation_weights``: a segmentation checkpoint to use instead of the shipped one (e.g. fine-tuned on a
    signer's corrected annotation by ``kslars train segmentation --from``). ``handshape_weights``: a handshape
    model to use instead of the shipped one (``kslars handshape train``, or a project's model learnt from its
    corrected handshape tiers); the handshape tiers then hold its labels.
    """

    phrases: bool = True
    signs: bool = True
    handshapes: bool = True
    orientation: bool = True
    nonmanual: bool = False
    hands: Hands = "both"
    start_ms: int | None = None
    end_ms: int | None = None
    jobs: int = 1
    segmentation_weights: str | None = None
    handshape_weights: str | None = None

    def __post_init__(self) -> None:
        if not any(getattr(self, part) for part in WHAT):
            raise ValueError("Choose at least one of phrases, signs, handshapes, orientation and nonmanual.")
        if self.hands not in get_args(Hands):
            raise ValueError(f"hands must be 'both', 'right' or 'left', not {self.hands!r}")
        if self.start_ms is not None and self.end_ms is not None and self.end_ms <= self.start_ms:
            raise ValueError(f"the end ({self.end_ms} ms) must come after the start ({self.start_ms} ms)")
        if self.jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {self.jobs}")

    def as_dict(self) -> dict[str, Any]:
        """The options as JSON-ready data, without ``jobs`` (how many processes is the runner's choice)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "jobs"}

    @classmethod
    def from_dict(cls, data: dict[str, Any], **overrides: Any) -> AnnotateOptions:
        """The options that ``data`` gives (other keys are ignored, None means the default), then ``overrides``;
        ValueError with a clear message for a bad choice."""
        given = {f.name: data[f.name] for f in fields(cls) if data.get(f.name) is not None}
        return cls(**{**given, **overrides})


def annotate_video(
    video_path: str | Path,
    options: AnnotateOptions = AnnotateOptions(),
    landmarks_path: str | Path | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> Document:
    """Annotate one video and return the document (validated).

    ``landmarks_path``: a .pose file to reuse if it exists and fits the video (the same displayed size), else to
    create or replace (without it, landmarks go to a temporary file). ``progress(fraction, message)`` reports
    how far the work is; ``should_cancel()`` returning True stops it with :class:`Cancelled`. Raises VideoError
    (NoSignerError when nobody is visible) for unusable video.
    """
    report = progress or (lambda fraction, message: None)
    check = should_cancel or (lambda: False)
    info = probe_video(video_path)
    landmarks, face = _landmarks(
        video_path,
        (info.width, info.height),
        _sample_fps(info.fps),
        options.jobs,
        landmarks_path,
        options.nonmanual,
        report,
        check,
    )
    offset_frame, landmarks = landmarks_window(landmarks, options.start_ms, options.end_ms)
    if not landmarks.person_seen().any():
        raise NoSignerError(f"{video_path}: nobody is visible in the chosen time range")
    offset_ms = int(round(offset_frame * 1000 / landmarks.fps))
    doc = tiers.new_document(video_path)
    if options.phrases or options.signs or options.handshapes or options.orientation:
        _add_manual(doc, landmarks, options, offset_ms, report, check)
    if face is not None:
        _check(check)
        report(0.97, "non-manual signals")
        _add_nonmanual(doc, face.sliced(offset_frame, offset_frame + landmarks.frame_count), offset_ms)
    doc.validate()
    report(1.0, "done")
    return doc


def video_landmarks(
    video_path: str | Path,
    landmarks_path: str | Path,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> Landmarks:
    """Body and hand landmarks of ``video_path`` as automatic annotation samples them: the .pose file
    ``landmarks_path`` when it fits the video, else extracted into it (progress reaches 0.85 when they are there)."""
    info = probe_video(video_path)
    landmarks, _ = _landmarks(
        video_path,
        (info.width, info.height),
        _sample_fps(info.fps),
        1,
        landmarks_path,
        False,
        progress or (lambda fraction, message: None),
        should_cancel or (lambda: False),
    )
    return landmarks


def _sample_fps(video_fps: float) -> float:
    """Landmarks at the segmentation model's rate (15 fps): half the work on 30 fps video, nothing lost."""
    from kslars.engine.segmentation.config import SegmentationConfig  # no torch: the landmark workers start at once

    return min(SegmentationConfig().fps, video_fps)


def _add_manual(
    doc: Document,
    landmarks: Landmarks,
    options: AnnotateOptions,
    offset_ms: int,
    report: ProgressCallback,
    check: CancelCheck,
) -> None:
    """Segment the signing and add the chosen tiers: phrases, signs, handshapes and orientation per sign."""
    _check(check)
    report(_LANDMARK_SHARE, "segmenting")
    from kslars.engine.segmentation import load_segmentation_model, segment_landmarks

    model = load_segmentation_model(options.segmentation_weights) if options.segmentation_weights else None
    segmentation = segment_landmarks(landmarks, model)
    if options.phrases:
        tier = tiers.add_tier(doc, tiers.PHRASES_TIER, tiers.SEGMENT_TYPE)
        for seg in segmentation.phrases:
            tiers.add_annotation(
                doc, tier, seg.start_ms + offset_ms, seg.end_ms + offset_ms, "", {"confidence": seg.confidence}
            )
    if options.signs:
        tier = tiers.add_tier(doc, tiers.SIGNS_TIER, tiers.SEGMENT_TYPE)
        for seg in segmentation.signs:
            tiers.add_annotation(
                doc, tier, seg.start_ms + offset_ms, seg.end_ms + offset_ms, "", {"confidence": seg.confidence}
            )
    _check(check)
    hands = ("right", "left") if options.hands == "both" else (options.hands,)
    spans = [(s.start_ms, s.end_ms) for s in segmentation.signs]
    if options.handshapes:
        report(0.9, "handshapes")
        _add_handshapes(doc, landmarks, spans, hands, offset_ms, options.handshape_weights)
    _check(check)
    if options.orientation:
        report(0.95, "orientation")
        _add_orientation(doc, landmarks, spans, hands, offset_ms)


def _check(should_cancel: CancelCheck) -> None:
    if should_cancel():
        raise Cancelled()


def _landmarks(
    video_path: str | Path,
    size: tuple[int, int],
    fps: float,
    jobs: int,
    landmarks_path: str | Path | None,
    face: bool,
    report: ProgressCallback,
    check: CancelCheck,
) -> tuple[Landmarks, FaceTrack | None]:
    """Reuse the .pose file ``landmarks_path`` when it fits the video's displayed ``size``, else extract landmarks
    into it (or into a temporary file); the face track too when ``face`` is true."""

    def with_face(landmarks: Landmarks, path: str | Path) -> tuple[Landmarks, FaceTrack | None]:
        if not face:
            return landmarks, None
        from kslars.engine.nonmanual import read_face_track

        return landmarks, read_face_track(path)

    if landmarks_path is not None and landmarks_fit(landmarks_path, size):
        report(_LANDMARK_SHARE, "reusing landmarks")
        return with_face(read_landmarks(landmarks_path), landmarks_path)

    def scaled(fraction: float, message: str) -> None:
        report(fraction * _LANDMARK_SHARE, message)

    if landmarks_path is not None:
        landmarks = extract_landmarks(
            video_path, landmarks_path, fps=fps, jobs=jobs, progress=scaled, should_cancel=check
        )
        return with_face(landmarks, landmarks_path)
    with tempfile.TemporaryDirectory(prefix="kslars-annotate-") as tmp:  # the arrays returned are copies
        path = Path(tmp, "landmarks.pose")
        landmarks = extract_landmarks(video_path, path, fps=fps, jobs=jobs, progress=scaled, should_cancel=check)
        return with_face(landmarks, path)


def landmarks_window(landmarks: Landmarks, start_ms: int | None, end_ms: int | None) -> tuple[int, Landmarks]:
    """The landmark frames from ``start_ms`` to ``end_ms`` (None: the start or end of the video), and the index of
    the first one; ValueError when the window holds no frame."""
    if start_ms is None and end_ms is None:
        return 0, landmarks
    first = 0 if start_ms is None else int(np.ceil(start_ms * landmarks.fps / 1000))
    stop = landmarks.frame_count if end_ms is None else int(np.ceil(end_ms * landmarks.fps / 1000))
    stop = min(stop, landmarks.frame_count)
    if first >= stop:
        raise ValueError(
            f"the time range {start_ms}-{end_ms} ms holds no frame of the video (it lasts {landmarks.duration_ms} ms)"
        )
    return first, landmarks.frames(first, stop)


def hand_samples(landmarks: Landmarks, spans: list[tuple[int, int]], hand: str) -> list[tuple[int, int, np.ndarray]]:
    """For each sign where ``hand`` is seen: (start_ms, end_ms, (21, 3) landmarks normalised to the frame).

    The frame used is the one nearest the middle of the sign among those where the hand was detected.
    """
    points = landmarks.right_hand if hand == "right" else landmarks.left_hand
    seen = (landmarks.right_confidence if hand == "right" else landmarks.left_confidence).max(axis=1) > 0
    scale = np.array([landmarks.width, landmarks.height, 1.0], np.float32)
    samples = []
    for start_ms, end_ms in spans:
        first = int(np.floor(start_ms * landmarks.fps / 1000))
        stop = max(first + 1, int(np.ceil(end_ms * landmarks.fps / 1000)))
        frames = np.flatnonzero(seen[first:stop]) + first
        if len(frames) == 0:
            continue
        middle = (first + stop - 1) / 2
        best = int(frames[np.argmin(np.abs(frames - middle))])
        samples.append((start_ms, end_ms, points[best] / scale))
    return samples


def _add_handshapes(
    doc: Document,
    landmarks: Landmarks,
    spans: list[tuple[int, int]],
    hands: tuple[str, ...],
    offset_ms: int,
    weights: str | None = None,
) -> None:
    from kslars.engine.handshape import load_classifier

    classifier = load_classifier(weights)
    tier_type = tiers.handshape_type(doc, classifier.labels, classifier.vocabulary)
    aspect = landmarks.width / landmarks.height
    for hand in hands:
        tier = tiers.add_tier(doc, tiers.HANDSHAPE_TIERS[hand], tier_type)
        samples = hand_samples(landmarks, spans, hand)
        if not samples:
            continue
        predictions = classifier.predict(
            np.stack([s[2] for s in samples]), np.full(len(samples), hand == "left"), aspect=aspect, top=3
        )
        for (start, end, _), prediction in zip(samples, predictions, strict=False):
            name, p = prediction.top[0]
            attributes: dict[str, Any] = {
                "confidence": round(float(p), 4),
                "alternatives": [[n, round(float(q), 4)] for n, q in prediction.top],
                "base_form": prediction.base_form,
            }
            tiers.add_annotation(
                doc,
                tier,
                start + offset_ms,
                end + offset_ms,
                name,
                attributes,
                doc.tier_type(tier_type).vocabulary,
            )


def _add_orientation(
    doc: Document, landmarks: Landmarks, spans: list[tuple[int, int]], hands: tuple[str, ...], offset_ms: int
) -> None:
    from kslars.engine.orientation import finger_direction, palm_orientation

    aspect = landmarks.width / landmarks.height
    for hand in hands:
        palm_tier = tiers.add_tier(doc, tiers.PALM_TIERS[hand], tiers.PALM_TYPE)
        finger_tier = tiers.add_tier(doc, tiers.FINGER_TIERS[hand], tiers.FINGER_TYPE)
        samples = hand_samples(landmarks, spans, hand)
        if not samples:
            continue
        hands_array = np.stack([s[2] for s in samples])
        is_left = np.full(len(samples), hand == "left")
        palms = palm_orientation(hands_array, is_left, aspect)
        fingers = finger_direction(hands_array, is_left, aspect)
        for (start, end, _), palm, finger in zip(samples, palms, fingers, strict=False):
            tiers.add_annotation(doc, palm_tier, start + offset_ms, end + offset_ms, palm, {}, tiers.PALM_VOCABULARY)
            tiers.add_annotation(
                doc, finger_tier, start + offset_ms, end + offset_ms, finger, {}, tiers.FINGER_VOCABULARY
            )


def _add_nonmanual(doc: Document, face: FaceTrack, offset_ms: int) -> None:
    """The "Eyebrows", "Head" and "Mouth" tiers, with the tier types and vocabularies they use."""
    from kslars.engine.nonmanual import propose_nonmanual

    tiers.add_nonmanual_types(doc)
    proposals = propose_nonmanual(face)
    for name in tiers.NONMANUAL_TIERS:
        tier = tiers.add_tier(doc, name, tiers.NONMANUAL_TYPES[name])
        for event in proposals[name]:
            start = int(round(event.start * 1000 / face.fps)) + offset_ms
            end = int(round(event.stop * 1000 / face.fps)) + offset_ms
            attributes = {"confidence": event.confidence, **event.attributes}
            tiers.add_annotation(doc, tier, start, end, event.value, attributes, tiers.NONMANUAL_VOCABULARIES[name])
