"""Reporting: hub managers submit a quarter when its values are in; summaries are as of complete quarters.

A hub is active when it has at least one target (it has something to report). A quarter is complete for a
scope (a region, or every region) when every active hub of the scope has submitted it; summaries are "as
of" the latest complete quarter and show any newer quarter as provisional, with how many hubs have
reported (entered any value) and submitted it. Which submissions count is decided in one place,
`_counts_as_complete`: a returned quarter never does, and in a region that waits for the secretariat's
sign-off (RegionSetting.confirmed_only) only a confirmed one does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, not_, or_
from sqlalchemy import func as sa_func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import SubmissionStatus
from hubdash.domain.errors import NotFound, UserError
from hubdash.domain.periods import FiscalQuarter, quarter_index
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import Hub, Indicator, Measurement, QuarterSubmission, RegionSetting, Target, id_of, utcnow
from hubdash.services.signoff import record_step

RECENT_QUARTERS = 4


class SubmissionError(UserError):
    """A quarter that cannot be submitted yet; the message names what is missing."""


@dataclass(frozen=True)
class Coverage:
    """How far the active hubs of a scope are with one quarter."""

    period: FiscalQuarter
    hubs: int  # active hubs
    reported: int  # hubs with any value entered for the quarter (or submitted)
    submitted: int

    @property
    def complete(self) -> bool:
        """Whether every active hub has submitted the quarter."""
        return self.hubs > 0 and self.submitted >= self.hubs


@dataclass(frozen=True)
class Reporting:
    """Which quarter a scope's summaries are as of, and the provisional quarters after it."""

    hubs: int
    complete: FiscalQuarter | None  # the latest quarter every active hub has submitted
    latest: FiscalQuarter | None  # the newest quarter with any value or submission
    newer: tuple[Coverage, ...]  # the quarters after `complete` that hubs have reported, oldest first

    @property
    def headline(self) -> FiscalQuarter | None:
        """The quarter a summary opens with: the latest complete one, else (provisional) the newest reported."""
        return self.complete or self.latest


def _active_hubs(session: Session, region_id: int | None) -> list[int]:
    query = select(Target.hub_id).where(col(Target.hub_id).is_not(None)).distinct()
    if region_id is not None:
        query = query.where(Target.region_id == region_id)
    return sorted(h for h in session.exec(query).all() if h is not None)


def _counts_as_complete() -> ColumnElement[bool]:
    """The one rule of which submissions make a quarter complete for their hub (joined with Hub and RegionSetting)."""
    waits_for_sign_off = sa_func.coalesce(col(RegionSetting.confirmed_only), false())
    return or_(
        col(QuarterSubmission.status) == SubmissionStatus.CONFIRMED.value,
        and_(
            col(QuarterSubmission.status).in_([SubmissionStatus.SUBMITTED.value, SubmissionStatus.SUPERSEDED.value]),
            not_(waits_for_sign_off),
        ),
    )


def _submitted(session: Session, region_id: int | None) -> dict[int, set[int]]:
    """Quarter index -> the hubs whose submission of it counts (see _counts_as_complete)."""
    query = (
        sa_select(col(QuarterSubmission.hub_id), col(QuarterSubmission.fiscal_year), col(QuarterSubmission.quarter))
        .join(Hub, col(Hub.id) == QuarterSubmission.hub_id)
        .join(RegionSetting, col(RegionSetting.region_id) == Hub.region_id, isouter=True)
        .where(_counts_as_complete())
    )
    if region_id is not None:
        query = query.where(col(Hub.region_id) == region_id)
    found: dict[int, set[int]] = defaultdict(set)
    for hub_id, fy, q in session.execute(query).all():
        found[quarter_index(fy, q)].add(hub_id)
    return found


