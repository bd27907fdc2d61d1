"""Targets for hubs and the whole region: validation, re-baselining with a reason and its history."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hubdash.domain.enums import Accumulation, Measure, Role
from hubdash.domain.errors import EditConflict
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import SYSTEM, PermissionDenied
from hubdash.models import AuditEvent, Target, TargetChange
from hubdash.services.progress import hub_quarter
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
