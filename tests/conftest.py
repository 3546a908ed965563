"""Shared fixtures: the real data in ../shared/data (skipped when absent, an error under CI=true)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("KSLARS_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


def shared_file(relative: str) -> Path:
    """Path of a fixture in ../shared/data; skips the test when missing, fails it under CI=true."""
    path = SHARED_DATA / relative
    if not path.exists():
        message = f"shared fixture {path} is missing (set KSLARS_SHARED_DATA or lay ../shared/data beside the repo)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def shared_data() -> Path:
    """The ../shared/data folder; skipped when absent, failing under CI=true."""
    return shared_file("README.md").parent
