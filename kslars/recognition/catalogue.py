"""A folder of recognition checkpoints offered by name: what each one is (vocabulary, corpus, dev WER) and the
file behind a name, never a path outside the folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SUFFIX = ".pt"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


class CheckpointNameError(ValueError):
    """A checkpoint name that is not one of the folder's (or no name at all, such as a path)."""


@dataclass(frozen=True)
class CheckpointInfo:
    """What the checkpoint NAME.pt says about itself; ``problem`` is set when it cannot be read as one."""

    name: str
    vocabulary_size: int = 0
    corpus: str = ""
    dev_wer: float | None = None
    problem: str = ""


def checkpoint_path(folder: Path, name: str | None) -> Path:
    """The file of checkpoint ``name`` in ``folder``; CheckpointNameError for anything that is not the name of
    a checkpoint there (paths, ``..``, names with other characters, missing files)."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or name.endswith(SUFFIX):
        raise CheckpointNameError(f"{name!r} is not the name of a recognition checkpoint: choose one from the list")
    path = folder / f"{name}{SUFFIX}"
    if not path.is_file() or path.resolve().parent != folder.resolve():
        raise CheckpointNameError(f"There is no recognition checkpoint named {name!r}: choose one from the list")
    return path


def list_checkpoints(folder: Path) -> list[CheckpointInfo]:
    """Every NAME.pt directly in ``folder`` (none when the folder is missing), by name."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path.is_file() and _NAME.fullmatch(path.stem):
            stat = path.stat()
            found.append(_describe(path, stat.st_mtime_ns, stat.st_size))
    return found


@lru_cache(maxsize=256)
def _describe(path: Path, mtime_ns: int, size: int) -> CheckpointInfo:
    """The checkpoint's description, read once per version of the file (``mtime_ns`` and ``size`` are the key)."""
    import torch

    from kslars.recognition.checkpoint import CHECKPOINT_FORMAT

    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # torch raises several kinds for files that are not checkpoints
        checkpoint = None
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
        return CheckpointInfo(path.stem, problem="not a K-SLARS recognition checkpoint")
    metadata = checkpoint.get("metadata") or {}
    dev_wer = (metadata.get("dev") or {}).get("dev_wer")
    return CheckpointInfo(
        name=path.stem,
        vocabulary_size=max(0, len(checkpoint.get("vocabulary") or []) - 1),  # the blank is not a gloss
        corpus=str((checkpoint.get("training") or {}).get("corpus", "")),
        dev_wer=float(dev_wer) if dev_wer is not None else None,
    )
