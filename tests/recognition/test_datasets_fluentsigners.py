"""FluentSigners-50 from a generated layout with the real gloss and translation tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kslars.recognition.datasets import load_corpus
from kslars.recognition.datasets.fluentsigners import GLOSSES, TRANSLATIONS, load_fluentsigners
from tests.conftest import shared_file
from tests.recognition.conftest import write_pose_file

FLUENT = "krslproject__FluentSigners-50"
TAKES = {"anna": ["2", "3", "100"], "boris": ["2", "3_2"], "dana": ["175"]}


def make_layout(root: Path) -> Path:
    """Three signers' folders of .pose files, the real annotation tables and a signers.csv with age groups."""
    for name in (GLOSSES, TRANSLATIONS):
        shutil.copy(shared_file(f"{FLUENT}/{name}"), root / name)
    for signer, stems in TAKES.items():
        for stem in stems:
            write_pose_file(root / signer / f"{stem}.pose", frames=15)
    (root / "signers.csv").write_text("signer,age_group,gender\nanna,18-30,f\nboris,50+,m\ndana,18-30,f\n")
    return root


def test_samples_by_signer_and_sentence(tmp_path: Path) -> None:
    samples = load_corpus("fluentsigners", make_layout(tmp_path))
    assert [s.id for s in samples] == ["anna/100", "anna/2", "anna/3", "boris/2", "boris/3_2", "dana/175"]
    by_id = {s.id: s for s in samples}
    assert by_id["anna/2"].glosses == ["КАК", "ТВОЙ", "ДЕЛА"]
    assert by_id["anna/2"].metadata == {
        "source": "fluentsigners",
        "sentence": "2",
        "recording": "anna/2",
        "translation": "Как ваши дела",
        "age": "18-30",
    }
    assert by_id["boris/3_2"].metadata["sentence"] == "3" and by_id["boris/3_2"].metadata["age"] == "50+"
    assert "translation" not in by_id["anna/100"].metadata  # the translation table has no row 100
    assert by_id["dana/175"].glosses == ["НА", "УЛИЦЕ", "ОЧЕНЬ", "СИЛЬНЫЙ", "ВЕТЕР"]
    assert len(by_id["dana/175"].skeleton) == 15


def test_annotations_elsewhere_and_no_signers_file(tmp_path: Path) -> None:
    write_pose_file(tmp_path / "s1" / "0.pose", frames=5)
    samples = load_fluentsigners(tmp_path, annotations=shared_file(FLUENT))
    assert samples[0].glosses == ["ЗДРАВСТВУЙТЕ"] and "age" not in samples[0].metadata


def test_errors_name_the_file_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="gloss_annotation.csv"):
        load_fluentsigners(tmp_path)
    root = make_layout(tmp_path)
    (root / "anna" / "7.mp4").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match="7.mp4.*kslars extract"):
        load_fluentsigners(root)
    assert len(load_fluentsigners(root, skip_missing=True)) == 6
    write_pose_file(root / "boris" / "999.pose", frames=3)
    with pytest.raises(ValueError, match="sentence 999 has no row"):
        load_fluentsigners(root, skip_missing=True)
