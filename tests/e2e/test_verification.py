"""Effect verification in Chromium, with real sign-in: a council member opens FY2025's verification of the sample
region and its table fills from the data; an outside expert signs in and writes an opinion; the council decides 改善
for one target with a reason and publishes. FY2026's first PDCA cycle of that hub then holds the action item, the
public page shows the published verification without sign-in, and its DOCX and XLSX hold the same content."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from hubdash import db
from hubdash.domain.enums import ActionOrigin, Role
from hubdash.models import ActionItem, Hub, PdcaCycle

from .accounts import sample_with_accounts, sign_in
from .conftest import assert_no_exception, wait_for_app

REASON = "販路開拓を商社と分担し、重点3製品の量産を前倒しする"
OPINION = "売上目標との差が広がっている。量産と販路の担い手を企業側に置くべきである。"
TARGET = "K14 拠点関連製品売上高 (H1)"


@pytest.fixture
def server(start_app, tmp_path):
    url = sample_with_accounts(
        tmp_path,
        {"sato": (Role.COUNCIL_MEMBER, ()), "tanaka": (Role.OUTSIDE_EXPERT, ())},
        names={"sato": "佐藤 健一", "tanaka": "田中 一郎"},
    )
    return start_app(lang="ja", db_url=url, env={"HUBDASH_AUTH": "password"})


def _choose(page, label: str, option: str | re.Pattern[str], typed: str = "") -> None:
    """Pick an option of the selectbox with this label (typing first narrows a long list)."""
    box = page.get_by_role("combobox", name=label, exact=True).last
    expect(box).to_be_visible()
    box.click()
    if typed:
        box.press_sequentially(typed)
    else:
        box.press("ArrowDown")
    page.get_by_role("option", name=option).first.click()
    page.wait_for_timeout(200)


def _click(page, server, name: str) -> None:
    page.get_by_role("button", name=name).click()
    wait_for_app(page)
    assert_no_exception(page, server.describe())


def _cells(page) -> list[str]:
    """The cells of the page's tables, once the first table has drawn its rows."""
    cells = page.locator("[data-testid='stDataFrame'] [role='gridcell']")
    expect(cells.first).to_be_attached()
    return cells.all_inner_texts()


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=re.compile(name)).click()
    page.wait_for_timeout(300)


