"""The handshape part of the "learn" job: the project's labels learnt from its corrected handshape tiers
(``kslars.engine.handshape.corrections``), measured beside the shipped classifier on the examples kept back."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kslars.engine.handshape.corrections import HandshapeCorrection
    from kslars.vision.pose_file import Landmarks


@dataclass(frozen=True)
class HandshapeOutcome:
    """What the handshape part did: its sentence for the job's message, and the model to keep (None: none)."""

    message: str
    weights: bytes | None = None
    report: dict[str, Any] | None = None


def learn_project_handshapes(landmarks: Landmarks, corrections: list[HandshapeCorrection]) -> HandshapeOutcome:
    """Learn the labels of ``corrections`` from the hands in ``landmarks``; the weights come back only when the
    project's model beats the shipped classifier on the examples kept back."""
    import torch

    from kslars.engine.handshape import load_classifier
    from kslars.engine.handshape.corrections import correction_hands, learn_handshapes

    seen, hands = correction_hands(landmarks, corrections)
    result = learn_handshapes(seen, hands, landmarks.width / landmarks.height, load_classifier())
    if result.checkpoint is None:
        return HandshapeOutcome(f"Handshapes: {result.skipped}, so the handshape model was not changed.")
    report = {**result.report, "hands_unseen": len(corrections) - len(seen)}
    scores = report["scores"]
    measured = (
        f"accuracy on the {report['held_back']} handshapes kept back {scores['project']['accuracy']:.2f} "
        f"(shipped model {scores['default']['accuracy']:.2f})"
    )
    if not result.better():
        return HandshapeOutcome(
            f"Handshapes: the model learnt from your corrections did no better than the shipped one ({measured}), "
            "so Process video keeps the handshape model it used."
        )
    buffer = io.BytesIO()
    torch.save(result.checkpoint, buffer)
    labels = ", ".join(report["examples"])
    return HandshapeOutcome(
        f"Handshapes: learnt {labels}; Process video now writes the project's handshape labels ({measured}).",
        buffer.getvalue(),
        report,
    )
