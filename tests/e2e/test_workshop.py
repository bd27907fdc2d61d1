"""A workshop in Chromium: two participants join with the code from their own browsers, each votes within
their own budget; a changed URL gives no new budget and shows nobody else's draft."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from hubdash import db
from hubdash.domain.enums import Role
from hubdash.models import Workshop

from .accounts import sample_with_accounts, sign_in
from .conftest import assert_no_exception, wait_for_app


def _join(page: Page, server, code: str, name: str, organisation: str) -> None:
    page.goto(server.url + f"workshop/join?code={code}")
    expect(page.get_by_label("ワークショップのコード")).to_have_value(code)
    page.get_by_label("お名前").fill(name)
    page.get_by_label("所属機関").fill(organisation)
    page.get_by_label("セクター").select_option("academia")
    page.get_by_role("button", name="参加する").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="アイデアボード")).to_be_visible()


def _post(page: Page, body: str) -> None:
    page.get_by_label("アイデア（付箋）").fill(body)
    page.get_by_role("button", name="貼り出す").click()
    wait_for_app(page)


def _vote(page: Page, body: str) -> None:
    card = page.locator("[class*='st-key-idea-']").filter(has_text=body)
    card.get_by_role("button", name="投票").click()
    wait_for_app(page)


def test_two_participants_vote_within_their_own_budgets(start_app, new_page, tmp_path) -> None:
    url = sample_with_accounts(tmp_path, {"facilitator": (Role.COUNCIL_MEMBER, ())})
    server = start_app(lang="ja", db_url=url, env={"HUBDASH_AUTH": "password"})
    host = new_page()
    sign_in(host, server, "facilitator")
    wait_for_app(host)
    # the facilitator leaves an unsaved draft of the vision: nobody else may ever see it
    host.goto(server.url + "vision")
    wait_for_app(host)
    statement = host.locator(".st-key-part-statement")
    statement.get_by_role("button", name="編集").click()
    statement.get_by_label("本文", exact=True).fill("ファシリテーターの下書き")
    statement.get_by_label("本文", exact=True).press("Control+Enter")
    wait_for_app(host)
    host.goto(server.url + "ideas")
    wait_for_app(host)
    expander = host.get_by_text("ファシリテーター用の設定")
    if not host.get_by_label("ワークショップ名").is_visible():
        expander.click()
    host.get_by_label("ワークショップ名").fill("ビジョン検討会")
    host.get_by_label("1人あたりの投票数").fill("2")
    host.get_by_role("button", name="新しいワークショップを始める").click()
    wait_for_app(host)
    engine = db.make_engine(url)
    with Session(engine) as s:
        code = s.exec(select(Workshop.join_code).where(Workshop.is_open)).one()
    engine.dispose()
    assert code
    expect(host.get_by_text(code, exact=True).first).to_be_visible()
    host.goto(server.url + "presentation")
    wait_for_app(host)
    expect(host.get_by_text(code, exact=True).first).to_be_visible()
    expect(host.get_by_role("img").first).to_be_visible()  # the QR code, drawn here, nothing fetched

    aoki, baba = new_page(), new_page()  # two phones: two browser contexts, no shared cookies
    _join(aoki, server, code, "青木", "湊原大学")
    _join(baba, server, code, "馬場", "栄北銀行")
    expect(aoki.get_by_text("青木 (湊原大学)（ワークショップ参加者）としてサインイン中")).to_be_visible()
    for body in ("産学連携の窓口を一本化", "地域人材の育成", "金融機関の伴走支援"):
        _post(aoki, body)
    _vote(aoki, "産学連携の窓口を一本化")
    _vote(aoki, "地域人材の育成")
    expect(aoki.get_by_text("残りの投票数：0 / 2")).to_be_visible()
    expect(
        aoki.locator("[class*='st-key-idea-']").filter(has_text="金融機関の伴走支援").get_by_role("button", name="投票")
    ).to_be_disabled()

    baba.reload()
    wait_for_app(baba)
    expect(baba.get_by_text("残りの投票数：2 / 2")).to_be_visible()  # a budget of their own
    _vote(baba, "金融機関の伴走支援")
    expect(baba.get_by_text("残りの投票数：1 / 2")).to_be_visible()
    card = baba.locator("[class*='st-key-idea-']").filter(has_text="金融機関の伴走支援")
    expect(card).to_contain_text("投票した人：馬場 (栄北銀行)")
    expect(card.or_(baba.locator("body")).first).to_contain_text("青木 (湊原大学)")  # the author's name

    # a changed URL: the old identity parameters, another participant's key; no new budget
    aoki.goto(server.url + "?who=participant:2&as=馬場")
    wait_for_app(aoki)
    expect(aoki.get_by_text("残りの投票数：0 / 2")).to_be_visible()
    expect(aoki.get_by_text("青木 (湊原大学)（ワークショップ参加者）としてサインイン中")).to_be_visible()
    aoki.goto(server.url + f"workshop/join?code={code}")  # a second tab of the same browser is the same person
    wait_for_app(aoki)
    expect(aoki.get_by_role("heading", name="アイデアボード")).to_be_visible()
    expect(aoki.get_by_text("残りの投票数：0 / 2")).to_be_visible()
    aoki.goto(server.url + "vision?who=facilitator&as=facilitator")
    wait_for_app(aoki)
    expect(aoki.get_by_text("ファシリテーターの下書き")).to_have_count(0)
    expect(aoki.get_by_text("保存していない下書きがあります")).to_have_count(0)
    expect(aoki.get_by_role("button", name="編集", exact=True)).to_have_count(0)
    # a copied link carries no identity: a fresh browser gets the join form
    stranger = new_page()
    stranger.goto(server.url + "?who=participant:1")
    wait_for_app(stranger)
    expect(stranger.get_by_role("heading", name="hubdash にサインイン")).to_be_visible()
    for page in (host, aoki, baba):
        assert_no_exception(page, server.describe())
