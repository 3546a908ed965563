"""Benchmark splits of a corpus into train, dev and test, as in FluentSigners-50 (Mukushev et al., PLOS ONE 2022).

Three kinds, each holding out whole groups of samples for the test set so that the test measures what its
name says:

- ``signer``: signer-independent; no test signer signs in train or dev. Samples whose
  ``metadata["same_person_as"]`` names another signer id (two recordings probably of one person) count as one
  signer.
- ``age``: age-independent; the test age groups (``metadata["age"]``) never occur in train or dev.
- ``sentence``: unseen sentences; no test sentence (``metadata["sentence"]``, else the gloss text) occurs in
  train or dev.
- ``corpus``: the corpus's own division (``metadata["split"]``: train, dev, test), as PHOENIX and BOSTON-104 publish
  it, so that numbers compare with published ones; a corpus without a dev part gets none.

Test groups are the ones named (``test``) or drawn at random until they hold ``test_fraction`` of the samples.
Dev is held out the same way from the rest, by signer (``signer`` and ``age``) or by sentence, when at least three
such groups remain (so that train keeps two); otherwise dev is a random ``dev_fraction`` of the remaining samples.
Everything is deterministic for a seed.

Written splits are public, so they name signers only as ``Subject_N``; the mapping from real signer ids to those
names goes to a separate private file that the corpus owner keeps (docs/recognition/data.md).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from kslars.recognition.data import Sample

KINDS = ("signer", "age", "sentence", "corpus")
SUBSETS = ("train", "dev", "test")
SPLIT_FILE = "split.csv"
PRIVATE_FILE = "signer-ids.private.csv"
DEV_GROUPS = {"signer": "signer", "age": "signer", "sentence": "sentence"}


def group_of(sample: Sample, kind: str) -> str:
    """The group ``sample`` belongs to for a split of ``kind``: its person, age group or sentence."""
    if kind == "signer":
        return "+".join(sorted({sample.signer, sample.metadata.get("same_person_as") or sample.signer}))
    if kind == "age":
        if "age" not in sample.metadata:
            raise ValueError(f"sample {sample.id} has no age group: an age split needs metadata 'age' (signers.csv)")
        return sample.metadata["age"]
    if kind == "sentence":
        return sample.metadata.get("sentence") or " ".join(sample.glosses)
    raise ValueError(f"unknown split kind {kind!r}; choose one of {', '.join(KINDS)}")


def make_split(
    samples: Sequence[Sample],
    kind: str,
    *,
    seed: int = 0,
    test: Sequence[str] | None = None,
    test_fraction: float = 0.2,
    dev_fraction: float = 0.1,
) -> dict[str, list[str]]:
    """Sample ids of train, dev and test for a split of ``kind``; ``test`` names the test signers, age groups or
    sentences instead of drawing them."""
    if not samples:
        raise ValueError("no samples to split")
    if kind == "corpus":
        return _corpus_split(samples)
    rng = np.random.default_rng(seed)
    groups = _grouped(samples, kind)
    if test:
        chosen = _named_groups(samples, kind, test, groups)
    else:
        chosen = _draw_groups(groups, test_fraction * len(samples), rng, keep=1)
    test_ids = {i for g in chosen for i in groups[g]}
    rest = [s for s in samples if s.id not in test_ids]
    if not rest:
        raise ValueError(f"the test {kind}s take every sample; nothing is left to train on")
    dev_ids = _dev(rest, DEV_GROUPS[kind], dev_fraction * len(samples), rng)
    subset = {s.id: "test" if s.id in test_ids else "dev" if s.id in dev_ids else "train" for s in samples}
    return {name: [s.id for s in samples if subset[s.id] == name] for name in SUBSETS}


def _corpus_split(samples: Sequence[Sample]) -> dict[str, list[str]]:
    """The corpus's own train, dev and test ids (``metadata["split"]``)."""
    without = [s.id for s in samples if s.metadata.get("split") not in SUBSETS]
    if without:
        raise ValueError(
            f"sample {without[0]} has no train/dev/test division of its corpus (metadata 'split'); "
            "use a signer, age or sentence split instead"
        )
    return {name: [s.id for s in samples if s.metadata["split"] == name] for name in SUBSETS}


