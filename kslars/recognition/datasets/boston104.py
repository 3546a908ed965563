"""RWTH-BOSTON-104 continuous ASL sentences as tracked hand and nose positions (the Udacity AIND-Recognizer copy).

Layout (``<data_dir>`` is the repository's ``data/`` folder)::

    hands_condensed.csv   video,frame,left-x,left-y,right-x,right-y,nose-x,nose-y   (pixels, every frame)
    train_words.csv       video,speaker,word,startframe,endframe   (the database's training sentences)
    test_words.csv        the same for its test sentences
    speaker.csv           video,speaker   (man-1, woman-1, woman-2)

201 sentences by 3 signers. Only the nose and the two hand centroids were tracked, so the skeleton holds just
those: the nose joint, each hand's centroid as its wrist joint and as all 21 points of that hand (so hand
shape features are zero and hand positions are the centroid). In the pictures ``right-x`` lies left of the nose
on average, so ``right`` is the signer's right hand. Without shoulders, :mod:`kslars.recognition.features`
centres on the nose and estimates the shoulder width from the nose-to-hand distances. The frame rate is not
stated; 30 fps is assumed.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np

from kslars.engine.segmentation.body25 import L_WRIST, NOSE, R_WRIST
from kslars.engine.segmentation.features import Skeleton
from kslars.recognition.data import Sample

TRACKS = "hands_condensed.csv"
WORD_FILES = {"train": "train_words.csv", "test": "test_words.csv"}
SPEAKERS = "speaker.csv"
FPS = 30.0


def load_boston104(data_dir: Path, *, fps: float = FPS) -> list[Sample]:
    """The 201 RWTH-BOSTON-104 sentences under ``data_dir``, by video number; glosses ordered by start frame,
    ``metadata["split"]`` the database's train/test division and ``metadata["sentence"]`` the gloss text."""
    data_dir = Path(data_dir)
    speakers = {row["video"]: row["speaker"] for row in _rows(data_dir / SPEAKERS, ("video", "speaker"))}
    words: dict[str, list[tuple[int, str]]] = defaultdict(list)
    split_of: dict[str, str] = {}
    for split, name in WORD_FILES.items():
        for row in _rows(data_dir / name, ("video", "word", "startframe")):
            words[row["video"]].append((int(row["startframe"]), row["word"]))
            split_of[row["video"]] = split
    tracks: dict[str, list[list[int]]] = defaultdict(list)
    columns = ("video", "frame", "left-x", "left-y", "right-x", "right-y", "nose-x", "nose-y")
    for row in _rows(data_dir / TRACKS, columns):
        tracks[row["video"]].append([int(row[c]) for c in columns[1:]])
    samples = []
    for video in sorted(words, key=int):
        if video not in tracks or video not in speakers:
            missing = TRACKS if video not in tracks else SPEAKERS
            raise ValueError(f"{data_dir / missing}: no rows for video {video}, which the word files name")
        glosses = [word for _, word in sorted(words[video])]
        samples.append(
            Sample(
                id=video,
                skeleton=_skeleton(np.array(sorted(tracks[video]), np.float32), fps),
                glosses=glosses,
                signer=speakers[video],
                metadata={"source": "boston104", "sentence": " ".join(glosses), "split": split_of[video]},
            )
        )
    return samples


def _rows(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: point to the AIND-Recognizer data/ folder (docs/recognition/data.md)"
        )
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    absent = [c for c in required if rows and c not in rows[0]]
    if not rows or absent:
        raise ValueError(
            f"{path}: expected a CSV with columns {', '.join(required)}; missing {', '.join(absent) or 'rows'}"
        )
    return rows


def _skeleton(track: np.ndarray, fps: float) -> Skeleton:
    """(T, 7) rows of frame, left x/y, right x/y, nose x/y as a skeleton of nose and hand centroids."""
    t = len(track)
    left, right, nose = track[:, 1:3], track[:, 3:5], track[:, 5:7]  # (T, 2) each
    body = np.zeros((t, 25, 2), np.float32)
    body_seen = np.zeros((t, 25), bool)
    for joint, point in ((NOSE, nose), (L_WRIST, left), (R_WRIST, right)):
        body[:, joint] = point
        body_seen[:, joint] = point.any(axis=1)
    return Skeleton(
        fps=fps,
        body=body,
        body_seen=body_seen,
        left=np.repeat(left[:, None], 21, axis=1),
        left_seen=body_seen[:, L_WRIST].copy(),
        right=np.repeat(right[:, None], 21, axis=1),
        right_seen=body_seen[:, R_WRIST].copy(),
    )