def _reported(session: Session, region_id: int | None, since: int | None) -> dict[int, set[int]]:
    """Quarter index -> the hubs with any value entered for it, for the quarters after `since`."""
    index = quarter_index(col(Measurement.fiscal_year), col(Measurement.quarter))
    query = sa_select(col(Measurement.hub_id), col(Measurement.fiscal_year), col(Measurement.quarter)).distinct()
    if region_id is not None:
        query = query.join(Hub, col(Hub.id) == Measurement.hub_id).where(col(Hub.region_id) == region_id)
    if since is not None:
        query = query.where(col(Measurement.fiscal_year) >= since // 4, index > since)
    found: dict[int, set[int]] = defaultdict(set)
    for hub_id, fy, q in session.execute(query).all():
        found[quarter_index(fy, q)].add(hub_id)
    return found


def _coverage(period: int, active: set[int], submitted: dict[int, set[int]], reported: dict[int, set[int]]) -> Coverage:
    sent = submitted.get(period, set()) & active
    return Coverage(
        FiscalQuarter.from_index(period),
        len(active),
        len((reported.get(period, set()) & active) | sent),
        len(sent),
    )


def reporting(*, session: Session, region_id: int | None = None) -> Reporting:
    """The latest complete quarter of a region (or of every region) and the provisional quarters after it."""
    active = set(_active_hubs(session, region_id))
    submitted = _submitted(session, region_id)
    complete = max((i for i, hubs in submitted.items() if active and active <= hubs), default=None)
    reported = _reported(session, region_id, complete)
    quarters = [i for i in {*reported, *submitted} if complete is None or i > complete]
    latest = max([*quarters, *([complete] if complete is not None else [])], default=None)
    newer = sorted(i for i in quarters if (reported.get(i, set()) | submitted.get(i, set())) & active)
    return Reporting(
        hubs=len(active),
        complete=FiscalQuarter.from_index(complete) if complete is not None else None,
        latest=FiscalQuarter.from_index(latest) if latest is not None else None,
        newer=tuple(_coverage(i, active, submitted, reported) for i in newer[-RECENT_QUARTERS:]),
    )


def coverage(*, session: Session, region_id: int | None, period: FiscalQuarter) -> Coverage:
    """How many active hubs of a region (or of every region) have reported and submitted one quarter."""
    active = set(_active_hubs(session, region_id))
    submitted = _submitted(session, region_id)
    reported = _reported(session, region_id, period.index - 1)
    return _coverage(period.index, active, submitted, reported)


# --- one hub ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterState:
    """Where one hub stands with one quarter: values entered of its targets, and its submission."""

    period: FiscalQuarter
    entered: int
    targets: int
    submitted_at: datetime | None = None
    submitted_by: str = ""
    status: SubmissionStatus | None = None  # None: never submitted
    comment: str = ""  # the secretariat's comment with its last confirmation or return

    @property
    def submitted(self) -> bool:
        """Whether the hub has submitted the quarter (and it was not returned to them since)."""
        return self.submitted_at is not None and self.status is not SubmissionStatus.RETURNED


@dataclass(frozen=True)
class HubReporting:
    """One hub and its recent quarters, for the table of who has submitted."""

    hub_id: int
    code: str
    name: str
    quarters: tuple[QuarterState, ...]


def _target_indicators(session: Session, hub_ids: Iterable[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for hub_id, indicator_id in session.exec(
        select(Target.hub_id, Target.indicator_id).where(col(Target.hub_id).in_(list(hub_ids)))
    ).all():
        if hub_id is not None:
            found[hub_id].add(indicator_id)
    return found


def region_reporting(
    *, session: Session, region_id: int, last: FiscalQuarter | None = None, quarters: int = RECENT_QUARTERS
) -> list[HubReporting]:
    """Every hub of a region and its last quarters (ending at `last`, default the newest reported)."""
    hubs = list(session.exec(select(Hub).where(Hub.region_id == region_id).order_by(col(Hub.code))).all())
    last = last or reporting(session=session, region_id=region_id).latest
    if not hubs or last is None:
        return []
    periods = [last - n for n in range(quarters - 1, -1, -1)]
    first = periods[0]
    ids = [id_of(h) for h in hubs]
    wanted = _target_indicators(session, ids)
    entered: dict[tuple[int, int], set[int]] = defaultdict(set)
    for hub_id, indicator_id, fy, q in session.exec(
        select(Measurement.hub_id, Measurement.indicator_id, Measurement.fiscal_year, Measurement.quarter).where(
            col(Measurement.hub_id).in_(ids),
            col(Measurement.fiscal_year) >= first.fiscal_year,
            col(Measurement.fiscal_year) <= last.fiscal_year,
        )
    ).all():
        entered[(hub_id, quarter_index(fy, q))].add(indicator_id)
    sent = {
        (s.hub_id, quarter_index(s.fiscal_year, s.quarter)): s
        for s in session.exec(
            select(QuarterSubmission).where(
                col(QuarterSubmission.hub_id).in_(ids),
                col(QuarterSubmission.fiscal_year) >= first.fiscal_year,
                col(QuarterSubmission.fiscal_year) <= last.fiscal_year,
            )
        ).all()
    }
    rows = []
    for hub in hubs:
        hub_id = id_of(hub)
        states = []
        for period in periods:
            submission = sent.get((hub_id, period.index))
            states.append(
                QuarterState(
                    period,
                    len(entered[(hub_id, period.index)] & wanted[hub_id]),
                    len(wanted[hub_id]),
                    submission.submitted_at if submission else None,
                    submission.submitted_by_name if submission else "",
                    submission.status if submission else None,
                    submission.review_comment if submission else "",
                )
            )
        rows.append(HubReporting(hub_id, hub.code, hub.name, tuple(states)))
    return rows


def hub_quarter_state(*, session: Session, hub_id: int, period: FiscalQuarter) -> QuarterState:
    """How many of the hub's targets have a value for the quarter, and whether it is submitted."""
    hub = session.get(Hub, hub_id)
    if hub is None:
        raise NotFound("progress.error_no_hub", hub=hub_id)
    rows = region_reporting(session=session, region_id=hub.region_id, last=period, quarters=1)
    return next(row.quarters[0] for row in rows if row.hub_id == hub_id)


def submit_quarter(*, session: Session, actor: Actor, hub_id: int, period: FiscalQuarter) -> QuarterSubmission:
    """Submit a hub's quarter: every indicator it has a target for must have a value; submitting again is a no-op,
    except for a quarter the secretariat returned, which is submitted again."""
    db.lock_for_write(session)
    hub = session.get(Hub, hub_id)
    if hub is None:
        raise NotFound("progress.error_no_hub", hub=hub_id)
    require(actor, Permission.ENTER_PROGRESS, region_id=hub.region_id, hub_id=hub_id)
    wanted = _target_indicators(session, [hub_id])[hub_id]
    if not wanted:
        raise SubmissionError("reporting.error_no_targets", hub=hub.code)
    have = set(
        session.exec(
            select(Measurement.indicator_id).where(
                Measurement.hub_id == hub_id,
                Measurement.fiscal_year == period.fiscal_year,
                Measurement.quarter == period.quarter,
            )
        ).all()
    )
    missing = sorted(session.exec(select(Indicator.code).where(col(Indicator.id).in_(sorted(wanted - have)))).all())
    if missing:
        raise SubmissionError("reporting.error_missing", hub=hub.code, period=period, indicators=missing)
    statement = (
        db.insert_statement(session, QuarterSubmission)
        .values(
            hub_id=hub_id,
            fiscal_year=period.fiscal_year,
            quarter=period.quarter,
            status=SubmissionStatus.SUBMITTED.value,
            submitted_at=utcnow(),
            submitted_by_id=actor.user_id,
            submitted_by_name=actor.name,
            version=1,
        )
        .on_conflict_do_nothing(index_elements=["hub_id", "fiscal_year", "quarter"])
        .returning(col(QuarterSubmission.id))
    )
    inserted = session.execute(statement).first() is not None  # None: submitted before (or at the same moment)
    submission = session.exec(
        select(QuarterSubmission).where(
            QuarterSubmission.hub_id == hub_id,
            QuarterSubmission.fiscal_year == period.fiscal_year,
            QuarterSubmission.quarter == period.quarter,
        )
    ).one()
    resubmitted = not inserted and submission.status is SubmissionStatus.RETURNED
    before = audit.snapshot(submission) if resubmitted else None
    if resubmitted:
        values = {"status": SubmissionStatus.SUBMITTED, "submitted_at": utcnow(), "submitted_by_name": actor.name}
        db.update_checked(session, QuarterSubmission, where={"id": submission.id}, version=None, values=values)
        session.refresh(submission)
    if inserted or resubmitted:
        record_step(session, submission, actor.name)
        audit.record(
            session,
            actor,
            "quarter.resubmit" if resubmitted else "quarter.submit",
            submission,
            entity_id=f"{hub.code}:{period}",
            region_id=hub.region_id,
            before=before,
        )
    return submission
