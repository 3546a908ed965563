"""The "learn" job: fine-tune the segmentation model on the project's corrected sign and phrase tiers, and learn
the project's handshape labels from its corrected handshape tiers (handshapes.py).

The corrections are found in the project's document (``engine.segmentation.corrections``: tiers holding
annotations made or changed by hand, over the stretch from the first to the last of those). The stretch is cut in
two in a pause between phrases (or signs): the model learns from the first four fifths and both it and the shipped
model are scored on the last fifth, which it never saw. The weights are stored with the project
(:class:`ProjectModel`) and the project's next "Process video" uses them (:func:`project_weights`) until someone
goes back to the default (:func:`forget_model`), but only when they beat the shipped model on the part kept back
(:func:`better`): fine-tuning on a few corrections often does not (docs/engine/segmentation.md).

The handshapes are learnt in the same job from the same landmarks: a project handshape model
(:class:`ProjectHandshapeModel`) kept likewise only when it beats the shipped classifier on the handshapes kept
back, and used by Process video for the handshape tiers (``project_weights(project, HANDSHAPE)``). Either part is
skipped, with the reason in the job's message, when its corrections are too few; the job fails only when both are.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction

from kslars.web.jobs import services as jobs
from kslars.web.jobs.models import Job
from kslars.web.learning.handshapes import learn_project_handshapes
from kslars.web.learning.models import ProjectHandshapeModel, ProjectModel
from kslars.web.processing.video_jobs import current_video, job_landmarks, start_video_job
from kslars.web.projects.models import Project
from kslars.web.projects.videos import local_copy

if TYPE_CHECKING:
    from kslars.engine.handshape.corrections import HandshapeCorrection
    from kslars.engine.segmentation.corrections import Corrections
    from kslars.vision.pose_file import Landmarks

LEARN = "learn"
LABEL = "Learning from your corrections"
HELD_BACK = 0.2  # the last part of the corrected stretch, kept to measure the new model on
MIN_SIGNS, MIN_PHRASES = 10, 3  # in the whole corrected stretch, for a tier to be learnt at all
SEGMENTATION, HANDSHAPE = "segmentation", "handshape"
MODELS: dict[str, type[ProjectModel] | type[ProjectHandshapeModel]] = {
    SEGMENTATION: ProjectModel,
    HANDSHAPE: ProjectHandshapeModel,
}
NOTHING = (
    "There are no corrections to learn from yet: correct the automatic signs, signing segments or handshapes "
    "(move, resize, add or relabel them), or annotate them by hand, then try again."
)


def start_learning(project: Project, data: dict[str, Any], user) -> Job:  # noqa: ANN001
    """Queue a "learn" job; ValueError when there is no video, nothing corrected yet or one is running already."""

    def options(video) -> dict[str, Any]:  # noqa: ANN001
        signs, phrases = data.get("signs_tier") or None, data.get("phrases_tier") or None
        _corrections(project, signs, phrases)  # refuse now when there is nothing to learn
        return {"signs_tier": signs, "phrases_tier": phrases}

    return start_video_job(
        project, LEARN, user, options, busy="The model is learning already: wait for that job to end, or cancel it."
    )


def learn_project(job: Job, progress: jobs.Progress) -> str:
    """The work of a "learn" job: the segmentation part, then the handshape part; returns the final message
    with the scores (or why a part was skipped)."""
    from kslars.engine.handshape.corrections import too_few

    project = job.project
    found, handshapes = _corrections(project, job.options.get("signs_tier"), job.options.get("phrases_tier"))
    few_segments = (
        f"Too few corrections to learn from: correct at least {MIN_SIGNS} signs or {MIN_PHRASES} signing "
        "segments in a row, then try again."
    )
    few_handshapes = too_few(handshapes)
    segments = _enough(found)
    if segments is None and few_handshapes is not None:
        raise jobs.JobError(f"{few_segments} Handshapes: {few_handshapes}." if handshapes else few_segments)
    landmarks = job_landmarks(current_video(job), progress, LABEL)  # progress up to 0.85 while extracting
    if segments is not None and found is not None:
        parts = [_learn_segmentation(project, landmarks, found, *segments, progress)]
    else:
        parts = [f"Segmentation: {few_segments[0].lower()}{few_segments[1:]}"]
    progress.message = f"{LABEL}: handshapes"
    progress(0.98)
    outcome = learn_project_handshapes(landmarks, handshapes)
    if outcome.weights is not None and outcome.report is not None:
        _keep(HANDSHAPE, project, outcome.weights, outcome.report)
    return " ".join([*parts, outcome.message])


def _enough(found: Corrections | None) -> tuple[list | None, list | None] | None:
    """The corrected (signs, phrases) spans to learn from, each None when too few; None when both are."""
    if found is None:
        return None
    signs = found.signs if found.signs is not None and len(found.signs) >= MIN_SIGNS else None
    phrases = found.phrases if found.phrases is not None and len(found.phrases) >= MIN_PHRASES else None
    return None if signs is None and phrases is None else (signs, phrases)


def _corrections(
    project: Project, signs_tier: str | None, phrases_tier: str | None
) -> tuple[Corrections | None, list[HandshapeCorrection]]:
    """The project's corrected sign and phrase tiers (None: none) and corrected handshapes; ValueError when
    there are neither, or a tier named is missing."""
    from kslars.engine.handshape.corrections import find_handshape_corrections
    from kslars.engine.segmentation.corrections import find_corrections
    from kslars.web.annotation.store import load_document

    doc, roles = load_document(project), _roles(project)
    handshapes = find_handshape_corrections(doc, roles)
    try:
        return find_corrections(doc, roles, signs_tier, phrases_tier), handshapes
    except ValueError:
        if signs_tier or phrases_tier:
            raise
        if not handshapes:
            raise ValueError(NOTHING) from None
        return None, handshapes


def _learn_segmentation(
    project: Project,
    landmarks: Landmarks,
    found: Corrections,
    signs: list | None,
    phrases: list | None,
    progress: jobs.Progress,
) -> str:
    """Fine-tune the segmentation model on the corrected stretch; keep it when it is better. Its sentence."""
    from kslars.engine.segmentation import load_segmentation_model
    from kslars.engine.segmentation.adapt import AdaptOptions, adapted_metadata, fine_tune
    from kslars.engine.segmentation.annotated import annotated_run
    from kslars.engine.segmentation.dgs_data import split_recording
    from kslars.engine.segmentation.model import save_checkpoint
    from kslars.engine.segmentation.training import evaluate_runs
    from kslars.vision.landmarks import Cancelled

    run = annotated_run(landmarks, signs, phrases, found.window, "video")
    learn_from, held_back = split_recording([run], 1 - HELD_BACK)
    if not held_back or not (held_back[0].signs or held_back[0].phrases):
        raise jobs.JobError("The corrected stretch is too short to keep a part back for measuring: correct more.")
    base = load_segmentation_model()
    options = AdaptOptions(learn_signs=signs is not None, learn_phrases=phrases is not None)
    started = time.perf_counter()

    def report(fraction: float) -> None:
        progress.message = f"{LABEL}: fine-tuning"
        progress(0.85 + 0.12 * fraction)

    try:
        tuned = fine_tune(base, learn_from, options, report, progress.should_cancel)
    except InterruptedError as exc:
        raise Cancelled() from exc
    scores = {"default": evaluate_runs(base, held_back), "project": evaluate_runs(tuned, held_back)}
    tiers = [t for t, used in (("signs", signs), ("phrases", phrases)) if used is not None]
    summary: dict[str, Any] = {
        "tiers": {"signs": found.signs_tier if signs else None, "phrases": found.phrases_tier if phrases else None},
        "window_ms": list(found.window),
        "held_back_ms": [held_back[0].start_ms, found.window[1]],
        "signs": len(signs or []),
        "phrases": len(phrases or []),
        "scores": {
            model: {tier: {k: v for k, v in s[tier].as_dict().items()} for tier in tiers} for model, s in scores.items()
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
    parts = "; ".join(
        f"{tier}: {summary['scores']['project'][tier]['symmetric_iou']:.2f} "
        f"(default {summary['scores']['default'][tier]['symmetric_iou']:.2f})"
        for tier in tiers
    )
    if not better(summary["scores"]):
        return (
            f"The model learnt from your corrections did no better than the shipped one on the part kept back "
            f"(segment IoU {parts}), so Process video keeps the model it used."
        )
    buffer = io.BytesIO()
    save_checkpoint(tuned, buffer, adapted_metadata(base, [f"project {project.pk}"], options, summary["seconds"]))
    _keep(SEGMENTATION, project, buffer.getvalue(), summary)
    return (
        "Learnt from your corrections; Process video now uses the project's model. "
        f"Segment IoU on the part kept back: {parts}."
    )


def better(scores: dict[str, dict[str, dict[str, float]]]) -> bool:
    """Whether the project's model beats the shipped one on the part kept back: a higher mean symmetric segment
    IoU over the tiers it learnt."""

    def mean(model: str) -> float:
        values = [s["symmetric_iou"] for s in scores[model].values()]
        return sum(values) / len(values)

    return mean("project") > mean("default")


def _keep(kind: str, project: Project, content: bytes, report: dict[str, Any]) -> None:
    """Store the weights as the project's model of ``kind`` (SEGMENTATION or HANDSHAPE), replacing (and deleting
    the file of) an earlier one."""
    model_class = MODELS[kind]
    field = model_class._meta.get_field("weights")
    name = field.storage.save(field.generate_filename(None, f"project-{project.pk}.pt"), ContentFile(content))
    with transaction.atomic():
        old = model_class.objects.select_for_update().filter(project=project).first()
        if old is not None:
            old_name = old.weights.name
            transaction.on_commit(lambda: field.storage.delete(old_name))
            old.delete()
        model_class.objects.create(project=project, weights=name, report=report)


def forget_model(project: Project, kind: str = SEGMENTATION) -> bool:
    """Go back to the shipped model of ``kind``: delete the project's own (row and file); False when it had none."""
    with transaction.atomic():
        model = MODELS[kind].objects.select_for_update().filter(project=project).first()
        if model is None:
            return False
        name = model.weights.name
        model.delete()
        transaction.on_commit(lambda: model.weights.storage.delete(name))
    return True


@contextmanager
def project_weights(project: Project, kind: str = SEGMENTATION) -> Iterator[Path | None]:
    """The project's own weights of ``kind`` (SEGMENTATION or HANDSHAPE) on this machine, or None when it uses
    the shipped model."""
    model = MODELS[kind].objects.filter(project=project).first()
    if model is None:
        yield None
        return
    with local_copy(model.weights) as path:
        yield path


def _roles(project: Project) -> dict[str, str]:
    """Tier name -> the engine role it plays (tier_names.py)."""
    from kslars.web.annotation.tier_names import ROLE

    return {t.name: t.extra[ROLE] for t in project.tiers.all() if t.extra.get(ROLE)}
