"""Races: the same service called by 8 threads or 4 processes at once, on SQLite (a file) and PostgreSQL.

`race(scenario, ids)` runs tests.concurrency.scenarios.<scenario> in every writer at the same moment and
returns their Outcomes in writer order: threads meet at a barrier, processes at an agreed moment. The
processes are started once per test run with the 'spawn' method and reused.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.concurrency import scenarios
from tests.concurrency.scenarios import Outcome

WRITERS = {"threads": 8, "processes": 4}
START_MARGIN_S = 0.4  # time for every worker process to be ready before the common start


@pytest.fixture(scope="session")
def process_pool() -> Iterator[ProcessPoolExecutor]:
    """Four worker processes, started with 'spawn' (a fresh interpreter each, as a second server is)."""
    pool = ProcessPoolExecutor(max_workers=4, mp_context=multiprocessing.get_context("spawn"))
    list(pool.map(scenarios.warm_up, range(4)))
    yield pool
    pool.shutdown(cancel_futures=True)


Race = Callable[[str, dict[str, Any]], list[Outcome]]


@pytest.fixture(params=list(WRITERS))
def mode(request: pytest.FixtureRequest) -> str:
    """threads (8 writers in this process) or processes (4 writers, one per process)."""
    return str(request.param)


@pytest.fixture
def writers(mode: str) -> int:
    """How many writers race."""
    return WRITERS[mode]


@pytest.fixture
def race(request: pytest.FixtureRequest, mode: str, engine: Engine) -> Race:
    """race(scenario, ids) -> the Outcome of each writer."""

    def run(scenario: str, ids: dict[str, Any]) -> list[Outcome]:
        count = WRITERS[mode]
        if mode == "threads":
            barrier = threading.Barrier(count)
            with ThreadPoolExecutor(count) as threads:
                return list(threads.map(lambda i: scenarios.run(engine, scenario, i, ids, barrier.wait), range(count)))
        pool: ProcessPoolExecutor = request.getfixturevalue("process_pool")
        url = engine.url.render_as_string(hide_password=False)
        go_at = time.time() + START_MARGIN_S
        futures = [pool.submit(scenarios.in_process, url, scenario, i, ids, go_at) for i in range(count)]
        return [f.result(timeout=120) for f in futures]

    return run
