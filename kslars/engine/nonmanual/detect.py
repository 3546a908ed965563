"""Non-manual signal proposals (eyebrows, head, mouth) from a signer's face track.

Every signal is measured relative to the signer's own neutral level in the processed stretch of video
(the median, or a low percentile for the mouth, whose rest state is closed), so that face shape, camera
distance and the usual head position do not matter. docs/engine/nonmanual.md gives the reason for every
threshold below.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from kslars.engine.annotation_tiers import NONMANUAL_TIERS
from kslars.engine.nonmanual.events import (
    Event,
    frames_for,
    hysteresis,
    median_smooth,
    median_width,
    oscillations,
    relative,
    without_overlaps,
)
from kslars.engine.nonmanual.face import FaceTrack, face_measures
from kslars.engine.nonmanual.head_pose import head_angles

EYEBROWS, HEAD, MOUTH = NONMANUAL_TIERS


@dataclass(frozen=True)
class NonManualConfig:
    """Thresholds of the non-manual detectors (distances in inter-ocular or mouth widths, angles in degrees)."""

    smooth_ms: int = 200  # running median over the shape measures: removes single-frame mesh jitter
    brow_raise_enter: float = 0.06  # eyebrow-to-eye distance above neutral, inter-ocular distances
    brow_raise_leave: float = 0.035
    brow_furrow_enter: float = 0.04  # inner brows lower and closer together than neutral
    brow_furrow_leave: float = 0.025
    brow_min_ms: int = 300
    brow_merge_ms: int = 200
    mouth_neutral_percentile: float = 25.0
    mouth_open_enter: float = 0.10  # inner-lip gap above the closed level, mouth widths
    mouth_open_leave: float = 0.06
    mouth_min_ms: int = 120
    mouth_merge_ms: int = 250
    shake_amplitude: float = 6.0  # every swing of yaw at least this many degrees
    shake_min_reversals: int = 2
    nod_amplitude: float = 5.0  # every swing of pitch
    nod_min_reversals: int = 2
    max_swing_ms: int = 600  # a slower swing is a turn or a look, not part of a shake or a nod
    tilt_enter: float = 10.0  # roll away from neutral, degrees
    tilt_leave: float = 6.0
    tilt_min_ms: int = 400
    tilt_merge_ms: int = 200


def _with_side(tilt: Event, roll: np.ndarray) -> Event:
    """``tilt`` with the shoulder the head leans towards: positive roll lifts the signer's left eye, so the
    head leans to the signer's right (in a mirrored video the sides swap)."""
    side = "right" if np.nanmean(roll[tilt.start : tilt.stop]) > 0 else "left"
    return replace(tilt, attributes={**tilt.attributes, "side": side})


def propose_nonmanual(track: FaceTrack, config: NonManualConfig = NonManualConfig()) -> dict[str, list[Event]]:
    """Proposed segments for the tiers "Eyebrows", "Head" and "Mouth", in frames of ``track``, in time order."""
    fps = track.fps
    width = median_width(config.smooth_ms, fps)
    measures = face_measures(track)
    raised = median_smooth(relative(measures.brow_height), width)
    furrowed = -median_smooth(relative(measures.inner_brows), width)
    mouth = median_smooth(relative(measures.mouth_gap, config.mouth_neutral_percentile), width)
    angles = head_angles(track)
    brows = hysteresis(
        raised,
        config.brow_raise_enter,
        config.brow_raise_leave,
        frames_for(config.brow_min_ms, fps),
        frames_for(config.brow_merge_ms, fps),
        "raised",
    )
    brows += hysteresis(
        furrowed,
        config.brow_furrow_enter,
        config.brow_furrow_leave,
        frames_for(config.brow_min_ms, fps),
        frames_for(config.brow_merge_ms, fps),
        "furrowed",
    )
    swing = frames_for(config.max_swing_ms, fps)
    head = oscillations(relative(angles.yaw), config.shake_amplitude, swing, config.shake_min_reversals, "shake")
    head += oscillations(relative(angles.pitch), config.nod_amplitude, swing, config.nod_min_reversals, "nod")
    roll = relative(angles.roll)
    tilts = hysteresis(
        np.abs(roll),
        config.tilt_enter,
        config.tilt_leave,
        frames_for(config.tilt_min_ms, fps),
        frames_for(config.tilt_merge_ms, fps),
        "tilt",
    )
    head += [_with_side(tilt, roll) for tilt in tilts]
    mouth_events = hysteresis(
        mouth,
        config.mouth_open_enter,
        config.mouth_open_leave,
        frames_for(config.mouth_min_ms, fps),
        frames_for(config.mouth_merge_ms, fps),
        "open",
    )
    return {EYEBROWS: without_overlaps(brows), HEAD: without_overlaps(head), MOUTH: without_overlaps(mouth_events)}
