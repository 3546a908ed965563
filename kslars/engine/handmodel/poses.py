"""Joint-angle distributions for every HamNoSys handshape class, sampled into hand-frame landmarks.

Each class is a finger configuration (one state per finger, index..little), a spread mode and a thumb
placement. Angles are drawn uniformly from per-state ranges, proportions vary per hand, and the thumb is
either posed from angles or moved onto a target (a fingertip, the front of the curled fingers, the palm)
by inverse kinematics. See docs/engine/handshapes.md for the definition of each class.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kslars.engine.handmodel.kinematics import FAN, HandParams, forward, reach, thumb_chain
from kslars.hamnosys import HANDSHAPES

# MCP, PIP, DIP flexion ranges in degrees per finger state.
FINGER_STATES: dict[str, tuple[tuple[float, float], ...]] = {
    "ext": ((-10, 40), (0, 15), (0, 12)),
    "curl": ((25, 100), (60, 150), (15, 75)),
    "bent": ((60, 100), (0, 15), (0, 12)),
    "hooked": ((-5, 20), (45, 105), (30, 80)),
    "round": ((5, 40), (20, 50), (10, 35)),
    "pinch": ((40, 70), (40, 70), (10, 35)),
    "bunch": ((35, 65), (15, 70), (5, 30)),
    "forward": ((20, 55), (0, 20), (0, 15)),  # stretched, but tilted toward the palm side (the middle of ASL K)
    "tilted": ((10, 85), (0, 15), (0, 12)),  # stretched from a knuckle bent anywhere up to a right angle (ASL G)
    "oval": ((10, 45), (45, 95), (20, 55)),  # rounded to meet the thumb in an O
}

# Thumb metacarpal direction (radial angle, palmar elevation) and MCP/IP flexion ranges, in degrees.
THUMB_POSES: dict[str, tuple[tuple[float, float], ...]] = {
    "out": ((45, 85), (0, 30), (0, 15), (-10, 15)),
    "out_fist": ((5, 70), (5, 35), (0, 15), (-10, 15)),
    "out_bent": ((40, 70), (20, 45), (15, 35), (20, 45)),
    "side": ((8, 25), (0, 15), (0, 10), (0, 10)),
    "along": ((8, 25), (10, 35), (0, 15), (0, 15)),  # start of a thumb moved beside the index (ASL G)
    "opposed": ((30, 55), (35, 60), (10, 30), (10, 30)),
}


@dataclass(frozen=True)
class ClassSpec:
    """How to pose one handshape class: finger states, spread mode, thumb placement and C opening."""

    fingers: tuple[str, ...]  # index, middle, ring, little
    spread: str  # "together", "natural", "spread", "spread23", "together23"
    thumb: str  # a THUMB_POSES key, or "over", "across", "between", "contact", "gap"
    gap: tuple[float, float] = (0.0, 0.0)


def _spec(name: str) -> ClassSpec:
    """The pose specification of a handshape class (see docs/engine/handshapes.md)."""
    h = next(h for h in HANDSHAPES if h.name == name)
    selected: tuple[str, ...] = {
        "fist": ("curl",) * 4,
        "flathand": ("ext",) * 4,
        "finger2": ("ext", "curl", "curl", "curl"),
        "finger23": ("ext", "ext", "curl", "curl"),
        "finger23spread": ("ext", "ext", "curl", "curl"),
        "finger2345": ("ext",) * 4,
        "pinch12": ("pinch", "curl", "curl", "curl"),
        "pinchall": ("bunch",) * 4,
        "pinch12open": ("pinch", "ext", "ext", "ext"),
        "cee12": ("round", "curl", "curl", "curl"),
        "ceeall": ("round",) * 4,
        "ceeopen": ("round",) * 4,
    }[h.base_form]
    if h.bending:
        selected = tuple(h.bending if s == "ext" else s for s in selected)
    spread = {
        "finger23": "together23", "finger23spread": "spread23", "finger2345": "spread", "ceeopen": "spread",
        "flathand": "together", "ceeall": "together", "pinchall": "together",
    }.get(h.base_form, "natural")  # fmt: skip
    default_thumb = {
        "fist": "over", "flathand": "side", "finger2": "over", "finger23": "over", "finger23spread": "over",
        "finger2345": "across", "pinch12": "contact", "pinchall": "contact", "pinch12open": "contact",
        "cee12": "gap", "ceeall": "gap", "ceeopen": "gap",
    }[h.base_form]  # fmt: skip
    thumb = {"thumbout": "out_fist" if h.base_form == "fist" else "out", "thumbacross": "across"}.get(
        h.thumb or "", default_thumb
    )
    if h.base_form == "finger2345" and h.bending == "hooked":
        thumb = "out_bent"
    gap = {"cee12": (0.3, 0.7), "ceeall": (0.3, 1.3), "ceeopen": (0.5, 1.3)}.get(h.base_form, (0.0, 0.0))
    if h.thumb == "thumbopen":
        gap = (0.7, 1.3)
    return ClassSpec(selected, spread, thumb, gap)


CLASS_SPECS: dict[str, ClassSpec] = {h.name: _spec(h.name) for h in HANDSHAPES}

# Other common ways to form a class, drawn for a share of its hands: ASL G (finger2_thumbout with the thumb
# stretched along the index instead of away from it; MediaPipe reports the index of a G bent at its knuckle by
# about 70 degrees, the thumb tip 0.3-0.4 palm lengths from the index tip), ASL K and P (finger23spread whose middle finger tilts
# toward the palm side, the thumb tip between index and middle on the middle finger) and ASL O (pinchall with
# the fingers rounded so that the tips meet the thumb in a round opening, not bunched into one point).
VARIANTS: dict[str, tuple[tuple[float, ClassSpec], ...]] = {
    "finger2_thumbout": ((0.4, ClassSpec(("tilted", "curl", "curl", "curl"), "natural", "along")),),
    "finger23spread": ((0.4, ClassSpec(("ext", "forward", "curl", "curl"), "spread23", "between")),),
    "pinchall": ((0.5, ClassSpec(("oval",) * 4, "together", "contact")),),
}


def _uniform(rng: np.random.Generator, bounds: tuple[float, float], n: int) -> np.ndarray:
    return np.radians(rng.uniform(bounds[0], bounds[1], n))


def _between(rng: np.random.Generator, a: list[float], b: list[float], n: int) -> np.ndarray:
    """Uniform angles (N, len(a)) in radians between the degree bounds a and b (in either order)."""
    return np.radians(rng.uniform(np.minimum(a, b), np.maximum(a, b), (n, len(a))))


def _abduction(spread: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Per-finger in-plane angles (N, 4) relative to the resting fan, for a spread mode."""
    jitter = np.radians(rng.normal(0.0, 2.0, (n, 4)))
    if spread == "together":
        return -FAN[None, :] * rng.uniform(0.6, 1.0, (n, 1)) + jitter
    if spread == "spread":
        return _between(rng, [8, -3, -6, -10], [18, 3, -14, -24], n) + jitter
    if spread == "spread23":
        return _between(rng, [8, -8, -2, -2], [20, -18, 2, 2], n) + jitter
    if spread == "together23":
        return _between(rng, [-6, 0, -2, -2], [-3, 3, 2, 2], n) + jitter
    return jitter * 2.0


