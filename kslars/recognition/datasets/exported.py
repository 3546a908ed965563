"""A training set exported with ``kslars corpus export-training`` (layout: :mod:`kslars.corpus.training_set`).

Each segment is one sample: its landmarks as a skeleton, its glosses (the gloss tier's values inside it, or the
one gloss of a gloss segment), its signer (Subject_N when the export was anonymised), and in the metadata the
sentence, the handshapes, the annotation file and the times.
"""

from __future__ import annotations

from pathlib import Path

from kslars.corpus.training_set import read_index, read_segment
from kslars.engine.segmentation.features import skeleton_from_landmarks
from kslars.recognition.data import Sample
from kslars.recognition.datasets.annotations import NORMALISERS


def load_exported(path: Path, *, normalise: str | None = None) -> list[Sample]:
    """The segments of an exported training set at ``path``, in index order; ``normalise`` names a gloss
    normalisation of :data:`~kslars.recognition.datasets.annotations.NORMALISERS` (e.g. "dgs")."""
    if normalise is not None and normalise not in NORMALISERS:
        raise ValueError(f"unknown gloss normalisation {normalise!r}; choose one of {', '.join(NORMALISERS)}")
    samples = []
    for record in read_index(Path(path)):
        glosses = record.gloss
        if normalise is not None:
            glosses = [label for label in map(NORMALISERS[normalise], glosses) if label]
        metadata = {
            "source": "export",
            "recording": record.source,
            "start_ms": str(record.start_ms),
            "end_ms": str(record.end_ms),
            "handshapes": " ".join(record.handshape),
        }
        if record.sentence:
            metadata |= {"sentence": record.sentence, "translation": record.sentence}
        skeleton = skeleton_from_landmarks(read_segment(Path(path), record))
        samples.append(Sample(record.id, skeleton, list(glosses), record.signer, metadata))
    return samples
