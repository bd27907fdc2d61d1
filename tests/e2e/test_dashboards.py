"""The dashboard and the executive summary in a real Chromium: every chart draws, nothing raises."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from .conftest import assert_no_exception, wait_for_app

CHARTS = "[data-testid='stVegaLiteChart']"
LOCALES = {"ja": "ja-JP", "en": "en-US"}


def _charts_drawn(page) -> tuple[int, int]:
    """(charts on the page, charts with a drawn canvas or svg), after opening every Chart tab."""
    tabs = page.locator("[data-baseweb='tab']")
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        if tab.inner_text().strip() in ("グラフ", "Chart"):
            tab.click()
    page.wait_for_timeout(300)
    charts = page.locator(CHARTS)
    total = charts.count()
    for i in range(total):
        charts.nth(i).locator("canvas, svg").first.wait_for(state="attached", timeout=20_000)
    drawn = charts.evaluate_all("els => els.filter(e => e.querySelector('canvas, svg.marks, canvas.marks')).length")
    return total, drawn


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_dashboard_and_executive_draw_every_chart(lang, request, start_app, new_page, tmp_path):
    server = request.getfixturevalue("app_server") if lang == "ja" else start_app(lang=lang)
    # tall enough to lay out (and screenshot) the whole page at once
    page = new_page(locale=LOCALES[lang], viewport={"width": 1400, "height": 4200})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url)  # the first load brings in the sample region
    wait_for_app(page)

    for slug, minimum in (("dashboard", 4), ("executive", 5)):
        page.goto(f"{server.url.rstrip('/')}/{slug}")
        wait_for_app(page)
        page.screenshot(path=str(tmp_path / f"{lang}-{slug}.png"), full_page=True)
        assert_no_exception(page, f"({slug}, {lang})")
        total, drawn = _charts_drawn(page)
        assert total >= minimum, f"{slug}: expected at least {minimum} charts, found {total}"
        assert drawn == total, f"{slug}: only {drawn} of {total} charts drew a canvas or svg"
    assert not errors, errors


def test_executive_all_regions_and_link_to_detail(app_server, new_page):
    page = new_page(locale="ja-JP")
    page.goto(f"{app_server.url.rstrip('/')}/executive")
    wait_for_app(page)
    page.get_by_text("すべての地域", exact=True).click()
    wait_for_app(page)
    assert_no_exception(page, "(executive, all regions)")
    total, drawn = _charts_drawn(page)
    assert total >= 5 and drawn == total

    # the region's summary links to its details on the dashboard, which opens without an error
    page.get_by_text("この地域", exact=True).click()
    wait_for_app(page)
    link = page.locator("[data-testid='stMain'] a[href*='dashboard?region=']").first
    page.goto(urljoin(page.url, link.get_attribute("href")))
    wait_for_app(page)
    assert_no_exception(page, "(dashboard opened from the executive summary)")
    assert page.locator("h1:visible").first.inner_text() == "ダッシュボード"
