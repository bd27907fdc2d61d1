"""Progress entry in a real browser: a CP932 file with Japanese headers is previewed, confirmed and shown;
a value typed into the data editor is saved and still there after a reload."""

from __future__ import annotations

import re

import pytest

from .conftest import assert_no_exception, wait_for_app

QUARTER = "2026年度 第3四半期"  # the quarter after the sample's latest: nothing entered yet
ENTERED = QUARTER + ": 10 指標中 {n} 指標が入力済み"
CELLS_PER_ROW = 9  # code, indicator (unit), previous, value, note, compared as, compared, expected, status
K04_ROW = 2  # H1's indicators: K01, K02, K04, ...
VALUE_COLUMN = 3
NOTE_COLUMN = 4


@pytest.fixture
def progress_page(start_app, new_page):
    server = start_app(lang="ja")
    page = new_page(locale="ja-JP")
    page.goto(server.url + "progress")
    wait_for_app(page)
    return server, page


def _pick_quarter(page, label: str = QUARTER) -> None:
    picker = page.locator("[data-testid='stSelectbox']").filter(has_text="期間")
    picker.click()
    page.get_by_role("option", name=label).click()
    wait_for_app(page)


def _cell(page, text: str | re.Pattern[str]):
    return page.locator("[data-testid='stDataFrame'] [role='gridcell']").filter(has_text=text)


def _all_cells(page) -> list[str]:
    return page.locator("[data-testid='stDataFrame'] [role='gridcell']").all_text_contents()


def _row(page, index: int) -> list[str]:
    cells = page.locator("[data-testid='stDataFrame'] [role='gridcell']").all_inner_texts()
    return cells[index * CELLS_PER_ROW : (index + 1) * CELLS_PER_ROW]


def test_upload_of_a_cp932_csv_with_japanese_headers(progress_page) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    server, page = progress_page
    csv = (
        "拠点,指標,期間,実績値,備考\r\n"
        "H1,K01,2026年度第3四半期,１５,展示会経由の契約\r\n"
        "H1,K04,R8Q3,8,\r\n"
        "H1,K02,FY2026Q2,0,\r\n"  # as stored: unchanged
    ).encode("cp932")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "進捗.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    wait_for_app(page)
    assert_no_exception(page, server.describe())
    metrics = dict(
        zip(
            page.locator("[data-testid='stMetricLabel']").all_inner_texts(),
            page.locator("[data-testid='stMetricValue']").all_inner_texts(),
            strict=True,
        )
    )
    assert metrics == {"新規": "2", "変更": "0", "変更なし": "1"}
    expect(_cell(page, "K01 共同研究契約件数")).to_have_count(1)  # the preview table, rows in words
    expect(_cell(page, "2026年度 第3四半期")).to_have_count(2)

    page.get_by_role("button", name="この内容で取り込む").click()
    wait_for_app(page)
    assert_no_exception(page, server.describe())
    expect(page.get_by_text("取り込みました：新規 2 件、修正 0 件。")).to_be_visible()
    # The newest quarter with data is now FY2026Q3, and the quarter picker starts there.
    expect(page.get_by_text(ENTERED.format(n=2))).to_be_visible()
    expect(_cell(page, "展示会経由の契約")).to_have_count(1)
    k01, k04 = _row(page, 0), _row(page, K04_ROW)
    assert (k01[0], k01[VALUE_COLUMN], k01[NOTE_COLUMN]) == ("K01", "15", "展示会経由の契約")
    assert (k04[0], k04[VALUE_COLUMN]) == ("K04", "8")
    assert k04[-1] == "● 順調" and k01[-1] != "– 未入力"


def test_a_bad_file_shows_its_rows_and_writes_nothing(progress_page) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    server, page = progress_page
    csv = "拠点,指標,期間,実績値\r\nH1,K01,2026Q3,十五\r\nH9,K01,2026Q3,3\r\n".encode("cp932")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    wait_for_app(page)
    assert_no_exception(page, server.describe())
    expect(page.get_by_text("このファイルは取り込めません")).to_be_visible()
    expect(_cell(page, "十五")).to_have_count(1)
    cells = _all_cells(page)
    at = cells.index("十五")  # the error table: row, column, value, reason, all in Japanese
    assert cells[at - 2 : at + 2] == ["2", "実績値", "十五", "数値ではありません"]
    assert page.get_by_role("button", name="この内容で取り込む").count() == 0


def test_a_typed_value_is_saved_and_kept_after_reload(progress_page) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    server, page = progress_page
    _pick_quarter(page)
    expect(page.get_by_text(ENTERED.format(n=0))).to_be_visible()
    box = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    assert box is not None
    row_height = 35  # Streamlit's default; the header row has the same height
    page.mouse.click(box["x"] + 20, box["y"] + row_height * (K04_ROW + 1) + row_height / 2)
    for _ in range(VALUE_COLUMN):
        page.keyboard.press("ArrowRight")
    page.keyboard.type("8")
    page.wait_for_timeout(500)  # the cell editor opens on the first key
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(_cell(page, re.compile(r"^8$"))).not_to_have_count(0)
    assert _row(page, K04_ROW)[VALUE_COLUMN] == "8"
    page.get_by_role("button", name="変更した値を保存").click()
    wait_for_app(page)
    assert_no_exception(page, server.describe())
    expect(page.get_by_text("保存しました：新規 1 件、修正 0 件。")).to_be_visible()

    page.reload()
    wait_for_app(page)
    _pick_quarter(page)
    expect(page.get_by_text(ENTERED.format(n=1))).to_be_visible()
    expect(_cell(page, "● 順調")).not_to_have_count(0)
    k04 = _row(page, K04_ROW)
    assert (k04[0], k04[VALUE_COLUMN], k04[-1]) == ("K04", "8", "● 順調")
