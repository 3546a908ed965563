"""RWTH-PHOENIX-Weather 2014 and 2014-T: the corpus annotation files plus landmarks made with ``kslars extract``.

The corpora ship frames, not landmarks: make a video of each sentence's frames and run ``kslars extract VIDEO
-o LANDMARKS/<id>.pose`` (docs/recognition/data.md). Layouts read from ``corpus_dir`` or its
``annotations/manual/`` folder:

- PHOENIX-2014: ``{train,dev,test}.corpus.csv``, ``|``-separated with header ``id|folder|signer|annotation``;
- PHOENIX-2014-T: ``PHOENIX-2014-T.{train,dev,test}.corpus.csv`` with header
  ``name|video|start|end|speaker|orth|translation``.

Landmarks are ``<landmarks>/<id>.pose`` (default ``<corpus_dir>/landmarks``). The glosses are the corpus
annotation, or with ``stm=FOLDER`` those of the NIST sclite ground truth (``*-groundtruth-<split>.stm``), the
form that scores are computed against. Signer ids are lower-cased: the corpus writes one signer both as
``Signer05`` and ``signer05``.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kslars.engine.segmentation.features import skeleton_from_landmarks
from kslars.recognition.data import Sample
from kslars.vision.pose_file import read_landmarks

SPLITS = ("train", "dev", "test")
LAYOUTS = {  # corpus name -> (annotation file name pattern, id column, signer column, gloss column)
    "phoenix2014": ("{split}.corpus.csv", "id", "signer", "annotation"),
    "phoenix2014t": ("PHOENIX-2014-T.{split}.corpus.csv", "name", "speaker", "orth"),
}
ANNOTATION_FOLDERS = (".", "annotations/manual")


@dataclass(frozen=True)
class StmLine:
    """One sentence of a NIST sclite ground-truth (.stm) file."""

    id: str
    signer: str
    glosses: list[str]


def read_stm(path: Path) -> dict[str, StmLine]:
    """Sentence id -> its line in a .stm file (``id channel signer start end GLOSS ...``)."""
    lines: dict[str, StmLine] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith(";;"):
            continue
        fields = line.split()
        if len(fields) < 5:
            raise ValueError(f"{path}, line {number}: expected 'id channel signer start end GLOSS ...'")
        lines[fields[0]] = StmLine(id=fields[0], signer=fields[2].lower(), glosses=fields[5:])
    return lines


def load_phoenix(
    corpus_dir: Path,
    *,
    landmarks: Path | None = None,
    splits: Sequence[str] = SPLITS,
    stm: Path | None = None,
    skip_missing: bool = False,
) -> list[Sample]:
    """The sentences of the chosen ``splits`` of a PHOENIX-2014 or -2014-T folder, in file order, with
    ``metadata["split"]``; FileNotFoundError for a sentence without landmarks unless ``skip_missing``."""
    corpus_dir = Path(corpus_dir)
    landmarks = Path(landmarks) if landmarks is not None else corpus_dir / "landmarks"
    unknown = [s for s in splits if s not in SPLITS]
    if unknown:
        raise ValueError(f"unknown PHOENIX split(s) {', '.join(unknown)}; choose from {', '.join(SPLITS)}")
    corpus, files = _annotation_files(corpus_dir, splits)
    _, id_column, signer_column, gloss_column = LAYOUTS[corpus]
    samples: list[Sample] = []
    missing: list[Path] = []
    for split, path in files.items():
        truth = _ground_truth(stm, split) if stm is not None else None
        for row in _corpus_rows(path, (id_column, signer_column, gloss_column)):
            pose = landmarks / f"{row[id_column]}.pose"
            if not pose.is_file():
                missing.append(pose)
                continue
            glosses = _truth_of(truth, row[id_column], stm) if truth is not None else row[gloss_column].split()
            metadata = {"source": corpus, "split": split, "recording": row[id_column]}
            metadata["sentence"] = row.get("translation") or " ".join(glosses)
            if row.get("translation"):
                metadata["translation"] = row["translation"]
            skeleton = skeleton_from_landmarks(read_landmarks(pose))
            samples.append(Sample(row[id_column], skeleton, glosses, row[signer_column].lower(), metadata))
    if missing and not skip_missing:
        raise FileNotFoundError(
            f"{len(missing)} sentence(s) have no landmarks, e.g. {missing[0]}: make them with `kslars extract "
            f"VIDEO -o {missing[0]}` (docs/recognition/data.md), pass the folder that holds them, or skip them"
        )
    return samples


def _annotation_files(corpus_dir: Path, splits: Sequence[str]) -> tuple[str, dict[str, Path]]:
    """Which corpus lies in ``corpus_dir`` and its annotation file per split."""
    tried = []
    for corpus, (pattern, *_) in LAYOUTS.items():
        for folder in ANNOTATION_FOLDERS:
            files = {split: corpus_dir / folder / pattern.format(split=split) for split in splits}
            tried.append(str(corpus_dir / folder / pattern.format(split="{split}")))
            if all(path.is_file() for path in files.values()):
                return corpus, files
    raise FileNotFoundError(
        f"no PHOENIX annotation files for {', '.join(splits)} in {corpus_dir}; looked for {', '.join(tried)}"
    )


def _corpus_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="|", quoting=csv.QUOTE_NONE))
    absent = [c for c in columns if not rows or c not in rows[0]]
    if absent:
        raise ValueError(
            f"{path}: expected a |-separated header with {', '.join(columns)}; missing {', '.join(absent)}"
        )
    return rows


def _truth_of(truth: dict[str, StmLine], sentence: str, stm: Path | None) -> list[str]:
    if sentence not in truth:
        raise ValueError(f"sentence {sentence} is not in the ground truth under {stm}: is it the same corpus?")
    return truth[sentence].glosses


def _ground_truth(stm: Path, split: str) -> dict[str, StmLine]:
    matches = sorted(Path(stm).glob(f"*groundtruth-{split}.stm"))
    if len(matches) != 1:
        raise FileNotFoundError(f"expected one *groundtruth-{split}.stm in {stm}, found {len(matches)}")
    return read_stm(matches[0])
