"""Complete quarters and notes in a real browser: a quarter one hub has started is provisional, never the headline;
an upload with a jump and no note is held at its preview with that row named; sample times read in Japan time."""

from __future__ import annotations

import re

from .conftest import assert_no_exception, wait_for_app

UPLOAD = "[data-testid='stFileUploaderDropzoneInput']"


def _upload(page, name: str, text: str, encoding: str = "utf-8") -> None:
    files = [{"name": name, "mimeType": "text/csv", "buffer": text.encode(encoding)}]
    page.locator(UPLOAD).set_input_files(files=files)
    wait_for_app(page)


def _cells(page) -> list[str]:
    return page.locator("[data-testid='stDataFrame'] [role='gridcell']").all_inner_texts()


def test_one_hubs_new_quarter_is_provisional_and_the_complete_quarter_stays_the_headline(start_app, new_page) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    server = start_app(lang="en")
    page = new_page(locale="en-US")
    page.goto(server.url + "progress")
    wait_for_app(page)
    _upload(page, "h1.csv", "hub,indicator,period,value,note\nH1,K01,FY2026Q3,15,\nH1,K04,FY2026Q3,8,\n")
    assert_no_exception(page, server.describe())
    page.get_by_role("button", name="Import these values").click()
    wait_for_app(page)
    expect(page.get_by_text("Imported: 2 new, 0 corrected.")).to_be_visible()
    coverage = "FY2026 Q3 (provisional): 1 of 3 hubs reported (0 submitted)"

    page.goto(server.url)
    wait_for_app(page)
    assert_no_exception(page, server.describe())
    expect(page.get_by_text("Indicator status as of FY2026 Q2")).to_be_visible()
    expect(page.get_by_text("As of FY2026 Q2, the latest quarter every hub has submitted.")).to_be_visible()
    expect(page.get_by_text(coverage)).to_be_visible()
    latest = page.locator("[data-testid='stMetric']").filter(has_text="Latest complete quarter")
    expect(latest.locator("[data-testid='stMetricValue']")).to_have_text("FY2026 Q2")

    page.goto(server.url + "executive")
    wait_for_app(page)
    assert_no_exception(page, server.describe())
    expect(page.get_by_text(re.compile(r"· as of FY2026 Q2$"))).to_be_visible()
    expect(page.get_by_text("As of FY2026 Q2, the latest quarter every hub has submitted.")).to_be_visible()
    expect(page.get_by_text(coverage)).to_be_visible()
    expect(page.get_by_text("FY2026 Q3 is provisional")).to_have_count(0)


def test_an_upload_with_a_tenfold_jump_and_no_note_is_held_at_the_preview(start_app, new_page) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    server = start_app(lang="ja")
    page = new_page(locale="ja-JP")
    page.goto(server.url + "progress")
    wait_for_app(page)
    # H1's joint research contracts were 12 in FY2026Q2: 120 is a tenfold jump
    _upload(page, "jump.csv", "拠点,指標,期間,実績値,備考\r\nH1,K01,R8Q3,120,\r\nH1,K04,R8Q3,8,\r\n", "cp932")
    assert_no_exception(page, server.describe())
    expect(page.get_by_text("1行は、取り込む前に備考が必要です")).to_be_visible()
    expect(page.get_by_text("まだ取り込んでいません：1行に備考が必要です")).to_be_visible()
    jump = "前期の値の3倍を超える、または3分の1未満です"
    cells = _cells(page)
    at = cells.index(jump)  # the table of rows that need a note: row, hub, indicator, quarter, value, note, why
    assert cells[at - 6 : at + 1] == [
        "2",
        "H1 先端素材・精密加工イノベーション拠点",
        "K01 共同研究契約件数",
        "2026年度 第3四半期",
        "120",
        "",
        jump,
    ]
    assert jump not in cells[at + 1 :]  # only that row
    confirm = page.get_by_role("button", name="この内容で取り込む")
    expect(confirm).to_be_disabled()

    # nothing was written: the quarter still has no values
    picker = page.locator("[data-testid='stSelectbox']").filter(has_text="期間")
    picker.click()
    page.get_by_role("option", name="2026年度 第3四半期").click()
    wait_for_app(page)
    expect(page.get_by_text("2026年度 第3四半期: 10 指標中 0 指標が入力済み")).to_be_visible()


def test_the_samples_times_read_in_the_browsers_time_zone(start_app, new_page) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    server = start_app(lang="ja")
    for zone, shown in (("Asia/Tokyo", "2023-05-18 10:00"), ("Europe/London", "2023-05-18 02:00")):
        page = new_page(locale="ja-JP", timezone_id=zone)
        page.goto(server.url)  # the first visit loads the sample region and the app's navigation
        wait_for_app(page)
        page.goto(server.url + "vision-history")
        wait_for_app(page)
        assert_no_exception(page, server.describe())
        expect(page.locator("[data-testid='stDataFrame'] [role='gridcell']").filter(has_text=shown)).to_have_count(1)
