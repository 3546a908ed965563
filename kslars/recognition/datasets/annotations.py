"""Annotated videos (ELAN .eaf, SLAN's JSON export, any format :mod:`kslars.formats` reads) with their landmarks.

Each annotation file gives one sample per annotation of a sentence tier (e.g. SLAN's "Translation"), holding
the glosses of the gloss tier (SLAN's "Gloss") that start inside it, in time order; without a sentence tier the
whole file is one sample. Landmarks come from a .pose file made with ``kslars extract VIDEO -o FILE.pose``:
``landmarks`` names that file, or a folder holding ``<annotation file name>.pose`` or ``<video name>.pose``
(default: the annotation file's own folder). Annotation times are on the video's clock shifted by the media's
time origin, as ELAN plays them.

The signer is ``signer`` if given, else the gloss tier's participant, else the file name.
"""

from __future__ import annotations

import math
from pathlib import Path, PurePosixPath

from kslars import formats
from kslars.document import Document
from kslars.engine.segmentation.features import Skeleton, skeleton_from_landmarks
from kslars.recognition.data import Sample
from kslars.recognition.datasets.dgs import normalise_dgs_gloss
from kslars.recognition.features import select_frames
from kslars.vision.pose_file import read_landmarks

FOLDER_SUFFIXES = (".eaf", ".json")  # annotation files picked up from a folder
NORMALISERS = {"dgs": normalise_dgs_gloss}  # gloss normalisations by name (usable from a training configuration)

Span = tuple[int, int]  # (start_ms, end_ms)


def load_annotations(
    path: Path,
    *,
    gloss_tier: str = "Gloss",
    sentence_tier: str | None = None,
    landmarks: Path | None = None,
    signer: str | None = None,
    normalise: str | None = None,
) -> list[Sample]:
    """The sentences of one annotation file, or of every .eaf/.json file in a folder, with their landmarks;
    ``normalise`` names a gloss normalisation of :data:`NORMALISERS` (e.g. "dgs")."""
    path = Path(path)
    if normalise is not None and normalise not in NORMALISERS:
        raise ValueError(f"unknown gloss normalisation {normalise!r}; choose one of {', '.join(NORMALISERS)}")
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in FOLDER_SUFFIXES)
        if not files:
            raise FileNotFoundError(f"no {' or '.join(FOLDER_SUFFIXES)} annotation files in {path}")
    elif path.is_file():
        files = [path]
    else:
        raise FileNotFoundError(f"{path} does not exist: give an annotation file or a folder of them")
    samples = []
    for file in files:
        samples += _file_samples(file, gloss_tier, sentence_tier, landmarks, signer, normalise)
    return samples


def _file_samples(
    path: Path,
    gloss_tier: str,
    sentence_tier: str | None,
    landmarks: Path | None,
    signer: str | None,
    normalise: str | None,
) -> list[Sample]:
    doc = formats.read(path)
    glosses = _timed(doc, gloss_tier, path)
    if normalise is not None:
        glosses = [(span, label) for span, value in glosses if (label := NORMALISERS[normalise](value))]
    pose = _pose_path(path, doc, landmarks)
    skeleton = skeleton_from_landmarks(read_landmarks(pose))
    origin = (doc.media[0].time_origin or 0) if doc.media else 0
    if sentence_tier is None:
        end = max((e for (_, e), _ in glosses), default=0)
        sentences = [((0, max(end, round(len(skeleton) * 1000 / skeleton.fps) - origin)), "")]
    else:
        sentences = _timed(doc, sentence_tier, path)
    who = signer or doc.tier(gloss_tier).participant or path.stem
    samples = []
    for (start, end), text in sentences:
        part = _frames(skeleton, start + origin, end + origin)
        if len(part) == 0:
            raise ValueError(
                f"{path}: the sentence at {start}-{end} ms lies beyond the {len(skeleton)} frames of {pose}"
            )
        inside = [value for (s, _), value in glosses if start <= s < end]
        metadata = {"source": "annotations", "recording": path.stem, "start_ms": str(start), "end_ms": str(end)}
        if text:
            metadata |= {"sentence": text, "translation": text}
        samples.append(Sample(f"{path.stem}/{start}-{end}", part, inside, who, metadata))
    return samples


def _timed(doc: Document, tier_id: str, path: Path) -> list[tuple[Span, str]]:
    """The non-empty annotations of one tier with their times, in time order."""
    if not doc.has_tier(tier_id):
        tiers = ", ".join(t.id for t in doc.tiers)
        raise ValueError(f"{path}: no tier {tier_id!r}; its tiers are {tiers} (choose with gloss_tier/sentence_tier)")
    timed = []
    for annotation in doc.tier(tier_id).annotations:
        start, end = doc.times_of(annotation)
        if start is not None and end is not None and annotation.value.strip():
            timed.append(((start, end), annotation.value.strip()))
    return sorted(timed)


def _pose_path(path: Path, doc: Document, landmarks: Path | None) -> Path:
    """The .pose file of an annotation file's video (see the module docstring for where it is looked for)."""
    if landmarks is not None and landmarks.suffix == ".pose":
        candidates = [landmarks]
    else:
        folder = landmarks if landmarks is not None else path.parent
        names = [path.stem] + [PurePosixPath(m.url.replace("\\", "/")).stem for m in doc.media]
        candidates = [folder / f"{name}.pose" for name in dict.fromkeys(names)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"no landmarks for {path}: looked for {', '.join(map(str, candidates))}; make them with "
        f"`kslars extract VIDEO -o {candidates[0]}`"
    )


def _frames(skeleton: Skeleton, start_ms: int, end_ms: int) -> Skeleton:
    """The frames whose times lie in [start_ms, end_ms)."""
    first = max(0, math.ceil(start_ms * skeleton.fps / 1000))
    stop = min(len(skeleton), math.ceil(end_ms * skeleton.fps / 1000))
    return select_frames(skeleton, slice(first, max(first, stop)))
