"""PDCA cycles of the hubs (read side): the board of stages and one cycle with its action items."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from hubdash.enums import PdcaStage
from hubdash.models import ActionItem, Hub, Organisation, PdcaCycle
from hubdash.periods import FiscalQuarter


@dataclass(frozen=True)
class BoardCell:
    """The stage of one hub's cycle starting in one fiscal quarter."""

    hub_id: int
    hub_code: str
    period: FiscalQuarter
    stage: PdcaStage
    cycle_id: int


@dataclass(frozen=True)
class CycleDetail:
    """One cycle with its hub, core institution and action items (with owner names)."""

    cycle: PdcaCycle
    hub: Hub
    core_institution: str
    actions: list[tuple[ActionItem, str]]


def cycle_board(*, session: Session, region_id: int, first: FiscalQuarter, last: FiscalQuarter) -> list[BoardCell]:
    """Every cycle of the region's hubs starting between `first` and `last` (inclusive)."""
    rows = session.exec(
        select(PdcaCycle, Hub.code)
        .join(Hub, col(Hub.id) == PdcaCycle.hub_id)
        .where(
            Hub.region_id == region_id,
            PdcaCycle.fiscal_year * 4 + PdcaCycle.quarter >= first.fiscal_year * 4 + first.quarter,
            PdcaCycle.fiscal_year * 4 + PdcaCycle.quarter <= last.fiscal_year * 4 + last.quarter,
        )
        .order_by(Hub.code, PdcaCycle.fiscal_year, PdcaCycle.quarter)
    ).all()
    return [
        BoardCell(c.hub_id, code, FiscalQuarter(c.fiscal_year, c.quarter), c.stage, c.id)  # type: ignore[arg-type]
        for c, code in rows
    ]


def latest_cycle_period(*, session: Session, region_id: int) -> FiscalQuarter | None:
    """The newest quarter in which any hub of the region has a cycle."""
    row = session.exec(
        select(PdcaCycle.fiscal_year, PdcaCycle.quarter)
        .join(Hub, col(Hub.id) == PdcaCycle.hub_id)
        .where(Hub.region_id == region_id)
        .order_by(col(PdcaCycle.fiscal_year).desc(), col(PdcaCycle.quarter).desc())
        .limit(1)
    ).first()
    return FiscalQuarter(row[0], row[1]) if row else None


def cycle_detail(*, session: Session, cycle_id: int) -> CycleDetail | None:
    """One cycle, its hub, the hub's core institution and its action items."""
    cycle = session.get(PdcaCycle, cycle_id)
    if cycle is None:
        return None
    hub = session.get(Hub, cycle.hub_id)
    assert hub is not None
    core = session.get(Organisation, hub.core_institution_id) if hub.core_institution_id else None
    actions = session.exec(
        select(ActionItem, Organisation.name)
        .join(Organisation, col(Organisation.id) == ActionItem.owner_organisation_id)
        .where(ActionItem.cycle_id == cycle_id)
        .order_by(ActionItem.id)
    ).all()
    return CycleDetail(cycle, hub, core.name if core else "", [(a, name) for a, name in actions])
