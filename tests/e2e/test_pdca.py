"""A hub manager takes one PDCA cycle from Plan to Closed, and its Act item appears in the next cycle's Plan."""

from __future__ import annotations

import re

from hubdash.domain.periods import current_quarter

from .conftest import assert_no_exception, wait_for_app

ACT_ITEM = "展示会出展企業への個別フォローを行う"


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


def test_a_cycle_goes_from_plan_to_closed_and_its_act_item_opens_the_next_plan(start_app, new_page) -> None:
    from playwright.sync_api import expect  # lazy: see conftest

    # no file watcher: an edit elsewhere in the tree must not reload hubdash modules mid-test
    server = start_app(lang="ja", env={"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
    page = new_page(locale="ja-JP")
    page.goto(server.url + "pdca")
    wait_for_app(page)
    assert_no_exception(page)
    now = current_quarter()
    label = now.label("ja")
    start = page.get_by_role("button", name=f"今期（{label}）のサイクルを開始")
    if start.count():
        start.click()
        wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("[計画]")  # the new cycle starts in Plan

    _click_button(page, "「実行」へ進める")
    _click_button(page, "「評価」へ進める")
    # the Check table is filled from the measurements; write the evaluation and close is refused until then
    page.get_by_role("tab", name="評価").click()
    check = page.locator("[data-testid='stTabPanel']:visible")
    check.get_by_label("評価（効果検証）").fill("共同研究は計画どおり。売上は計画を下回ったため、販路開拓を強化する。")
    check.get_by_role("button", name="保存").click()
    wait_for_app(page)
    _click_button(page, "「改善」へ進める")

    add = page.locator("[data-testid='stForm']").filter(has=page.get_by_label("期限"))
    add.get_by_label("アクション", exact=True).fill(ACT_ITEM)
    _choose(page, add, "担当機関")
    for part, value in (("year", str(now.end_date.year + 1)), ("month", "01"), ("day", "31")):
        add.get_by_role("spinbutton", name=f"{part}, 期限").click()
        page.keyboard.type(value)
    add.get_by_role("button", name=re.compile("改善アクションを追加")).click()
    wait_for_app(page)
    assert_no_exception(page)
    _click_button(page, "「完了」へ進める")
    expect(main).to_contain_text("[完了]")
    alerts = main.locator("[data-testid='stAlert']")
    assert alerts.count() == 0, alerts.all_inner_texts()

    _choose(page, main, "期間", f"{now.next().label('ja')} · 計画")
    assert_no_exception(page)
    plan = page.locator("[data-testid='stTabPanel']:visible")
    expect(plan).to_contain_text(f"{ACT_ITEM} (改善から")
