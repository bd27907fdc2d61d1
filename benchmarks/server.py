"""A real `streamlit run app.py` for the benchmarks that need one: started on a free port, its CPU time read from /proc.

Also signing people in as a browser does, through the app's own routes: a password (`/account/login`) or a
workshop's join code (`/workshop/join`), each giving the session cookie a Tab then sends.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SESSION_COOKIE = "hubdash_session"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Server:
    """One running app server."""

    url: str  # http://127.0.0.1:<port>
    process: subprocess.Popen[bytes]
    log: Path

    def cpu_seconds(self) -> float:
        """User and system CPU time the server process has used so far (all its threads)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_mb(self) -> tuple[float, float]:
        """The server process's resident memory now and at its peak, in MB (VmRSS, VmHWM)."""
        found = dict(
            line.split(":", 1)
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
            if ":" in line
        )
        return int(found["VmRSS"].split()[0]) / 1024, int(found["VmHWM"].split()[0]) / 1024

    def stop(self) -> None:
        """Stop the server (its process group)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's log, for a failure message."""
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(db_url: str, log: Path, env: dict[str, str] | None = None, timeout: float = 120) -> Server:
    """`streamlit run app.py` on a free port of this computer, healthy, on the database at `db_url`."""
    port = _free_port()
    child = dict(os.environ)
    child.update(
        {
            "HUBDASH_DATABASE_URL": db_url,
            "HUBDASH_LANG": "ja",
            "PYTHONUNBUFFERED": "1",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
    )
    child.update(env or {})
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=child, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app server ended at start:\n{server.log_tail()}")
        try:
            if httpx.get(f"{server.url}/_stcore/health", timeout=2).text.strip() == "ok":
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"the app server was not healthy within {timeout:.0f} s:\n{server.log_tail()}")


def _form_cookie(server: Server, path: str, fields: dict[str, str]) -> str:
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=60) as client:
        page = client.get(path)
        found = _CSRF.search(page.text)
        if found is None:
            raise RuntimeError(f"no form at {path}: {page.status_code}")
        answer = client.post(
            path.split("?")[0],
            data={**fields, "csrf": found.group(1)},
            headers={"Origin": server.url, "Referer": f"{server.url}{path}"},
        )
        cookie = answer.cookies.get(SESSION_COOKIE)
        if answer.status_code != 303 or not cookie:
            raise RuntimeError(f"{path}: {answer.status_code} without a session cookie")
        return cookie


def sign_in(server: Server, login: str, password: str) -> dict[str, str]:
    """The cookies of a browser signed in with a password."""
    return {SESSION_COOKIE: _form_cookie(server, "/account/login", {"login": login, "password": password})}


def join(server: Server, code: str, name: str, organisation: str, sector: str = "industry") -> dict[str, str]:
    """The cookies of a browser that joined the workshop with this code."""
    fields = {"code": code, "name": name, "organisation": organisation, "sector": sector}
    return {SESSION_COOKIE: _form_cookie(server, f"/workshop/join?code={code}", fields)}
