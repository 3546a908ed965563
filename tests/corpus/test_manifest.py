"""``kslars corpus manifest``: media found by the EAF's relative reference and by a video of the same name, its
duration probed with PyAV, participants, and files whose media is missing or unreadable listed with the reason."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import av
from click.testing import CliRunner

from kslars.cli import main
from kslars.corpus.manifest import corpus_manifest
from kslars.document import MediaDescriptor
from tests.conftest import shared_file
from tests.corpus.helpers import dgs_file, write_eaf

VIDEO = "sign-language-processing__pose/src/python/tests/data/test_video.mp4"


def test_media_by_reference_by_name_missing_and_unreadable(tmp_path: Path) -> None:
    video = shared_file(VIDEO)
    (tmp_path / "media").mkdir()
    shutil.copy(video, tmp_path / "media" / "clip.mp4")
    shutil.copy(video, tmp_path / "media" / "named.mp4")
    (tmp_path / "media" / "broken.mp4").write_bytes(b"not a video")
    (tmp_path / "eaf").mkdir()
    write_eaf(
        tmp_path / "eaf" / "linked.eaf",
        {"Gloss": [(0, 500, "HELLO")]},
        [MediaDescriptor("file:///elsewhere/clip.mp4", relative_url="../media/clip.mp4")],
    )
    write_eaf(tmp_path / "eaf" / "named.eaf", {"Gloss": [(0, 500, "HELLO")]})
    write_eaf(
        tmp_path / "eaf" / "missing.eaf", {"Gloss": [(0, 500, "HELLO")]}, [MediaDescriptor("file:///nowhere/gone.mp4")]
    )
    write_eaf(tmp_path / "eaf" / "broken.eaf", {"Gloss": [(0, 500, "HELLO")]})
    (tmp_path / "eaf" / "bad.eaf").write_text("<ANNOTATION_DOCUMENT>")
    with av.open(str(video)) as container:
        expected_ms = container.duration // 1000

    rows = {r.annotation: r for r in corpus_manifest(tmp_path)}
    assert set(rows) == {"eaf/linked.eaf", "eaf/named.eaf", "eaf/missing.eaf", "eaf/broken.eaf", "eaf/bad.eaf"}
    assert rows["eaf/linked.eaf"].media == "media/clip.mp4" and rows["eaf/linked.eaf"].problem is None
    assert rows["eaf/named.eaf"].media == "media/named.mp4"
    for name in ("eaf/linked.eaf", "eaf/named.eaf"):
        assert abs(rows[name].duration_ms - expected_ms) <= 40
    assert rows["eaf/missing.eaf"].media is None and "gone.mp4" in rows["eaf/missing.eaf"].problem
    assert rows["eaf/broken.eaf"].media == "media/broken.mp4"
    assert rows["eaf/broken.eaf"].duration_ms is None
    assert rows["eaf/broken.eaf"].problem.startswith("media not readable")
    assert rows["eaf/bad.eaf"].problem.startswith("not read")


def test_cli_csv_and_json_on_dgs(tmp_path: Path) -> None:
    folder = str(dgs_file("1413703.eaf").parent)
    result = CliRunner().invoke(main, ["corpus", "manifest", folder])
    assert result.exit_code == 0, result.output
    rows = {r["annotation"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert rows["1413703.eaf"]["participants"] == "ber-12;ber-13"
    assert rows["1413683.eaf"]["participants"] == "ber-12;ber-13;ber-mod-2"
    assert all(r["problem"].startswith("media not found (https://") for r in rows.values())  # online videos only

    out = tmp_path / "manifest.json"
    result = CliRunner().invoke(main, ["corpus", "manifest", folder, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert {r["annotation"] for r in json.loads(out.read_text())} == set(rows)


def test_cli_missing_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["corpus", "manifest", str(tmp_path / "none")])
    assert result.exit_code == 2 and "is not a folder" in result.output
