"""The corpus page: a viewer sees the statistics of two shared projects (real DGS transcripts) and their plot, then
downloads the anonymised export; the page fits a phone."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from kslars.corpus.stats import corpus_stats
from kslars.formats import read_bytes
from tests.browser.helpers import log_in, make_user
from tests.conftest import shared_file
from tests.corpus.helpers import DGS
from tests.web.test_corpus_api import FILES, GLOSSES, dgs_projects

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_viewer_sees_the_statistics_and_downloads_the_anonymised_export(person, tmp_path) -> None:
    projects = dgs_projects(make_user("anna"), make_user("vera"))
    for name in FILES:
        (tmp_path / name).write_bytes(shared_file(f"{DGS}/{name}").read_bytes())
    expected = corpus_stats(tmp_path, GLOSSES).to_dict()
    vera = person()
    page = vera.page
    log_in(page, "vera")
    page.get_by_role("link", name="Corpus", exact=True).click()
    expect(page.locator("h1")).to_have_text("Corpus")
    expect(page.get_by_test_id("corpus-project")).to_have_count(2)
    page.get_by_test_id("corpus-gloss-tiers").select_option(GLOSSES)
    page.get_by_test_id("corpus-show").click()
    summary = page.get_by_test_id("corpus-summary")
    expect(summary.locator("tr[data-key=projects] td")).to_have_text("2")
    expect(summary.locator("tr[data-key=annotations] td")).to_have_text(str(expected["annotations"]))
    expect(summary.locator("tr[data-key=signers] td")).to_have_text(str(len(expected["participants"])))
    expect(summary.locator("tr[data-key=types] td")).to_have_text(str(expected["glosses"]["types"]))
    expect(page.get_by_test_id("corpus-tiers").locator("tbody tr")).to_have_count(len(expected["tiers"]))
    plot = page.get_by_test_id("corpus-plot")
    expect(plot).to_be_visible()
    expect(plot).to_have_js_property("complete", True)
    assert plot.evaluate("img => img.naturalWidth") == 1100  # the core's figure, rendered by the server

    with page.expect_download() as download_info:
        page.get_by_test_id("corpus-download").click()
    download = download_info.value
    assert download.suggested_filename == "corpus-anonymised.zip"
    with zipfile.ZipFile(download.path()) as archive:
        files = sorted(n for n in archive.namelist() if n.endswith(".eaf"))
        assert files == sorted(f"eaf/project-{p.pk}.eaf" for p in projects)
        for name in files:
            doc = read_bytes(archive.read(name), "eaf")
            assert {t.participant for t in doc.tiers if t.participant} <= {f"Subject_{i}" for i in (1, 2, 3)}
            assert not [p for p in expected["participants"] if p in archive.read(name).decode("utf-8")]

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    vera.assert_no_script_errors()
