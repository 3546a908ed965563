"""Recognition fixtures: the real DGS sentence clips, loaded once per test session."""

from __future__ import annotations

import pytest

from kslars.recognition.data import Sample
from kslars.recognition.datasets.dgs import load_dgs_sentences
from tests.conftest import shared_file

DGS = "Shogun6855__signlanguage-german-text2sign"


@pytest.fixture(scope="session")
def dgs_samples() -> list[Sample]:
    """The 358 DGS sentences of the shared data (skipped when absent, failing under CI=true)."""
    return load_dgs_sentences(shared_file(DGS))