def test_a_council_and_an_outside_expert_verify_fy2025_and_publish_it(server, new_page) -> None:
    council = new_page()
    sign_in(council, server, "sato")
    wait_for_app(council)
    council.goto(server.url + "verification")
    wait_for_app(council)
    expect(council.get_by_role("combobox", name="年度")).to_have_value("2025年度 · 未着手")
    _click(council, server, "2025年度の効果検証を始める")
    expect(council.get_by_text("2025年度の効果検証を始めました。")).to_be_visible()
    cells = _cells(council)
    # filled from the data: K06's actual of FY2025 is 125.3 (million yen) against the year's 124, on track
    assert cells[:9] == ["K06 競争的外部資金獲得額", "地域全体", "百万円", "125.3", "124", "101", "A", "● 順調", "–"]
    assert "K14 拠点関連製品売上高" in cells and "✖ 遅れ" in cells

    _tab(council, "外部有識者の意見")
    council.get_by_text("外部有識者を招く").click()
    _choose(council, "アカウント", re.compile("田中 一郎"))
    council.get_by_label("機関").fill("湊原大学 経済学部")
    _choose(council, "セクター", "学（大学・研究機関）")
    _click(council, server, "招く")
    expect(council.get_by_text("田中 一郎さんを招きました。")).to_be_visible()
    _click(council, server, "有識者による検討へ進める")

    expert = new_page()
    sign_in(expert, server, "tanaka")
    wait_for_app(expert)
    expect(expert.get_by_role("heading", name="効果検証")).to_be_visible()  # the expert's first page
    expect(
        expert.get_by_text("湊原地域（栄北県）の2025年度の効果検証：外部有識者としての意見を書いてください。")
    ).to_be_visible()
    expect(expert.get_by_role("link", name="ホーム")).to_have_count(0)  # nothing else in the expert's navigation
    expert.goto(server.url + "verification")  # the address the reminder e-mail links to
    wait_for_app(expert)
    expect(expert.get_by_role("heading", name="効果検証")).to_be_visible()
    expect(expert.get_by_text("Page not found")).to_have_count(0)
    _tab(expert, "外部有識者の意見")
    _choose(expert, "対象", TARGET, typed="K14")
    expert.get_by_role("textbox", name="意見", exact=True).fill(OPINION)
    _click(expert, server, "意見を送る")
    expect(expert.get_by_text("意見を送りました。")).to_be_visible()

    council.reload()
    wait_for_app(council)
    _tab(council, "成果指標の表と方針")
    _choose(council, "目標", re.compile(re.escape(TARGET)), typed="K14")
    wait_for_app(council)
    _choose(council, "事業効果", "効果があった")
    _choose(council, "今後の方針", "改善")
    council.get_by_role("textbox", name="理由", exact=True).first.fill(REASON)
    _click(council, server, "評価と方針を保存")
    expect(council.get_by_text(f"{TARGET}の評価と方針を保存しました。")).to_be_visible()
    _tab(council, "外部有識者の意見")
    expect(council.get_by_text(OPINION)).to_be_visible()
    council.get_by_role("textbox", name="協議会の回答", exact=True).fill("重点製品への支援を集中します。")
    _click(council, server, "回答する")
    _click(council, server, "決定へ進める")
    _click(council, server, "公表する（内容を固定し、改善・拡充を翌年度のPDCAに加える）")
    expect(council.get_by_text("第1版を公表しました。")).to_be_visible()

    # FY2026's first PDCA cycle of H1 holds the action item, linked to the verification
    engine = db.make_engine(server.db_url)
    with Session(engine) as s:
        item, cycle = s.exec(
            select(ActionItem, PdcaCycle)
            .join(PdcaCycle, col(PdcaCycle.id) == ActionItem.cycle_id)
            .join(Hub, col(Hub.id) == ActionItem.hub_id)
            .where(
                ActionItem.origin == ActionOrigin.VERIFICATION,
                Hub.code == "H1",
                col(ActionItem.carried_from_id).is_(None),
            )
        ).one()
        assert (cycle.fiscal_year, cycle.quarter) == (2026, 1) and item.title == f"{TARGET}: {REASON}"
    engine.dispose()
    council.goto(server.url + "pdca")
    wait_for_app(council)
    _choose(council, "期間", re.compile("2026年度 第1四半期"))
    wait_for_app(council)
    assert f"{TARGET}: {REASON}" in _cells(council)
    assert "効果検証" in _cells(council)

    # the published files, in Japanese: the same table in both
    council.goto(server.url + "verification")
    wait_for_app(council)
    _tab(council, "公表と翌年度のアクション")
    files = {}
    for ext in ("DOCX", "XLSX"):
        with council.expect_download() as download:
            council.get_by_role("button", name=f"{ext} · 日本語").click()
        files[ext] = download.value.path().read_bytes()
    document = Document(io.BytesIO(files["DOCX"]))
    docx_rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    sheet = load_workbook(io.BytesIO(files["XLSX"])).worksheets[1]
    xlsx_rows = [["–" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert len(docx_rows) == len(xlsx_rows) == 21 and docx_rows[0] == xlsx_rows[0]
    for docx_row, xlsx_row in zip(docx_rows, xlsx_rows, strict=True):
        assert [c for c in docx_row if not _number(c)] == [c for c in xlsx_row if isinstance(c, str)]
    assert any(REASON in row and "改善" in row for row in docx_rows)

    # the public page, without signing in: the published verification, and no other page of the app
    visitor = new_page()
    answer = visitor.goto(server.url + "public/verification/sample-ja")
    assert answer is not None and answer.status == 200
    expect(visitor.get_by_role("heading", name="湊原地域（栄北県） 効果検証 2025年度（第1版）")).to_be_visible()
    expect(visitor.get_by_text(REASON).first).to_be_visible()
    expect(visitor.get_by_text(OPINION)).to_be_visible()
    visitor.goto(server.url + "verification")
    wait_for_app(visitor)
    expect(visitor.get_by_role("heading", name="hubdash にサインイン")).to_be_visible()


def _number(text: str) -> bool:
    return bool(re.fullmatch(r"[-\d,.]+", text))