def _random_params(spec: ClassSpec, n: int, rng: np.random.Generator) -> HandParams:
    flexion = np.stack(
        [np.stack([_uniform(rng, FINGER_STATES[s][j], n) for j in range(3)], axis=1) for s in spec.fingers], axis=1
    )
    thumb_pose = THUMB_POSES.get(spec.thumb, THUMB_POSES["opposed"])
    return HandParams(
        flexion=flexion,
        abduction=_abduction(spec.spread, n, rng),
        thumb_dir=np.stack([_uniform(rng, thumb_pose[0], n), _uniform(rng, thumb_pose[1], n)], axis=1),
        thumb_flexion=np.stack([_uniform(rng, thumb_pose[2], n), _uniform(rng, thumb_pose[3], n)], axis=1),
        width=rng.uniform(0.85, 1.15, n),
        lengths=rng.uniform(0.88, 1.12, (n, 1)) * rng.uniform(0.95, 1.05, (n, 4)),
        cup=rng.uniform(0.0, 1.0, n) * (1.0 if spec.thumb in ("gap", "contact") else 0.4),
    )


def _thumb_target(spec: ClassSpec, hand: np.ndarray, rng: np.random.Generator) -> np.ndarray | None:
    """Where the thumb tip goes for target-based placements (N, 3), or None for angle-posed thumbs."""
    n = len(hand)
    jitter = rng.normal(0.0, 0.04, (n, 3))
    if spec.thumb == "over":  # across the front of the curled fingers, from their middle phalanges to their tips
        curled = [f for f in range(4) if spec.fingers[f] == "curl"][:2]
        middle = np.mean([hand[:, 6 + 4 * f] + hand[:, 7 + 4 * f] for f in curled], axis=0) / 2
        tips = np.mean([hand[:, 8 + 4 * f] for f in curled], axis=0)
        w = rng.uniform(0.0, 0.7, (n, 1))
        return (1 - w) * middle + w * tips + np.array([0.0, 0.0, 1.0]) * rng.uniform(0.05, 0.15, (n, 1)) + jitter
    if spec.thumb == "along":  # stretched beside the index, its tip by the index's outer phalanges
        w = rng.uniform(0.0, 0.8, (n, 1))
        beside = (1 - w) * hand[:, 7] + w * hand[:, 8]
        return beside + np.array([1.0, 0.0, 0.0]) * rng.uniform(0.1, 0.3, (n, 1)) + [0.0, 0.0, 0.05] + jitter
    if spec.thumb == "between":  # between index and middle, touching the middle finger's first phalanx
        w = rng.uniform(0.2, 0.7, (n, 1))
        on_middle = (1 - w) * hand[:, 9] + w * hand[:, 10]
        return on_middle + np.array([1.0, 0.0, 0.0]) * rng.uniform(0.03, 0.1, (n, 1)) + [0.0, 0.0, 0.06] + jitter
    if spec.thumb == "across":  # folded across the palm toward the little finger
        low, high = np.array([-0.35, 0.5, 0.1]), np.array([-0.05, 0.9, 0.25])
        return rng.uniform(low, high, (n, 3))
    active = [f for f in range(4) if spec.fingers[f] in ("pinch", "bunch", "round")]
    if spec.thumb == "contact" and spec.fingers[0] == "oval":  # an O: where the index and middle tips meet
        return hand[:, [8, 12]].mean(axis=1) + rng.normal(0.0, 0.02, (n, 3))
    if spec.thumb == "contact":  # the index tip, or the point where all fingertips meet
        return hand[:, [8 + 4 * f for f in active]].mean(axis=1) + rng.normal(0.0, 0.02, (n, 3))
    if spec.thumb == "gap":  # opposite the index (and middle) fingertip, a C opening away
        tip = hand[:, 8] if len(active) == 1 else hand[:, [8, 12]].mean(axis=1)
        direction = np.array([0.2, -0.9, 0.35]) / np.linalg.norm([0.2, -0.9, 0.35])
        return tip + rng.uniform(spec.gap[0], spec.gap[1], (n, 1)) * direction + jitter
    return None


