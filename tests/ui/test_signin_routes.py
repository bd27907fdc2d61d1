"""The sign-in, sign-out and join routes: CSRF and origin checks, cookie flags, the lock-out, nothing secret logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from starlette.applications import Starlette
from starlette.testclient import TestClient

from hubdash import db
from hubdash.domain.enums import Role
from hubdash.domain.permissions import SYSTEM
from hubdash.services import accounts, users, workshop
from hubdash.ui import runtime, signin, tokens
from tests import factories

BASE = "http://127.0.0.1:8501"
PASSWORD = "a long test password"


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("HUBDASH_DATABASE_URL", f"sqlite:///{tmp_path / 'routes.db'}")
    monkeypatch.setenv("HUBDASH_LANG", "en")
    st.cache_resource.clear()
    with db.session_scope(runtime.engine()) as s:
        region = factories.region(s, "r1")
        users.add_user(
            session=s, actor=SYSTEM, data=users.UserInput("ann", "Ann", Role.VIEWER, None, region.id), password=PASSWORD
        )
        workshop.open_workshop(session=s, actor=SYSTEM, region_id=region.id, title="WS", votes_per_participant=2)  # type: ignore[arg-type]
    yield TestClient(Starlette(routes=signin.routes("password")), base_url=BASE, follow_redirects=False)
    st.cache_resource.clear()


def _csrf(client: TestClient) -> str:
    assert client.get(signin.SIGN_IN).status_code == 200
    return client.cookies[tokens.CSRF_COOKIE]


def _sign_in(client: TestClient, password: str, origin: str = BASE, csrf: str | None = None):
    token = csrf if csrf is not None else _csrf(client)
    form = {"csrf": token, "login": "ann", "password": password}
    return client.post(signin.SIGN_IN, data=form, headers={"origin": origin})


def test_signing_in_sets_an_httponly_samesite_cookie_naming_a_server_side_session(client: TestClient) -> None:
    answer = _sign_in(client, PASSWORD)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith(tokens.COOKIE))
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Path=/" in cookie
    token = tokens.token_of(client.cookies[tokens.COOKIE])
    assert token is not None
    with db.session_scope(runtime.engine()) as s:
        signed_in = accounts.session_actor(session=s, token=token)
    assert signed_in is not None and signed_in.username == "ann"


@pytest.mark.parametrize(
    ("origin", "csrf"),
    [("http://evil.example", None), ("", None), (BASE, "forged-token")],
    ids=["site", "none", "csrf"],
)
def test_a_form_from_another_site_or_without_its_token_is_refused(client: TestClient, origin: str, csrf) -> None:
    _csrf(client)
    answer = _sign_in(client, PASSWORD, origin=origin, csrf=csrf)
    assert answer.status_code == 403 and tokens.COOKIE not in client.cookies


def test_five_wrong_passwords_lock_and_the_sixth_right_one_is_refused(client: TestClient, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    for _ in range(5):
        answer = _sign_in(client, "wrong password")
        assert answer.status_code in (401, 423)
    assert answer.status_code == 423 and "locked" in answer.text
    refused = _sign_in(client, PASSWORD)
    assert refused.status_code == 423 and tokens.COOKIE not in client.cookies
    assert PASSWORD not in caplog.text and "wrong password" not in caplog.text


def test_sign_out_needs_its_token_and_ends_the_session(client: TestClient) -> None:
    _sign_in(client, PASSWORD)
    cookie = client.cookies[tokens.COOKIE]
    forged = client.post(signin.SIGN_OUT, data={"csrf": "x"}, headers={"origin": BASE})
    assert forged.status_code == 403
    answer = client.post(signin.SIGN_OUT, data={"csrf": tokens.signout_csrf(cookie)}, headers={"origin": BASE})
    assert answer.status_code == 303 and tokens.COOKIE not in client.cookies
    with db.session_scope(runtime.engine()) as s:
        assert accounts.session_actor(session=s, token=tokens.token_of(cookie) or "") is None


def test_joining_a_workshop_with_its_code(client: TestClient) -> None:
    with db.session_scope(runtime.engine()) as s:
        code = workshop.current_workshop(session=s, region_id=1).join_code  # type: ignore[union-attr]
    form = client.get(f"{signin.JOIN}?code={code}")
    assert form.status_code == 200 and f'value="{code}"' in form.text
    data = {"csrf": client.cookies[tokens.CSRF_COOKIE], "code": code, "name": "<b>Yamada</b>", "organisation": "A Univ"}
    wrong = client.post(signin.JOIN, data=data | {"code": "NOPE99"}, headers={"origin": BASE})
    assert wrong.status_code == 400 and "No open workshop has this code" in wrong.text
    assert "<b>Yamada</b>" not in wrong.text and "&lt;b&gt;Yamada&lt;/b&gt;" in wrong.text  # escaped, not markup
    joined = client.post(signin.JOIN, data=data | {"sector": "academia"}, headers={"origin": BASE})
    assert joined.status_code == 303 and joined.headers["location"] == signin.AFTER_JOIN
    again = client.get(signin.JOIN)  # a second tab: the same participant, straight to the board
    assert again.status_code == 303
