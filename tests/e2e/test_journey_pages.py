"""The pages a hub manager, a council secretariat and an executive read at quarter end, in Chromium at 1400x1000:
only Japanese in a Japanese session (widgets, uploads, every error), the change log in words with before → after,
and the columns, rows and legends that say what each page is for in view."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO_ROOT, assert_no_exception, wait_for_app

UPLOAD = "[data-testid='stFileUploaderDropzoneInput']"
CELLS = "[data-testid='stDataFrame'] [role='gridcell']"
NO_WATCHER = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
# What Streamlit writes itself unless a widget is given our words (placeholder, format, a filled value, a size).
STREAMLIT_ENGLISH = ("Choose an option", "Choose options", "yyyy", "200MB", "Select all", "No options to select")
# The pages of this journey (the vision and workshop pages have their own tests).
PAGES = ("", "indicators", "progress", "pdca", "pdca-overview", "dashboard", "executive", "audit", "admin")
DEMO = 2  # the first demo region's id: the sample region is 1


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample region, then two demo regions of 3 hubs with 25 indicators each (the hub codes repeat)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('journey') / 'journey.db'}"
    env = dict(os.environ, HUBDASH_DATABASE_URL=url)
    for args in (
        ["init"],
        ["load-sample", "--lang", "ja"],
        ["demo-data", "--regions", "2", "--hubs-per-region", "3", "--indicators", "25", "--years", "2"],
    ):
        subprocess.run(
            [sys.executable, "-m", "hubdash", *args], cwd=REPO_ROOT, env=env, check=True, capture_output=True
        )
    return url


def _english_left(page) -> list[str]:
    """Streamlit's own English on the page: in its text (hidden tabs and closed expanders too), in an input's
    placeholder, or as a table's "empty" row."""
    text = page.locator("[data-testid='stMain'], [data-testid='stSidebar']").evaluate_all(
        "els => els.map(e => e.textContent).join('\\n')"
    )
    placeholders = page.locator("input[placeholder], textarea[placeholder]").evaluate_all(
        "els => els.map(e => e.getAttribute('placeholder')).join('\\n')"
    )
    found = [word for word in STREAMLIT_ENGLISH if word in text or word in placeholders]
    if "empty" in page.locator(CELLS).all_inner_texts():
        found.append("empty (a table without rows)")
    return found


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    assert_no_exception(page, url)


def test_a_japanese_user_reads_no_streamlit_english_on_any_page(start_app, new_page, demo_db) -> None:
    server = start_app(lang="ja", db_url=demo_db, env=NO_WATCHER)
    page = new_page(locale="ja-JP")
    seen: dict[str, list[str]] = {}
    for region in (1, DEMO):
        for path in PAGES:
            _open(page, f"{server.url}{path}?region={region}")
            for tab in page.get_by_role("tab").all():  # every tab's tables drawn, not only the first
                tab.click()
                page.wait_for_timeout(300)
            if left := _english_left(page):
                seen[f"{path or 'home'} (region {region})"] = left
    uploader = page.locator("[data-testid='stFileUploaderDropzone']")
    _open(page, f"{server.url}progress?region=1")
    # Streamlit draws the uploader's button and size line in English only: what shows is the catalogue's words
    for part, shown in (
        ("button p", "ファイルを選ぶ"),
        ("[data-testid='stFileUploaderDropzoneInstructions'] span", "1ファイル 10 MB まで・CSV, XLSX"),
    ):
        element = uploader.locator(part)
        assert element.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # Streamlit's English, not drawn
        assert element.evaluate("e => getComputedStyle(e, '::after').content") == f'"{shown}"'
    assert seen == {}, f"Streamlit's own English in the Japanese UI: {seen}"


def _upload(page, name: str, data: bytes) -> None:
    page.locator(UPLOAD).set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    wait_for_app(page)
    assert_no_exception(page, f"after uploading {name}")


def _table_of(page, heading: str, *, rows: int | None = None, columns: int | None = None) -> list[list[str]]:
    """The rows (header first) of the table whose header row starts with `heading`, with `rows` data rows and
    `columns` columns when given (waiting up to 15 s: the new table is drawn a moment after the message above it,
    and until then the one of the upload before may still be on the page)."""
    for _ in range(30):
        for grid in page.locator("[data-testid='stDataFrame']").all():
            headers = grid.locator("[role='columnheader']").all_inner_texts()
            if headers and headers[0].strip() == heading:
                # a row that wraps keeps "H1 name" together with a no-break space: it reads as a space
                cells = [c.replace("\xa0", " ") for c in grid.locator("[role='gridcell']").all_inner_texts()]
                width = len(headers)
                found = len(cells) // max(1, width)
                if cells and (rows is None or found == rows) and (columns is None or width == columns):
                    return [[h.strip() for h in headers]] + [cells[i : i + width] for i in range(0, len(cells), width)]
        page.wait_for_timeout(500)
    raise AssertionError(f"no table starting with {heading!r}")


ASCII_WORD = re.compile(r"\b[a-z]{3,}\b")  # an English word (codes like H9, K01 or FY are not)


