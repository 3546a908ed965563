"""``kslars convert`` on real files."""

from __future__ import annotations

from click.testing import CliRunner

from kslars import formats
from kslars.cli import main
from tests.conftest import shared_file

DGS = "Shogun6855__signlanguage-german-text2sign/dataset/1418836-15524810-15550340.eaf"


def test_convert_eaf_to_json_and_back(tmp_path):
    source = shared_file(DGS)
    runner = CliRunner()
    result = runner.invoke(main, ["convert", str(source), str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    assert "(eaf) ->" in result.output and "(json)" in result.output
    result = runner.invoke(main, ["convert", str(tmp_path / "s.json"), str(tmp_path / "s.eaf")])
    assert result.exit_code == 0, result.output
    assert formats.read(tmp_path / "s.eaf") == formats.read(source)


def test_convert_some_tiers_to_frame_csv(tmp_path):
    target = tmp_path / "signs.csv"
    result = CliRunner().invoke(
        main, ["convert", str(shared_file(DGS)), str(target), "--tiers", "Sign_r_A", "--frames", "--fps", "50"]
    )
    assert result.exit_code == 0, result.output
    lines = target.read_text().splitlines()
    assert lines[0].startswith("tier,start_frame,end_frame")
    assert {line.split(",")[0] for line in lines[1:]} == {"Lexem_Gebärde_r_A", "Sign_r_A"}  # plus its parent tier


def test_convert_reports_problems_without_writing(tmp_path):
    bad = tmp_path / "bad.eaf"
    bad.write_text("<ANNOTATION_DOCUMENT>")
    target = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["convert", str(bad), str(target)])
    assert result.exit_code == 2
    assert "bad.eaf line 1" in result.output and "not well-formed XML" in result.output
    assert not target.exists()
    result = CliRunner().invoke(main, ["convert", str(shared_file(DGS)), str(tmp_path / "out.docx")])
    assert result.exit_code == 2 and "unknown file type '.docx'" in result.output


def test_convert_reports_a_number_too_long_to_read(tmp_path):
    source = tmp_path / "huge.json"
    source.write_text('{"format": "kslars-document", "version": 1,\n "document": {"tiers": [' + "1" * 5000 + "]}}")
    result = CliRunner().invoke(main, ["convert", str(source), str(tmp_path / "out.eaf")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)  # a message, no traceback
    assert "huge.json line 2, column 25: a number with 5000 digits" in result.output
    assert not (tmp_path / "out.eaf").exists()
