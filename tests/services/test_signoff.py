"""Quarterly sign-off: a hub manager submits, the secretariat returns it with a comment or confirms it, and a
confirmed value is corrected only with a note, which marks the confirmation as superseded."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from hubdash.domain.enums import Measure, Role, SubmissionStatus
from hubdash.domain.errors import EditConflict
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import OPEN_MODE_ADMIN, PermissionDenied
from hubdash.models import AuditEvent, MeasurementCorrection, QuarterSubmission, SubmissionReview
from hubdash.services import region_settings, signoff
from hubdash.services.measurements import ValueEntry, record_values
from hubdash.services.reporting import hub_quarter_state, reporting, submit_quarter
from tests import factories

Q1, Q2 = FiscalQuarter(2024, 1), FiscalQuarter(2024, 2)


@pytest.fixture
def world(session: Session) -> dict:
    """Region r1 with hubs H1 and H2 (one flow target each, values for FY2024 Q1), its council and H1's manager."""
    r = factories.region(session, "r1")
    h1, h2 = factories.hub(session, r.id, "H1"), factories.hub(session, r.id, "H2")
    k01 = factories.indicator(session, r.id, "K01", measure=Measure.FLOW)
    for hub in (h1, h2):
        factories.target(session, k01, hub)
        factories.quarterly_values(session, hub, k01, {"FY2024Q1": 10})
    manager = factories.user(session, "manager", Role.HUB_MANAGER, region_id=r.id, hub_ids=(h1.id,))
    council = factories.user(session, "council", Role.COUNCIL_MEMBER, region_id=r.id)
    session.commit()
    return {"region": r, "H1": h1, "H2": h2, "k01": k01, "manager": manager, "council": council}


def _submission(session: Session, hub_id: int) -> QuarterSubmission:
    found = session.exec(select(QuarterSubmission).where(QuarterSubmission.hub_id == hub_id)).one()
    session.refresh(found)
    return found


def _steps(session: Session, submission_id: int) -> list[tuple[SubmissionStatus, str, str]]:
    rows = session.exec(
        select(SubmissionReview)
        .where(SubmissionReview.submission_id == submission_id)
        .order_by(col(SubmissionReview.id))
    ).all()
    return [(r.status, r.changed_by_name, r.comment) for r in rows]


def _actions(session: Session) -> list[str]:
    return [e.action for e in session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()]


def test_returned_with_a_comment_the_quarter_goes_back_to_its_manager_who_submits_it_again(
    session: Session, world: dict
) -> None:
    submitted = submit_quarter(session=session, actor=world["manager"], hub_id=world["H1"].id, period=Q1)
    session.commit()
    with pytest.raises(signoff.SignOffError) as refused:
        signoff.return_quarter(
            session=session, actor=world["council"], submission_id=submitted.id, version=1, comment=" "
        )
    assert refused.value.key == "signoff.error_comment_needed"

    signoff.return_quarter(
        session=session, actor=world["council"], submission_id=submitted.id, version=1, comment="K01 の値を確認"
    )
    session.commit()
    state = hub_quarter_state(session=session, hub_id=world["H1"].id, period=Q1)
    assert (state.submitted, state.status, state.comment) == (False, SubmissionStatus.RETURNED, "K01 の値を確認")

    again = submit_quarter(session=session, actor=world["manager"], hub_id=world["H1"].id, period=Q1)
    session.commit()
    assert (again.id, again.status) == (submitted.id, SubmissionStatus.SUBMITTED)
    assert _steps(session, submitted.id) == [
        (SubmissionStatus.SUBMITTED, "Manager", ""),
        (SubmissionStatus.RETURNED, "Council", "K01 の値を確認"),
        (SubmissionStatus.SUBMITTED, "Manager", ""),
    ]
    assert _actions(session) == ["quarter.submit", "quarter.return", "quarter.resubmit"]


