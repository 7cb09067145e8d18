"""The agreement report in real Chromium: it renders under the strict Content-Security-Policy
(``open_as`` fails the test at teardown on any violation), the SVG charts are accessible
images, and the filter form and drill-down work.

Set ``ANNOTATOR_SCREENSHOTS=1`` to refresh ``docs/screenshots/agreement.png``.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import PASSWORD, REPO_ROOT
from tests.functional.agreement_seed import seed_study

pytestmark = pytest.mark.browser


def test_report_page_charts_filters_and_drill_down(open_as, live_server, app):
    study = seed_study(PASSWORD)
    page = open_as("instructor")
    page.goto(f"{live_server.url}/projects/demo/agreement")
    assert page.locator("nav.tabs a[aria-current=page]").inner_text() == "Agreement"

    matrix = page.locator("svg#reviewer-matrix")
    assert matrix.get_attribute("role") == "img"
    assert matrix.locator("title").first.text_content() == "Agreement between reviewers"
    assert matrix.bounding_box()["width"] > 200
    assert page.locator("svg#unitizing-alpha-bars g.bar-row").count() > 5
    assert "omar.f" in page.locator("#without-work").inner_text()
    assert page.locator("#gold-scores tbody tr").count() >= 7

    shots = REPO_ROOT / "docs" / "screenshots"
    if os.environ.get("ANNOTATOR_SCREENSHOTS"):
        shots.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.screenshot(path=str(shots / "agreement.png"), full_page=True)

    page.select_option("#filter-labels", ["direct-quote", "official-source"])
    page.uncheck("input[type=checkbox][name=bootstrap]")
    with page.expect_navigation():
        page.click("#agreement-filters button[type=submit]")
    assert "labels=direct-quote" in page.url and "bootstrap=0" in page.url
    labels = page.locator("#span-agreement tr.label-row th").all_inner_texts()
    assert labels == ["Direct quote", "Official source"]
    assert page.locator("#span-agreement .ci").count() == 0  # bootstrap off: no intervals

    article = study.articles["en"]
    with page.expect_navigation():
        page.click(f"#article-{article} th a")
    assert f"/agreement/articles/{article}" in page.url
    columns = page.locator("#article-counts thead th").all_inner_texts()
    assert len(columns) == 10 and columns[-1] == "Gold"  # label, 8 reviewers, gold
    assert "lena.k" in columns and "omar.f" not in columns  # in progress counts, idle does not
    assert page.locator("#article-counts tbody tr").count() == 2  # the two chosen labels
    with page.expect_navigation():
        page.click("#compare-link")
    assert page.url.endswith(f"/articles/{article}/compare")
