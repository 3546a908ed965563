"""The agreement page: a viewer compares two real parallel tiers (the DGS right- and left-hand glosses) and sees the
scores, the boundary-difference histograms and the confusion of values; a refusal is said on the page; it fits a
phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kslars.corpus.agreement import TierSource, compare_sources
from kslars.web.projects.models import Role, Share
from tests.browser.helpers import log_in, make_user
from tests.corpus.helpers import dgs_file
from tests.web.test_agreement_api import DGS, LEFT_HAND, RIGHT_HAND, dgs_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_viewer_compares_two_tiers(person) -> None:
    both = dgs_project(make_user("anna"), "Anna", [RIGHT_HAND, LEFT_HAND])
    apart = dgs_project(make_user("boris"), "Boris", [RIGHT_HAND])
    viewer = make_user("vera")
    Share.objects.create(project=both, user=viewer, role=Role.VIEWER)
    Share.objects.create(project=apart, user=viewer, role=Role.VIEWER)
    source = str(dgs_file(DGS))
    expected = compare_sources(TierSource(source, RIGHT_HAND), TierSource(source, LEFT_HAND))
    vera = person()
    page = vera.page
    log_in(page, "vera")
    page.get_by_role("link", name="Agreement").click()
    expect(page.locator("h1")).to_have_text("Annotator agreement")
    page.select_option("[data-testid=agreement-a]", f"{both.pk}|{RIGHT_HAND}")
    page.select_option("[data-testid=agreement-b]", f"{both.pk}|{LEFT_HAND}")
    page.locator("[data-testid=agreement-submit]").click()
    summary = page.locator("[data-testid=agreement-summary]")
    expect(summary).to_be_visible(timeout=20_000)
    expect(summary.locator("tr[data-key=kappa] td")).to_have_text(f"{expected.modified_kappa.kappa:.3f}")
    expect(summary.locator("tr[data-key=matched] td")).to_have_text(str(len(expected.matches)))
    expect(summary.locator("tr[data-key=unmatched_b] td")).to_have_text(str(len(expected.unmatched_b)))
    plot = page.locator("[data-testid=agreement-plot]")
    expect(plot).to_be_visible()
    starts = [y.start_ms - x.start_ms for x, y in expected.pairs]
    bins = {min(49, max(0, (d + 1000) // 40)) for d in starts}
    expect(plot.locator("rect.agreement-bar[data-edge=start]")).to_have_count(len(bins))
    expect(plot.locator("rect.agreement-bar[data-edge=end]").first).to_be_visible()
    confusion = page.locator(
        "[data-testid=agreement-confusion] tr.is-different, [data-testid=agreement-confusion] tr.is-same"
    )
    expect(confusion).to_have_count(min(40, len(expected.confusion())))

    page.select_option("[data-testid=agreement-b]", f"{apart.pk}|{RIGHT_HAND}")  # the same glosses in another project
    page.locator("[data-testid=agreement-submit]").click()
    expect(summary.locator("tr[data-key=kappa] td")).to_have_text("1.000")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    vera.assert_no_script_errors()


def test_a_refusal_is_said_on_the_page(person) -> None:
    owner = make_user("olga")
    project = dgs_project(owner, "Olga", [RIGHT_HAND, LEFT_HAND])
    project.annotations.filter(tier__name=LEFT_HAND).update(start_ms=10_000_000, end_ms=10_000_500)
    olga = person()
    log_in(olga.page, "olga")
    olga.page.goto("/agreement/")
    olga.page.select_option("[data-testid=agreement-b]", f"{project.pk}|{LEFT_HAND}")
    olga.page.locator("[data-testid=agreement-submit]").click()
    expect(olga.page.locator("[data-testid=agreement-status]")).to_contain_text("do not overlap anywhere")
    expect(olga.page.locator("[data-testid=agreement-report]")).to_be_hidden()
    olga.assert_no_script_errors()
