"""20 people clicking through the main pages of the national database at once, against one person alone.

A real `streamlit run app.py` (open mode: everyone is the administrator) on a copy of the `demo-data` database of
47 regions; headless tabs speaking Streamlit's protocol (benchmarks/streamlit_client.py), region demo-01 chosen.
Each person opens the home page, then visits the main pages one after another in an order of their own, reading
each for THINK seconds (a random pause, as people do) before the next click; the time of a click is from sending it
to the end of the page's run.

- alone: one person does a round untimed (the shared caches fill, as on a server in use), then a timed round
  (within hubdash.ui.reads.READ_TTL_SECONDS of the first, so on warm caches);
- together: SESSIONS people come in over a few seconds and each does one round;
- p95 page time together / p95 alone (limit 3x), and errors (limit 0): tracebacks, error messages, lost
  connections, runs that never end.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator

from benchmarks import databases, server
from benchmarks.bench_room import region_of
from benchmarks.harness import Measure, percentile, say
from benchmarks.streamlit_client import Tab

NAME = "20 sessions"
SESSIONS = 20
# URL paths; the home page, the default one, is ""
MAIN_PAGES = ("dashboard", "executive", "indicators", "progress", "pdca", "pdca-overview", "vision", "")
THINK = (2.0, 6.0)  # seconds a person reads a page before the next click
ARRIVALS = 10.0  # seconds over which the people come in
LIMIT = 3.0


async def _round(tab: Tab, rng: random.Random, times: list[float]) -> None:
    pages = list(MAIN_PAGES)
    rng.shuffle(pages)
    for page in pages:
        await asyncio.sleep(rng.uniform(*THINK))
        times.append(await tab.rerun(page=page))


async def _person(url: str, query: str, n: int, rounds: int, delay: float) -> tuple[list[float], list[str]]:
    await asyncio.sleep(delay)
    rng = random.Random(n)
    tab = Tab(url, name=f"person{n:02d}")
    times: list[float] = []
    try:
        await tab.open("", query)
        for done in range(rounds):
            await _round(tab, rng, times if done == rounds - 1 else [])
    finally:
        await tab.close()
    return times, tab.errors


async def _sessions(url: str, query: str) -> tuple[list[float], list[float], list[str]]:
    say("one person alone")
    alone, errors = await _person(url, query, 0, rounds=2, delay=0)
    say(f"{SESSIONS} people together")
    together = await asyncio.gather(
        *(_person(url, query, n, 1, ARRIVALS * n / SESSIONS) for n in range(1, SESSIONS + 1))
    )
    times = [t for found, _ in together for t in found]
    return alone, times, [*errors, *(e for _, found in together for e in found)]


def cases(words: list[str]) -> Iterator[Measure]:
    """p95 page time of 20 concurrent sessions against one session, and errors."""
    if words and not any(w in NAME for w in words):
        return
    url = databases.copy(databases.demo(47), "sessions")
    query = f"region={region_of(url, 'demo-01')}"
    srv = server.start(url, databases.folder() / "sessions-server.log", {"HUBDASH_AUTH": "none"})
    try:
        alone, together, errors = asyncio.run(_sessions(srv.url, query))
    finally:
        srv.stop()
    single, many = percentile(alone, 0.95), percentile(together, 0.95)
    yield Measure(
        f"{NAME}: p95 page time / one session",
        round(many / single, 2) if single > 0 else float("inf"),
        LIMIT,
        "x",
        {"p95 alone": f"{single:.2f} s", "p95 together": f"{many:.2f} s", "clicks": len(together)},
    )
    yield Measure(f"{NAME}: errors", len(errors), 0, "", {"first": errors[0][:300]} if errors else {})
