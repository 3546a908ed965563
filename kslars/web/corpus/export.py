"""The corpus export of chosen projects as one zip: their EAF files (anonymised by kslars.corpus.anonymise on
request) and, on request, a training set in the layout of ``kslars corpus export-training`` made by
kslars.corpus.export from the landmarks stored with each project's video. Projects without stored landmarks are
listed as skipped: landmarks are never extracted during a request. The work is done in the request, so the number of
projects in one export is limited (MAX_PROJECTS)."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.text import get_valid_filename

from kslars.corpus.anonymise import anonymise_corpus, people, replace_names
from kslars.corpus.export import ExportTiers, export_training_set
from kslars.corpus.manifest import ManifestRow
from kslars.recognition.splits import subject_names, write_signer_ids
from kslars.vision.pose_file import landmarks_fit
from kslars.web.annotation.interchange import export
from kslars.web.annotation.models import Annotation
from kslars.web.annotation.store import load_document
from kslars.web.corpus.services import SelectionError
from kslars.web.projects.models import Project, Video
from kslars.web.projects.videos import local_copy

MAX_PROJECTS = 25  # projects in one export (it is written while the request waits)
MAX_ANNOTATIONS = 200_000  # annotations in one export: about 10 s of work (docs/corpus.md)
SUMMARY = "corpus-export.json"  # at the zip's root: what is in it, what was skipped and why


class LeftoverNames(Exception):
    """Original names remain in the anonymised files: nothing is handed out (HTTP 409)."""


@dataclass(frozen=True)
class ExportChoice:
    """What the zip holds: EAF files (anonymised or not) and, when ``training`` is set, a training set by those
    tiers."""

    anonymise: bool = True
    training: ExportTiers | None = None


def file_stem(project: Project, anonymise: bool) -> str:
    """The project's file name in the zip: ``project-ID`` when anonymised (names of projects often name their
    signer), else ``ID-name``."""
    return f"project-{project.pk}" if anonymise else f"{project.pk}-{get_valid_filename(project.name)[:80]}"


def subject_mapping(projects: list[Project]) -> dict[str, str]:
    """Real participant or annotator name -> Subject_N, as the anonymised export of ``projects`` names them."""
    return subject_names(set().union(*(people(load_document(p)) for p in projects)))


def mapping_csv(projects: list[Project]) -> bytes:
    """The private mapping of :func:`subject_mapping` as the CSV that ``kslars corpus anonymise`` writes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mapping.csv"
        write_signer_ids(path, subject_mapping(projects))
        return path.read_bytes()


def export_zip(projects: list[Project], choice: ExportChoice) -> bytes:
    """The zip of ``projects`` (see the module's docstring and docs/corpus.md). SelectionError when they hold more
    than MAX_ANNOTATIONS annotations; LeftoverNames when the check after anonymising still finds an original name."""
    total = Annotation.objects.filter(project__in=projects).count()
    if total > MAX_ANNOTATIONS:
        raise SelectionError(
            f"the chosen projects hold {total:,} annotations, more than {MAX_ANNOTATIONS:,} in one export: "
            "choose fewer projects"
        )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        plain, stems = work / "plain", {p.pk: file_stem(p, choice.anonymise) for p in projects}
        plain.mkdir()
        for project in projects:
            (plain / f"{stems[project.pk]}.eaf").write_bytes(export(project, "eaf")[0])
        eaf, names = plain, None
        if choice.anonymise:
            eaf = work / "eaf"
            names, found = anonymise_corpus(plain, eaf, work / "mapping.csv")
            if found:
                raise LeftoverNames("original names remain in " + ", ".join(sorted({f.file for f in found})))
        summary: dict[str, Any] = {
            "anonymised": choice.anonymise,
            "projects": [{"id": p.pk, "file": f"eaf/{stems[p.pk]}.eaf"} for p in projects],
        }
        if not choice.anonymise:
            for entry, project in zip(summary["projects"], projects, strict=True):
                entry["name"] = project.name
        if choice.training is not None:
            summary["training"] = _training_set(projects, stems, plain, work, choice.training, names)
        text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"  # problems may quote tier names
        return _zipped(eaf, work / "training" if choice.training else None, replace_names(text, names or {}))


def _training_set(
    projects: list[Project],
    stems: dict[int, str],
    plain: Path,
    work: Path,
    tiers: ExportTiers,
    names: dict[str, str] | None,
) -> dict[str, Any]:
    """Export the training set of the projects with stored landmarks to ``work/training``; what was exported and
    skipped."""
    landmarks, rows, skipped = work / "landmarks", [], []
    landmarks.mkdir()
    videos = {v.project_id: v for v in Video.objects.filter(project__in=projects)}
    for project in projects:
        reason = _copy_landmarks(videos.get(project.pk), landmarks / f"{stems[project.pk]}.pose")
        if reason:
            skipped.append({"project": project.pk, "file": f"eaf/{stems[project.pk]}.eaf", "reason": reason})
        else:
            rows.append(ManifestRow(annotation=f"{stems[project.pk]}.eaf"))
    result = export_training_set(plain, rows, work / "training", tiers, landmarks_dir=landmarks, names=names)
    if result.leaks:
        raise LeftoverNames("original names remain in the training set: " + ", ".join(result.leaks))
    return {"segments": len(result.records), "skipped": skipped, "problems": result.problems}


def _copy_landmarks(video: Video | None, target: Path) -> str | None:
    """Copy the video's stored landmarks to ``target``; why not, when they cannot be used."""
    if video is None:
        return "no video"
    if not video.landmarks:
        return "no landmarks stored: run automatic annotation (Process video) on the project first"
    with local_copy(video.landmarks) as path:
        if video.width and video.height and not landmarks_fit(path, (video.width, video.height)):
            return "the stored landmarks do not fit the video: run automatic annotation again"
        shutil.copyfile(path, target)
    return None


def _zipped(eaf: Path, training: Path | None, summary: str) -> bytes:
    """The zip: ``eaf/`` with the EAF files, ``training/`` with the training set, and the summary."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(eaf.glob("*.eaf")):
            archive.write(path, f"eaf/{path.name}")
        if training is not None:
            for path in sorted(p for p in training.rglob("*") if p.is_file()):
                archive.write(path, f"training/{path.relative_to(training).as_posix()}")
        archive.writestr(SUMMARY, summary)
    return buffer.getvalue()
