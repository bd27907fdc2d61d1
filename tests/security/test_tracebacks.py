"""No traceback reaches a user: an unexpected error shows one translated line and an incident number, the log
holds the traceback under that number; st.rerun and st.stop still work inside the guard."""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hubdash import i18n
from hubdash.ui.runtime import LOG

ROOT = Path(__file__).resolve().parents[2]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logged() -> Iterator[list[logging.LogRecord]]:
    handler = _Records()
    LOG.addHandler(handler)
    yield handler.records
    LOG.removeHandler(handler)


def _page(what: str) -> None:
    import streamlit as st

    from hubdash import ui

    st.session_state["lang"] = st.session_state.get("lang", "en")
    runs = st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    with ui.guard():
        st.write("before")
        if what == "crash":
            {"part": 1}["statement"]  # noqa: B018 - the KeyError of issue 11
        if what == "rerun" and runs == 1:
            st.rerun()
        if what == "stop":
            st.stop()
        if what == "user_error":
            from hubdash.domain.periods import FiscalQuarter

            FiscalQuarter.parse("2024年度第5四半期")
        st.write("after")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_an_unexpected_error_shows_one_line_with_an_incident_number(lang: str, logged) -> None:
    at = AppTest.from_function(_page, kwargs={"what": "crash"})
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    (error,) = at.error
    incident = re.search(r"[0-9a-f]{8}", error.value)
    assert incident and error.value == i18n.t("app.unexpected", lang, incident=incident.group())
    assert "KeyError" not in error.value and "Traceback" not in error.value
    (record,) = logged
    assert incident.group() in record.getMessage() and record.exc_info and record.exc_info[0] is KeyError


def test_a_user_error_nobody_handled_reads_as_its_message(logged) -> None:
    at = AppTest.from_function(_page, kwargs={"what": "user_error"}).run()
    assert not at.exception and logged == []
    assert "2024年度第5四半期" in at.error[0].value and "FY2024Q1" in at.error[0].value


@pytest.mark.parametrize("what", ["rerun", "stop"])
def test_rerun_and_stop_pass_through(what: str, logged) -> None:
    at = AppTest.from_function(_page, kwargs={"what": what}).run()
    assert not at.exception and not at.error and logged == []
    assert [m.value for m in at.markdown] == (["before", "after"] if what == "rerun" else ["before"])
    assert at.session_state["runs"] == (2 if what == "rerun" else 1)


def test_every_page_and_fragment_runs_inside_the_guard() -> None:
    app = ast.parse((ROOT / "main.py").read_text(encoding="utf-8"))
    guarded_runs = [
        node
        for node in ast.walk(app)
        if isinstance(node, ast.With)
        and any(ast.unparse(item.context_expr) == "ui.guard()" for item in node.items)
        and "navigation.run()" in ast.unparse(node)
    ]
    assert guarded_runs, "main.py runs the page inside ui.guard()"
    fragments = []
    for path in [*(ROOT / "app_pages").glob("*.py"), *(ROOT / "hubdash" / "ui").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                names = [ast.unparse(d) for d in node.decorator_list]
                if any(n.startswith("st.fragment") for n in names):
                    fragments.append((path.name, node.name, any(n.endswith("guarded") for n in names)))
    assert len(fragments) >= 3
    assert [f for f in fragments if not f[2]] == []
