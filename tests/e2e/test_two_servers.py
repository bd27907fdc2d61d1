"""Two app servers on one PostgreSQL database, behind nginx with sticky sessions (deploy/nginx.conf).

Both servers start on an empty database at the same moment: one creates the schema and loads the sample,
the other finds them; neither shows an error. A change saved through one server shows on the other within
five seconds, on a live page and on a page of cached reads. nginx keeps each browser on one server.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hubdash import db

from .conftest import REPO_ROOT, AppServer, _free_port, _skip_or_fail, assert_no_exception, wait_for_app

STATEMENT = ".st-key-part-statement"
# saved through the first server; its Latin letters appear nowhere in the sample, so a diff shows them whole
SAVED = "一台目のサーバーで保存した qzxj ビジョン。"
NGINX_CONF = REPO_ROOT / "deploy" / "nginx.conf"
COOKIE_SECRET = "one-secret-shared-by-every-app-server"


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A new, empty PostgreSQL database next to the test database (<test database>_two), dropped afterwards."""
    base = os.environ.get("HUBDASH_TEST_POSTGRES_URL", "").strip()
    if not base:
        _skip_or_fail("two app servers need PostgreSQL: set HUBDASH_TEST_POSTGRES_URL")
    url = make_url(db.normalise_url(base))
    name = f"{url.database}_two"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _nginx(tmp_path: Path, ports: list[int]) -> tuple[str, Path, subprocess.Popen[bytes]]:
    """deploy/nginx.conf in front of the two servers, as a user would run it; returns its URL and access log."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(binary, os.X_OK):
        _skip_or_fail("nginx is not installed (apt-get install nginx)")
    site = NGINX_CONF.read_text(encoding="utf-8")
    listen = _free_port()
    for old, new in (
        ("server 127.0.0.1:8501 ", f"server 127.0.0.1:{ports[0]} "),
        ("server 127.0.0.1:8502 ", f"server 127.0.0.1:{ports[1]} "),
        ("listen 8080;", f"listen 127.0.0.1:{listen};"),
    ):
        assert site.count(old) == 1, f"deploy/nginx.conf no longer has {old!r}"
        site = site.replace(old, new)
    (tmp_path / "hubdash.conf").write_text(site, encoding="utf-8")
    log = tmp_path / "access.log"
    temp = "".join(
        f"{kind}_temp_path {tmp_path / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{ log_format upstreams '$cookie_hubdash_server $upstream_addr $uri'; access_log {log} upstreams; "
        f"{temp} include {tmp_path / 'hubdash.conf'}; }}\n",
        encoding="utf-8",
    )
    command = [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)
    url = f"http://127.0.0.1:{listen}/"
    for _ in range(100):
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    return url, log, process


def _get(url: str, cookie: str | None = None) -> str:
    """GET through nginx; the hubdash_server cookie it sets (or the one sent)."""
    request = urllib.request.Request(url, headers={"Cookie": f"hubdash_server={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        cookies = " ".join(response.headers.get_all("Set-Cookie") or [])
        found = re.search(r"hubdash_server=([^;]+)", cookies)
        assert response.status == 200 and found, cookies
        return found.group(1)


def _upstreams(log: Path) -> dict[str, dict[str, set[str]]]:
    """From nginx's access log: cookie -> app server -> the paths it answered (new browsers left out)."""
    seen: dict[str, dict[str, set[str]]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        cookie, upstream, path = line.split(" ")
        if cookie != "-":
            seen.setdefault(cookie, {}).setdefault(upstream, set()).add(path)
    return seen


def _save_statement(page: Page, body: str, reason: str) -> None:
    part = page.locator(STATEMENT)
    part.get_by_role("button", name="編集").click()
    area = part.get_by_label("本文", exact=True)
    area.fill(body)
    area.press("Control+Enter")
    wait_for_app(page)
    part.get_by_label("変更の理由").fill(reason)
    part.get_by_label("変更の理由").press("Enter")
    wait_for_app(page)
    part.get_by_role("button", name="保存", exact=True).click()
    wait_for_app(page)
    expect(part.get_by_label("本文", exact=True)).to_have_count(0)


def _no_traceback(server: AppServer) -> None:
    log = server.log_tail(200_000)
    assert "Traceback" not in log and "IntegrityError" not in log, server.describe()


def test_two_servers_share_one_database_behind_sticky_nginx(
    start_app, new_page, empty_database: str, tmp_path: Path
) -> None:
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": COOKIE_SECRET}
    with ThreadPoolExecutor(2) as pool:
        servers: list[AppServer] = list(
            pool.map(lambda _: start_app(lang="ja", db_url=empty_database, env=env), range(2))
        )
    nginx = None
    try:
        # the first page of each server opens at the same moment, on the empty database
        first, second = new_page(locale="ja-JP"), new_page(locale="ja-JP")
        first.goto(servers[0].url + "vision", wait_until="commit")
        second.goto(servers[1].url + "vision", wait_until="commit")
        for page in (first, second):
            wait_for_app(page, timeout=90_000)
            assert_no_exception(page)
            expect(page.locator(STATEMENT)).to_be_visible()
        engine = db.make_engine(empty_database)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT code FROM region")).scalars().all() == ["sample-ja"]
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == db.head_revision()
        engine.dispose()

        history = new_page(locale="ja-JP")  # a page of cached reads on the second server
        history.goto(servers[1].url + "vision-history")
        wait_for_app(history)

        _save_statement(first, SAVED, "一台目から保存")
        saved_at = time.monotonic()
        # the live page of the other server shows it without a reload
        expect(second.locator(STATEMENT)).to_contain_text(SAVED, timeout=5_000)
        # the cached history of the other server compares the new revision with the one before on its next run
        while True:
            history.reload()
            wait_for_app(history)
            if "qzxj" in history.locator("[data-testid='stMain']").inner_text():
                break
            assert time.monotonic() - saved_at < 5, "the other server still shows its cached history"
            time.sleep(0.5)
        for page in (first, second, history):
            assert_no_exception(page)

        # nginx in front: a browser through it gets the app, WebSocket and all, from one server
        url, log, nginx = _nginx(tmp_path, [s.port for s in servers])
        proxied = new_page(locale="ja-JP")
        proxied.goto(url + "vision")
        wait_for_app(proxied)
        expect(proxied.locator(STATEMENT)).to_contain_text(SAVED)
        assert_no_exception(proxied)
        (browser_cookie,) = [c["value"] for c in proxied.context.cookies() if c["name"] == "hubdash_server"]
        # the same cookie always reaches the same server; many browsers spread over both
        for _ in range(10):
            assert _get(url + "_stcore/health", browser_cookie) == browser_cookie
        for _ in range(16):
            _get(url + "_stcore/health", uuid.uuid4().hex)
        proxied.close()  # nginx logs the WebSocket when it closes
        time.sleep(0.5)
        seen = _upstreams(log)
        assert all(len(by_server) == 1 for by_server in seen.values()), seen
        assert any(path.endswith("/_stcore/stream") for path in next(iter(seen[browser_cookie].values())))
        assert set().union(*seen.values()) == {f"127.0.0.1:{s.port}" for s in servers}
        for server in servers:
            _no_traceback(server)
    finally:
        if nginx is not None:
            os.killpg(nginx.pid, signal.SIGTERM)
            nginx.wait(timeout=10)
        for server in servers:
            server.stop()
