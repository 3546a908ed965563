"""Training on the real DGS sentence clips: learning works, iterative fine-tuning runs, runs resume exactly,
and checkpoints rebuild the recogniser from the file alone."""

from __future__ import annotations

import csv
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
import torch

from kslars.recognition.batches import encode
from kslars.recognition.checkpoint import load_recognizer
from kslars.recognition.config import ModelConfig, TrainingConfig
from kslars.recognition.model import CslrModel
from kslars.recognition.training import Trainer, schedule

SMALL_MODEL = {"channels": 48, "hidden": 48, "layers": 1, "dropout": 0.0}


def small_config(tmp_path: Path, **changes) -> TrainingConfig:
    values = dict(
        corpus="dgs",
        path=str(tmp_path),
        output=str(tmp_path / "run"),
        epochs=40,
        batch_size=4,
        learning_rate=3e-3,
        augment=False,
        model=SMALL_MODEL,
        seed=3,
    )
    values.update(changes)
    return TrainingConfig.from_dict(values)


@pytest.fixture(scope="module")
def sentences(dgs_samples):
    """Twelve short sentences of one recording, the same set every time."""
    chosen = [s for s in dgs_samples if s.signer == "1413451" and 3 <= len(s.glosses) <= 6]
    return chosen[:12]


@pytest.mark.parametrize("architecture", ["bilstm", "transformer"])
def test_model_shapes_and_lengths(architecture):
    model = CslrModel(ModelConfig(features=30, vocabulary_size=9, architecture=architecture, pools=2))
    log_probs, steps = model(torch.randn(3, 41, 30), torch.tensor([41, 10, 3]))
    assert log_probs.shape == (3, 10, 9)
    assert steps.tolist() == [10, 2, 1]
    assert torch.allclose(log_probs.exp().sum(-1), torch.ones(3, 10), atol=1e-5)


@pytest.mark.slow
def test_training_learns_its_sentences_and_the_checkpoint_recognises_them(tmp_path, sentences):
    config = small_config(tmp_path)
    trainer = Trainer(config, sentences, sentences[:4], Path(config.output))
    before = trainer.recognizer().score(trainer.train).counts.wer
    trainer.run()
    recognizer = load_recognizer(Path(config.output) / "final.pt", device="cpu")
    after = recognizer.score(encode(sentences, recognizer.vocabulary, recognizer.fps))
    assert before > 90
    assert after.counts.wer < 25, after.counts
    rows = list(csv.DictReader((Path(config.output) / "log.csv").open()))
    assert len(rows) == config.epochs
    assert float(rows[-1]["train_loss"]) < float(rows[0]["train_loss"]) / 3
    exact = [
        s
        for s in sentences
        if recognizer.decode(
            recognizer.log_probabilities(encode([s], recognizer.vocabulary, recognizer.fps)[0].features)
        )
        == s.glosses
    ]
    assert len(exact) >= len(sentences) // 2
    recognised = recognizer.recognize(exact[0].skeleton)
    assert [g.gloss for g in recognised] == exact[0].glosses
    assert all(a.end_ms <= b.start_ms for a, b in pairwise(recognised))
    assert recognised[-1].end_ms <= exact[0].seconds * 1000 + 200


@pytest.mark.slow
def test_iterative_fine_tuning_logs_each_round(tmp_path, sentences):
    config = small_config(tmp_path, epochs=25, iterations=2, extractor_epochs=2, sequence_epochs=3)
    trainer = Trainer(config, sentences, sentences[:4], Path(config.output))
    trainer.run()
    rows = list(csv.DictReader((Path(config.output) / "log.csv").open()))
    assert [(r["phase"], r["iteration"]) for r in rows[25:]] == (
        [("units", "1")] * 2 + [("ctc", "1")] * 3 + [("units", "2")] * 2 + [("ctc", "2")] * 3
    )
    assert all(r["dev_wer"] != "" for r in rows)
    labelled = [item.labels for item in trainer.train]
    assert all(labels is not None and (labels > 0).any() for labels in labelled)


@pytest.mark.slow
def test_an_interrupted_run_resumes_to_the_same_weights(tmp_path, sentences):
    whole = small_config(
        tmp_path / "whole", epochs=4, iterations=1, extractor_epochs=1, sequence_epochs=1, augment=True
    )
    Trainer(whole, sentences, [], Path(whole.output)).run()

    split = small_config(
        tmp_path / "split", epochs=4, iterations=1, extractor_epochs=1, sequence_epochs=1, augment=True
    )

    class Interrupted(Exception):
        pass

    def stop_after_two(phase: str, done: int, epochs: int) -> None:
        if done == 2:
            raise Interrupted  # as Ctrl+C would, after the second epoch was saved

    with pytest.raises(Interrupted):
        Trainer(split, sentences, [], Path(split.output), progress=stop_after_two).run()
    second = Trainer(split, sentences, [], Path(split.output))
    assert second.resume()
    assert second.position == (0, 2)
    second.run()
    a = torch.load(Path(whole.output) / "final.pt", weights_only=True)["state_dict"]
    b = torch.load(Path(split.output) / "final.pt", weights_only=True)["state_dict"]
    for name in a:
        assert torch.allclose(a[name].float(), b[name].float(), atol=1e-5), name


def test_schedule_and_config_errors(tmp_path):
    config = small_config(tmp_path, epochs=3, iterations=2, extractor_epochs=1, sequence_epochs=2)
    assert [(p.kind, p.iteration, p.epochs) for p in schedule(config)] == [
        ("ctc", 0, 3),
        ("units", 1, 1),
        ("ctc", 1, 2),
        ("units", 2, 1),
        ("ctc", 2, 2),
    ]
    with pytest.raises(ValueError, match="unknown training setting"):
        TrainingConfig.from_dict({"corpus": "dgs", "path": ".", "epocs": 3})
    with pytest.raises(ValueError, match="needs 'corpus'"):
        TrainingConfig.from_dict({"path": "."})
    with pytest.raises(ValueError, match="unknown architecture"):
        ModelConfig(features=3, vocabulary_size=3, architecture="gru")
    restored = TrainingConfig.from_dict(config.to_dict())
    assert restored == config
    assert np.isclose(restored.augmentation.rotation_degrees, config.augmentation.rotation_degrees)


def test_the_configuration_examples_in_the_training_guide_are_valid():
    import re
    import tomllib

    guide = (Path(__file__).resolve().parents[2] / "docs" / "recognition" / "training.md").read_text(encoding="utf-8")
    examples = re.findall(r"```toml\n(.*?)```", guide, flags=re.S)
    assert len(examples) >= 2
    for example in examples:
        config = TrainingConfig.from_dict(tomllib.loads(example))
        ModelConfig(features=10, vocabulary_size=5, **config.model)
