"""``kslars corpus stats`` on the real EAF files, its counts checked against pympi-ling and lxml XPath, unreadable
files, media hours, and the plot checked as an image."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import av
import numpy as np
import pympi
import pytest
from click.testing import CliRunner
from lxml import etree
from PIL import Image

from kslars.cli import main
from kslars.corpus.plots import stats_figure
from kslars.corpus.stats import corpus_stats
from kslars.document import MediaDescriptor
from tests.conftest import shared_file
from tests.corpus.helpers import DGS, write_eaf

PYMPI = "dopefishh__pympi/test"


def pympi_totals(paths: list[Path]) -> dict[str, dict[str, int]]:
    """Per tier name over ``paths``, read by pympi-ling: annotations (aligned and referring) and the summed duration
    of those whose times pympi gives (aligned ones with both time slots set, referring ones through their parent)."""
    totals: dict[str, Counter] = {}
    for path in paths:
        eaf = pympi.Elan.Eaf(str(path))
        for tier, (aligned, referring, _, _) in eaf.tiers.items():
            counts = totals.setdefault(tier, Counter())
            counts["annotations"] += len(aligned) + len(referring)
            if aligned:
                spans = eaf.get_annotation_data_for_tier(tier)
                counts["duration_ms"] += sum(e - s for s, e, *_ in spans if None not in (s, e))
            elif referring and eaf.get_parameters_for_tier(tier).get("PARENT_REF") in eaf.tiers:
                counts["duration_ms"] += sum(e - s for s, e, *_ in eaf.get_ref_annotation_data_for_tier(tier))
    return {name: dict(c) for name, c in totals.items()}


def test_dgs_counts_and_durations_match_pympi() -> None:
    folder = shared_file(f"{DGS}/1413703.eaf").parent
    stats = corpus_stats(folder, ["Lexem_Gebärde_r_A", "Lexem_Gebärde_r_B"]).to_dict()
    expected = pympi_totals(sorted(folder.glob("*.eaf")))
    assert stats["files"] == 5 and stats["errors"] == []
    assert set(stats["tiers"]) == set(expected)
    for name, totals in expected.items():
        assert stats["tiers"][name]["annotations"] == totals["annotations"], name
        assert stats["tiers"][name]["duration_ms"] == totals["duration_ms"], name
    assert stats["annotations"] == sum(t["annotations"] for t in expected.values())
    assert stats["participants"]["ber-12"] == 2 and len(stats["participants"]) == 8


def test_dgs_glosses_match_pympi() -> None:
    folder = shared_file(f"{DGS}/1413703.eaf").parent
    stats = corpus_stats(folder, ["Lexem_Gebärde_r_A"]).to_dict()
    glosses = Counter()
    for path in sorted(folder.glob("*.eaf")):
        values = [v.strip() for *_, v in pympi.Elan.Eaf(str(path)).get_annotation_data_for_tier("Lexem_Gebärde_r_A")]
        glosses.update(v for v in values if v)
    assert stats["glosses"]["tokens"] == sum(glosses.values()) == 2078
    assert stats["glosses"]["types"] == len(glosses)
    assert stats["glosses"]["most_common"][0] == list(glosses.most_common(1)[0])


def test_pympi_samples_counted_like_xpath_and_subdivisions_fill_their_parents() -> None:
    folder = shared_file(f"{PYMPI}/sample_3.0.eaf").parent
    stats = corpus_stats(folder).to_dict()
    assert stats["files"] == 2
    for path in sorted(folder.glob("*.eaf")):
        tree = etree.parse(str(path))
        for tier in tree.xpath("//TIER"):
            name = tier.get("TIER_ID")
            assert len(tier.xpath("ANNOTATION")) * 2 == stats["tiers"][name]["annotations"], name  # both samples
    expected = pympi_totals([folder / "sample_3.0.eaf"])
    for name in ("text", "gestures", "gest_included"):
        assert stats["tiers"][name]["duration_ms"] == 2 * expected[name]["duration_ms"]
    # every "text" annotation is subdivided into words, so the word tiers take exactly the time of the texts
    for name in ("words-timesub", "words-symsub", "words-pos"):
        assert stats["tiers"][name]["duration_ms"] == stats["tiers"]["text"]["duration_ms"]


def test_unreadable_files_are_listed_and_the_rest_counted(tmp_path: Path) -> None:
    shutil.copy(shared_file(f"{DGS}/1418836-15524810-15550340.eaf"), tmp_path / "good.eaf")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "broken.eaf").write_text("<ANNOTATION_DOCUMENT>")
    (tmp_path / "notes.json").write_text('{"not": "a document"}')
    (tmp_path / "video.mp4").write_bytes(b"ignored: not an annotation format")
    stats = corpus_stats(tmp_path).to_dict()
    assert stats["files"] == 1
    assert [e["file"] for e in stats["errors"]] == ["notes.json", "sub/broken.eaf"]
    assert all(e["error"] for e in stats["errors"])
    assert stats["tiers"]["Lexem_Gebärde_r_A"]["annotations"] == 171


def test_media_hours_where_the_media_is_found(tmp_path: Path) -> None:
    video = shared_file("sign-language-processing__pose/src/python/tests/data/test_video.mp4")
    write_eaf(tmp_path / "found.eaf", {"Gloss": [(0, 500, "HELLO")]}, [MediaDescriptor(video.as_uri())])
    write_eaf(tmp_path / "missing.eaf", {"Gloss": [(0, 700, "BYE")]}, [MediaDescriptor("file:///nowhere/x.mp4")])
    with av.open(str(video)) as container:
        expected_ms = container.duration // 1000
    stats = corpus_stats(tmp_path).to_dict()
    assert stats["media"]["files_with_media"] == 1
    assert abs(stats["media"]["duration_ms"] - expected_ms) <= 40
    assert stats["annotated"]["duration_ms"] == 1200


def test_cli_json_table_and_errors(tmp_path: Path) -> None:
    folder = str(shared_file(f"{DGS}/1413703.eaf").parent)
    result = CliRunner().invoke(main, ["corpus", "stats", folder, "--json", "--gloss-tier", "Lexem_Gebärde_r_B"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["files"] == 5 and report["tiers"]["Lexem_Gebärde_r_B"]["annotations"] == 1199 + 1297 + 1151
    assert set(report["tiers"]["Lexem_Gebärde_r_B"]) == {"annotations", "duration_ms", "files"}
    table = CliRunner().invoke(main, ["corpus", "stats", folder])
    assert table.exit_code == 0 and "Lexem_Gebärde_r_B" in table.output and "Files read: 5" in table.output
    assert CliRunner().invoke(main, ["corpus", "stats", str(tmp_path / "absent")]).exit_code == 2
    assert CliRunner().invoke(main, ["corpus", "stats", folder, "--plot", str(tmp_path / "x.pdf")]).exit_code == 2


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_is_drawn(tmp_path: Path, suffix: str) -> None:
    folder = str(shared_file(f"{DGS}/1413703.eaf").parent)
    out = tmp_path / f"tiers{suffix}"
    result = CliRunner().invoke(main, ["corpus", "stats", folder, "--json", "--plot", str(out)])
    assert result.exit_code == 0, result.output
    if suffix == ".svg":
        text = out.read_text()
        assert "<svg" in text and "annotations" in text and "minutes" in text
        return
    with Image.open(out) as image:
        pixels = np.asarray(image.convert("L"), dtype=float)
    assert image.width > 500 and image.height > 300
    assert pixels.std() > 10  # bars and text, not a blank canvas
    figure = stats_figure(json.loads(result.output))
    left, right = figure.axes
    assert (left.get_xlabel(), right.get_xlabel()) == ("annotations", "minutes")
    assert "Lexem_Gebärde_r_B" in [label.get_text() for label in left.get_yticklabels()]
    assert max(bar.get_width() for bar in left.patches) == 3647
