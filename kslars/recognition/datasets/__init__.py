"""Corpora as lists of :class:`~kslars.recognition.data.Sample`: one module per corpus layout, and
:func:`load_corpus`, the one entry point that training and ``kslars cslr split`` use (docs/recognition/data.md)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

from kslars.recognition.data import Sample

# corpus name -> "module:loader"; each loader takes the corpus path first, then keyword options
LOADERS: dict[str, str] = {
    "dgs": "kslars.recognition.datasets.dgs:load_dgs_sentences",
    "boston104": "kslars.recognition.datasets.boston104:load_boston104",
    "phoenix": "kslars.recognition.datasets.phoenix:load_phoenix",
    "fluentsigners": "kslars.recognition.datasets.fluentsigners:load_fluentsigners",
    "eaf": "kslars.recognition.datasets.annotations:load_annotations",
    "export": "kslars.recognition.datasets.exported:load_exported",
}


def load_corpus(name: str, path: Path | str, **options: Any) -> list[Sample]:
    """The samples of corpus ``name`` (a key of :data:`LOADERS`) at ``path``, with the loader's own options."""
    if name not in LOADERS:
        raise ValueError(f"unknown corpus {name!r}; choose one of {', '.join(LOADERS)}")
    module_name, function = LOADERS[name].split(":")
    loader = getattr(importlib.import_module(module_name), function)
    accepted = list(inspect.signature(loader).parameters)[1:]
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise ValueError(f"corpus {name} has no option {', '.join(unknown)} (it takes: {', '.join(accepted)})")
    return loader(Path(path), **options)