def test_a_confirmed_value_is_corrected_only_with_a_note_and_the_confirmation_is_then_superseded(
    session: Session, world: dict
) -> None:
    submitted = submit_quarter(session=session, actor=world["manager"], hub_id=world["H1"].id, period=Q1)
    signoff.confirm_quarter(session=session, actor=world["council"], submission_id=submitted.id, version=1)
    session.commit()
    assert _submission(session, world["H1"].id).status is SubmissionStatus.CONFIRMED
    k01, h1 = world["k01"].id, world["H1"].id

    with pytest.raises(signoff.CorrectionNoteNeeded) as refused:
        record_values(session=session, actor=world["manager"], hub_id=h1, period=Q1, entries=[ValueEntry(k01, 12)])
    assert refused.value.key == "signoff.error_note_needed" and "H1 / K01 / FY2024 Q1" in str(refused.value)
    session.rollback()
    assert session.exec(select(MeasurementCorrection)).all() == []

    entry = ValueEntry(k01, 12, note="請求書の再集計で2件追加")
    record_values(session=session, actor=world["manager"], hub_id=h1, period=Q1, entries=[entry])
    session.commit()
    [correction] = session.exec(select(MeasurementCorrection)).all()
    assert (correction.old_value, correction.new_value, correction.new_note) == (10, 12, "請求書の再集計で2件追加")
    corrected = _submission(session, h1)
    assert corrected.status is SubmissionStatus.SUPERSEDED
    assert _actions(session)[-2:] == ["quarter.supersede", "measurement.record"]

    signoff.confirm_quarter(
        session=session, actor=world["council"], submission_id=corrected.id, version=corrected.version
    )
    session.commit()
    assert [s for s, _, _ in _steps(session, corrected.id)] == [
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.CONFIRMED,
        SubmissionStatus.SUPERSEDED,
        SubmissionStatus.CONFIRMED,
    ]


def test_a_quarter_not_waiting_or_read_at_an_old_version_is_refused(session: Session, world: dict) -> None:
    submitted = submit_quarter(session=session, actor=world["manager"], hub_id=world["H1"].id, period=Q1)
    signoff.confirm_quarter(session=session, actor=world["council"], submission_id=submitted.id, version=1)
    session.commit()
    with pytest.raises(signoff.SignOffError) as refused:
        signoff.confirm_quarter(session=session, actor=world["council"], submission_id=submitted.id, version=2)
    assert refused.value.key == "signoff.error_not_waiting"
    session.rollback()
    with pytest.raises(EditConflict) as conflict:  # somebody confirmed it since this person looked
        signoff.return_quarter(
            session=session, actor=world["council"], submission_id=submitted.id, version=1, comment="x"
        )
    assert conflict.value.saved_by == "Council"


def test_only_the_council_of_the_region_signs_off(session: Session, world: dict) -> None:
    submitted = submit_quarter(session=session, actor=world["manager"], hub_id=world["H1"].id, period=Q1)
    session.commit()
    other = factories.region(session, "r2")
    stranger = factories.user(session, "stranger", Role.COUNCIL_MEMBER, region_id=other.id)
    for who in (world["manager"], stranger):
        with pytest.raises(PermissionDenied):
            signoff.confirm_quarter(session=session, actor=who, submission_id=submitted.id, version=1)


def test_a_region_that_signs_off_counts_a_quarter_complete_only_once_every_hub_is_confirmed(
    session: Session, world: dict
) -> None:
    region_id = world["region"].id
    for hub in ("H1", "H2"):
        submit_quarter(session=session, actor=OPEN_MODE_ADMIN, hub_id=world[hub].id, period=Q1)
    session.commit()
    assert reporting(session=session, region_id=region_id).complete == Q1  # submitted is enough by default

    region_settings.set_confirmed_only(
        session=session, actor=world["council"], region_id=region_id, confirmed_only=True, version=0
    )
    session.commit()
    assert reporting(session=session, region_id=region_id).complete is None
    waiting = signoff.region_submissions(session=session, region_id=region_id, statuses=signoff.WAITING)
    assert sorted(line.hub_code for line in waiting) == ["H1", "H2"]
    for line in waiting:
        signoff.confirm_quarter(session=session, actor=world["council"], submission_id=line.submission_id, version=1)
        session.commit()
        expected = Q1 if line is waiting[-1] else None
        assert reporting(session=session, region_id=region_id).complete == expected
    assert reporting(session=session, region_id=None).complete == Q1  # all regions: the same rule per region


def test_a_returned_quarter_never_counts(session: Session, world: dict) -> None:
    first = submit_quarter(session=session, actor=OPEN_MODE_ADMIN, hub_id=world["H1"].id, period=Q1)
    submit_quarter(session=session, actor=OPEN_MODE_ADMIN, hub_id=world["H2"].id, period=Q1)
    signoff.return_quarter(session=session, actor=world["council"], submission_id=first.id, version=1, comment="why?")
    session.commit()
    assert reporting(session=session, region_id=world["region"].id).complete is None
