"""Quarterly sign-off: the council secretariat confirms a submitted quarter, or returns it to the hub manager
with a comment; a confirmed quarter can still be corrected (each changed value with a note, its history kept),
and its confirmation is then marked as superseded until the secretariat confirms it again.

Every step is a SubmissionReview row and an audit event. In a region that waits for the sign-off
(RegionSetting.confirmed_only), summaries count a quarter complete only once it is confirmed (services.reporting).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import SubmissionStatus
from hubdash.domain.errors import EditConflict, Message, NotFound, UserError
from hubdash.domain.periods import FiscalQuarter, quarter_index
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import Hub, QuarterSubmission, SubmissionReview, id_of, utcnow

MAX_COMMENT = 2000
WAITING = (SubmissionStatus.SUBMITTED, SubmissionStatus.SUPERSEDED)  # for the secretariat to confirm or return
REVIEWED = (SubmissionStatus.CONFIRMED, SubmissionStatus.SUPERSEDED)  # values the secretariat has confirmed


class SignOffError(UserError):
    """A sign-off that cannot be done as asked: a return without comment, a quarter not waiting, ..."""


def record_step(session: Session, submission: QuarterSubmission, by_name: str, comment: str = "") -> None:
    """Keep the submission's new status in its history (the caller records the audit event)."""
    session.add(
        SubmissionReview(
            submission_id=id_of(submission),
            status=submission.status,
            comment=comment,
            changed_at=utcnow(),
            changed_by_name=by_name,
        )
    )


def _subject(hub: Hub, submission: QuarterSubmission) -> str:
    return f"{hub.code}:{FiscalQuarter(submission.fiscal_year, submission.quarter)}"


def _review(
    session: Session,
    actor: Actor,
    submission_id: int,
    version: int,
    to: SubmissionStatus,
    comment: str,
    allowed_from: Sequence[SubmissionStatus],
) -> QuarterSubmission:
    db.lock_for_write(session)
    submission = session.get(QuarterSubmission, submission_id)
    if submission is None:
        raise NotFound("signoff.error_no_submission", submission=submission_id)
    hub = session.get(Hub, submission.hub_id)
    assert hub is not None  # a submission is deleted with its hub
    require(actor, Permission.SIGN_OFF, region_id=hub.region_id)
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise SignOffError("signoff.error_comment_long", limit=MAX_COMMENT)
    before = audit.snapshot(submission)
    if submission.version == version and submission.status not in allowed_from:
        raise SignOffError("signoff.error_not_waiting", subject=_subject(hub, submission), status=submission.status)
    written = db.update_checked(
        session,
        QuarterSubmission,
        where={"id": submission_id},
        version=version,
        values={"status": to, "review_comment": comment, "reviewed_at": utcnow(), "reviewed_by_name": actor.name},
    )
    session.refresh(submission)
    if not written:  # someone reviewed, corrected or resubmitted it since this person looked
        raise EditConflict(
            _subject(hub, submission),
            current_version=submission.version,
            saved_by=submission.reviewed_by_name or submission.submitted_by_name,
            theirs=audit.snapshot(submission),
        )
    record_step(session, submission, actor.name, comment)
    action = "quarter.confirm" if to is SubmissionStatus.CONFIRMED else "quarter.return"
    audit.record(
        session, actor, action, submission, entity_id=_subject(hub, submission), region_id=hub.region_id, before=before
    )
    return submission


def confirm_quarter(
    *, session: Session, actor: Actor, submission_id: int, version: int, comment: str = ""
) -> QuarterSubmission:
    """Confirm a submitted (or corrected) quarter as read at `version`."""
    return _review(session, actor, submission_id, version, SubmissionStatus.CONFIRMED, comment, WAITING)


def return_quarter(
    *, session: Session, actor: Actor, submission_id: int, version: int, comment: str
) -> QuarterSubmission:
    """Send a quarter back to its hub manager with a comment saying what to check; they submit it again."""
    if not comment.strip():
        raise SignOffError("signoff.error_comment_needed")
    allowed = (*WAITING, SubmissionStatus.CONFIRMED)
    return _review(session, actor, submission_id, version, SubmissionStatus.RETURNED, comment, allowed)


class CorrectionNoteNeeded(UserError):
    """A value of a quarter the secretariat has confirmed was changed without a note; nothing was saved."""


@dataclass(frozen=True)
class Correction:
    """A value about to be written: its hub, quarter, whether it carries a note, and how to name it."""

    hub_id: int
    period: FiscalQuarter
    has_note: bool
    label: str | Message  # how messages name it: hub, indicator and quarter in the reader's words


