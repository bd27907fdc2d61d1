"""PDCA cycles of the hubs: open, edit, move through the stages, carry actions forward, and the overview.

A cycle runs over one period of the hub's cadence (a quarter by default; a half year starts in Q1 or
Q3, a year in Q1). Act improvements are action items with origin "act" in the cycle that decides
them. Opening the next cycle (or closing this one, which opens the next) copies every open action
item into it once: Act items keep origin "act", the rest become "carried"; carried_from_id points
at the source. Both inserts use ON CONFLICT DO NOTHING on the unique constraints, so two people
opening the same cycle at once end up with one cycle and one copy of each item, and no error.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import ActionOrigin, ActionStatus, FutureCourse, PdcaCadence, PdcaStage, Status
from hubdash.domain.errors import EditConflict, Message, NotFound, UserError
from hubdash.domain.periods import FiscalQuarter, cadence_quarters, quarter_index
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.fmt import coded
from hubdash.models import (
    ActionItem,
    Comment,
    Hub,
    HubMember,
    Indicator,
    Organisation,
    PdcaCycle,
    PdcaStageChange,
    Region,
    id_of,
    utcnow,
)
from hubdash.services.progress import hub_quarter

STAGES: tuple[PdcaStage, ...] = tuple(PdcaStage)
OPEN_STATUSES: tuple[ActionStatus, ...] = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
# A due date later than this after the cycle ends is a typo, not a plan.
DUE_HORIZON = timedelta(days=2 * 366)
MAX_TITLE = 300
MAX_COMMENT = 4000


class PdcaInputError(UserError):
    """Invalid input for a PDCA change; the message names the row, field and why."""


# --- periods ------------------------------------------------------------------------------------


def cycle_start(period: FiscalQuarter, cadence: PdcaCadence) -> FiscalQuarter:
    """The first quarter of the cycle of that cadence that contains `period`."""
    length = cadence_quarters(cadence)
    return FiscalQuarter(period.fiscal_year, (period.quarter - 1) // length * length + 1)


def cycle_quarters(cycle: PdcaCycle) -> list[FiscalQuarter]:
    """The quarters a cycle covers."""
    first = FiscalQuarter(cycle.fiscal_year, cycle.quarter)
    return [first + n for n in range(cadence_quarters(cycle.cadence))]


def _period_dates(cycle: PdcaCycle) -> tuple[date, date]:
    quarters = cycle_quarters(cycle)
    return quarters[0].start_date, quarters[-1].end_date


# --- read side ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """An action item with its owner organisation's name."""

    item: ActionItem
    owner: str


@dataclass(frozen=True)
class CheckRow:
    """One indicator of the hub at the end of the cycle, as the status engine judges it."""

    indicator_id: int
    indicator_code: str
    indicator_name: str
    unit: str
    value: float | None  # measured in the cycle's last quarter
    change: float | None  # from the last quarter of the previous period
    actual: float | None  # the compared value the engine sets against the target
    expected: float | None
    target: float | None
    status: Status
    achievement_pct: float | None


@dataclass(frozen=True)
class CycleDetail:
    """One cycle with its hub, core institution, action items, Check table, stage history and comments."""

    cycle: PdcaCycle
    hub: Hub
    core_institution: str
    actions: list[ActionRow]
    check: list[CheckRow] = field(default_factory=list)
    history: list[PdcaStageChange] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def period(self) -> FiscalQuarter:
        """The first quarter of the cycle."""
        return FiscalQuarter(self.cycle.fiscal_year, self.cycle.quarter)

    @property
    def last_quarter(self) -> FiscalQuarter:
        """The last quarter of the cycle."""
        return cycle_quarters(self.cycle)[-1]


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


@dataclass(frozen=True)
class HubCycles:
    """A hub of the region, its core institution and its cycles (id, first quarter, stage), newest first."""

    hub_id: int
    code: str
    name: str
    cadence: PdcaCadence
    core_institution: str
    cycles: list[tuple[int, FiscalQuarter, PdcaStage]]


