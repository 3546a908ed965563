"""FluentSigners-50 (Mukushev et al., PLOS ONE 2022): KRSL sentences signed by 50 signers, as landmarks.

Expected layout (landmarks made with ``kslars extract VIDEO -o VIDEO.pose`` beside each video)::

    <root>/gloss_annotation.csv          ID,Gloss          (Russian glosses separated by spaces)
    <root>/russian_translation.csv       ID,Translation    (optional)
    <root>/signers.csv                   signer,age_group  (optional; more columns are ignored)
    <root>/<signer>/<sentence_id>.pose   e.g. Subject_7/12.pose; a repeated take may add a suffix: 12_2.pose
    <root>/<signer>/<sentence_id>.mp4    the video itself (optional; a video without its .pose is an error)

The annotation files may also lie elsewhere (``annotations=FOLDER``). Each sample's ``metadata["sentence"]`` is
the sentence id (shared by every signer of that sentence), ``metadata["translation"]`` the Russian sentence and
``metadata["age"]`` the signer's age group from signers.csv, used by the age-independent split.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from kslars.engine.segmentation.features import skeleton_from_landmarks
from kslars.recognition.data import Sample
from kslars.vision.pose_file import read_landmarks

GLOSSES = "gloss_annotation.csv"
TRANSLATIONS = "russian_translation.csv"
SIGNERS = "signers.csv"
VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".mkv", ".webm")
TAKE_NAME = re.compile(r"^(\d+)(?:[_-].*)?$")  # sentence id, then an optional take suffix


def load_fluentsigners(root: Path, *, annotations: Path | None = None, skip_missing: bool = False) -> list[Sample]:
    """Every signed sentence under ``root`` (one folder per signer), ordered by signer and file name."""
    root = Path(root)
    annotations = Path(annotations) if annotations is not None else root
    glosses = _table(annotations / GLOSSES, "Gloss", required=True)
    translations = _table(annotations / TRANSLATIONS, "Translation", required=False)
    ages = _table(root / SIGNERS, "age_group", required=False, key="signer")
    signer_dirs = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    samples: list[Sample] = []
    missing: list[Path] = []
    for signer_dir in signer_dirs:
        for video in sorted(p for p in signer_dir.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES):
            if not video.with_suffix(".pose").is_file():
                missing.append(video)
        for pose in sorted(signer_dir.glob("*.pose")):
            samples.append(_sample(pose, signer_dir.name, glosses, translations, ages))
    if missing and not skip_missing:
        raise FileNotFoundError(
            f"{len(missing)} video(s) have no landmarks, e.g. {missing[0]}: run `kslars extract {missing[0]} -o "
            f"{missing[0].with_suffix('.pose')}`, or skip them"
        )
    if not samples:
        raise FileNotFoundError(f"no <signer>/<sentence_id>.pose files under {root} (docs/recognition/data.md)")
    return samples


def _sample(
    pose: Path, signer: str, glosses: dict[str, str], translations: dict[str, str], ages: dict[str, str]
) -> Sample:
    match = TAKE_NAME.match(pose.stem)
    if not match:
        raise ValueError(f"{pose}: the file name must start with the sentence id (e.g. 12.pose or 12_2.pose)")
    sentence = str(int(match.group(1)))
    if sentence not in glosses:
        raise ValueError(f"{pose}: sentence {sentence} has no row in {GLOSSES}")
    metadata = {"source": "fluentsigners", "sentence": sentence, "recording": f"{signer}/{pose.stem}"}
    if sentence in translations:
        metadata["translation"] = translations[sentence]
    if signer in ages:
        metadata["age"] = ages[signer]
    skeleton = skeleton_from_landmarks(read_landmarks(pose))
    return Sample(f"{signer}/{pose.stem}", skeleton, glosses[sentence].split(), signer, metadata)


def _table(path: Path, column: str, *, required: bool, key: str = "ID") -> dict[str, str]:
    """``key`` -> ``column`` of a CSV file; {} for a missing optional file."""
    if not path.is_file():
        if required:
            raise FileNotFoundError(
                f"{path} is missing: it gives each sentence id its glosses (columns {key},{column})"
            )
        return {}
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if not rows or key not in rows[0] or column not in rows[0]:
        raise ValueError(f"{path}: expected a CSV with columns {key} and {column}")
    return {row[key].strip(): row[column].strip() for row in rows}
