"""DGS sentence clips: keypoints of speaker A in five DGS-Korpus transcripts with their gloss sequences.

Layout (the Shogun6855/signlanguage-german-text2sign repository)::

    <dataset_dir>/backend/data/segments_manifest.json   id, german_text, start_ms, end_ms, gloss_sequence,
                                                         source_eaf (absent for the 1413451 clips)
    <dataset_dir>/backend/data/motion/seg_*.npz         105 clips of transcript 1413451
    <dataset_dir>/backend/data/motion-more/seg_*.npz    253 clips of transcripts 1413683, 1413703, 1414123, 1418836

Each clip is one German sentence (keypoints T x 134 at 50 fps, see
:func:`~kslars.engine.segmentation.dgs_data.skeleton_from_keypoints`); its glosses are the right-hand sign tier
``Lexem_Gebärde_r_A``. The signer is the transcript id, which is also the recording. Transcripts 1413683 and
1413703 probably show the same person (by body proportions; nothing in the files says so): their samples carry
``metadata["same_person_as"]``, which :mod:`kslars.recognition.splits` uses to keep them on the same side of a
signer-independent split.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import numpy as np

from kslars.engine.segmentation.dgs_data import (
    MANIFEST,
    MOTION,
    MOTION_MORE,
    skeleton_from_keypoints,
    source_eaf_name,
    transcript_of,
)
from kslars.recognition.data import Sample

CLIP_FOLDERS = (MOTION, MOTION_MORE)
SAME_PERSON = {"1413683": "1413703", "1413703": "1413683"}
# Glosses that are not signs of the sentence: $GEST-OFF (the hands dropping out of signing, which closes many
# sentences) and $$EXTRA-LING-... (extra-linguistic actions such as scratching).
NOT_SIGNS = re.compile(r"^(\$GEST-OFF|\$\$EXTRA-LING)")


def normalise_dgs_gloss(gloss: str) -> str | None:
    """A DGS-Korpus gloss as a recognition label, or None for one that is not a sign of the sentence.

    ``*`` (a token signed differently from the citation form) and ``^`` (a type gloss with no lexeme beneath) are
    markers on the same sign, so they are removed: ``SEHEN1*`` and ``SEHEN1`` are one label, and the type
    number stays (``SEHEN1`` and ``SEHEN2`` are different signs). ``$GEST-OFF`` and ``$$EXTRA-LING-MAN`` give
    None. Everything else (``$INDEX1``, ``$GEST``, ``$NUM-...``, ``$ALPHA1:...``) is kept.
    """
    label = gloss.strip().replace("*", "").replace("^", "")
    return None if not label or NOT_SIGNS.match(label) else label


def load_dgs_sentences(dataset_dir: Path, *, normalise: bool = True) -> list[Sample]:
    """The 358 DGS sentence clips under ``dataset_dir``, in manifest order; glosses through
    :func:`normalise_dgs_gloss` unless ``normalise`` is False (then exactly the manifest's)."""
    dataset_dir = Path(dataset_dir)
    manifest_path = dataset_dir / MANIFEST
    if not manifest_path.is_file():
        raise FileNotFoundError(f"{manifest_path} is missing: point to the folder that holds backend/data/")
    try:
        segments = {s["id"]: s for s in json.loads(manifest_path.read_text(encoding="utf-8"))["segments"]}
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{manifest_path}: not a segments manifest ({error})") from error
    clips = sorted(path for folder in CLIP_FOLDERS for path in (dataset_dir / folder).glob("seg_*.npz"))
    if not clips:
        raise FileNotFoundError(f"no seg_*.npz clips under {dataset_dir / CLIP_FOLDERS[0]} or {CLIP_FOLDERS[1]}")
    samples = []
    for path in clips:
        if path.stem not in segments:
            raise ValueError(f"{path}: clip {path.stem} is not in {manifest_path}")
        samples.append(_sample(path, segments[path.stem], normalise))
    return samples


def _sample(path: Path, segment: dict, normalise: bool) -> Sample:
    try:
        with np.load(path) as clip:
            skeleton = skeleton_from_keypoints(clip["keypoints"], float(clip["fps"][0]))  # keypoints (T, 134)
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as error:
        raise ValueError(f"{path}: not a keypoint clip with 'keypoints' (T x 134) and 'fps' ({error})") from error
    transcript = transcript_of(source_eaf_name(segment.get("source_eaf")))
    glosses = segment["gloss_sequence"]
    if normalise:
        glosses = [label for label in map(normalise_dgs_gloss, glosses) if label]
    metadata = {
        "source": "dgs",
        "sentence": segment["german_text"],
        "translation": segment["german_text"],
        "recording": transcript,
        "start_ms": str(segment["start_ms"]),
        "end_ms": str(segment["end_ms"]),
    }
    if transcript in SAME_PERSON:
        metadata["same_person_as"] = SAME_PERSON[transcript]
    return Sample(id=path.stem, skeleton=skeleton, glosses=list(glosses), signer=transcript, metadata=metadata)
