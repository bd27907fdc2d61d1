"""The request guard in front of Streamlit: open mode answers this computer only; foreign Hosts are refused."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from hubdash.ui import access as guard


def _client(mode: str, *, client: str, base: str = "http://127.0.0.1:8501") -> TestClient:
    inner = Starlette(
        routes=[Route("/", lambda request: PlainTextResponse("the app"))],
        middleware=[Middleware(guard.RequestGuard, mode=mode)],
    )
    return TestClient(inner, base_url=base, client=(client, 50000))


@pytest.mark.parametrize("base", ["http://127.0.0.1:8501", "http://localhost:8501", "http://[::1]:8501"])
def test_open_mode_serves_this_computer(base: str) -> None:
    assert _client("none", client="127.0.0.1", base=base).get("/").text == "the app"


@pytest.mark.parametrize(
    ("client", "base"),
    [
        ("192.0.2.7", "http://127.0.0.1:8501"),  # another computer
        ("127.0.0.1", "http://evil.example:8501"),  # DNS rebinding: a foreign name mapped to 127.0.0.1
        ("127.0.0.1", "http://192.0.2.1:8501"),  # this computer, but by its network address
    ],
)
def test_open_mode_refuses_everything_else_with_a_page_that_says_why(client: str, base: str) -> None:
    answer = _client("none", client=client, base=base).get("/", headers={"accept-language": "en-US"})
    assert answer.status_code == 403 and "the app" not in answer.text
    assert "HUBDASH_AUTH=password" in answer.text


def test_the_refusal_is_in_japanese_for_a_japanese_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUBDASH_LANG", raising=False)
    answer = _client("none", client="192.0.2.7").get("/", headers={"accept-language": "ja-JP"})
    assert answer.status_code == 403 and "オープンモード" in answer.text


def test_with_sign_in_a_host_outside_the_allow_list_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    allowed = {"server.allowedHosts": ["hubdash.example.org", "*.council.example.jp"]}
    monkeypatch.setattr(guard.st, "get_option", lambda name: allowed.get(name))
    assert _client("password", client="192.0.2.7", base="http://hubdash.example.org").get("/").status_code == 200
    assert _client("password", client="192.0.2.7", base="https://a.council.example.jp").get("/").status_code == 200
    assert _client("password", client="127.0.0.1", base="http://evil.example").get("/").status_code == 403
    monkeypatch.setattr(guard.st, "get_option", lambda name: [])
    assert _client("password", client="192.0.2.7", base="http://anything.example").get("/").status_code == 200


def test_the_mode_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(guard.ENV_AUTH, raising=False)
    assert guard.auth_mode() == "none"
    monkeypatch.setenv(guard.ENV_AUTH, "Password")
    assert guard.auth_mode() == "password"
    monkeypatch.setenv(guard.ENV_AUTH, "ldap")
    with pytest.raises(SystemExit, match="HUBDASH_AUTH"):
        guard.auth_mode()