def _damaged_workbook() -> bytes:
    """A file that looks like a workbook and is not one: the reader learns it only from openpyxl's error."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "not a workbook")
    return data.getvalue()


def test_a_japanese_upload_shows_its_errors_and_its_preview_in_japanese(start_app, new_page) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    server = start_app(lang="ja", env=NO_WATCHER)
    page = new_page(locale="ja-JP")
    _open(page, server.url + "progress")
    bad = (
        "拠点,指標,期間,実績値\r\nH1,K01,2026Q3,十五\r\nH9,K01,2026Q3,3\r\nH1,K99,2026Q9,3\r\n"
        "H1,K04,R8Q3,1\r\nH1,K04,2026年度第3四半期,2\r\n"
    )
    _upload(page, "bad.csv", bad.encode("cp932"))
    expect(page.get_by_text("このファイルは取り込めません（問題 4 件）")).to_be_visible()
    errors = _table_of(page, "行", rows=4)
    assert errors[0] == ["行", "列", "ファイルの値", "問題"]
    reasons = [row[3] for row in errors[1:]]
    assert reasons[:2] == ["数値ではありません", "このコードの拠点はありません"]
    assert "H1 / K04 / 2026年度 第3四半期 が2回あります（最初は 5 行目）" in reasons  # a quarter in words
    assert not [r for r in reasons if ASCII_WORD.search(r.replace("FY", ""))], reasons

    _upload(page, "broken.xlsx", _damaged_workbook())  # openpyxl's own error, in words the user can act on
    expect(page.get_by_text("このファイルは取り込めません（問題 1 件）")).to_be_visible()
    problem = " ".join(row[3] for row in _table_of(page, "行", rows=1)[1:])
    assert "保存し直してください" in problem and not ASCII_WORD.search(problem.replace("xlsx", "")), problem

    good = "拠点,指標,期間,実績値,備考\r\nH1,K01,2026年度第3四半期,15,展示会経由\r\nH1,K02,FY2026Q2,0,\r\n"
    _upload(page, "good.csv", good.encode("cp932"))
    expect(page.get_by_role("button", name="この内容で取り込む")).to_be_visible()
    preview = _table_of(page, "行", columns=8)
    assert preview[0] == ["行", "拠点", "指標", "期間", "区分", "登録済みの値", "実績値", "備考"]
    assert preview[1][:6] == [
        "2",
        "H1 先端素材・精密加工イノベーション拠点",
        "K01 共同研究契約件数",
        "2026年度 第3四半期",
        "新規",
        "–",  # nothing stored: a dash, not None
    ]
    shown = " ".join(" ".join(row) for row in preview)
    assert "None" not in shown and "FY2026" not in shown

    # confirming shows the write's progress bar (on a long import; a two-row one ends before the browser may see
    # the bar, as Streamlit sends only the newest state of an element: tests/services/test_progress.py checks
    # the shares the bar is given) and then the result in Japanese
    page.get_by_role("button", name="この内容で取り込む").click()
    wait_for_app(page)
    expect(page.get_by_text("取り込みました：新規 1 件、修正 0 件。")).to_be_visible()
    assert_no_exception(page, "after confirming")


def _advance_pdca(page, url: str, button: re.Pattern[str]) -> None:
    _open(page, url + "pdca")
    page.get_by_role("button", name=button).first.click()
    wait_for_app(page)
    assert_no_exception(page, "after moving the stage")


@pytest.mark.parametrize(
    ("lang", "move", "who", "what", "subject", "change"),
    [
        (
            "ja",
            re.compile("「改善」へ進める"),
            "オープンモードの管理者",
            "PDCAの段階を移動",
            "拠点 H1 先端素材・精密加工イノベーション拠点 2026年度 第2四半期のPDCAサイクル",
            "ステージ: 評価 → 改善",
        ),
        (
            "en",
            re.compile("Move to Act"),
            "open-mode administrator",
            "Moved a PDCA cycle on",
            "PDCA cycle of hub H1 Advanced Materials and Precision Machining Innovation Hub, FY2026 Q2",
            "Stage: Check → Act",
        ),
    ],
)
def test_the_change_log_names_who_what_which_object_and_before_and_after(
    start_app, new_page, lang, move, who, what, subject, change
) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    server = start_app(lang=lang, env=NO_WATCHER)
    page = new_page(locale="ja-JP" if lang == "ja" else "en-US")
    _advance_pdca(page, server.url, move)
    _open(page, server.url + "audit")
    log = page.locator("[data-testid='stDataFrame']").first
    row = [who, what, subject, change]
    for text in row:
        expect(log.locator("[role='gridcell']").filter(has_text=text).first).to_be_attached()
    assert "pdca_cycle" not in " ".join(page.locator(CELLS).all_inner_texts())  # no stored codes
    assert "pdcacycle #" not in " ".join(page.locator(CELLS).all_inner_texts())

    # the newest event, selected, in full
    box = log.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)
    wait_for_app(page)
    expect(page.locator("[data-testid='stMarkdownContainer'] li").filter(has_text=change)).to_be_visible()
    expect(page.locator("[data-testid='stMarkdownContainer'] p").filter(has_text=subject).first).to_be_visible()

    # the file says the same, in the same words
    with page.expect_download() as download:
        page.get_by_role("button", name="CSVをダウンロード" if lang == "ja" else "Download CSV").click()
    data = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    first = next(csv.reader(io.StringIO(data.split("\n", 1)[1])))
    assert first[1:5] == row


def _all_in_view(grid, *columns: str) -> None:
    """The table shows these columns and needs no sideways scrolling: no column is cut at its right edge, and
    the table lies inside the 1400 px wide window. (The grid draws on a canvas: its scroller tells the widths.)"""
    headers = [h.strip() for h in grid.locator("[role='columnheader']").all_inner_texts()]
    assert set(columns) <= set(headers), headers
    scroll, client = grid.locator(".dvn-scroller").first.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll <= client + 1, f"{headers}: {scroll} px of columns in a {client} px wide table"
    box = grid.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1400


def _grid(page, first_header: str):
    from playwright.sync_api import expect  # lazy: see conftest

    header = page.locator("[data-testid='stDataFrame'] [role='columnheader']").filter(has_text=first_header)
    expect(header.first).to_be_attached()  # the grid draws its cells a moment after the run ends
    for grid in page.locator("[data-testid='stDataFrame']").all():
        headers = grid.locator("[role='columnheader']").all_inner_texts()
        if headers and headers[0].strip() == first_header:
            return grid
    raise AssertionError(f"no table starting with {first_header!r}")


def _rows_in_view(grid) -> int:
    """The rows drawn (the grid draws only the rows in view), less the header."""
    return grid.locator("[role='row']").count() - 1


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_key_columns_rows_and_legends_are_in_view_at_1400_by_1000(start_app, new_page, demo_db, lang) -> None:
    from hubdash import i18n
    from hubdash.domain.periods import FiscalQuarter
    from hubdash.ui.tables import ROW_PX, TWO_LINES_PX

    def t(*keys: str) -> list[str]:  # headers as the reader's language names them (labels run longer in English)
        return [i18n.t(key, lang) for key in keys]

    server = start_app(lang=lang, db_url=demo_db, env=NO_WATCHER)
    page = new_page(locale="ja-JP" if lang == "ja" else "en-US")
    assert page.viewport_size == {"width": 1400, "height": 1000}

    _open(page, f"{server.url}?region=1")  # who has submitted: each hub and its three newest quarters
    submitted = _grid(page, *t("col.hub"))
    box, one_line = submitted.bounding_box(), ROW_PX * 4 + 3  # the header and three hubs
    assert box is not None
    if lang == "en":  # the long English hub names and cells wrap onto a second line instead of being cut
        assert box["height"] >= ROW_PX + 3 * TWO_LINES_PX
    else:  # the Japanese ones fit on one
        assert box["height"] <= one_line + 1

    _open(page, f"{server.url}progress?region={DEMO}")  # 25 indicators: every row, every column
    entry = _grid(page, *t("col.code"))
    assert _rows_in_view(entry) == 25
    _all_in_view(entry, *t("col.indicator", "entry.value", "col.note", "entry.expected", "col.status"))

    _open(page, f"{server.url}indicators?region={DEMO}")
    catalogue = _grid(page, *t("col.code"))
    assert _rows_in_view(catalogue) == 25
    _all_in_view(catalogue, *t("col.indicator", "col.unit", "col.kind", "col.goal", "indicators.definition_source"))

    _open(page, f"{server.url}executive?region={DEMO}")
    _all_in_view(_grid(page, *t("executive.behind")), *t("col.status", "col.indicator", "col.hub"))  # ranked by it

    _open(page, f"{server.url}audit")
    _all_in_view(_grid(page, *t("col.when")), *t("col.who", "audit.what", "col.entity"))

    _open(page, f"{server.url}pdca-overview?region={DEMO}")
    board = _grid(page, *t("col.hub"))
    quarters = [h.strip() for h in board.locator("[role='columnheader']").all_inner_texts()[1:3]]
    assert quarters == [FiscalQuarter(2026, 3).label(lang), FiscalQuarter(2026, 2).label(lang)]  # latest first
    assert re.fullmatch(r"H1\s.+", board.locator("[role='gridcell']").first.inner_text())  # named, not a code
    overdue = _grid(page, *t("col.due"))
    _all_in_view(overdue, *t("col.action_status", "col.hub", "col.action", "col.owner", "col.period"))
    page.get_by_text(i18n.t("pdca_overview.all_regions", lang)).click()
    wait_for_app(page)
    names = page.locator(CELLS).all_inner_texts()  # the board and the hubs not started, by region name
    assert "北海道" in names and not [n for n in names if "demo-" in n]

    _open(page, f"{server.url}dashboard?region={DEMO}")
    for chart in page.locator("[data-testid='stVegaLiteChart']").all():
        chart.scroll_into_view_if_needed()
        outer, drawn = chart.bounding_box(), chart.locator("canvas, svg.marks").first.bounding_box()
        assert outer is not None and drawn is not None
        assert drawn["x"] + drawn["width"] <= outer["x"] + outer["width"] + 1  # no legend cut at the right
