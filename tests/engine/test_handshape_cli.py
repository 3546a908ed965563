"""``kslars handshape``: classify a landmarks file, learn a project's labels from a CSV, use them with --model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from kslars.cli import main
from kslars.engine.handmodel import generate
from kslars.hamnosys import BASE_FORMS, HANDSHAPES

CLASS_NAMES = {h.name for h in HANDSHAPES}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["handshape", *args])
    return result.exit_code, result.output


def hands_of(name: str, n: int, seed: int) -> np.ndarray:
    """``n`` generated hands of one class, aspect-corrected (x and z on the scale of y, as the CSV expects)."""
    hands, aspect = generate(name, n, np.random.default_rng(seed))
    hands[..., 0] *= aspect[:, None]
    hands[..., 2] *= aspect[:, None]
    return hands


@pytest.fixture(scope="module")
def landmarks_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hands") / "hands.npy"
    np.save(path, np.concatenate([hands_of("finger2", 3, 1), hands_of("flathand", 2, 2)]))
    return path


def test_json_output_one_object_per_hand(landmarks_file: Path) -> None:
    code, output = run(str(landmarks_file), "--json", "--top", "2")
    assert code == 0, output
    lines = output.strip().splitlines()
    assert len(lines) == 5
    for line in lines:
        record = json.loads(line)
        assert list(record) == ["top"] and len(record["top"]) == 2
        for entry in record["top"]:
            assert set(entry) == {"class", "base_form", "probability"}
            assert entry["class"] in CLASS_NAMES and entry["base_form"] in BASE_FORMS
        assert record["top"][0]["probability"] >= record["top"][1]["probability"]


def test_flat_and_2d_arrays_and_text_output(tmp_path: Path, landmarks_file: Path) -> None:
    hands = np.load(landmarks_file)
    flat2d = tmp_path / "hands2d.npy"
    np.save(flat2d, hands[..., :2].reshape(len(hands), 42))
    code, output = run(str(flat2d), "--aspect", "4/3", "--top", "1")
    assert code == 0, output
    rows = output.strip().splitlines()
    assert len(rows) == 5 and all(r.split("\t")[1].split(" ")[0] in CLASS_NAMES for r in rows)


def test_bad_input_is_explained(tmp_path: Path, landmarks_file: Path) -> None:
    wrong = tmp_path / "wrong.npy"
    np.save(wrong, np.zeros((3, 20, 3)))
    code, output = run(str(wrong))
    assert code != 0 and "(N, 21, 3)" in output and "wrong.npy" in output
    code, output = run(str(landmarks_file), "--aspect", "wide")
    assert code != 0 and "aspect" in output


def write_examples(path: Path, examples: dict[str, np.ndarray], dims: int) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("label," + ",".join(f"v{i}" for i in range(21 * dims)) + "\n")
        for label, hands in examples.items():
            for hand in hands:
                handle.write(label + "," + ",".join(f"{v:.5f}" for v in hand[:, :dims].ravel()) + "\n")


# Project labels that are not HamNoSys names, each made of a few examples of one class.
PROJECT_LABELS = {"KRSL-1": "finger2", "KRSL-open": "finger2345_thumbout", "KRSL-bunch": "pinchall", "KRSL-C": "cee12"}


@pytest.mark.slow
@pytest.mark.parametrize("dims", [3, 2])
def test_train_learns_project_labels_from_few_examples(tmp_path: Path, dims: int) -> None:
    csv_path, model = tmp_path / "examples.csv", tmp_path / "project.pt"
    write_examples(
        csv_path, {label: hands_of(cls, 5, i) for i, (label, cls) in enumerate(PROJECT_LABELS.items())}, dims
    )
    code, output = run("train", str(csv_path), "-o", str(model))
    assert code == 0, output
    assert "learned 4 labels from 20 examples" in output and model.exists()

    test_hands = {label: hands_of(cls, 25, 100 + i) for i, (label, cls) in enumerate(PROJECT_LABELS.items())}
    test_file = tmp_path / "test.npy"
    np.save(test_file, np.concatenate([h[..., :dims] for h in test_hands.values()]))
    code, output = run(str(test_file), "--model", str(model), "--json")
    assert code == 0, output
    predicted = [json.loads(line)["top"][0]["class"] for line in output.strip().splitlines()]
    truth = [label for label, hands in test_hands.items() for _ in hands]
    assert np.mean(np.array(predicted) == np.array(truth)) >= 0.8
    assert json.loads(output.splitlines()[0])["top"][0]["base_form"] is None  # not a HamNoSys name


def test_train_reports_the_bad_line(tmp_path: Path) -> None:
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text("a," + ",".join(["0.1"] * 63) + "\nb," + ",".join(["0.1"] * 60) + "\n", encoding="utf-8")
    code, output = run("train", str(csv_path), "-o", str(tmp_path / "m.pt"))
    assert code != 0 and "line 2" in output and "63 or 42" in output
    assert not (tmp_path / "m.pt").exists()


def test_help_lists_the_subcommands() -> None:
    code, output = run("--help")
    assert code == 0 and "train" in output and "retrain" in output and "LANDMARKS.npy" in output


@pytest.mark.slow
def test_retrain_writes_a_model_that_loads(tmp_path: Path) -> None:
    from kslars.engine.handshape import load_classifier

    model, report = tmp_path / "model.pt", tmp_path / "report.md"
    code, output = run("retrain", "-o", str(model), "--epochs", "1", "--per-class", "20", "--report", str(report))
    assert code == 0, output
    classifier = load_classifier(model)
    assert classifier.labels == [h.name for h in HANDSHAPES] and set(classifier.nets) == {2, 3}
    table = report.read_text(encoding="utf-8")
    assert "| overall |" in table and all(f"| {h.name} |" in table for h in HANDSHAPES)
