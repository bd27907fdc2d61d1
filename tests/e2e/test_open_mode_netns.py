"""Open mode bound to every address (--server.address 0.0.0.0): a browser on another address gets the refusal
page, not the app. The other address is a network namespace this test makes itself (a veth pair with addresses of
its own) and removes afterwards; nothing leaves this machine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import CHROMIUM_ARGS, REPO_ROOT, _free_port, _skip_or_fail

BROWSE = """
import json, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=json.loads(sys.argv[2]))
    page = browser.new_page(locale="en-US")
    answer = page.goto(sys.argv[1])
    page.wait_for_timeout(1500)
    print(json.dumps({"status": answer.status, "text": page.locator("body").inner_text()}))
    browser.close()
"""


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=20)


@pytest.fixture
def namespace() -> Iterator[tuple[str, str, str]]:
    """(namespace, this machine's address on the veth pair, the namespace's address); removed afterwards."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        _skip_or_fail("the network namespace needs root and iproute2")
    tag = os.getpid() % 200 + 20
    name, host_end, peer_end = f"hubdash{tag}", f"hdv{tag}a", f"hdv{tag}b"
    host_ip, peer_ip = f"10.213.{tag}.1", f"10.213.{tag}.2"
    subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=20)  # left over by a killed run
    _ip("netns", "add", name)
    try:
        _ip("link", "add", host_end, "type", "veth", "peer", "name", peer_end)
        _ip("link", "set", peer_end, "netns", name)
        _ip("addr", "add", f"{host_ip}/30", "dev", host_end)
        _ip("link", "set", host_end, "up")
        _ip("netns", "exec", name, "ip", "addr", "add", f"{peer_ip}/30", "dev", peer_end)
        _ip("netns", "exec", name, "ip", "link", "set", peer_end, "up")
        _ip("netns", "exec", name, "ip", "link", "set", "lo", "up")
        yield name, host_ip, peer_ip
    finally:
        subprocess.run(["ip", "link", "del", host_end], capture_output=True, timeout=20)
        subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=20)


@pytest.fixture
def open_mode_on_every_address(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port, log = _free_port(), tmp_path / "streamlit.log"
    env = dict(
        os.environ, HUBDASH_AUTH="none", HUBDASH_LANG="en", HUBDASH_DATABASE_URL=f"sqlite:///{tmp_path / 'o.db'}"
    )
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "0.0.0.0"]
    command += ["--server.port", str(port), "--server.headless", "true", "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail(f"the app did not start:\n{log.read_text()}")
        yield port, log
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_browser_on_another_address_gets_the_refusal_page(namespace, open_mode_on_every_address) -> None:
    name, host_ip, peer_ip = namespace
    port, log = open_mode_on_every_address
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as here:
        assert here.status == 200  # this computer still gets the app
    browse = ["ip", "netns", "exec", name, sys.executable, "-c", BROWSE]
    result = subprocess.run(
        [*browse, f"http://{host_ip}:{port}/", json.dumps(CHROMIUM_ARGS)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 403
    assert "answers only on the computer it runs on" in seen["text"] and "HUBDASH_AUTH=password" in seen["text"]
    said = log.read_text()
    assert "server.address is '0.0.0.0'" in said  # said at start
    assert f"client {peer_ip} is not this computer" in said  # and for the refused request
