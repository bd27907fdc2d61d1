"""Every page at national scale (a `demo-data` database of 47 regions), as a ratio to a trivial page.

Each page runs in Streamlit's AppTest as the open-mode administrator, in Japanese, against a trivial page (a title
and a three-bar Altair chart) run the same way in the same process, alternately, best of several runs each:

- cold: a new session with every cached read and chart forgotten (the first visitor after a change);
- warm: the same session run again (a click that changes nothing, a live refresh of the whole page);
- growth: the page on 47 regions against the same page on a database of 1 region (the larger of cold and warm);
  a page that shows every region at once (marked "all regions") has no growth limit;
- chart data: the bytes of every chart the page sends (Vega-Lite specification and Arrow data);
- peak memory: what Python allocates at most during a cold run (tracemalloc), and SQL statements of that run.
"""

from __future__ import annotations

import logging
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from benchmarks import databases
from benchmarks.harness import Measure, Result

ROOT = Path(__file__).resolve().parent.parent
COLD_LIMIT = 10.0
WARM_LIMIT = 3.0
GROWTH_LIMIT = 1.5
CHART_LIMIT_BYTES = 300 * 1024
MEMORY_LIMIT_MB = 100.0  # a guard of our own: the issue sets no limit
COLD_RUNS = 3
WARM_RUNS = 7
TRIVIAL_PAGE = """import altair as alt
import pandas as pd
import streamlit as st

st.title("trivial")
st.altair_chart(
    alt.Chart(pd.DataFrame({"x": ["a", "b", "c"], "y": [3, 1, 2]})).mark_bar().encode(x="x:N", y="y:Q"),
    width="stretch",
)
"""


@dataclass(frozen=True)
class Page:
    """A page as a person opens it: its script, widget state set before the first run, whether it shows all regions."""

    name: str
    script: str
    state: dict[str, Any] = field(default_factory=dict)
    all_regions: bool = False


PAGES = [
    *(Page(p.stem, f"app_pages/{p.name}") for p in sorted((ROOT / "app_pages").glob("*.py"))),
    Page("executive, all regions", "app_pages/executive.py", {"executive-scope": "all"}, all_regions=True),
    Page("pdca_overview, all regions", "app_pages/pdca_overview.py", {"pdca_all_regions": True}, all_regions=True),
]
# pages whose content is every region's by design: the administrator's accounts and places, the change log
NATIONAL = {"admin", "audit"}


@dataclass
class Timing:
    """Best cold and warm seconds of a page and of the trivial page beside it, and what the page sent."""

    cold: float = float("inf")
    warm: float = float("inf")
    trivial_cold: float = float("inf")
    trivial_warm: float = float("inf")
    chart_bytes: int = 0
    exception: str = ""


def _quiet() -> None:
    # AppTest outside `streamlit run` logs a warning per cached call
    from streamlit import logger

    logger.set_log_level("error")
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    logging.getLogger("streamlit").setLevel(logging.ERROR)


def _forget(*, engine: bool = False) -> None:
    import streamlit as st

    from hubdash.ui import runtime

    runtime.clear_caches()
    st.cache_data.clear()
    if engine:
        st.cache_resource.clear()


def chart_bytes(at: Any) -> int:
    """Bytes of the Vega-Lite charts (specification and datasets) in an AppTest's element tree."""
    total = 0

    def walk(node: Any) -> None:
        nonlocal total
        for child in getattr(node, "children", {}).values():
            walk(child)
        proto = getattr(node, "proto", None)
        if proto is not None and type(proto).__name__ == "VegaLiteChart":
            total += proto.ByteSize()

    walk(at._tree)
    return total


def _app(script: str, state: dict[str, Any]) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(script, default_timeout=300)
    at.session_state["lang"] = "ja"
    for key, value in state.items():
        at.session_state[key] = value
    return at


def _timed(at: Any) -> float:
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started


def _exception(at: Any) -> str:
    # a traceback, or hubdash's one line for an unexpected error (or an error message) instead of the page
    found = [*at.exception, *at.error]
    return str(found[0].value)[:300] if found else ""


