"""Password sign-in in Chromium: what a viewer and a hub manager can do, the lock-out, sign-out in every tab."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hubdash.domain.enums import Role

from .accounts import PASSWORD, audit_count, sample_with_accounts, sign_in
from .conftest import assert_no_exception, wait_for_app

SIGNED_IN = "としてサインイン中"


@pytest.fixture
def server(start_app, tmp_path):
    url = sample_with_accounts(
        tmp_path,
        {
            "viewer": (Role.VIEWER, ()),
            "manager": (Role.HUB_MANAGER, ("H1",)),
            "council": (Role.COUNCIL_MEMBER, ()),
        },
    )
    return start_app(lang="ja", db_url=url, env={"HUBDASH_AUTH": "password"})


def test_a_viewer_sees_no_editing_controls_and_a_crafted_request_changes_nothing(server, new_page) -> None:
    page = new_page()
    page.goto(server.url + "vision")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="hubdash にサインイン")).to_be_visible()  # no page without a session
    sign_in(page, server, "viewer")
    wait_for_app(page)
    expect(page.get_by_text(f"Viewer（閲覧者）{SIGNED_IN}")).to_be_visible()
    before = audit_count(server.db_url)
    page.goto(server.url + "vision?who=council&as=Administrator")  # the old URL identity
    wait_for_app(page)
    assert_no_exception(page, server.describe())
    expect(page.get_by_text(f"Viewer（閲覧者）{SIGNED_IN}")).to_be_visible()
    expect(page.get_by_role("button", name="編集", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="戦略目標を追加")).to_have_count(0)
    page.goto(server.url + "progress")
    wait_for_app(page)
    expect(page.get_by_role("button", name="変更した値を保存")).to_have_count(0)
    page.goto(server.url + "admin")  # not in a viewer's navigation: Streamlit does not even know the page
    wait_for_app(page)
    expect(page.get_by_role("heading", name="管理", exact=True)).to_have_count(0)
    expect(page.get_by_text("ユーザーを追加")).to_have_count(0)
    # requests a page of another site could make with the viewer's cookie, and ones without the form's token
    for path, form in (("account/logout", {"csrf": "guess"}), ("workshop/join", {"code": "X", "name": "n"})):
        answer = page.request.post(server.url + path, form=form, headers={"origin": "http://evil.example"})
        assert answer.status == 403
        answer = page.request.post(server.url + path, form=form, headers={"origin": server.url.rstrip("/")})
        assert answer.status == 403
    page.goto(server.url)
    wait_for_app(page)
    expect(page.get_by_text(f"Viewer（閲覧者）{SIGNED_IN}")).to_be_visible()  # still signed in
    assert audit_count(server.db_url) == before


def test_a_hub_manager_enters_values_for_their_hub_and_not_for_another(server, new_page) -> None:
    page = new_page()
    sign_in(page, server, "manager")
    wait_for_app(page)
    page.goto(server.url + "progress")
    wait_for_app(page)
    expect(page.get_by_role("button", name="変更した値を保存")).to_be_visible()  # H1, their hub
    picker = page.locator("[data-testid='stSelectbox']").filter(has_text="拠点")
    picker.click()
    page.get_by_role("option", name="H2", exact=False).first.click()
    wait_for_app(page)
    expect(page.get_by_role("button", name="変更した値を保存")).to_have_count(0)
    expect(page.get_by_text("あなたの役割では閲覧のみで、変更はできません。")).to_be_visible()
    assert_no_exception(page, server.describe())


def test_five_wrong_passwords_lock_the_account_and_the_sixth_right_one_is_refused(server, new_page) -> None:
    page = new_page()
    for _ in range(5):
        sign_in(page, server, "council", "not the password")
        expect(page.locator(".error")).to_be_visible()
    expect(page.locator(".error")).to_contain_text("ロックされています")
    sign_in(page, server, "council", PASSWORD)
    expect(page.locator(".error")).to_contain_text("ロックされています")
    page.goto(server.url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="hubdash にサインイン")).to_be_visible()


def test_sign_out_ends_the_session_in_every_tab(server, new_page) -> None:
    first = new_page()
    sign_in(first, server, "council")
    wait_for_app(first)
    second = first.context.new_page()
    second.goto(server.url + "vision")
    wait_for_app(second)
    expect(second.get_by_text(f"Council（協議会メンバー）{SIGNED_IN}")).to_be_visible()
    cookie = next(c for c in first.context.cookies() if c["name"] == "hubdash_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert "hubdash_session" not in first.evaluate("document.cookie")
    first.locator("#hubdash-sign-out").click()
    wait_for_app(first)
    expect(first.get_by_role("heading", name="hubdash にサインイン")).to_be_visible()
    # the other tab, without a reload: its next run finds the session ended
    second.get_by_role("link", name="ホーム").click()
    wait_for_app(second)
    expect(second.get_by_role("heading", name="hubdash にサインイン")).to_be_visible()
    # the old cookie, replayed, signs nobody in
    first.context.add_cookies([cookie])
    second.reload()
    wait_for_app(second)
    expect(second.get_by_role("heading", name="hubdash にサインイン")).to_be_visible()