def region_hub_cycles(*, session: Session, region_id: int) -> list[HubCycles]:
    """Every hub of the region (not archived) with its cycles, for picking one."""
    current = select(Hub).where(Hub.region_id == region_id, col(Hub.archived_at).is_(None))
    hubs = session.exec(current.order_by(col(Hub.code))).all()
    query = select(Organisation.id, Organisation.name).where(Organisation.region_id == region_id)
    orgs = dict(session.exec(query).all())
    by_hub: dict[int, list[tuple[int, FiscalQuarter, PdcaStage]]] = defaultdict(list)
    for c in session.exec(
        select(PdcaCycle)
        .join(Hub, col(Hub.id) == PdcaCycle.hub_id)
        .where(Hub.region_id == region_id)
        .order_by(col(PdcaCycle.fiscal_year).desc(), col(PdcaCycle.quarter).desc())
    ):
        by_hub[c.hub_id].append((id_of(c), FiscalQuarter(c.fiscal_year, c.quarter), c.stage))
    return [
        HubCycles(
            id_of(h),
            h.code,
            h.name,
            h.pdca_cadence,
            orgs.get(h.core_institution_id, ""),
            by_hub.get(id_of(h), []),
        )
        for h in hubs
    ]


def check_table(*, session: Session, cycle: PdcaCycle) -> list[CheckRow]:
    """The Check table of a cycle: every indicator of the hub at the cycle's last quarter, from the status engine."""
    quarters = cycle_quarters(cycle)
    at = quarters[-1]
    previous = {
        r.indicator_id: r.value for r in hub_quarter(session=session, hub_id=cycle.hub_id, at=at - len(quarters))
    }
    rows = []
    for r in hub_quarter(session=session, hub_id=cycle.hub_id, at=at):
        a = r.assessment
        before = previous.get(r.indicator_id)
        rows.append(
            CheckRow(
                indicator_id=r.indicator_id,
                indicator_code=r.indicator_code,
                indicator_name=r.indicator_name,
                unit=r.unit,
                value=r.value,
                change=r.value - before if r.value is not None and before is not None else None,
                actual=a.actual if a else None,
                expected=a.expected if a else None,
                target=a.target if a else None,
                status=a.status if a else Status.NO_DATA,
                achievement_pct=a.achievement_pct if a else None,
            )
        )
    return rows


def _actions(session: Session, cycle_ids: list[int]) -> dict[int, list[ActionRow]]:
    rows = session.exec(
        select(ActionItem, Organisation.name)
        .join(Organisation, col(Organisation.id) == ActionItem.owner_organisation_id)
        .where(col(ActionItem.cycle_id).in_(cycle_ids))
        .order_by(col(ActionItem.id))
    ).all()
    result: dict[int, list[ActionRow]] = defaultdict(list)
    for item, owner in rows:
        result[item.cycle_id].append(ActionRow(item, owner))
    return result


def _detail(session: Session, cycle: PdcaCycle, actions: list[ActionRow]) -> CycleDetail:
    hub = session.get(Hub, cycle.hub_id)
    assert hub is not None
    core = session.get(Organisation, hub.core_institution_id) if hub.core_institution_id else None
    history = session.exec(
        select(PdcaStageChange)
        .where(PdcaStageChange.cycle_id == cycle.id)
        .order_by(col(PdcaStageChange.changed_at), col(PdcaStageChange.id))
    ).all()
    comments = session.exec(
        select(Comment)
        .where(Comment.region_id == hub.region_id, Comment.subject == f"pdca:{cycle.id}")
        .order_by(col(Comment.created_at), col(Comment.id))
    ).all()
    return CycleDetail(
        cycle=cycle,
        hub=hub,
        core_institution=core.name if core else "",
        actions=actions,
        check=check_table(session=session, cycle=cycle),
        history=list(history),
        comments=list(comments),
    )


def cycle_detail(*, session: Session, cycle_id: int) -> CycleDetail | None:
    """One cycle with everything the PDCA page shows of it."""
    cycle = session.get(PdcaCycle, cycle_id)
    if cycle is None:
        return None
    return _detail(session, cycle, _actions(session, [cycle_id]).get(cycle_id, []))


@dataclass(frozen=True)
class HubYearRecord:
    """The PDCA record of a hub for one fiscal year, for export."""

    region: str
    hub: Hub
    core_institution: str
    fiscal_year: int
    cycles: list[CycleDetail]
    indicators: dict[int, str]  # id -> code


