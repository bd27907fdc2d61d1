"""Real-browser harness: `streamlit run app.py` driven by Playwright in Debian's Chromium.

Fixtures
--------
app_server   session  the app in Japanese (HUBDASH_LANG=ja) on a fresh SQLite file; `.url`, `.db_url`
start_app    session  factory: ``start_app(lang="ja", db_url=None, env=None) -> AppServer``; every server
                      it started is stopped at session end (or earlier with ``server.stop()``)
browser      session  Playwright Chromium (skips without Chromium/Playwright; fails instead when
                      HUBDASH_E2E_REQUIRED=1, as in CI)
new_page     function factory: ``new_page(locale="ja-JP") -> Page`` in a fresh 1400x1000 context

Helpers: ``wait_for_app(page)``, ``assert_no_exception(page)``.
Every test under tests/e2e is marked ``e2e`` (deselect with ``-m "not e2e"``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HEALTH_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0
LOG_TAIL_CHARS = 6000

APP_READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
APP_CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"


def _e2e_required() -> bool:
    return os.environ.get("HUBDASH_E2E_REQUIRED", "").strip().lower() in {"1", "true", "yes"}


def _skip_or_fail(reason: str) -> None:
    if _e2e_required():
        pytest.fail(f"{reason} (HUBDASH_E2E_REQUIRED is set, so browser tests may not be skipped)")
    pytest.skip(reason)


# --------------------------------------------------------------------------------------------
# markers


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item of the session, not only ours: filter by path.
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


# --------------------------------------------------------------------------------------------
# the Streamlit server


@dataclass
class AppServer:
    """One running `streamlit run app.py`."""

    url: str  # http://127.0.0.1:<port>/ (with trailing slash)
    db_url: str
    lang: str
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def log_tail(self, chars: int = LOG_TAIL_CHARS) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"<could not read {self.log_path}: {exc}>"
        return text[-chars:]

    def describe(self) -> str:
        """For assertion messages: which server, and the tail of its log."""
        return (
            f"server lang={self.lang} url={self.url} db={self.db_url} log={self.log_path}\n"
            f"--- server log tail ---\n{self.log_tail()}\n--- end of server log ---"
        )

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Terminate the server and its children (its own process group). Idempotent."""
        proc = self.process
        if proc.poll() is None:
            for sig, wait_s in ((signal.SIGTERM, STOP_TIMEOUT_S), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=wait_s)
                    break
                except subprocess.TimeoutExpired:
                    continue
        # children that outlived the leader (same group)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health_ok(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def launch_app(
    *,
    app_dir: Path,
    app: str,
    run_dir: Path,
    lang: str,
    db_url: str | None,
    env: dict[str, str] | None,
    timeout: float = HEALTH_TIMEOUT_S,
) -> AppServer:
    """Start `python -m streamlit run <app>` in `app_dir`; wait until /_stcore/health says ok.

    stdout/stderr go to a log file in `run_dir` (its tail is in every failure message); the
    default database is ``sqlite:///<run_dir>/e2e.db``. Fails the test if the process exits
    early or is not healthy within `timeout` seconds. The caller must `stop()` the server.
    """
    port = _free_port()
    if db_url is None:
        db_url = f"sqlite:///{run_dir / 'e2e.db'}"
    log_path = run_dir / f"streamlit-{lang}-{port}.log"
    child_env = dict(os.environ)
    child_env.update(
        {
            "HUBDASH_DATABASE_URL": db_url,
            "HUBDASH_LANG": lang,
            "PYTHONUNBUFFERED": "1",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
    )
    if env:
        child_env.update(env)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        # the app under test must not reload itself when source files change during a run
        "--server.fileWatcherType",
        "none",
    ]
    log_file = open(log_path, "wb")  # noqa: SIM115 - the child keeps writing after we return
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=app_dir,
            env=child_env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stop() kills children too
        )
    finally:
        log_file.close()
    server = AppServer(
        url=f"http://127.0.0.1:{port}/",
        db_url=db_url,
        lang=lang,
        port=port,
        log_path=log_path,
        process=proc,
    )
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            pytest.fail(
                f"streamlit exited early with code {proc.returncode} before /_stcore/health was ok\n"
                f"command: {' '.join(cmd)} (cwd {app_dir})\n{server.describe()}",
                pytrace=False,
            )
        if _health_ok(server.url):
            return server
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(
                f"streamlit did not answer ok on /_stcore/health within {timeout:.0f}s\n"
                f"command: {' '.join(cmd)} (cwd {app_dir})\n{server.describe()}",
                pytrace=False,
            )
        time.sleep(0.25)


StartApp = Callable[..., AppServer]


