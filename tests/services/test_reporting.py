"""Reporting: hub managers submit a quarter once its values are in; summaries are as of complete quarters."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hubdash.domain.enums import Measure, Role, SubmissionStatus
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import OPEN_MODE_ADMIN, PermissionDenied
from hubdash.models import AuditEvent, QuarterSubmission
from hubdash.services.reporting import (
    SubmissionError,
    coverage,
    hub_quarter_state,
    region_reporting,
    reporting,
    submit_quarter,
)
from tests import factories

Q1, Q2 = FiscalQuarter(2024, 1), FiscalQuarter(2024, 2)


@pytest.fixture
def region(session: Session) -> dict:
    """Three hubs with a target each (H3 with two), and H4 without targets."""
    r = factories.region(session, "r1")
    hubs = {code: factories.hub(session, r.id, code) for code in ("H1", "H2", "H3", "H4")}
    k01 = factories.indicator(session, r.id, "K01", measure=Measure.FLOW)
    k02 = factories.indicator(session, r.id, "K02")
    for code in ("H1", "H2", "H3"):
        factories.target(session, k01, hubs[code])
    factories.target(session, k02, hubs["H3"])
    session.commit()
    return {"region": r, **hubs, "k01": k01, "k02": k02}


def test_a_quarter_is_complete_once_every_hub_with_targets_has_submitted_it(session: Session, region: dict) -> None:
    for code in ("H1", "H2", "H3"):
        factories.quarterly_values(session, region[code], region["k01"], {"FY2024Q1": 1})
    factories.quarterly_values(session, region["H3"], region["k02"], {"FY2024Q1": 1})
    state = reporting(session=session, region_id=region["region"].id)
    assert (state.hubs, state.complete, state.latest, state.headline) == (3, None, Q1, Q1)
    for code in ("H1", "H2"):
        submit_quarter(session=session, actor=OPEN_MODE_ADMIN, hub_id=region[code].id, period=Q1)
    state = reporting(session=session, region_id=region["region"].id)
    assert state.complete is None
    [first] = state.newer
    assert (first.period, first.hubs, first.reported, first.submitted, first.complete) == (Q1, 3, 3, 2, False)

    submit_quarter(session=session, actor=OPEN_MODE_ADMIN, hub_id=region["H3"].id, period=Q1)
    factories.quarterly_values(session, region["H2"], region["k01"], {"FY2024Q2": 2})
    state = reporting(session=session, region_id=region["region"].id)
    assert (state.complete, state.latest, state.headline) == (Q1, Q2, Q1)  # H4 has no targets: not waited for
    [newer] = state.newer
    assert (newer.period, newer.reported, newer.submitted) == (Q2, 1, 0)
    assert coverage(session=session, region_id=None, period=Q1).complete


def test_submitting_needs_every_value_and_is_done_once(session: Session, region: dict) -> None:
    h3 = region["H3"]
    factories.quarterly_values(session, h3, region["k01"], {"FY2024Q1": 1})
    with pytest.raises(SubmissionError, match="K02") as info:
        submit_quarter(session=session, actor=OPEN_MODE_ADMIN, hub_id=h3.id, period=Q1)
    assert info.value.key == "reporting.error_missing"
    factories.quarterly_values(session, h3, region["k02"], {"FY2024Q1": 0})  # an empty quarter is a 0
    first = submit_quarter(session=session, actor=OPEN_MODE_ADMIN, hub_id=h3.id, period=Q1)
    again = submit_quarter(session=session, actor=OPEN_MODE_ADMIN, hub_id=h3.id, period=Q1)
    session.commit()
    assert first.id == again.id and first.status is SubmissionStatus.SUBMITTED and first.version == 1
    assert first.submitted_by_name == OPEN_MODE_ADMIN.name and first.submitted_at.tzinfo is not None
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "quarter.submit")).all()
    assert [(e.entity_id, e.region_id) for e in events] == [("H3:FY2024Q1", region["region"].id)]
    with pytest.raises(SubmissionError, match="no targets"):
        submit_quarter(session=session, actor=OPEN_MODE_ADMIN, hub_id=region["H4"].id, period=Q1)


def test_only_the_hubs_own_manager_submits(session: Session, region: dict) -> None:
    factories.quarterly_values(session, region["H1"], region["k01"], {"FY2024Q1": 1})
    factories.quarterly_values(session, region["H2"], region["k01"], {"FY2024Q1": 1})
    manager = factories.user(session, "m1", Role.HUB_MANAGER, region_id=region["region"].id, hub_ids=(region["H1"].id,))
    submit_quarter(session=session, actor=manager, hub_id=region["H1"].id, period=Q1)
    for actor in (
        manager,
        factories.user(session, "v", Role.VIEWER),
        factories.user(session, "c", Role.COUNCIL_MEMBER),
    ):
        with pytest.raises(PermissionDenied):
            submit_quarter(session=session, actor=actor, hub_id=region["H2"].id, period=Q1)
    assert len(session.exec(select(QuarterSubmission)).all()) == 1


def test_the_council_sees_who_has_submitted(session: Session, region: dict) -> None:
    factories.quarterly_values(session, region["H1"], region["k01"], {"FY2024Q1": 1, "FY2024Q2": 1})
    factories.quarterly_values(session, region["H3"], region["k01"], {"FY2024Q2": 1})
    submit_quarter(session=session, actor=OPEN_MODE_ADMIN, hub_id=region["H1"].id, period=Q1)
    rows = region_reporting(session=session, region_id=region["region"].id, quarters=2)
    assert [r.code for r in rows] == ["H1", "H2", "H3", "H4"]
    h1, h2, h3, h4 = rows
    assert [s.period for s in h1.quarters] == [Q1, Q2]
    assert [(s.submitted, s.entered, s.targets) for s in h1.quarters] == [(True, 1, 1), (False, 1, 1)]
    assert [(s.submitted, s.entered, s.targets) for s in h3.quarters] == [(False, 0, 2), (False, 1, 2)]
    assert h4.quarters[0].targets == 0
    state = hub_quarter_state(session=session, hub_id=region["H1"].id, period=Q1)
    assert state.submitted and state.submitted_by == OPEN_MODE_ADMIN.name