def correct_confirmed(*, session: Session, actor: Actor, values: Iterable[Correction]) -> int:
    """Before values are written: in a confirmed quarter each needs a note, and the confirmation is superseded.

    Returns how many confirmations were superseded. Called by every writer of measurements.
    """
    db.lock_for_write(session)
    by_quarter: dict[tuple[int, int], list[Correction]] = defaultdict(list)
    for value in values:
        by_quarter[(value.hub_id, value.period.index)].append(value)
    if not by_quarter:
        return 0
    hubs = {id_of(h): h for h in session.exec(select(Hub).where(col(Hub.id).in_({h for h, _ in by_quarter}))).all()}
    for hub_id in sorted({h for h, _ in by_quarter}):
        if hub_id not in hubs:
            raise NotFound("progress.error_no_hub", hub=hub_id)
        require(actor, Permission.ENTER_PROGRESS, region_id=hubs[hub_id].region_id, hub_id=hub_id)
    years = sorted({index // 4 for _, index in by_quarter})
    reviewed = [
        s
        for s in session.exec(
            select(QuarterSubmission).where(
                col(QuarterSubmission.hub_id).in_(list(hubs)),
                col(QuarterSubmission.fiscal_year).in_(years),
                col(QuarterSubmission.status).in_(list(REVIEWED)),
            )
        ).all()
        if (s.hub_id, quarter_index(s.fiscal_year, s.quarter)) in by_quarter
    ]
    unnoted = [
        v.label
        for s in reviewed
        for v in by_quarter[(s.hub_id, quarter_index(s.fiscal_year, s.quarter))]
        if not v.has_note
    ]
    if unnoted:
        raise CorrectionNoteNeeded("signoff.error_note_needed", values=unnoted[:10])
    superseded = 0
    for submission in reviewed:
        if submission.status is not SubmissionStatus.CONFIRMED:
            continue
        before = audit.snapshot(submission)
        db.update_checked(
            session,
            QuarterSubmission,
            where={"id": submission.id},
            version=None,
            values={"status": SubmissionStatus.SUPERSEDED},
        )
        session.refresh(submission)
        record_step(session, submission, actor.name)
        hub = hubs[submission.hub_id]
        audit.record(
            session,
            actor,
            "quarter.supersede",
            submission,
            entity_id=_subject(hub, submission),
            region_id=hub.region_id,
            before=before,
        )
        superseded += 1
    return superseded


# --- read side ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionLine:
    """A submitted quarter of a hub as the sign-off page lists it, with its history (oldest first)."""

    submission_id: int
    version: int
    hub_id: int
    hub_code: str
    hub_name: str
    period: FiscalQuarter
    status: SubmissionStatus
    submitted_at: datetime
    submitted_by: str
    comment: str
    reviewed_at: datetime | None
    reviewed_by: str
    history: tuple[SubmissionReview, ...]


def region_submissions(
    *, session: Session, region_id: int, statuses: Sequence[SubmissionStatus] | None = None, limit: int = 200
) -> list[SubmissionLine]:
    """The region's submitted quarters (newest first), optionally only those in `statuses`."""
    query = (
        select(QuarterSubmission, Hub)
        .join(Hub, col(Hub.id) == QuarterSubmission.hub_id)
        .where(Hub.region_id == region_id)
        .order_by(col(QuarterSubmission.fiscal_year).desc(), col(QuarterSubmission.quarter).desc(), col(Hub.code))
        .limit(limit)
        .execution_options(populate_existing=True)
    )
    if statuses is not None:
        query = query.where(col(QuarterSubmission.status).in_(list(statuses)))
    rows = session.exec(query).all()
    history: dict[int, list[SubmissionReview]] = defaultdict(list)
    for step in session.exec(
        select(SubmissionReview)
        .where(col(SubmissionReview.submission_id).in_([id_of(s) for s, _ in rows]))
        .order_by(col(SubmissionReview.changed_at), col(SubmissionReview.id))
    ).all():
        history[step.submission_id].append(step)
    return [
        SubmissionLine(
            id_of(s),
            s.version,
            id_of(hub),
            hub.code,
            hub.name,
            FiscalQuarter(s.fiscal_year, s.quarter),
            s.status,
            s.submitted_at,
            s.submitted_by_name,
            s.review_comment,
            s.reviewed_at,
            s.reviewed_by_name,
            tuple(history[id_of(s)]),
        )
        for s, hub in rows
    ]
