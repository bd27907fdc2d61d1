"""Targets for hubs and the whole region: validation, re-baselining with a reason and its history."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hubdash.domain.enums import Accumulation, Measure, Role
from hubdash.domain.errors import EditConflict, UserError
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import SYSTEM, PermissionDenied
from hubdash.models import AuditEvent, Target, TargetChange
from hubdash.services.progress import hub_quarter, profile_proposal
from hubdash.services.targets import (
    TargetError,
    TargetInput,
    create_target,
    target_history,
    update_target,
)
from tests import factories

FY23Q4, FY27Q4 = FiscalQuarter(2023, 4), FiscalQuarter(2027, 4)


@pytest.fixture
def setup(session: Session):
    region = factories.region(session)
    hub = factories.hub(session, region.id, "H1")
    flow = factories.indicator(session, region.id, "K01", measure=Measure.FLOW)
    return region, hub, flow


def _input(indicator_id: int, hub_id: int | None, **fields) -> TargetInput:
    values = {
        "baseline_value": 10.0,
        "baseline_period": FY23Q4,
        "target_value": 30.0,
        "target_period": FY27Q4,
        "accumulation": Accumulation.ANNUAL,
    }
    return TargetInput(indicator_id=indicator_id, hub_id=hub_id, **(values | fields))


def test_a_hub_target_and_a_region_target_of_one_indicator(session: Session, setup) -> None:
    region, hub, flow = setup
    create_target(
        session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, hub.id, milestones={2025: 20})
    )
    create_target(session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, None, target_value=90))
    session.commit()
    stored = {t.hub_id: t for t in session.exec(select(Target)).all()}
    assert stored[hub.id].milestones == {"2025": 20.0}
    assert (stored[None].target_value, stored[None].target_fy, stored[None].target_quarter) == (90.0, 2027, 4)
    assert [r.indicator_code for r in hub_quarter(session=session, hub_id=hub.id, at=FiscalQuarter(2024, 1))] == ["K01"]
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "target.create")).all()) == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"target_period": FY23Q4}, "must come after the baseline period"),
        ({"baseline_period": FiscalQuarter(2023, 3)}, "must be Q4"),
        ({"tolerance": 1.5}, "tolerance: 1.5 must be between 0 and 1"),
        ({"target_value": float("nan")}, "target: nan is not a finite number"),
        ({"milestones": {2028: 40}}, "milestones: FY2028 is not between"),
        ({"milestones": {2023: 40}}, "milestones: FY2023 is not between"),
    ],
)
def test_invalid_targets_are_refused(session: Session, setup, fields: dict, message: str) -> None:
    region, hub, flow = setup
    with pytest.raises(TargetError, match=message):
        create_target(session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, hub.id, **fields))
    assert session.exec(select(Target)).all() == []


def test_a_level_target_may_end_in_any_quarter(session: Session, setup) -> None:
    region, hub, _ = setup
    level = factories.indicator(session, region.id, "K02", measure=Measure.LEVEL)
    data = _input(level.id, hub.id, baseline_period=FiscalQuarter(2024, 2), target_period=FiscalQuarter(2026, 3))
    assert create_target(session=session, actor=SYSTEM, region_id=region.id, data=data).target_quarter == 3


def test_one_target_per_indicator_and_hub_and_only_in_its_region(session: Session, setup) -> None:
    region, hub, flow = setup
    create_target(session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, hub.id))
    with pytest.raises(TargetError, match="already has a target for this hub"):
        create_target(session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, hub.id))
    other = factories.region(session, "r2")
    foreign_hub = factories.hub(session, other.id, "X1")
    with pytest.raises(TargetError, match="is not a hub of this region"):
        create_target(session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, foreign_hub.id))
    with pytest.raises(TargetError, match="is not an indicator of this region"):
        create_target(session=session, actor=SYSTEM, region_id=other.id, data=_input(flow.id, foreign_hub.id))


def test_rebaselining_needs_a_reason_and_is_kept_in_history(session: Session, setup) -> None:
    region, hub, flow = setup
    target = create_target(session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, hub.id))
    session.commit()
    changed = _input(flow.id, hub.id, baseline_value=12.0, target_value=40.0)
    with pytest.raises(TargetError, match="needs a reason"):
        update_target(session=session, actor=SYSTEM, target_id=target.id, data=changed, reason="  ", version=1)
    update_target(
        session=session, actor=SYSTEM, target_id=target.id, data=changed, reason="New university joined", version=1
    )
    session.commit()
    assert (session.get(Target, target.id).target_value, session.get(Target, target.id).version) == (40.0, 2)
    [entry] = target_history(session=session, region_id=region.id)
    assert (entry.indicator_code, entry.hub_code, entry.reason, entry.changed_by) == (
        "K01",
        "H1",
        "New university joined",
        SYSTEM.name,
    )
    assert (entry.before["target_value"], entry.after["target_value"]) == (30.0, 40.0)
    assert (entry.before["baseline_value"], entry.after["baseline_value"]) == (10.0, 12.0)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "target.update")).one().before["version"] == 1


def test_saving_an_unchanged_target_writes_no_history(session: Session, setup) -> None:
    region, hub, flow = setup
    target = create_target(session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, hub.id))
    update_target(
        session=session, actor=SYSTEM, target_id=target.id, data=_input(flow.id, hub.id), reason="", version=1
    )
    assert session.exec(select(TargetChange)).all() == []


def test_a_stale_version_is_a_conflict(session: Session, setup) -> None:
    region, hub, flow = setup
    target = create_target(session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, hub.id))
    update_target(
        session=session,
        actor=SYSTEM,
        target_id=target.id,
        data=_input(flow.id, hub.id, target_value=35),
        reason="a",
        version=1,
    )
    with pytest.raises(EditConflict, match="someone else changed"):
        update_target(
            session=session,
            actor=SYSTEM,
            target_id=target.id,
            data=_input(flow.id, hub.id, target_value=50),
            reason="b",
            version=1,
        )
    assert session.get(Target, target.id).target_value == 35


def test_hub_managers_and_viewers_may_not_set_targets(session: Session, setup) -> None:
    region, hub, flow = setup
    for role in (Role.HUB_MANAGER, Role.VIEWER):
        actor = factories.user(session, role.value, role, region_id=region.id, hub_ids=(hub.id,))
        with pytest.raises(PermissionDenied):
            create_target(session=session, actor=actor, region_id=region.id, data=_input(flow.id, hub.id))
    member = factories.user(session, "member", Role.COUNCIL_MEMBER, region_id=region.id)
    assert create_target(session=session, actor=member, region_id=region.id, data=_input(flow.id, hub.id)).id


# --- quarterly profiles ---------------------------------------------------------------------------


def test_a_flow_target_carries_a_profile_and_its_change_is_kept_in_the_history(session: Session, setup) -> None:
    region, hub, flow = setup
    target = create_target(
        session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, hub.id, profile=(0.1, 0.25, 0.45, 1))
    )
    session.commit()
    assert target.profile == [0.1, 0.25, 0.45, 1.0]
    factories.quarterly_values(session, hub, flow, {"FY2024Q1": 1.5})  # 15 expected for FY2024, 10 % by June
    [row] = hub_quarter(session=session, hub_id=hub.id, at=FiscalQuarter(2024, 1))
    assert row.expected == pytest.approx(1.5) and row.assessment and row.assessment.status.value == "on_track"
    update_target(
        session=session,
        actor=SYSTEM,
        target_id=target.id,
        data=_input(flow.id, hub.id, profile=None),
        reason="back to a straight path",
        version=target.version,
    )
    session.commit()
    [change] = target_history(session=session, region_id=region.id)
    assert (change.before["profile"], change.after["profile"]) == ([10, 25, 45, 100], None)
    [row] = hub_quarter(session=session, hub_id=hub.id, at=FiscalQuarter(2024, 1))
    assert row.expected == pytest.approx(3.75) and row.assessment and row.assessment.status.value == "off_track"


def test_a_linear_profile_or_a_level_indicators_profile_is_not_stored(session: Session, setup) -> None:
    region, hub, flow = setup
    level = factories.indicator(session, region.id, "K02", measure=Measure.LEVEL)
    linear = create_target(
        session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, hub.id, profile=(0.25, 0.5, 0.75, 1))
    )
    stock = create_target(
        session=session, actor=SYSTEM, region_id=region.id, data=_input(level.id, hub.id, profile=(0.1, 0.2, 0.3, 1))
    )
    assert linear.profile is None and stock.profile is None


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"profile": (0.5, 0.4, 0.6, 1.0)}, "profile.error_order"),
        ({"profile": (0.1, 0.2, 0.3, 0.9)}, "profile.error_end"),
        ({"profile": (0.1, 0.2, 1.0)}, "profile.error_length"),
        (
            {
                "accumulation": Accumulation.CUMULATIVE,
                "baseline_period": FiscalQuarter(2024, 1),
                "target_period": FiscalQuarter(2024, 3),
                "profile": (0.2, 0.2, 0.2, 1.0),
            },
            "indicators.error_profile_span",
        ),
    ],
)
def test_a_profile_that_cannot_be_a_path_is_refused_in_the_users_words(session: Session, setup, fields, key) -> None:
    region, hub, flow = setup
    with pytest.raises(UserError) as info:
        create_target(session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, hub.id, **fields))
    assert info.value.key == key


def test_the_proposed_profile_rests_on_the_hubs_complete_past_years(session: Session, setup) -> None:
    region, hub, flow = setup
    create_target(session=session, actor=SYSTEM, region_id=region.id, data=_input(flow.id, hub.id))
    other = factories.hub(session, region.id, "H2")
    factories.quarterly_values(
        session,
        hub,
        flow,
        {
            "FY2023Q1": 1,
            "FY2023Q2": 1,
            "FY2023Q3": 2,
            "FY2023Q4": 6,
            "FY2024Q1": 1,
            "FY2024Q2": 3,
            "FY2024Q3": 4,
            "FY2024Q4": 12,
            "FY2025Q1": 50,
        },
    )
    factories.quarterly_values(session, other, flow, {"FY2024Q1": 5, "FY2024Q2": 5, "FY2024Q3": 5, "FY2024Q4": 5})
    session.commit()
    proposal = profile_proposal(session=session, region_id=region.id, indicator_id=flow.id, hub_id=hub.id)
    assert proposal is not None and proposal.fiscal_years == (2023, 2024)
    # FY2023: 10 / 20 / 40 %, FY2024: 5 / 20 / 40 % of the year by the end of Q1..Q3; FY2025 is not complete
    assert proposal.profile == (0.08, 0.2, 0.4, 1.0)
    region_wide = profile_proposal(session=session, region_id=region.id, indicator_id=flow.id, hub_id=None)
    assert region_wide is not None and region_wide.fiscal_years == (2023, 2024)
    assert profile_proposal(session=session, region_id=region.id, indicator_id=flow.id, hub_id=999) is None