def sample_class(name: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` random hands (N, 21, 3) of handshape class ``name``, in the right-hand frame (palm lengths).

    A class with ``VARIANTS`` gets each variant for its share of the hands, the main form for the rest.
    """
    hands = np.zeros((n, 21, 3))
    choice = rng.random(n)
    start = 0.0
    for share, spec in (*VARIANTS.get(name, ()), (1.0, CLASS_SPECS[name])):
        chosen = (choice >= start) & (choice < start + share) if share < 1.0 else choice >= start
        start += share
        if chosen.any():
            hands[chosen] = sample_spec(spec, int(chosen.sum()), rng)
    return hands


def sample_spec(spec: ClassSpec, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` random hands (N, 21, 3) posed by one specification."""
    params = _random_params(spec, n, rng)
    hand = forward(params)
    if spec.fingers == ("bunch",) * 4:  # fingertips meet in one point
        centre = hand[:, [8, 12, 16, 20]].mean(axis=1, keepdims=True)
        pull = rng.uniform(0.5, 0.8, (n, 1, 1))
        for f in range(4):
            for joint, weight in ((7 + 4 * f, 0.5), (8 + 4 * f, 1.0)):
                hand[:, joint] += weight * pull[:, :, 0] * (centre[:, 0] - hand[:, 8 + 4 * f])
    target = _thumb_target(spec, hand, rng)
    if target is not None:
        hand[:, 1:5] = reach(thumb_chain(params), target)
    if spec.thumb == "contact":  # fingers that the thumb could not quite reach close the pinch
        for f in (f for f in range(4) if spec.fingers[f] in ("pinch", "bunch", "oval")):
            # an O's fingertips touch the thumb side by side, from the index toward the little finger
            beside = [0.0, 0.0, 0.0] if spec.fingers[f] != "oval" else [-0.09 * f, -0.04 * f, 0.0]
            touch = hand[:, 4] + beside + rng.normal(0.0, 0.02, (n, 3))
            hand[:, 5 + 4 * f : 9 + 4 * f] = reach(hand[:, 5 + 4 * f : 9 + 4 * f], touch)
    return hand
