"""The shipped server configuration: upload limit, no error details, XSRF on, a Host allow-list that is enforced."""

from __future__ import annotations

import socket
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from hubdash.readers.progress_file import MAX_BYTES
from tests.e2e.conftest import AppServer, launch_app

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_uploads_stop_at_the_product_limit() -> None:
    assert CONFIG["server"]["maxUploadSize"] * 1024 * 1024 == MAX_BYTES == 10 * 1024 * 1024


def test_users_never_see_error_details() -> None:
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_xsrf_and_cors_protection_stay_on_and_hosts_are_listed() -> None:
    assert CONFIG["server"]["enableXsrfProtection"] is True and CONFIG["server"]["enableCORS"] is True
    assert set(CONFIG["server"]["allowedHosts"]) == {"localhost", "127.0.0.1"}
    assert CONFIG["server"]["address"] == "127.0.0.1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app with the shipped config.toml (the e2e harness changes only port, address and file watching)."""
    run_dir = tmp_path_factory.mktemp("server")
    started = launch_app(app_dir=ROOT, app="app.py", run_dir=run_dir, lang="en", db_url=None, env=None)
    yield started
    started.stop()


def _first_line(port: int, request: str) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request.encode())
        return conn.recv(4096).decode("latin-1").split("\r\n")[0]


def _websocket(port: int, host: str) -> str:
    return _first_line(
        port,
        f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: http://{host}\r\n\r\n",
    )


@pytest.mark.e2e
@pytest.mark.parametrize("host", ["evil.example", "rebound.attacker.test", "127.0.0.2", "localhost.evil.example"])
def test_a_foreign_host_is_refused(server: AppServer, host: str) -> None:
    # DNS rebinding: the attacker's name resolves to this server; the page's own origin matches its Host.
    assert _websocket(server.port, f"{host}:{server.port}") == "HTTP/1.1 403 Forbidden"


@pytest.mark.e2e
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_listed_hosts_connect(server: AppServer, host: str) -> None:
    assert _websocket(server.port, f"{host}:{server.port}") == "HTTP/1.1 101 Switching Protocols"


@pytest.mark.e2e
def test_an_upload_without_the_xsrf_token_is_refused(server: AppServer) -> None:
    body = "--x\r\nContent-Disposition: form-data; name=file; filename=a.csv\r\n\r\nhub\r\n--x--\r\n"
    request = (
        f"PUT /_stcore/upload_file/session/file HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {len(body)}\r\n\r\n{body}"
    )
    assert _first_line(server.port, request) == "HTTP/1.1 403 Forbidden"
