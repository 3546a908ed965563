"""Torch on a chosen number of CPU threads for a block of code: the small recurrent models K-SLARS runs gain
nothing from more, and on a busy machine extra threads only wait for each other (a recognition sentence took
0.6 s instead of 5 ms, a segmentation window about 100 times longer)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch


@contextmanager
def cpu_threads(count: int, device: torch.device | None = None) -> Iterator[None]:
    """Run torch on ``count`` CPU threads inside the block; nothing changes when ``device`` is a GPU."""
    if device is not None and device.type != "cpu":
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)
