"""How many SQL statements each page sends when nothing is cached: the same for a small region as at national scale.

Every page runs cold (no cached read, a new session) in AppTest on two `demo-data` databases: one small region
(2 hubs, 8 indicators, 3 years) and 47 regions of 4 hubs, 25 indicators and 10 years. A page that reads per
region, hub, indicator, target or value (an N+1) sends more statements on the larger database and fails here;
so does a page that sends more than STATEMENT_CAP. Counts, not times: speed is measured in benchmarks/.
The databases are built once per test run, on SQLite and, with HUBDASH_TEST_POSTGRES_URL, on PostgreSQL (two
databases beside the test database, named after it with _stmt_small and _stmt_national, dropped at the end).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from hubdash import db
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import SYSTEM
from hubdash.seed.demo import generate_demo_data
from hubdash.ui import runtime
from tests.conftest import BACKENDS, POSTGRES_URL

ROOT = Path(__file__).resolve().parents[2]
END = FiscalQuarter(2026, 2)
STATEMENT_CAP = 40
CHANGE_CHECK = "max(auditevent.id)"  # services.audit_log.change_stamp
# page script, widget state before the first run (the all-regions views of two pages)
PAGES: dict[str, tuple[str, dict[str, Any]]] = {
    p.stem: (p.name, {}) for p in sorted((ROOT / "app_pages").glob("*.py"))
} | {
    "executive, all regions": ("executive.py", {"executive-scope": "all"}),
    "pdca_overview, all regions": ("pdca_overview.py", {"pdca_all_regions": True}),
}


def _demo(url: str, regions: int, hubs: int, indicators: int, years: int) -> str:
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.session_scope(engine) as session:
        generate_demo_data(
            session=session,
            actor=SYSTEM,
            regions=regions,
            hubs_per_region=hubs,
            indicators=indicators,
            years=years,
            end=END,
        )
    engine.dispose()
    return url


def _postgres_admin() -> Engine:
    # connected to the test database itself (as tests/e2e/test_two_servers.py): the role needs CREATEDB only
    return create_engine(make_url(db.normalise_url(POSTGRES_URL)), isolation_level="AUTOCOMMIT")


def _postgres(name: str) -> str:
    """A new, empty PostgreSQL database named after the test database; its URL."""
    url = make_url(db.normalise_url(POSTGRES_URL))
    full = f"{url.database}_stmt_{name}"
    admin = _postgres_admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{full}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{full}"'))
    admin.dispose()
    return url.set(database=full).render_as_string(hide_password=False)


def _drop(url: str) -> None:
    admin = _postgres_admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def databases(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A small region, and the national scale of `python -m hubdash demo-data --regions 47`."""
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("statements")
        urls = {name: f"sqlite:///{folder / name}.db" for name in ("small", "national")}
    else:
        urls = {name: _postgres(name) for name in ("small", "national")}
    found = {
        "small": _demo(urls["small"], regions=1, hubs=2, indicators=8, years=3),
        "national": _demo(urls["national"], regions=47, hubs=4, indicators=25, years=10),
    }
    yield found
    if request.param != "sqlite":
        st.cache_resource.clear()  # the app's engine lets go of the databases
        for url in found.values():
            _drop(url)


class Counter:
    """The SQL statements every engine of this process sends while on."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.on = False

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # the change check (has anything changed?) is asked at most every CHANGE_CHECK_SECONDS: how often it comes in
        # one run depends on the machine's speed, not on the data; it is left out of the count
        if self.on and CHANGE_CHECK not in statement.lower():
            self.statements.append(statement)


@pytest.fixture
def counter() -> Iterator[Counter]:
    found = Counter()
    event.listen(Engine, "before_cursor_execute", found)
    yield found
    event.remove(Engine, "before_cursor_execute", found)


def _forget() -> None:
    runtime.clear_caches()
    st.cache_data.clear()
    st.cache_resource.clear()


def cold_statements(
    url: str, page: str, state: dict[str, Any], counter: Counter, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """The statements of one run of the page in a new session with nothing cached (the engine made beforehand)."""
    monkeypatch.setenv(db.ENV_DATABASE_URL, url)
    _forget()
    runtime.engine()
    at = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=120)
    at.session_state["lang"] = "ja"
    for key, value in state.items():
        at.session_state[key] = value
    counter.statements.clear()
    counter.on = True
    try:
        at.run()
    finally:
        counter.on = False
        _forget()
    assert not at.exception, at.exception
    return list(counter.statements)


def _first_lines(statements: list[str]) -> str:
    return "\n".join(s.strip().splitlines()[0][:140] for s in statements)


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_sends_as_many_statements_at_national_scale_as_for_one_small_region(
    name: str, databases: dict[str, str], counter: Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, state = PAGES[name]
    small = cold_statements(databases["small"], page, state, counter, monkeypatch)
    national = cold_statements(databases["national"], page, state, counter, monkeypatch)
    assert len(national) == len(small), (
        f"{name}: {len(small)} statements for one small region, {len(national)} for 47 regions: a read per row?\n"
        f"--- one region ---\n{_first_lines(small)}\n--- 47 regions ---\n{_first_lines(national)}"
    )
    assert len(national) <= STATEMENT_CAP, f"{name}: {len(national)} statements\n{_first_lines(national)}"
