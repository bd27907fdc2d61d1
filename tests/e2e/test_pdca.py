"""A hub manager's PDCA journey in Chromium: a cycle from Plan to Closed and the next one opened by hand, a new
hub's first action item, and stage moves on an older cycle acting on that cycle."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session, select

from hubdash import db
from hubdash.domain.enums import PdcaStage
from hubdash.domain.periods import current_quarter
from hubdash.domain.permissions import SYSTEM
from hubdash.models import Hub, Organisation, PdcaCycle
from hubdash.seed.sample import load_sample

from .conftest import assert_no_exception, wait_for_app

ACT_ITEM = "展示会出展企業への個別フォローを行う"
NO_WATCHER = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}  # an edit elsewhere must not reload the app mid-test


def _click_button(page, name: str) -> None:
    page.get_by_role("button", name=name).first.click()
    wait_for_app(page)
    assert_no_exception(page, f"after clicking {name!r}")


def _choose(page, scope, label: str, option: str | None = None) -> None:
    """Pick an option (the first one when None) of the selectbox with that label."""
    combobox = scope.get_by_role("combobox", name=label, exact=True).first
    combobox.click()
    combobox.press("ArrowDown")
    options = page.locator("[role='option']")
    (options.filter(has_text=option) if option else options).first.click()
    wait_for_app(page)


def _type_date(page, form, label: str, year: int, month: int, day: int) -> None:
    for part, value in (("year", str(year)), ("month", f"{month:02d}"), ("day", f"{day:02d}")):
        form.get_by_role("spinbutton", name=f"{part}, {label}").click()
        page.keyboard.type(value)


def _sample_database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'pdca.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.session_scope(engine) as session:
        load_sample(session=session, actor=SYSTEM, lang="ja")
    engine.dispose()
    return url


def test_a_cycle_goes_from_plan_to_closed_and_the_next_one_is_opened_with_its_act_item(start_app, new_page) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    server = start_app(lang="ja", env=NO_WATCHER)
    page = new_page(locale="ja-JP")
    page.goto(server.url + "pdca")
    wait_for_app(page)
    assert_no_exception(page)
    now = current_quarter()
    start = page.get_by_role("button", name=f"今期（{now.label('ja')}）のサイクルを開始")
    if start.count():
        start.click()
        wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("[計画]")  # the new cycle starts in Plan
    expect(page.get_by_role("tab", name="計画", selected=True)).to_be_visible()

    _click_button(page, "「実行」へ進める")
    expect(page.get_by_role("tab", name="実行", selected=True)).to_be_visible()  # the tabs follow the stage
    _click_button(page, "「評価」へ進める")
    check = page.locator("[data-testid='stTabPanel']:visible")
    check.get_by_label("評価（効果検証）").fill("共同研究は計画どおり。売上は計画を下回ったため、販路開拓を強化する。")
    check.get_by_role("button", name="保存").click()
    wait_for_app(page)
    _click_button(page, "「改善」へ進める")

    add = page.locator("[data-testid='stForm']").filter(has=page.get_by_label("期限"))
    add.get_by_label("アクション", exact=True).fill(ACT_ITEM)
    _choose(page, add, "担当機関")
    _type_date(page, add, "期限", now.end_date.year + 1, 1, 31)
    add.get_by_role("button", name=re.compile("改善アクションを追加")).click()
    wait_for_app(page)
    assert_no_exception(page)
    expect(main).to_contain_text(f"アクションを追加しました: {ACT_ITEM}")
    _click_button(page, "「完了」へ進める")
    expect(main).to_contain_text("[完了]")
    # closing opened nothing by itself: the page says so and offers to open the next cycle
    following = now.next().label("ja")
    expect(main).to_contain_text(f"次のサイクル（{following}）はまだ開始していません")
    _click_button(page, f"次のサイクル（{following}）を開始")
    expect(main).to_contain_text("[計画]")
    plan = page.locator("[data-testid='stTabPanel']:visible")
    expect(plan).to_contain_text(f"{ACT_ITEM} (改善から")


def test_a_new_hubs_first_cycle_gets_its_first_action_item(start_app, new_page, tmp_path: Path) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    url = _sample_database(tmp_path)
    engine = db.make_engine(url)
    with db.session_scope(engine) as session:
        region_id = session.exec(select(Hub.region_id)).first()
        core = session.exec(select(Organisation.id).where(Organisation.region_id == region_id)).first()
        session.add(Hub(region_id=region_id, code="H9", name="新設拠点", core_institution_id=core))
    engine.dispose()
    server = start_app(lang="ja", db_url=url, env=NO_WATCHER)
    page = new_page(locale="ja-JP")
    page.goto(server.url + "pdca")
    wait_for_app(page)
    _choose(page, page.locator("[data-testid='stMain']"), "拠点", "H9 新設拠点")
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("まだPDCAサイクルがありません")
    now = current_quarter()
    _click_button(page, f"今期（{now.label('ja')}）のサイクルを開始")
    expect(main).to_contain_text("アクションはまだありません")
    add = page.locator("[data-testid='stForm']").filter(has=page.get_by_label("期限"))
    add.get_by_label("アクション", exact=True).fill("拠点の立ち上げ会議を開く")
    # a refused form keeps what was typed, and the message names no row
    add.get_by_role("button", name=re.compile("アクションを追加")).click()
    wait_for_app(page)
    expect(main).to_contain_text("担当機関を選んでください")
    expect(main).not_to_contain_text("行目")
    expect(add.get_by_label("アクション", exact=True)).to_have_value("拠点の立ち上げ会議を開く")
    _choose(page, add, "担当機関")
    _type_date(page, add, "期限", now.end_date.year, now.end_date.month, now.end_date.day)
    add.get_by_role("button", name=re.compile("アクションを追加")).click()
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.locator("[data-testid='stDataFrame']").filter(has_text="拠点の立ち上げ会議を開く")).to_have_count(1)


def test_a_stage_move_on_an_older_cycle_acts_on_that_cycle(start_app, new_page, tmp_path: Path) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    url = _sample_database(tmp_path)
    engine = db.make_engine(url)
    with Session(engine) as session:
        hub = session.exec(select(Hub).order_by(Hub.code)).first()
        cycles = session.exec(
            select(PdcaCycle).where(PdcaCycle.hub_id == hub.id).order_by(PdcaCycle.fiscal_year, PdcaCycle.quarter)
        ).all()
        older = next(c for c in reversed(cycles[:-1]) if c.stage is PdcaStage.CLOSED)
        older_id, newest_id = older.id, cycles[-1].id
        older_label = f"{older.fiscal_year}年度 第{older.quarter}四半期"
    server = start_app(lang="ja", db_url=url, env=NO_WATCHER)
    page = new_page(locale="ja-JP")
    page.goto(server.url + "pdca")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    _choose(page, main, "期間", f"{older_label} · 完了")
    # reopen the older cycle, then close it again: both moves must act on it, and the box must follow
    page.get_by_text("ステージを戻す・再開する").click()
    back = page.locator("[data-testid='stForm']").filter(has=page.get_by_label("理由"))  # the first stage back is Act
    back.get_by_label("理由").fill("外部有識者の意見を反映する")
    back.get_by_role("button", name="戻す", exact=True).click()
    wait_for_app(page)
    expect(main.get_by_role("combobox", name="期間", exact=True)).to_have_value(f"{older_label} · 改善")
    _click_button(page, "「完了」へ進める")
    expect(main.get_by_role("combobox", name="期間", exact=True)).to_have_value(f"{older_label} · 完了")
    with Session(engine) as session:
        assert session.get(PdcaCycle, older_id).stage is PdcaStage.CLOSED
        stages = [c.stage for c in session.exec(select(PdcaCycle).where(PdcaCycle.id == newest_id))]
        assert stages == [cycles[-1].stage], "the newest cycle was not touched"
    engine.dispose()