def hub_year_record(*, session: Session, hub_id: int, fiscal_year: int) -> HubYearRecord | None:
    """Every cycle of a hub starting in a fiscal year, with actions, Check table, history and comments."""
    hub = session.get(Hub, hub_id)
    if hub is None:
        return None
    region = session.get(Region, hub.region_id)
    cycles = session.exec(
        select(PdcaCycle)
        .where(PdcaCycle.hub_id == hub_id, PdcaCycle.fiscal_year == fiscal_year)
        .order_by(col(PdcaCycle.quarter), col(PdcaCycle.cadence))
    ).all()
    actions = _actions(session, [id_of(c) for c in cycles])
    details = [_detail(session, c, actions.get(id_of(c), [])) for c in cycles]
    core = session.get(Organisation, hub.core_institution_id) if hub.core_institution_id else None
    query = select(Indicator).where(Indicator.region_id == hub.region_id)
    indicators = {id_of(i): i.code for i in session.exec(query).all()}
    return HubYearRecord(
        region.name if region else "", hub, core.name if core else "", fiscal_year, details, indicators
    )


@dataclass(frozen=True)
class ActionChoices:
    """What an action item of a hub may point at: the region's organisations and indicators."""

    organisations: dict[int, str]
    indicators: dict[int, str]


def action_choices(*, session: Session, hub_id: int) -> ActionChoices:
    """Organisations (hub members first) and indicators of the hub's region, id -> display name."""
    hub = session.get(Hub, hub_id)
    if hub is None:
        return ActionChoices({}, {})
    orgs = session.exec(
        select(Organisation).where(Organisation.region_id == hub.region_id).order_by(col(Organisation.code))
    ).all()
    indicators = session.exec(
        select(Indicator)
        .where(Indicator.region_id == hub.region_id)
        .order_by(col(Indicator.position), col(Indicator.code))
    ).all()
    return ActionChoices(
        {id_of(o): o.name for o in orgs},
        {id_of(i): coded(i.code, i.name) for i in indicators},
    )


# --- overview -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueAction:
    """An open action item past its due date that has not been carried on into a later cycle."""

    action_id: int
    hub: str  # as the overview names hubs
    title: str
    owner: str
    due_date: date
    status: ActionStatus
    cycle_period: FiscalQuarter


@dataclass(frozen=True)
class PdcaOverview:
    """The council's view: stages by hub and quarter, overdue actions, hubs not started, completion rate.

    Hubs are named "H1 name", or "<region name> / H1 name" across regions; `regions` gives each hub's region.
    """

    current: FiscalQuarter
    periods: list[FiscalQuarter]
    hubs: list[str]
    stages: dict[tuple[str, FiscalQuarter], PdcaStage]
    overdue: list[OverdueAction]
    not_started: list[str]
    completion: list[tuple[FiscalQuarter, int, int]]  # quarter, hubs closed, hubs
    regions: dict[str, str] = field(default_factory=dict)  # hub (as named above) -> region name
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # hub (as named above) -> (code, "H1 name")

    def completion_pct(self) -> list[tuple[FiscalQuarter, float]]:
        """The completion rate (hubs whose cycle of the quarter is closed, in %) of each quarter."""
        return [(p, 100.0 * done / total if total else 0.0) for p, done, total in self.completion]