def _grouped(samples: Iterable[Sample], kind: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for sample in samples:
        groups[group_of(sample, kind)].append(sample.id)
    return dict(groups)


def _named_groups(
    samples: Sequence[Sample], kind: str, names: Sequence[str], groups: dict[str, list[str]]
) -> list[str]:
    """The groups holding the named signers (or age groups, or sentences)."""
    own = {(s.signer if kind == "signer" else group_of(s, kind)): group_of(s, kind) for s in samples}
    unknown = [n for n in names if n not in own]
    if unknown:
        known = ", ".join(sorted(own)[:20])
        raise ValueError(f"no {kind} {', '.join(map(repr, unknown))} in the corpus; it has {known}")
    return sorted({own[n] for n in names})


def _draw_groups(groups: dict[str, list[str]], size: float, rng: np.random.Generator, keep: int) -> list[str]:
    """Random groups until they hold at least ``size`` samples, leaving at least ``keep`` groups out."""
    if len(groups) <= keep:
        raise ValueError(f"{len(groups)} group(s) cannot be split: a held-out part needs at least {keep + 1}")
    order = [sorted(groups)[i] for i in rng.permutation(len(groups))]
    chosen: list[str] = []
    count = 0
    for name in order[: len(groups) - keep]:
        if count >= size and chosen:
            break
        chosen.append(name)
        count += len(groups[name])
    return chosen


def _dev(rest: Sequence[Sample], kind: str, size: float, rng: np.random.Generator) -> set[str]:
    """Dev ids from the samples left after the test: whole groups of ``kind`` when three or more remain, else
    random samples."""
    if size <= 0:
        return set()
    groups = _grouped(rest, kind)
    if len(groups) >= 3:
        return {i for g in _draw_groups(groups, size, rng, keep=2) for i in groups[g]}
    count = min(len(rest) - 1, max(1, round(size)))
    return {rest[i].id for i in rng.choice(len(rest), size=count, replace=False)} if count > 0 else set()


def subject_names(signers: Iterable[str], known: dict[str, str] | None = None, seed: int = 0) -> dict[str, str]:
    """Real signer id -> ``Subject_N``: the names in ``known`` kept, new signers numbered on in a random order
    (so the numbers do not reveal the order of the real ids)."""
    names = dict(known or {})
    new = sorted(set(signers) - set(names))
    used = {int(n.split("_")[1]) for n in names.values() if n.startswith("Subject_") and n.split("_")[1].isdigit()}
    start = max(used, default=0)
    for offset, i in enumerate(np.random.default_rng(seed).permutation(len(new))):
        names[new[i]] = f"Subject_{start + offset + 1}"
    return names


def write_split(
    split: dict[str, list[str]],
    samples: Sequence[Sample],
    folder: Path,
    *,
    signer_ids: Path | None = None,
    seed: int = 0,
) -> tuple[Path, Path]:
    """Write ``folder/split.csv`` (subset, id, signer as Subject_N: public) and the private signer mapping
    (default ``folder/signer-ids.private.csv``, reused and extended if it exists); returns both paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    private = Path(signer_ids) if signer_ids is not None else folder / PRIVATE_FILE
    by_id = {s.id: s for s in samples}
    missing = [i for ids in split.values() for i in ids if i not in by_id]
    if missing:
        raise ValueError(f"the split names {len(missing)} id(s) not among the samples, e.g. {missing[0]}")
    names = subject_names((s.signer for s in samples), read_signer_ids(private) if private.is_file() else None, seed)
    public = folder / SPLIT_FILE
    with public.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["subset", "id", "signer"])
        for subset in SUBSETS:
            for sample_id in split.get(subset, []):
                signer = by_id[sample_id].signer
                writer.writerow([subset, _public_id(sample_id, signer, names[signer]), names[signer]])
    write_signer_ids(private, names)
    return public, private


def write_signer_ids(path: Path, names: dict[str, str]) -> None:
    """Write the private mapping real signer id -> Subject_N (columns signer,subject) that :func:`read_signer_ids`
    reads."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["signer", "subject"])
        rows = sorted(names.items(), key=lambda item: (len(item[1]), item[1]))  # Subject_2 before Subject_10
        writer.writerows(rows)


def _public_id(sample_id: str, signer: str, subject: str) -> str:
    """The sample id with a path part equal to the real signer id (e.g. FluentSigners' ``signer/12``) renamed."""
    return "/".join(subject if part == signer else part for part in sample_id.split("/"))


def read_signer_ids(path: Path) -> dict[str, str]:
    """Real signer id -> Subject_N from a private mapping file."""
    with Path(path).open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if rows and not {"signer", "subject"} <= set(rows[0]):
        raise ValueError(f"{path}: expected columns signer,subject")
    return {row["signer"]: row["subject"] for row in rows}


def read_split(path: Path, *, signer_ids: Path | None = None) -> dict[str, list[str]]:
    """Train, dev and test ids from a split file or the folder holding ``split.csv``; ids whose signer part was
    renamed to Subject_N get the real id back when the private mapping is given or lies beside the file."""
    path = Path(path)
    file = path / SPLIT_FILE if path.is_dir() else path
    if not file.is_file():
        raise FileNotFoundError(f"{file} is missing: make a split with `kslars cslr split`")
    private = Path(signer_ids) if signer_ids is not None else file.parent / PRIVATE_FILE
    real = {subject: signer for signer, subject in read_signer_ids(private).items()} if private.is_file() else {}
    split: dict[str, list[str]] = {name: [] for name in SUBSETS}
    with file.open(newline="", encoding="utf-8") as f:
        for number, row in enumerate(csv.DictReader(f), 2):
            if row.get("subset") not in split or not row.get("id"):
                raise ValueError(f"{file}, line {number}: expected subset (train, dev or test), id and signer")
            subject = row.get("signer", "")
            split[row["subset"]].append(_public_id(row["id"], subject, real[subject]) if subject in real else row["id"])
    return split
