"""``kslars corpus anonymise``: participant and annotator names replaced by Subject_N in tiers, tier names, properties
and the author, the same Subject_N for the same person across files and runs, the mapping written apart, the check
that finds a name left where the anonymiser does not look, and input files left unchanged."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner

from kslars import formats
from kslars.cli import main
from kslars.corpus.anonymise import anonymise_corpus
from kslars.recognition.splits import read_signer_ids
from tests.conftest import shared_file
from tests.corpus.helpers import DGS_FILES, dgs_file, write_eaf

PYMPI_SAMPLES = ["dopefishh__pympi/test/sample_2.7.eaf", "dopefishh__pympi/test/sample_3.0.eaf"]


def hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def named_document(path: Path, signer: str, annotator: str) -> Path:
    """An EAF with ``signer`` as participant and in a tier name and property, ``annotator`` as annotator and author."""
    write_eaf(path, {f"Gloss_{signer}": [(0, 500, "HELLO")], "Translation": [(0, 500, "hello")]})
    doc = formats.read(path)
    doc.tiers[0].participant, doc.tiers[0].annotator = signer, annotator
    doc.tiers[1].participant = signer
    doc.properties = [("recorded_with", signer), (f"checked_by_{annotator}", "yes")]
    doc.author = annotator
    formats.write(doc, path)
    return path


def test_generated_documents_across_files_and_runs(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    named_document(corpus / "one.eaf", "Anna Schmidt", "Boris K.")
    (corpus / "sub").mkdir()
    named_document(corpus / "sub" / "two.eaf", "Anna Schmidt", "Clara Ode")
    formats.write(formats.read(corpus / "one.eaf"), corpus / "three.json")
    before = hashes(corpus)
    mapping = tmp_path / "private" / "ids.csv"

    names, leaks = anonymise_corpus(corpus, tmp_path / "out", mapping)
    assert leaks == []
    assert set(names) == {"Anna Schmidt", "Boris K.", "Clara Ode"}
    assert sorted(names.values()) == ["Subject_1", "Subject_2", "Subject_3"]
    assert read_signer_ids(mapping) == names
    assert hashes(corpus) == before
    assert sorted(hashes(tmp_path / "out")) == ["one.eaf", "sub/two.eaf", "three.json"]  # no mapping inside
    anna, boris = names["Anna Schmidt"], names["Boris K."]
    for name in ("one.eaf", "three.json"):
        doc = formats.read(tmp_path / "out" / name)
        assert [t.id for t in doc.tiers] == [f"Gloss_{anna}", "Translation"]
        assert [(t.participant, t.annotator) for t in doc.tiers] == [(anna, boris), (anna, None)]
        assert doc.properties == [("recorded_with", anna), (f"checked_by_{boris}", "yes")]
        assert doc.author == boris
    two = formats.read(tmp_path / "out" / "sub" / "two.eaf")
    assert (two.tiers[0].participant, two.tiers[0].annotator) == (anna, names["Clara Ode"])

    named_document(corpus / "four.eaf", "Dana Ruiz", "Boris K.")  # a later run keeps the numbers
    again, _ = anonymise_corpus(corpus, tmp_path / "out2", mapping)
    assert {k: again[k] for k in names} == names and again["Dana Ruiz"] == "Subject_4"


def test_check_finds_a_name_left_in_an_annotation(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = named_document(corpus / "one.eaf", "Anna Schmidt", "Boris K.")
    doc = formats.read(path)
    doc.tiers[1].annotations[0].value = "thanks, anna schmidt"  # a value: not anonymised, but checked
    formats.write(doc, path)
    before = hashes(corpus)
    result = CliRunner().invoke(
        main, ["corpus", "anonymise", str(corpus), "-o", str(tmp_path / "out"), "--mapping", str(tmp_path / "ids.csv")]
    )
    assert result.exit_code == 2
    assert "one.eaf: Anna Schmidt" in result.output and "Boris" not in result.output
    assert hashes(corpus) == before


def test_dgs_and_pympi_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in DGS_FILES:
        shutil.copy(dgs_file(name), corpus / name)
    for sample in PYMPI_SAMPLES:
        shutil.copy(shared_file(sample), corpus / Path(sample).name)
    before = hashes(corpus)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["corpus", "anonymise", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    mapping = read_signer_ids(tmp_path / "out.private.csv")  # beside the output folder, not in it
    assert set(mapping) == {"ber-12", "ber-13", "ber-15", "ber-36", "ber-38", "ber-54", "ber-mod-1", "ber-mod-2"}
    assert hashes(corpus) == before and sorted(hashes(out)) == sorted(before)
    for name in DGS_FILES:
        original, anonymised = formats.read(corpus / name), formats.read(out / name)
        assert [mapping[t.participant] for t in original.tiers] == [t.participant for t in anonymised.tiers]
        assert [t.id for t in original.tiers] == [t.id for t in anonymised.tiers]  # DGS tier names hold no names
        assert "ber-" not in (out / name).read_text(encoding="utf-8")
    both = formats.read(out / "1413683.eaf"), formats.read(out / "1413703.eaf")  # ber-12 signs in both
    assert {t.participant for t in both[0].tiers} >= {mapping["ber-12"]} <= {t.participant for t in both[1].tiers}
    assert (
        formats.read(out / "sample_3.0.eaf").tiers[0].annotations
        == formats.read(corpus / "sample_3.0.eaf").tiers[0].annotations
    )