def pdca_overview(*, session: Session, region_id: int | None, today: date, quarters: int = 8) -> PdcaOverview:
    """The overview of one region (or every region when None) as of `today`: the board shows `quarters` quarters."""
    current = FiscalQuarter.from_date(today)
    hub_query = (
        sa_select(col(Hub.id), col(Hub.code), col(Hub.name), col(Region.name))
        .join(Region, col(Region.id) == Hub.region_id)
        .order_by(col(Region.code), col(Hub.code))
    )
    # the few columns the board shows, not whole cycles (their texts): the country has thousands of cycles
    cycle_query = sa_select(
        col(PdcaCycle.hub_id),
        col(PdcaCycle.fiscal_year),
        col(PdcaCycle.quarter),
        col(PdcaCycle.cadence),
        col(PdcaCycle.stage),
    ).join(Hub, col(Hub.id) == PdcaCycle.hub_id)
    if region_id is not None:
        hub_query = hub_query.where(col(Hub.region_id) == region_id)
        cycle_query = cycle_query.where(col(Hub.region_id) == region_id)
    found = session.execute(hub_query).all()
    hubs = {
        hub_id: coded(code, name) if region_id is not None else f"{region} / {coded(code, name)}"
        for hub_id, code, name, region in found
    }
    regions = {hubs[hub_id]: region for hub_id, _, _, region in found}
    short = {hubs[hub_id]: (code, coded(code, name)) for hub_id, code, name, _ in found}
    stages: dict[tuple[str, FiscalQuarter], PdcaStage] = {}
    for hub_id, fiscal_year, quarter, cadence, stage in session.execute(cycle_query):
        first = FiscalQuarter(fiscal_year, quarter)
        for n in range(cadence_quarters(cadence)):
            stages[(hubs[hub_id], first + n)] = PdcaStage(stage)
    names = list(hubs.values())  # in order of region and hub code
    covered = {p for _, p in stages} | {current}
    first_period, last_period = min(covered), max(max(covered), current)
    periods = [first_period + n for n in range(last_period - first_period + 1)]
    closed: dict[FiscalQuarter, int] = defaultdict(int)
    for (_, period), stage in stages.items():
        closed[period] += stage is PdcaStage.CLOSED
    completion = [(p, closed.get(p, 0), len(names)) for p in periods if p <= current]
    return PdcaOverview(
        current=current,
        periods=[p for p in periods if p > current - quarters],
        hubs=names,
        stages=stages,
        overdue=_overdue(session, region_id, today, hubs),
        not_started=[name for name in names if (name, current) not in stages],
        completion=completion,
        regions=regions,
        names=short,
    )


def _overdue(session: Session, region_id: int | None, today: date, hubs: dict[int, str]) -> list[OverdueAction]:
    query = (
        sa_select(
            col(ActionItem.id),
            col(ActionItem.hub_id),
            col(ActionItem.title),
            col(Organisation.name),
            col(ActionItem.due_date),
            col(ActionItem.status),
            col(PdcaCycle.fiscal_year),
            col(PdcaCycle.quarter),
        )
        .join(Organisation, col(Organisation.id) == ActionItem.owner_organisation_id)
        .join(PdcaCycle, col(PdcaCycle.id) == ActionItem.cycle_id)
        .join(Hub, col(Hub.id) == ActionItem.hub_id)
        .where(col(ActionItem.status).in_(OPEN_STATUSES), col(ActionItem.due_date) < today)
        .order_by(col(ActionItem.due_date), col(ActionItem.id))
    )
    # Items copied into a later cycle are followed up there; carried_from_id has no index, so one
    # scan for all of them beats a NOT EXISTS per candidate.
    carried = select(ActionItem.carried_from_id).where(col(ActionItem.carried_from_id).is_not(None))
    if region_id is not None:
        query = query.where(col(Hub.region_id) == region_id)
        carried = carried.where(col(ActionItem.hub_id).in_(list(hubs)))
    carried_on = set(session.exec(carried).all())
    return [
        OverdueAction(
            action_id,
            hubs[hub_id],
            title,
            owner,
            due or today,  # due_date < today was the query's condition
            ActionStatus(status),
            FiscalQuarter(fy, q),
        )
        for action_id, hub_id, title, owner, due, status, fy, q in session.execute(query)
        if action_id not in carried_on
    ]


# --- writing: opening and carrying over ----------------------------------------------------------


def _hub(session: Session, hub_id: int) -> Hub:
    hub = session.get(Hub, hub_id)
    if hub is None:
        raise NotFound("pdca.error_no_hub", hub=hub_id)
    return hub


def _ensure_cycle(session: Session, actor: Actor, hub: Hub, start: FiscalQuarter) -> tuple[PdcaCycle, bool]:
    """The hub's cycle starting at `start`, created in Plan if missing; True when this call created it."""
    now = utcnow()
    statement = (
        db.insert_statement(session, PdcaCycle)
        .values(
            hub_id=hub.id,
            fiscal_year=start.fiscal_year,
            quarter=start.quarter,
            cadence=hub.pdca_cadence,
            stage=PdcaStage.PLAN,
            objectives="",
            do_summary="",
            check_evaluation="",
            external_opinion="",
            act_summary="",
            version=1,
            opened_at=now,
            opened_by_name=actor.name,
        )
        .on_conflict_do_nothing()
        .returning(PdcaCycle.id)
    )
    new_id = session.execute(statement).scalar_one_or_none()
    cycle = session.exec(
        select(PdcaCycle).where(
            PdcaCycle.hub_id == hub.id,
            PdcaCycle.fiscal_year == start.fiscal_year,
            PdcaCycle.quarter == start.quarter,
            PdcaCycle.cadence == hub.pdca_cadence,
        )
    ).one()
    if new_id is not None:
        session.add(
            PdcaStageChange(
                cycle_id=new_id, from_stage=None, to_stage=PdcaStage.PLAN, changed_at=now, changed_by_name=actor.name
            )
        )
        audit.record(session, actor, "pdca_cycle.open", cycle, region_id=hub.region_id)
    return cycle, new_id is not None