def _make_factory(
    tmp_path_factory: pytest.TempPathFactory, app_dir: Path, app: str
) -> tuple[StartApp, list[AppServer]]:
    servers: list[AppServer] = []

    def start_app(lang: str = "ja", db_url: str | None = None, env: dict[str, str] | None = None) -> AppServer:
        if not (app_dir / app).is_file():
            pytest.fail(f"{app_dir / app} does not exist", pytrace=False)
        run_dir = tmp_path_factory.mktemp(f"app-{lang}")
        server = launch_app(app_dir=app_dir, app=app, run_dir=run_dir, lang=lang, db_url=db_url, env=env)
        servers.append(server)
        return server

    return start_app, servers


@pytest.fixture(scope="session")
def start_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartApp]:
    """Factory: ``start_app(lang="ja", db_url=None, env=None) -> AppServer``.

    Each call starts a new server on a free port with HUBDASH_LANG=lang and, unless `db_url` is
    given, a fresh ``sqlite:///<tmp dir>/e2e.db``; `env` adds/overrides environment variables.
    All servers are stopped at session end.
    """
    factory, servers = _make_factory(tmp_path_factory, REPO_ROOT, "app.py")
    yield factory
    for server in reversed(servers):
        server.stop()


@pytest.fixture(scope="session")
def app_server(start_app: StartApp) -> AppServer:
    """The app in Japanese on its own fresh SQLite database."""
    return start_app(lang="ja")


# --------------------------------------------------------------------------------------------
# the browser


def _find_chromium() -> str | None:
    if os.access(CHROMIUM_PATH, os.X_OK):
        return CHROMIUM_PATH
    return shutil.which("chromium")


_RUNNING: list[Any] = []  # [playwright, browser]: one Chromium per test run, whichever folder's fixture asks first


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Playwright's Chromium; tests/security imports this fixture too, and both get the same browser (Playwright's
    sync API runs one instance per process)."""
    if _RUNNING:
        yield _RUNNING[1]
        return
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _skip_or_fail(f"playwright is not importable ({exc}); pip install -r requirements-dev.txt")
    chromium = _find_chromium()
    if chromium is None:
        _skip_or_fail(f"Chromium not found at {CHROMIUM_PATH}; install Debian's chromium to run browser tests")
    pw = sync_playwright().start()
    try:
        launched = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        _RUNNING[:] = [pw, launched]
        yield launched
    finally:
        if _RUNNING:
            _RUNNING[1].close()
        _RUNNING.clear()
        pw.stop()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Factory: ``new_page(locale="ja-JP", **context_options) -> Page`` in a fresh context."""
    contexts: list[Any] = []

    def make(locale: str = "ja-JP", **context_options: Any) -> Page:
        options: dict[str, Any] = {"viewport": {"width": 1400, "height": 1000}, "locale": locale}
        options.update(context_options)
        context = browser.new_context(**options)
        contexts.append(context)
        context.set_default_timeout(30_000)
        return context.new_page()

    yield make
    for context in contexts:
        try:
            context.close()
        except Exception:  # noqa: BLE001 - browser may already be gone after a failure
            pass


# --------------------------------------------------------------------------------------------
# helpers


APP_RUNNING = "[data-testid='stApp'][data-test-script-state='running']"


def wait_for_app(page: Page, timeout: float = 30_000, settle_ms: int = 300) -> None:
    """Wait until the Streamlit script run has finished, as Streamlit's own e2e suite does.

    Connected, script state ``notRunning`` (not ``initial``), a short settle and the same check
    again (a rerun may have started), then no ``stSkeleton`` placeholder left.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    page.wait_for_selector(APP_CONNECTED, state="attached", timeout=timeout)
    try:  # after a click the rerun may not have started yet; on a busy machine that takes a moment
        page.wait_for_selector(APP_RUNNING, state="attached", timeout=1_500)
    except PlaywrightTimeout:
        pass
    page.wait_for_selector(APP_READY, state="attached", timeout=timeout)
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector(APP_READY, state="attached", timeout=timeout)
    expect(page.locator("[data-testid='stSkeleton']")).to_have_count(0, timeout=timeout)


INCIDENT = "[class*='st-key-incident-']"  # hubdash.ui.runtime.guard's line for an unexpected error


def assert_no_exception(page: Page, context: str = "") -> None:
    """Fail if the page shows a Streamlit exception box or hubdash's incident line; the message carries its text."""
    boxes = page.locator(f"[data-testid='stException'], {INCIDENT}")
    count = boxes.count()
    if count:
        texts = []
        for i in range(count):
            try:
                texts.append(boxes.nth(i).inner_text(timeout=5_000))
            except Exception as exc:  # noqa: BLE001
                texts.append(f"<could not read exception text: {exc}>")
        joined = "\n---\n".join(texts)
        extra = f"\n{context}" if context else ""
        raise AssertionError(f"{count} Streamlit exception(s) on {page.url}:\n{joined}{extra}")
