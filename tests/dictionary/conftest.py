"""Fixtures of the dictionary tests: the Ham2Pose lexicon imported once, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kslars.cli import main
from kslars.dictionary.importers import read_signs
from kslars.dictionary.lexicon import Lexicon
from tests.conftest import shared_file

HAM2POSE = "rotem-shalev__Ham2Pose/data/hamnosys/data.json"


@pytest.fixture(scope="session")
def ham2pose_json() -> Path:
    """The Ham2Pose HamNoSys lexicon (5,752 signs)."""
    return shared_file(HAM2POSE)


@pytest.fixture(scope="session")
def ham2pose_lexicon(ham2pose_json: Path) -> Lexicon:
    """The Ham2Pose lexicon as imported (read once per test session)."""
    return Lexicon(read_signs(ham2pose_json).signs)


@pytest.fixture(scope="session")
def ham2pose_dictionary(ham2pose_lexicon: Lexicon, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dictionary file holding the Ham2Pose lexicon; tests must not change it."""
    path = tmp_path_factory.mktemp("dictionary") / "ham2pose.json"
    ham2pose_lexicon.save(path)
    return path


def run(*args: object) -> Result:
    """``kslars dictionary ARGS`` in-process."""
    return CliRunner().invoke(main, ["dictionary", *(str(a) for a in args)])
