"""A corpus command's source: a folder, or a manifest file written by `kslars corpus manifest` (CSV or JSON)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from kslars.cli import main
from kslars.corpus.manifest import corpus_manifest
from kslars.corpus.sources import corpus_rows, corpus_videos
from kslars.document import DocumentError
from tests.conftest import shared_file
from tests.corpus.helpers import write_eaf


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_a_written_manifest_reads_back_as_the_folder_s_rows_and_videos(tmp_path, suffix):
    corpus = tmp_path / "corpus"
    (corpus / "day1").mkdir(parents=True)
    shutil.copy(shared_file("sign-language-processing__pose/videos/SOUP.mp4"), corpus / "day1" / "soup.mp4")
    write_eaf(corpus / "day1" / "soup.eaf", {"Gloss": [(0, 500, "SOUP")]})
    write_eaf(corpus / "lost.eaf", {"Gloss": [(0, 500, "X")]})
    manifest = tmp_path / f"manifest{suffix}"
    result = CliRunner().invoke(main, ["corpus", "manifest", str(corpus), "-o", str(manifest)])
    assert result.exit_code == 0, result.output

    folder, rows = corpus_rows(manifest, root=corpus)
    assert folder == corpus and rows == corpus_manifest(corpus)
    assert rows[0].media == "day1/soup.mp4" and rows[1].problem.startswith("media not found")
    assert corpus_videos(manifest, root=corpus) == (corpus, [corpus / "day1" / "soup.mp4"])
    assert corpus_videos(corpus) == (corpus, [corpus / "day1" / "soup.mp4"])


def test_a_file_that_is_not_a_manifest_is_refused(tmp_path):
    (tmp_path / "notes.csv").write_text("name,age\nanna,30\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="not a manifest"):
        corpus_rows(tmp_path / "notes.csv")
    with pytest.raises(DocumentError, match="does not exist"):
        corpus_rows(tmp_path / "missing")
