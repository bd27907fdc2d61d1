"""Single sign-on in Chromium against a local OpenID provider (oidc-provider-mock, started here, no internet):
sign-in, the role from the `groups` claim, sign-out; the provider's cookie replayed afterwards signs nobody in."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import oidc_provider_mock
import pytest
from playwright.sync_api import Page, expect

from hubdash.domain.enums import Role

from .accounts import sample_with_accounts
from .conftest import assert_no_exception, wait_for_app

SUB = "ada-0001"
CLAIMS = {"email": "ada@example.org", "email_verified": True, "name": "Ada", "groups": ["staff", "council"]}


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://127.0.0.1:{server.server_port}"


def _secrets(folder, provider: str) -> str:
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "e2e-only-cookie-secret-0123456789abcdef"\n'
        'client_id = "hubdash"\n'
        'client_secret = "e2e-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return str(path)


def _sign_in_with_provider(page: Page, server, provider: str) -> None:
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_role("button", name="サインイン", exact=True).click()
    page.wait_for_url(f"{provider}/oauth2/authorize**")
    page.get_by_placeholder("sub").fill(SUB)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server.url}**")
    wait_for_app(page)


def test_sign_in_role_from_the_claim_and_sign_out(start_app, new_page, tmp_path, provider) -> None:
    assert httpx.put(f"{provider}/users/{quote(SUB)}", json=CLAIMS).status_code == 204
    url = sample_with_accounts(tmp_path, {"ada": (Role.VIEWER, ())})  # known by e-mail, a viewer so far
    env = {
        "HUBDASH_AUTH": "oidc",
        "STREAMLIT_SECRETS_FILES": _secrets(tmp_path, provider),
        "HUBDASH_OIDC_ROLE_CLAIM": "groups",
        "HUBDASH_OIDC_ROLES": "hubdash-admins=admin,council=council_member",
    }
    server = start_app(lang="ja", db_url=url, env=env)
    page = new_page()
    _sign_in_with_provider(page, server, provider)
    expect(page.get_by_text("Ada（協議会メンバー）としてサインイン中")).to_be_visible()  # the role from the claim
    page.goto(server.url + "vision")
    wait_for_app(page)
    expect(page.get_by_role("button", name="編集", exact=True).first).to_be_visible()
    assert_no_exception(page, server.describe())
    saved = [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    assert saved

    page.get_by_role("button", name="サインアウト").click()
    page.wait_for_url(f"{provider}/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{server.url}**")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="hubdash にサインイン")).to_be_visible()
    # the provider's cookie cannot be revoked, but the hubdash session it was tied to has ended
    page.context.add_cookies(saved)
    page.goto(server.url + "vision")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="hubdash にサインイン")).to_be_visible()
    expect(page.get_by_role("button", name="編集", exact=True)).to_have_count(0)


def test_an_unknown_person_is_refused(start_app, new_page, tmp_path, provider) -> None:
    assert httpx.put(f"{provider}/users/{quote(SUB)}", json=CLAIMS | {"email": "eve@example.org"}).status_code == 204
    url = sample_with_accounts(tmp_path, {"ada": (Role.VIEWER, ())})
    env = {"HUBDASH_AUTH": "oidc", "STREAMLIT_SECRETS_FILES": _secrets(tmp_path, provider)}
    server = start_app(lang="ja", db_url=url, env=env)
    page = new_page()
    _sign_in_with_provider(page, server, provider)
    expect(page.get_by_text("hubdash には入れません")).to_be_visible()
    expect(page.get_by_text("としてサインイン中")).to_have_count(0)
