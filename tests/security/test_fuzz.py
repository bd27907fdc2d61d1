"""Any input gives a value or a clear user error, and an error leaves the database as it was (hypothesis).

Covers the progress-file reader, the period parser, and the validation of every form that writes: indicators,
targets, action items and vision saves, each run the way the page runs it (one transaction per attempt).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, select

from hubdash import db
from hubdash.domain.enums import Accumulation, Direction, IndicatorKind, Measure
from hubdash.domain.errors import UserError
from hubdash.domain.periods import FiscalQuarter, PeriodError
from hubdash.domain.permissions import OPEN_MODE_ADMIN
from hubdash.readers.progress_file import ImportFileError, read_progress_file
from hubdash.services import pdca, targets, vision
from hubdash.services.indicators import IndicatorInput, create_indicator
from tests import factories

ACTOR = OPEN_MODE_ADMIN
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(max_size=60) | st.sampled_from(["", " ", "=1+1", "<img src=x>", "G1", "K01", "a" * 400, "\x00"])


@given(st.binary(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_any_bytes_read_as_rows_or_a_file_error(data: bytes) -> None:
    try:
        parsed = read_progress_file(data, "f.csv")
    except ImportFileError as exc:
        assert exc.total >= len(exc.errors) >= 1
    else:
        assert parsed.errors == [] and parsed.rows


CELL = st.text(max_size=12) | st.sampled_from(["H1", "K01", "FY2024Q1", "令和6年度第1四半期", "1,234", "△3", "'=1"])


@given(st.lists(st.lists(CELL, max_size=7), max_size=30), st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))
@settings(max_examples=300, deadline=None)
def test_any_table_reads_as_rows_or_a_file_error(rows: list[list[str]], encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["hub", "indicator", "period", "value", "note"], *rows])
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buffer.getvalue().encode("utf-8")
    try:
        parsed = read_progress_file(data, "f.csv")
    except ImportFileError as exc:
        assert exc.errors and all(e.row <= len(rows) + 1 for e in exc.errors)
    else:
        assert all(isinstance(r.period, FiscalQuarter) and r.value == r.value for r in parsed.rows)


@given(
    st.text(max_size=40) | st.from_regex(r"(FY|R|令和|平成)?[0-9０-９]{1,5}(年度)?(第|Q|-Q)?[0-9０-９]{0,2}(四半期)?")
)
@settings(max_examples=500, deadline=None)
def test_any_text_is_a_fiscal_quarter_or_a_period_error(text: str) -> None:
    try:
        quarter = FiscalQuarter.parse(text)
    except PeriodError as exc:
        assert exc.key.startswith("period.")
    else:
        assert 1 <= quarter.quarter <= 4 and FiscalQuarter.parse(quarter.canonical()) == quarter


# ---- forms -------------------------------------------------------------------------------------------------------


def _counts(engine: Engine) -> dict[str, int]:
    """Rows of every table (audit events included): what an error must leave alone."""
    with Session(engine) as s:
        return {t.name: s.exec(select(func.count()).select_from(t)).one() for t in SQLModel.metadata.sorted_tables}


def _attempt(engine: Engine, write: Callable[[Session], Any]) -> None:
    """One write the way the page makes it (runtime.attempt): a value, or a user error and nothing changed."""
    before = _counts(engine)
    try:
        with db.session_scope(engine) as session:
            write(session)
    except UserError as exc:
        assert str(exc) and exc.key
        assert _counts(engine) == before, f"{exc.key} left changes behind"


@pytest.fixture
def region(engine: Engine) -> dict[str, int]:
    with db.session_scope(engine) as s:
        region = factories.region(s)
        hub = factories.hub(s, region.id)
        org = factories.organisation(s, region.id)
        indicator = factories.indicator(s, region.id)
        cycle = factories.pdca_cycle(s, hub)
        return {"region": region.id, "hub": hub.id, "org": org.id, "indicator": indicator.id, "cycle": cycle.id}


@given(
    code=TEXT, name=TEXT, unit=TEXT, definition=TEXT, data_source=TEXT,
    kind=st.sampled_from(IndicatorKind), measure=st.sampled_from(Measure), direction=st.sampled_from(Direction),
    goal_id=st.none() | st.integers(-5, 10**6),
)  # fmt: skip
@FUZZ
def test_indicator_form(engine: Engine, region: dict[str, int], goal_id: int | None, **fields: Any) -> None:
    data = IndicatorInput(goal_id=goal_id, **fields)
    _attempt(engine, lambda s: create_indicator(session=s, actor=ACTOR, region_id=region["region"], data=data))


NUMBERS = st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**12), 10**12).map(float)
QUARTERS = st.builds(FiscalQuarter, st.integers(1990, 2100), st.integers(1, 4))


@given(
    baseline=NUMBERS, target=NUMBERS, baseline_period=QUARTERS, target_period=QUARTERS,
    tolerance=st.floats(-1, 2) | st.just(float("nan")), accumulation=st.sampled_from(Accumulation),
    milestones=st.dictionaries(st.integers(1900, 2200), NUMBERS, max_size=4),
    hub=st.booleans(), indicator_id=st.sampled_from([0, -1, 10**9]) | st.none(),
)  # fmt: skip
@FUZZ
def test_target_form(engine: Engine, region: dict[str, int], **f: Any) -> None:
    data = targets.TargetInput(
        indicator_id=region["indicator"] if f["indicator_id"] is None else f["indicator_id"],
        hub_id=region["hub"] if f["hub"] else None,
        baseline_value=f["baseline"],
        baseline_period=f["baseline_period"],
        target_value=f["target"],
        target_period=f["target_period"],
        accumulation=f["accumulation"],
        tolerance=f["tolerance"],
        milestones=f["milestones"],
    )
    _attempt(engine, lambda s: targets.create_target(session=s, actor=ACTOR, region_id=region["region"], data=data))


@given(
    title=TEXT, evidence=TEXT, due=st.none() | st.dates(date(1900, 1, 1), date(2200, 1, 1)),
    owner=st.booleans(), indicators=st.lists(st.integers(-1, 5), max_size=3),
)  # fmt: skip
@FUZZ
def test_action_item_form(engine: Engine, region: dict[str, int], **f: Any) -> None:
    action = pdca.ActionInput(
        title=f["title"],
        owner_organisation_id=region["org"] if f["owner"] else None,
        due_date=f["due"],
        indicator_ids=tuple(f["indicators"]),
        evidence=f["evidence"],
    )
    _attempt(engine, lambda s: pdca.add_action(session=s, actor=ACTOR, cycle_id=region["cycle"], action=action))


@given(
    part=st.sampled_from(["statement", "goal:G1", "goal:", "goal:=1", "commitment:industry", "commitment:x", "x"]),
    body=TEXT, title=TEXT, reason=TEXT, base_version=st.integers(-2, 5),
)  # fmt: skip
@FUZZ
def test_vision_save(engine: Engine, region: dict[str, int], part: str, **f: Any) -> None:
    _attempt(engine, lambda s: vision.save_part(session=s, actor=ACTOR, region_id=region["region"], part_key=part, **f))
