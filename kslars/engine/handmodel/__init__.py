"""A kinematic hand model that generates MediaPipe-style landmarks for every HamNoSys handshape class."""

from __future__ import annotations

import numpy as np

from kslars.engine.handmodel.camera import CameraNoise, random_rotations, view
from kslars.engine.handmodel.poses import CLASS_SPECS, sample_class

__all__ = ["CLASS_SPECS", "CameraNoise", "generate", "random_rotations", "sample_class", "view"]


DEFAULT_NOISE = CameraNoise()


def generate(
    name: str, n: int, rng: np.random.Generator, noise: CameraNoise | None = DEFAULT_NOISE
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` right hands of class ``name`` seen from random directions: landmarks (N, 21, 3) and aspects (N,)."""
    return view(sample_class(name, n, rng), rng, noise)
