"""Adding and editing indicators: validation, permissions, audit, and the catalogue's quality hints."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hubdash.domain.enums import Direction, IndicatorKind, Measure, Role
from hubdash.domain.kpi_hints import HintRule
from hubdash.domain.permissions import SYSTEM, PermissionDenied
from hubdash.models import AuditEvent, Indicator, Measurement
from hubdash.services.indicators import (
    IndicatorError,
    IndicatorInput,
    catalogue_hints,
    create_indicator,
    indicator_catalogue,
    update_indicator,
)
from tests import factories


def _input(code: str = "K10", **fields) -> IndicatorInput:
    values = {
        "code": code,
        "name": "Joint research contracts",
        "unit": "件",
        "kind": IndicatorKind.OUTCOME,
        "measure": Measure.FLOW,
        "direction": Direction.HIGHER,
    }
    return IndicatorInput(**(values | fields))


def test_create_adds_to_the_end_of_the_catalogue_with_an_audit_event(session: Session) -> None:
    region = factories.region(session)
    goal = factories.goal(session, region.id)
    factories.indicator(session, region.id, "K01", position=3)
    created = create_indicator(
        session=session,
        actor=SYSTEM,
        region_id=region.id,
        data=_input("Ｋ１０ ", goal_id=goal.id, data_source=" ledger "),
    )
    session.commit()
    assert (created.code, created.data_source, created.goal_id) == ("K10", "ledger", goal.id)  # NFKC, trimmed
    assert [e.indicator.code for e in indicator_catalogue(session=session, region_id=region.id)] == ["K01", "K10"]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "indicator.create")).one()
    assert event.after["code"] == "K10" and event.region_id == region.id


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "K01"}, "already used"),
        ({"code": " "}, "code: must not be empty"),
        ({"code": "K 1"}, "spaces"),
        ({"unit": ""}, "unit: must not be empty"),
        ({"name": "x" * 301}, "at most 300"),
        ({"kind": "impact"}, "kind: 'impact' is not one of"),
        ({"goal_id": 999}, "does not belong"),
    ],
)
def test_invalid_indicators_are_refused_and_nothing_is_written(session: Session, fields: dict, message: str) -> None:
    region = factories.region(session)
    factories.indicator(session, region.id, "K01")
    with pytest.raises(IndicatorError, match=message):
        create_indicator(session=session, actor=SYSTEM, region_id=region.id, data=_input(**({"code": "K02"} | fields)))
    assert len(session.exec(select(Indicator)).all()) == 1


def test_the_same_code_is_allowed_in_another_region(session: Session) -> None:
    first, second = factories.region(session, "r1"), factories.region(session, "r2")
    factories.indicator(session, first.id, "K01")
    assert create_indicator(session=session, actor=SYSTEM, region_id=second.id, data=_input("K01")).code == "K01"


def test_update_changes_fields_and_records_before_and_after(session: Session) -> None:
    region = factories.region(session)
    row = factories.indicator(session, region.id, "K01", name="Old name")
    update_indicator(
        session=session, actor=SYSTEM, indicator_id=row.id, data=_input("K01", name="New name", measure=Measure.LEVEL)
    )
    session.commit()
    assert session.get(Indicator, row.id).name == "New name"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "indicator.update")).one()
    assert (event.before["name"], event.after["name"]) == ("Old name", "New name")


def test_update_may_keep_its_own_code_but_not_take_another(session: Session) -> None:
    region = factories.region(session)
    k1 = factories.indicator(session, region.id, "K01")
    factories.indicator(session, region.id, "K02")
    update_indicator(session=session, actor=SYSTEM, indicator_id=k1.id, data=_input("K01", measure=Measure.LEVEL))
    with pytest.raises(IndicatorError, match="already used"):
        update_indicator(session=session, actor=SYSTEM, indicator_id=k1.id, data=_input("K02", measure=Measure.LEVEL))


def test_measure_cannot_change_once_values_are_entered(session: Session) -> None:
    region = factories.region(session)
    hub = factories.hub(session, region.id)
    row = factories.indicator(session, region.id, "K01", measure=Measure.FLOW)
    session.add(Measurement(hub_id=hub.id, indicator_id=row.id, fiscal_year=2024, quarter=1, value=3))
    session.flush()
    with pytest.raises(IndicatorError, match="already has 1 values entered as Flow"):
        update_indicator(session=session, actor=SYSTEM, indicator_id=row.id, data=_input("K01", measure=Measure.LEVEL))
    assert session.get(Indicator, row.id).measure == Measure.FLOW


def test_only_council_members_and_admins_of_the_region_edit_indicators(session: Session) -> None:
    region, other = factories.region(session, "r1"), factories.region(session, "r2")
    member = factories.user(session, "member", Role.COUNCIL_MEMBER, region_id=region.id)
    manager = factories.user(session, "manager", Role.HUB_MANAGER, region_id=region.id)
    assert create_indicator(session=session, actor=member, region_id=region.id, data=_input()).code == "K10"
    with pytest.raises(PermissionDenied):
        create_indicator(session=session, actor=member, region_id=other.id, data=_input())
    with pytest.raises(PermissionDenied):
        create_indicator(session=session, actor=manager, region_id=region.id, data=_input("K11"))


def test_catalogue_hints_read_the_stored_catalogue(session: Session) -> None:
    region = factories.region(session)
    g1, g2 = factories.goal(session, region.id, "G1"), factories.goal(session, region.id, "G2")
    hub = factories.hub(session, region.id, "H1")
    factories.hub(session, region.id, "H2")
    outcome = factories.indicator(session, region.id, "K01", goal_id=g1.id)
    activity = factories.indicator(session, region.id, "K02", kind=IndicatorKind.ACTIVITY, goal_id=g2.id)
    factories.indicator(session, region.id, "K03", kind=IndicatorKind.OUTPUT, goal_id=g1.id)
    factories.target(session, outcome, None, baseline_value=50, target_value=40)
    factories.target(session, activity, hub)
    hints = {(h.rule, h.subject) for h in catalogue_hints(session=session, region_id=region.id)}
    assert hints == {
        (HintRule.GOAL_WITHOUT_OUTCOME, "G2"),
        (HintRule.INDICATOR_WITHOUT_TARGET, "K03"),
        (HintRule.TARGET_NOT_AHEAD, "K01"),
        (HintRule.HUB_ONLY_INPUTS, "H1"),
    }