def measure(page: Page, trivial: str) -> Timing:
    """Cold and warm times of a page and of the trivial page, alternately, best of each."""
    timing = Timing()
    for _ in range(COLD_RUNS):
        _forget()
        floor = _app(trivial, {})
        timing.trivial_cold = min(timing.trivial_cold, _timed(floor))
        _forget()
        at = _app(str(ROOT / page.script), page.state)
        timing.cold = min(timing.cold, _timed(at))
        timing.exception = timing.exception or _exception(at)
    for _ in range(WARM_RUNS):
        timing.trivial_warm = min(timing.trivial_warm, _timed(floor))
        timing.warm = min(timing.warm, _timed(at))
    timing.chart_bytes = chart_bytes(at)
    timing.exception = timing.exception or _exception(at)
    return timing


class StatementCounter:
    """Counts the SQL statements every engine of this process sends while it is on."""

    def __init__(self) -> None:
        self.count = 0
        self.on = False

    def __call__(self, *_args: Any) -> None:
        if self.on:
            self.count += 1


def peak(page: Page, counter: StatementCounter) -> tuple[float, int]:
    """Peak Python memory (MB) and SQL statements of one cold run of the page."""
    _forget()
    at = _app(str(ROOT / page.script), page.state)
    counter.count, counter.on = 0, True
    tracemalloc.start()
    try:
        at.run()
        _, top = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        counter.on = False
    return top / 1024 / 1024, counter.count


def cases(words: list[str]) -> Iterator[Result | Measure]:
    """Every page: cold, warm, growth, chart data and peak memory."""
    pages = [p for p in PAGES if not words or any(w in f"page {p.name}" for w in words)]
    if not pages:
        return
    _quiet()
    trivial = databases.folder() / "trivial_page.py"
    trivial.write_text(TRIVIAL_PAGE, encoding="utf-8")
    counter = StatementCounter()
    event.listen(Engine, "before_cursor_execute", counter)
    try:
        timings: dict[int, dict[str, Timing]] = {}
        for regions in (47, 1):
            url = databases.demo(regions)
            with databases.environment(url):
                _forget(engine=True)
                _app(str(ROOT / "app_pages/home.py"), {}).run()  # imports and the engine, before any timing
                _app(str(trivial), {}).run()
                timings[regions] = {p.name: measure(p, str(trivial)) for p in pages}
                if regions == 47:
                    memory = {p.name: peak(p, counter) for p in pages}
            _forget(engine=True)
        for p in pages:
            yield from _results(p, timings[47][p.name], timings[1][p.name], memory[p.name])
    finally:
        event.remove(Engine, "before_cursor_execute", counter)


def _results(page: Page, national: Timing, one: Timing, memory: tuple[float, int]) -> Iterator[Result | Measure]:
    name = f"page {page.name}"
    if national.exception or one.exception:
        yield Measure(f"{name}: errors", 1, 0, detail={"exception": national.exception or one.exception})
    yield Result(f"{name}: cold / trivial page", national.cold, national.trivial_cold, COLD_LIMIT)
    yield Result(f"{name}: warm / trivial page", national.warm, national.trivial_warm, WARM_LIMIT)
    # each against its own trivial page: the machine's load may have changed between the two databases
    cold = (national.cold / national.trivial_cold) / (one.cold / one.trivial_cold)
    warm = (national.warm / national.trivial_warm) / (one.warm / one.trivial_warm)
    growth = max(cold, warm)
    shows_all = page.all_regions or page.name in NATIONAL
    yield Measure(
        f"{name}: 47 regions / 1 region",
        round(growth, 2),
        float("inf") if shows_all else GROWTH_LIMIT,
        "x",
        {"cold": round(cold, 2), "warm": round(warm, 2)} | ({"shows": "all regions"} if shows_all else {}),
    )
    yield Measure(f"{name}: chart data", national.chart_bytes, CHART_LIMIT_BYTES, " bytes")
    megabytes, statements = memory
    yield Measure(f"{name}: peak memory", round(megabytes, 1), MEMORY_LIMIT_MB, " MB", {"statements": statements})
