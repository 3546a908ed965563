"""Benchmark splits: disjoint signers, ages or sentences, deterministic, and written without real signer ids."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from kslars.recognition.cli import cslr
from kslars.recognition.data import Sample
from kslars.recognition.splits import PRIVATE_FILE, SPLIT_FILE, make_split, read_split, write_split
from tests.conftest import shared_file


def members(samples: list[Sample], split: dict[str, list[str]], subset: str, field: str) -> set[str]:
    by_id = {s.id: s for s in samples}
    return {by_id[i].signer if field == "signer" else by_id[i].metadata[field] for i in split[subset]}


def test_every_sample_lands_in_exactly_one_subset(dgs_samples: list[Sample]) -> None:
    for kind in ("signer", "sentence"):
        split = make_split(dgs_samples, kind, seed=3)
        ids = split["train"] + split["dev"] + split["test"]
        assert sorted(ids) == sorted(s.id for s in dgs_samples)
        assert split["train"] and split["dev"] and split["test"]


def test_signer_independent_split_keeps_people_apart(dgs_samples: list[Sample]) -> None:
    for seed in range(6):
        split = make_split(dgs_samples, "signer", seed=seed)
        test, rest = (
            members(dgs_samples, split, "test", "signer"),
            members(dgs_samples, split, "train", "signer") | members(dgs_samples, split, "dev", "signer"),
        )
        assert test and not test & rest
        assert {"1413683", "1413703"} <= test or not {"1413683", "1413703"} & test  # probably one person
    named = make_split(dgs_samples, "signer", test=["1413451"])
    assert members(dgs_samples, named, "test", "signer") == {"1413451"} and len(named["test"]) == 105
    # three people remain, so dev holds out one of them; with two left, dev is drawn from their sentences
    assert not members(dgs_samples, named, "dev", "signer") & members(dgs_samples, named, "train", "signer")
    pair = make_split(dgs_samples, "signer", test=["1413451", "1414123"])
    assert members(dgs_samples, pair, "dev", "signer") <= members(dgs_samples, pair, "train", "signer")
    with pytest.raises(ValueError, match="no signer 'nobody'"):
        make_split(dgs_samples, "signer", test=["nobody"])


def test_unseen_sentence_split_has_disjoint_texts_and_repeats_from_a_seed(dgs_samples: list[Sample]) -> None:
    split = make_split(dgs_samples, "sentence", seed=7)
    test = members(dgs_samples, split, "test", "sentence")
    assert test and not test & (
        members(dgs_samples, split, "train", "sentence") | members(dgs_samples, split, "dev", "sentence")
    )
    assert 0.15 < len(split["test"]) / len(dgs_samples) < 0.3
    assert make_split(dgs_samples, "sentence", seed=7) == split
    assert make_split(dgs_samples, "sentence", seed=8) != split


def test_age_independent_split(dgs_samples: list[Sample]) -> None:
    ages = {"1413451": "18-30", "1413683": "31-50", "1413703": "31-50", "1414123": "51+", "1418836": "18-30"}
    aged = [replace(s, metadata=s.metadata | {"age": ages[s.signer]}) for s in dgs_samples]
    split = make_split(aged, "age", test=["51+"], seed=1)
    assert members(aged, split, "test", "age") == {"51+"}
    assert "51+" not in members(aged, split, "train", "age") | members(aged, split, "dev", "age")
    with pytest.raises(ValueError, match="no age group"):
        make_split(dgs_samples, "age")


def test_split_files_round_trip_with_subject_names_only(dgs_samples: list[Sample], tmp_path: Path) -> None:
    split = make_split(dgs_samples, "signer", seed=2)
    public, private = write_split(split, dgs_samples, tmp_path / "out")
    assert (public.name, private.name) == (SPLIT_FILE, PRIVATE_FILE)
    assert read_split(tmp_path / "out") == split == read_split(public)
    text = public.read_text()
    assert "Subject_1" in text and not any(s in text for s in {x.signer for x in dgs_samples})
    mapping = private.read_text()
    assert all(s in mapping for s in {x.signer for x in dgs_samples})
    again, _ = write_split(make_split(dgs_samples, "sentence"), dgs_samples, tmp_path / "other", signer_ids=private)
    subjects = lambda path: {line.split(",")[2] for line in path.read_text().splitlines()[1:]}  # noqa: E731
    assert subjects(again) == subjects(public) and private.read_text() == mapping


def test_signer_names_inside_sample_ids_are_hidden_too(dgs_samples: list[Sample], tmp_path: Path) -> None:
    named = [replace(s, id=f"{s.signer}/{s.id}") for s in dgs_samples[:40] + dgs_samples[-40:]]
    split = make_split(named, "sentence", seed=0)
    public, private = write_split(split, named, tmp_path, signer_ids=tmp_path / "keep" / "ids.csv")
    assert "1413451" not in public.read_text() and "Subject_" in public.read_text()
    assert read_split(public, signer_ids=private) == split
    assert read_split(public)["train"][0].startswith("Subject_")


def test_split_command(tmp_path: Path) -> None:
    data = shared_file("udacity__AIND-Recognizer/data")
    result = CliRunner().invoke(
        cslr,
        [
            "split",
            "--corpus",
            "boston104",
            str(data),
            "--kind",
            "signer",
            "--test",
            "man-1",
            "--seed",
            "4",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert " test: 79 sentences, 1 signer(s)" in result.output and "keep it private" in result.output
    split = read_split(tmp_path)
    assert len(split["test"]) == 79 and len(split["train"]) + len(split["dev"]) == 122
    failed = CliRunner().invoke(
        cslr, ["split", "--corpus", "boston104", str(data), "--test", "nobody", "-o", str(tmp_path)]
    )
    assert failed.exit_code != 0 and "no signer 'nobody'" in failed.output
    wrong = CliRunner().invoke(cslr, ["split", "--corpus", "dgs", str(data), "-O", "x", "-o", str(tmp_path)])
    assert wrong.exit_code != 0 and "KEY=VALUE" in wrong.output


def test_corpus_split_keeps_the_published_division(dgs_samples: list[Sample]) -> None:
    from kslars.recognition.datasets.boston104 import load_boston104

    boston = load_boston104(shared_file("udacity__AIND-Recognizer/data"))
    split = make_split(boston, "corpus")
    by_id = {s.id: s for s in boston}
    assert split["dev"] == []
    assert {by_id[i].metadata["split"] for i in split["train"]} == {"train"}
    assert {by_id[i].metadata["split"] for i in split["test"]} == {"test"}
    assert len(split["train"]) + len(split["test"]) == 201
    with pytest.raises(ValueError, match="no train/dev/test division"):
        make_split(dgs_samples, "corpus")
