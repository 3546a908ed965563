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


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    """A fresh media folder for this test (the live server's too)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dictionary(tmp_path: Path, settings) -> Path:
    """A dictionary of real Ham2Pose signs (tests.web.dictionary_helpers.SIGNS of them) named by the
    KSLARS_DICTIONARY setting (of the live server too), in a folder of its own so that tests can check nothing is
    written beside it."""
    from tests.web.dictionary_helpers import write_dictionary

    (tmp_path / "data").mkdir()
    settings.KSLARS_DICTIONARY = write_dictionary(tmp_path / "data")
    return settings.KSLARS_DICTIONARY