def _carry(session: Session, source: PdcaCycle, target: PdcaCycle) -> int:
    """Copy the source cycle's open action items into the target cycle; items already there stay as they are.

    A copy keeps its due date only if it still lies in the new cycle or later; an item that was due
    before the new cycle starts arrives without a due date, for the hub manager to set (the Plan tab asks).
    """
    starts = cycle_quarters(target)[0].start_date
    items = session.exec(
        select(ActionItem)
        .where(ActionItem.cycle_id == source.id, col(ActionItem.status).in_(OPEN_STATUSES))
        .order_by(col(ActionItem.id))
    ).all()
    now = utcnow()
    copied = 0
    for item in items:
        decided_here = item.origin is ActionOrigin.ACT and item.carried_from_id is None
        statement = (
            db.insert_statement(session, ActionItem)
            .values(
                cycle_id=target.id,
                hub_id=item.hub_id,
                title=item.title,
                owner_organisation_id=item.owner_organisation_id,
                due_date=item.due_date if item.due_date and item.due_date >= starts else None,
                status=item.status,
                evidence=item.evidence,
                origin=ActionOrigin.ACT if decided_here else ActionOrigin.CARRIED,
                carried_from_id=item.id,
                indicator_ids=list(item.indicator_ids or []),
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing()
            .returning(ActionItem.id)
        )
        copied += session.execute(statement).scalar_one_or_none() is not None
    return copied


def _previous_cycle(session: Session, cycle: PdcaCycle) -> PdcaCycle | None:
    return session.exec(
        select(PdcaCycle)
        .where(
            PdcaCycle.hub_id == cycle.hub_id,
            quarter_index(col(PdcaCycle.fiscal_year), col(PdcaCycle.quarter))
            < quarter_index(cycle.fiscal_year, cycle.quarter),
        )
        .order_by(col(PdcaCycle.fiscal_year).desc(), col(PdcaCycle.quarter).desc())
        .limit(1)
    ).first()


def open_cycle(*, session: Session, actor: Actor, hub_id: int, period: FiscalQuarter) -> PdcaCycle:
    """Open the hub's cycle containing `period` (or return the open one) with the previous cycle's open actions."""
    db.lock_for_write(session)
    hub = _hub(session, hub_id)
    require(actor, Permission.EDIT_PDCA, region_id=hub.region_id, hub_id=hub_id)
    cycle, _ = _ensure_cycle(session, actor, hub, cycle_start(period, hub.pdca_cadence))
    previous = _previous_cycle(session, cycle)
    if previous is not None:
        _carry(session, previous, cycle)
    return cycle


def add_decided_action(
    *, session: Session, actor: Actor, hub_id: int, fiscal_year: int, title: str, indicator_ids: tuple[int, ...] = ()
) -> ActionItem:
    """An 改善 or 拡充 decision of an effect verification, as an action item of the hub's first cycle of a fiscal year.

    The cycle is opened as open_cycle opens it when it does not exist yet. The item is due by the end of the
    fiscal year and owned by the hub's core institution. Decided after that cycle closed, it is also carried
    into the hub's newest cycle that is not closed, where the hub manager follows it up.
    """
    db.lock_for_write(session)
    hub = _hub(session, hub_id)
    require(actor, Permission.EDIT_VERIFICATION, region_id=hub.region_id)
    cycle, created = _ensure_cycle(session, actor, hub, cycle_start(FiscalQuarter(fiscal_year, 1), hub.pdca_cadence))
    previous = _previous_cycle(session, cycle) if created else None
    if previous is not None:
        _carry(session, previous, cycle)
    owner = (
        hub.core_institution_id
        or session.exec(
            select(HubMember.organisation_id).where(HubMember.hub_id == hub_id).order_by(col(HubMember.organisation_id))
        ).first()
    )
    if owner is None:
        raise PdcaInputError("pdca.error_no_owner_for_decision", hub=hub.code)
    now = utcnow()
    title = " ".join(title.split())
    item = ActionItem(
        cycle_id=id_of(cycle),
        hub_id=hub_id,
        title=title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…",
        owner_organisation_id=owner,
        due_date=FiscalQuarter(fiscal_year, 4).end_date,
        origin=ActionOrigin.VERIFICATION,
        indicator_ids=list(indicator_ids),
        created_at=now,
        updated_at=now,
    )
    session.add(item)
    audit.record(session, actor, "action_item.add_decided", item, region_id=hub.region_id)
    if cycle.stage is PdcaStage.CLOSED:
        current = session.exec(
            select(PdcaCycle)
            .where(PdcaCycle.hub_id == hub_id, PdcaCycle.stage != PdcaStage.CLOSED)
            .order_by(col(PdcaCycle.fiscal_year).desc(), col(PdcaCycle.quarter).desc())
        ).first()
        if current is not None and (current.fiscal_year, current.quarter) > (cycle.fiscal_year, cycle.quarter):
            copy = ActionItem(
                **item.model_dump(exclude={"id", "cycle_id", "carried_from_id", "version"}),
                cycle_id=id_of(current),
                carried_from_id=id_of(item),
            )
            session.add(copy)
            audit.record(session, actor, "action_item.carry_decided", copy, region_id=hub.region_id)
    return item


# --- writing: the cycle itself ------------------------------------------------------------------


def _cycle_for_edit(session: Session, actor: Actor, cycle_id: int) -> tuple[PdcaCycle, Hub]:
    # Changes to one cycle and its action items go one at a time (the cycle's row lock on PostgreSQL),
    # so that an item added while the cycle closes is refused or carried over, never left behind.
    db.lock_for_write(session)
    cycle = session.exec(
        select(PdcaCycle)
        .where(PdcaCycle.id == cycle_id)
        .with_for_update(key_share=True)  # FOR NO KEY UPDATE: new items may still point at the cycle
        .execution_options(populate_existing=True)
    ).first()
    if cycle is None:
        raise NotFound("pdca.error_no_cycle", cycle=cycle_id)
    hub = _hub(session, cycle.hub_id)
    require(actor, Permission.EDIT_PDCA, region_id=hub.region_id, hub_id=hub.id)
    return cycle, hub


def _conflict(cycle: PdcaCycle, hub: Hub) -> EditConflict:
    subject = f"{hub.code} {FiscalQuarter(cycle.fiscal_year, cycle.quarter).canonical()}"
    return EditConflict(subject, current_version=cycle.version, theirs=audit.snapshot(cycle))


def _cycle_at(session: Session, actor: Actor, cycle_id: int, version: int) -> tuple[PdcaCycle, Hub]:
    """_cycle_for_edit, refusing with EditConflict when someone saved the cycle since `version` was read."""
    cycle, hub = _cycle_for_edit(session, actor, cycle_id)
    if cycle.version != version:  # judged against what this editor saw, not what is there now
        raise _conflict(cycle, hub)
    return cycle, hub


def _bump(session: Session, cycle: PdcaCycle, hub: Hub, version: int, values: dict[str, Any]) -> None:
    """Write the changes only if nobody saved the cycle since `version` was read."""
    written = db.update_checked(session, PdcaCycle, where={"id": cycle.id}, version=version, values=values)
    session.refresh(cycle)
    if not written:
        raise _conflict(cycle, hub)


@dataclass(frozen=True)
class CycleChanges:
    """New text of a cycle's sections; None leaves a field as it is."""

    objectives: str | None = None
    do_summary: str | None = None
    check_evaluation: str | None = None
    effect_rating: int | None = None
    future_course: FutureCourse | None = None
    external_opinion: str | None = None
    act_summary: str | None = None


def update_cycle(*, session: Session, actor: Actor, cycle_id: int, version: int, changes: CycleChanges) -> PdcaCycle:
    """Save the text of a cycle's sections (not while it is closed)."""
    cycle, hub = _cycle_at(session, actor, cycle_id, version)
    if cycle.stage is PdcaStage.CLOSED:
        raise PdcaInputError("pdca.error_closed")
    values = {k: v for k, v in vars(changes).items() if v is not None}
    if "effect_rating" in values and values["effect_rating"] not in (1, 2, 3, 4):
        raise PdcaInputError("pdca.error_rating", rating=values["effect_rating"])
    if "future_course" in values:
        values["future_course"] = FutureCourse(values["future_course"])
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    before = audit.snapshot(cycle)
    _bump(session, cycle, hub, version, values)
    audit.record(session, actor, "pdca_cycle.update", cycle, region_id=hub.region_id, before=before)
    return cycle


def move_stage(
    *, session: Session, actor: Actor, cycle_id: int, version: int, to_stage: PdcaStage, reason: str = ""
) -> PdcaCycle:
    """Move a cycle one stage forward, or back to any earlier stage with a reason.

    Closing a cycle does not open the next one: that is the hub manager's act (open_cycle with next_period).
    """
    cycle, hub = _cycle_at(session, actor, cycle_id, version)
    to_stage = PdcaStage(to_stage)
    here, there = STAGES.index(cycle.stage), STAGES.index(to_stage)
    reason = reason.strip()
    if there == here:
        raise PdcaInputError("pdca.error_same_stage", stage=to_stage)
    if there > here + 1:
        raise PdcaInputError("pdca.error_skip", stage=STAGES[here + 1])
    if there < here and not reason:
        raise PdcaInputError("pdca.error_reason")
    if to_stage is PdcaStage.CLOSED and not cycle.check_evaluation.strip():
        raise PdcaInputError("pdca.error_no_evaluation")
    before = audit.snapshot(cycle)
    from_stage = cycle.stage
    now = utcnow()
    _bump(
        session,
        cycle,
        hub,
        version,
        {"stage": to_stage, "closed_at": now if to_stage is PdcaStage.CLOSED else None},
    )
    session.add(
        PdcaStageChange(
            cycle_id=id_of(cycle),
            from_stage=from_stage,
            to_stage=to_stage,
            reason=reason,
            changed_at=now,
            changed_by_name=actor.name,
        )
    )
    action = "pdca_cycle.reopen" if there < here else "pdca_cycle.stage"
    audit.record(session, actor, action, cycle, region_id=hub.region_id, before=before)
    return cycle


def next_period(cycle: PdcaCycle) -> FiscalQuarter:
    """The first quarter of the cycle that follows this one (opening it is the hub manager's act)."""
    return cycle_start(cycle_quarters(cycle)[-1] + 1, PdcaCadence(cycle.cadence))


# --- writing: action items ----------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    """A new action item, or the new fields of an existing one (action_id set, and the version it was read at)."""

    title: str
    owner_organisation_id: int | None
    due_date: date | None
    indicator_ids: tuple[int, ...] = ()
    status: ActionStatus = ActionStatus.NOT_STARTED
    evidence: str = ""
    action_id: int | None = None
    version: int | None = None  # None: write over whatever the item holds now


def _check_action(
    session: Session, hub: Hub, cycle: PdcaCycle, row: int | None, data: ActionInput, old: ActionItem | None
) -> int:
    """Check one action item's fields; return its owner organisation's id.

    `row`: the item's row in a table of several (named in the message), None for a single item.
    """
    title = data.title.strip()
    where = Message("pdca.in_row", {"row": row}) if row is not None else ""
    named = Message("pdca.in_row_named", {"row": row, "title": title}) if row is not None else ""
    if not title:
        raise PdcaInputError("pdca.error_title", where=where)
    if len(title) > MAX_TITLE:
        raise PdcaInputError("pdca.error_title_long", where=where, limit=MAX_TITLE)
    if data.owner_organisation_id is None:
        raise PdcaInputError("pdca.error_owner", where=named)
    owner = session.get(Organisation, data.owner_organisation_id)
    if owner is None or owner.region_id != hub.region_id:
        raise PdcaInputError("pdca.error_owner", where=named)
    if data.due_date is None:
        raise PdcaInputError("pdca.error_due_missing", where=named)
    if old is None or old.due_date != data.due_date:
        first, last = _period_dates(cycle)
        if not first <= data.due_date <= last + DUE_HORIZON:
            raise PdcaInputError(
                "pdca.error_due_range",
                where=named,
                due=data.due_date.isoformat(),
                first=first.isoformat(),
                last=(last + DUE_HORIZON).isoformat(),
            )
    if data.indicator_ids:
        known = set(
            session.exec(
                select(Indicator.id).where(
                    Indicator.region_id == hub.region_id, col(Indicator.id).in_(list(data.indicator_ids))
                )
            ).all()
        )
        unknown = sorted(set(data.indicator_ids) - known)
        if unknown:
            raise PdcaInputError("pdca.error_indicator", where=named)
    return id_of(owner)


def add_action(*, session: Session, actor: Actor, cycle_id: int, action: ActionInput) -> ActionItem:
    """Add an action item to a cycle: an Act improvement while the cycle is at Act, else a Plan item."""
    cycle, hub = _cycle_for_edit(session, actor, cycle_id)
    if cycle.stage is PdcaStage.CLOSED:
        raise PdcaInputError("pdca.error_closed")
    owner_id = _check_action(session, hub, cycle, None, action, None)
    now = utcnow()
    item = ActionItem(
        cycle_id=cycle_id,
        hub_id=id_of(hub),
        title=action.title.strip(),
        owner_organisation_id=owner_id,
        due_date=action.due_date,
        status=ActionStatus(action.status),
        evidence=action.evidence.strip(),
        origin=ActionOrigin.ACT if cycle.stage is PdcaStage.ACT else ActionOrigin.PLAN,
        indicator_ids=list(action.indicator_ids),
        created_at=now,
        updated_at=now,
    )
    session.add(item)
    audit.record(session, actor, "action_item.add", item, region_id=hub.region_id)
    return item


def update_actions(*, session: Session, actor: Actor, cycle_id: int, actions: list[ActionInput]) -> int:
    """Save changed action items of a cycle (title, owner, due date, status, evidence); all or nothing.

    Raises EditConflict, saving none of them, when someone saved one of the items since its `version`.
    """
    cycle, hub = _cycle_for_edit(session, actor, cycle_id)
    if cycle.stage is PdcaStage.CLOSED:
        raise PdcaInputError("pdca.error_closed")
    ids = [a.action_id for a in actions]
    existing = {
        a.id: a
        for a in session.exec(
            select(ActionItem).where(ActionItem.cycle_id == cycle_id, col(ActionItem.id).in_(ids))
        ).all()
    }
    checked = []
    for row, data in enumerate(actions, start=1):
        old = existing.get(data.action_id)
        if old is None:
            raise PdcaInputError("pdca.error_no_action", row=row)
        checked.append((old, data, _check_action(session, hub, cycle, row, data, old)))
    now = utcnow()
    for item, data, owner_id in checked:
        before = audit.snapshot(item)
        values = {
            "title": data.title.strip(),
            "owner_organisation_id": owner_id,
            "due_date": data.due_date,
            "status": ActionStatus(data.status),
            "evidence": data.evidence.strip(),
            "updated_at": now,
        }
        written = db.update_checked(session, ActionItem, where={"id": item.id}, version=data.version, values=values)
        session.refresh(item)
        if not written:
            subject = f"{hub.code} {FiscalQuarter(cycle.fiscal_year, cycle.quarter).canonical()} {item.title}"
            raise EditConflict(subject, current_version=item.version, theirs=audit.snapshot(item))
        audit.record(session, actor, "action_item.update", item, region_id=hub.region_id, before=before)
    return len(actions)


# --- comments -----------------------------------------------------------------------------------


def add_comment(*, session: Session, actor: Actor, cycle_id: int, body: str) -> Comment:
    """A council comment on a cycle (council members, hub managers and admins)."""
    db.lock_for_write(session)
    cycle = session.get(PdcaCycle, cycle_id)
    if cycle is None:
        raise NotFound("pdca.error_no_cycle", cycle=cycle_id)
    hub = _hub(session, cycle.hub_id)
    require(actor, Permission.COMMENT, region_id=hub.region_id, hub_id=hub.id)
    body = body.strip()
    if not body:
        raise PdcaInputError("pdca.error_comment_empty")
    if len(body) > MAX_COMMENT:
        raise PdcaInputError("pdca.error_comment_long", limit=MAX_COMMENT)
    comment = Comment(
        region_id=hub.region_id,
        subject=f"pdca:{cycle_id}",
        body=body,
        author_id=actor.user_id,
        author_name=actor.name,
    )
    session.add(comment)
    audit.record(session, actor, "comment.add", comment)
    return comment
