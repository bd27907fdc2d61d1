"""Test data builders: the smallest valid rows, with overridable fields."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from hubdash.domain.enums import Direction, IndicatorKind, Measure, Role, Sector
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import Actor
from hubdash.models import (
    ActionItem,
    Hub,
    Indicator,
    Organisation,
    PdcaCycle,
    Region,
    StrategicGoal,
    Target,
    User,
    UserHubScope,
)
from hubdash.services.users import actor_for


def region(session: Session, code: str = "r1", **fields: Any) -> Region:
    row = Region(code=code, name=fields.pop("name", f"Region {code}"), **fields)
    session.add(row)
    session.flush()
    return row


def organisation(session: Session, region_id: int, code: str = "O1", **fields: Any) -> Organisation:
    row = Organisation(
        region_id=region_id,
        code=code,
        name=fields.pop("name", f"Org {code}"),
        sector=fields.pop("sector", Sector.ACADEMIA),
        **fields,
    )
    session.add(row)
    session.flush()
    return row


def hub(session: Session, region_id: int, code: str = "H1", **fields: Any) -> Hub:
    row = Hub(region_id=region_id, code=code, name=fields.pop("name", f"Hub {code}"), **fields)
    session.add(row)
    session.flush()
    return row


def goal(session: Session, region_id: int, code: str = "G1", **fields: Any) -> StrategicGoal:
    row = StrategicGoal(region_id=region_id, code=code, title=fields.pop("title", f"Goal {code}"), **fields)
    session.add(row)
    session.flush()
    return row


def indicator(session: Session, region_id: int, code: str = "K01", **fields: Any) -> Indicator:
    row = Indicator(
        region_id=region_id,
        code=code,
        name=fields.pop("name", f"Indicator {code}"),
        unit=fields.pop("unit", "件"),
        kind=fields.pop("kind", IndicatorKind.OUTCOME),
        measure=fields.pop("measure", Measure.LEVEL),
        direction=fields.pop("direction", Direction.HIGHER),
        **fields,
    )
    session.add(row)
    session.flush()
    return row


def target(session: Session, indicator_row: Indicator, hub_row: Hub | None, **fields: Any) -> Target:
    defaults: dict[str, Any] = {
        "baseline_value": 0.0,
        "baseline_fy": 2023,
        "baseline_quarter": 4,
        "target_value": 100.0,
        "target_fy": 2027,
        "target_quarter": 4,
    }
    row = Target(
        region_id=indicator_row.region_id,
        indicator_id=indicator_row.id,
        hub_id=hub_row.id if hub_row else None,
        **(defaults | fields),
    )
    session.add(row)
    session.flush()
    return row


def user(
    session: Session,
    username: str,
    role: Role,
    *,
    region_id: int | None = None,
    organisation_id: int | None = None,
    hub_ids: tuple[int, ...] = (),
) -> Actor:
    """A stored user and the Actor that stands for them."""
    row = User(
        username=username,
        display_name=username.title(),
        role=role,
        region_id=region_id,
        organisation_id=organisation_id,
    )
    session.add(row)
    session.flush()
    session.add_all(UserHubScope(user_id=row.id, hub_id=h) for h in hub_ids)  # type: ignore[arg-type]
    session.flush()
    actor = actor_for(session=session, username=username)
    assert actor is not None
    return actor


def pdca_cycle(session: Session, hub_row: Hub, fiscal_year: int = 2024, quarter: int = 1, **fields: Any) -> PdcaCycle:
    row = PdcaCycle(hub_id=hub_row.id, fiscal_year=fiscal_year, quarter=quarter, cadence=hub_row.pdca_cadence, **fields)
    session.add(row)
    session.flush()
    return row


def action_item(
    session: Session, cycle_row: PdcaCycle, owner: Organisation, title: str = "A1", **fields: Any
) -> ActionItem:
    row = ActionItem(
        cycle_id=cycle_row.id,
        hub_id=cycle_row.hub_id,
        title=title,
        owner_organisation_id=owner.id,
        due_date=fields.pop("due_date", FiscalQuarter(cycle_row.fiscal_year, cycle_row.quarter).end_date),
        **fields,
    )
    session.add(row)
    session.flush()
    return row


def quarterly_values(session: Session, hub_row: Hub, indicator_row: Indicator, values: dict[str, float]) -> None:
    """Measurements of one hub and indicator, keyed by period text ("FY2024Q1": 3.0, ...)."""
    from hubdash.models import Measurement

    for text, value in values.items():
        period = FiscalQuarter.parse(text)
        session.add(
            Measurement(
                hub_id=hub_row.id,
                indicator_id=indicator_row.id,
                fiscal_year=period.fiscal_year,
                quarter=period.quarter,
                value=value,
            )
        )
    session.flush()


def target_change(session: Session, target_row: Target, reason: str = "re-baselined", **fields: Any) -> Any:
    """A re-baselining event (目標の見直し) of a target."""
    from hubdash.models import TargetChange

    row = TargetChange(target_id=target_row.id, reason=reason, **fields)
    session.add(row)
    session.flush()
    return row


def submitted(session: Session, hub_row: Hub, *periods: str, by: str = "manager") -> None:
    """The hub's manager has submitted these quarters ("FY2024Q1", ...)."""
    from hubdash.models import QuarterSubmission

    for text in periods:
        period = FiscalQuarter.parse(text)
        session.add(
            QuarterSubmission(
                hub_id=hub_row.id, fiscal_year=period.fiscal_year, quarter=period.quarter, submitted_by_name=by
            )
        )
    session.flush()
