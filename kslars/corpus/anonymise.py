"""Anonymising a corpus: every participant and annotator name (or id) becomes ``Subject_N``, in the tiers' fields
and wherever the same string occurs in tier names, header properties and the author; files are written in their own
format to another folder, the mapping apart. The same person gets the same Subject_N in the whole corpus and, with the
same mapping file, across runs (numbering from :func:`kslars.recognition.splits.subject_names`)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from kslars import formats
from kslars.corpus.stats import annotation_files
from kslars.document import Document, DocumentError
from kslars.recognition.splits import read_signer_ids, subject_names, write_signer_ids


@dataclass
class Leak:
    """An original name found in a written file."""

    file: str
    name: str


def people(doc: Document) -> set[str]:
    """The participant and annotator names of a document's tiers."""
    return {name for t in doc.tiers for name in (t.participant, t.annotator) if name}


def replace_names(text: str, names: dict[str, str]) -> str:
    """``text`` with every occurrence of a real name replaced by its Subject_N, longest names first."""
    for real in sorted(names, key=len, reverse=True):
        text = text.replace(real, names[real])
    return text


def anonymise_document(doc: Document, names: dict[str, str]) -> None:
    """Replace the names in ``doc`` in place: tier participant, annotator and name (parents follow), header
    properties (names and values) and the author."""
    renamed = {t.id: replace_names(t.id, names) for t in doc.tiers}
    for tier in doc.tiers:
        tier.id = renamed[tier.id]
        tier.parent = renamed.get(tier.parent, tier.parent) if tier.parent else None
        tier.participant = replace_names(tier.participant, names) if tier.participant else tier.participant
        tier.annotator = replace_names(tier.annotator, names) if tier.annotator else tier.annotator
    doc.properties = [(replace_names(k, names), replace_names(v, names)) for k, v in doc.properties]
    doc.author = replace_names(doc.author, names)


def leaks(path: Path, names: list[str]) -> list[str]:
    """The names that occur in the file's text, as written or with XML/HTML escapes undone (ignoring case)."""
    raw = path.read_bytes().decode("utf-8", errors="replace")
    text = (raw + "\n" + html.unescape(raw)).casefold()
    return [name for name in names if name.casefold() in text]


def anonymise_corpus(folder: str | Path, out: str | Path, mapping: str | Path) -> tuple[dict[str, str], list[Leak]]:
    """Write every annotation file under ``folder`` anonymised to the same relative path under ``out`` and the
    mapping (extended if it exists) to ``mapping``; returns the mapping and the original names still found in the
    written files. The input files are only read. DocumentError when a file cannot be read."""
    folder, out, mapping = Path(folder), Path(out), Path(mapping)
    if not folder.is_dir():
        raise DocumentError(f"{folder} is not a folder")
    docs = {path: formats.read(path) for path in annotation_files(folder)}
    known = read_signer_ids(mapping) if mapping.is_file() else None
    names = subject_names(set().union(*map(people, docs.values())), known)
    written = []
    for path, doc in docs.items():
        anonymise_document(doc, names)
        target = out / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        formats.write(doc, target)
        written.append(target)
    write_signer_ids(mapping, names)
    found = [Leak(str(p.relative_to(out)), name) for p in written for name in leaks(p, sorted(names))]
    return names, found
