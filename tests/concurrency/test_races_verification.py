"""The sign-off, the effect verification and the reminders raced by 8 threads and 4 processes on both databases:
one sign-off of a quarter, one decision of a target, one publication (one action item), each reminder item once."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from hubdash import db
from hubdash.domain.enums import Accumulation, FutureCourse, Measure, Role, VerificationStage
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import OPEN_MODE_ADMIN
from hubdash.models import ActionItem, AuditEvent, QuarterSubmission, ReminderSent, VerificationPublication, id_of
from hubdash.services import verification
from hubdash.services.reporting import submit_quarter
from tests import factories
from tests.concurrency.conftest import Race
from tests.concurrency.scenarios import Outcome


def _kinds(outcomes: list[Outcome]) -> Counter[str]:
    crashes = [o.detail for o in outcomes if o.kind == "crash"]
    assert crashes == [], "a service let a database error escape:\n" + "\n".join(crashes)
    return Counter(o.kind for o in outcomes)


def _count(engine: Engine, model: type, *where: Any) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(model).where(*where)).one())


def _region(engine: Engine) -> dict[str, int]:
    """Region r1 with hub H1 (core institution O1), an outcome target of K01 with FY2024's values."""
    with db.session_scope(engine) as s:
        r = factories.region(s, "r1")
        org = factories.organisation(s, r.id, "O1")
        hub = factories.hub(s, r.id, "H1", core_institution_id=org.id)
        k01 = factories.indicator(s, r.id, "K01", measure=Measure.FLOW)
        target = factories.target(s, k01, hub, accumulation=Accumulation.ANNUAL)
        factories.quarterly_values(s, hub, k01, {f"FY2024Q{q}": 1 for q in range(1, 5)})
        return {"region": id_of(r), "hub": id_of(hub), "target": id_of(target)}


def test_a_submitted_quarter_is_confirmed_or_returned_once(race: Race, engine: Engine, writers: int) -> None:
    ids = _region(engine)
    with db.session_scope(engine) as s:
        ids["submission"] = id_of(
            submit_quarter(session=s, actor=OPEN_MODE_ADMIN, hub_id=ids["hub"], period=FiscalQuarter(2024, 1))
        )
    outcomes = race("signoff_confirm", ids)
    assert _kinds(outcomes) == {"ok": 1, "conflict": writers - 1}
    [winner] = [o for o in outcomes if o.kind == "ok"]
    with Session(engine) as s:
        stored = s.get(QuarterSubmission, ids["submission"])
        assert stored is not None and (stored.status.value, stored.version) == (winner.detail, 2)
    assert _count(engine, AuditEvent, col(AuditEvent.action).in_(["quarter.confirm", "quarter.return"])) == 1


def _decided(engine: Engine, ids: dict[str, int]) -> dict[str, int]:
    with db.session_scope(engine) as s:
        opened = verification.open_verification(
            session=s, actor=OPEN_MODE_ADMIN, region_id=ids["region"], fiscal_year=2024
        )
        ids["verification"] = id_of(opened)
    return ids


def test_a_target_decided_by_many_from_nothing_is_decided_once(race: Race, engine: Engine, writers: int) -> None:
    ids = _decided(engine, _region(engine))
    outcomes = race("verification_decide", ids)
    assert _kinds(outcomes) == {"ok": 1, "conflict": writers - 1}
    conflicts = [o.detail for o in outcomes if o.kind == "conflict"]
    winner = next(o.detail for o in outcomes if o.kind == "ok")
    assert all(theirs["reason"] == winner for theirs in conflicts)  # every loser sees what the winner saved


def test_publishing_at_once_publishes_once_and_adds_the_action_item_once(
    race: Race, engine: Engine, writers: int
) -> None:
    ids = _decided(engine, _region(engine))
    with db.session_scope(engine) as s:
        decision = verification.Decision(None, FutureCourse.EXPAND, "広げる", 0)
        verification.decide_target(
            session=s, actor=OPEN_MODE_ADMIN, verification_id=ids["verification"], target_id=ids["target"],
            decision=decision,
        )  # fmt: skip
        for stage in (VerificationStage.REVIEW, VerificationStage.DECIDED):
            current = verification.verification_record(
                session=s, actor=OPEN_MODE_ADMIN, verification_id=ids["verification"]
            )
            verification.move_stage(
                session=s, actor=OPEN_MODE_ADMIN, verification_id=ids["verification"], version=current.version,
                to_stage=stage,
            )  # fmt: skip
        ids["verification_version"] = verification.verification_record(
            session=s, actor=OPEN_MODE_ADMIN, verification_id=ids["verification"]
        ).version
    outcomes = race("verification_publish", ids)
    kinds = _kinds(outcomes)
    assert kinds["ok"] == 1 and kinds["conflict"] + kinds["refused"] == writers - 1
    assert {o.detail for o in outcomes if o.kind == "refused"} <= {"verification.error_frozen"}
    assert _count(engine, VerificationPublication) == 1
    assert _count(engine, ActionItem) == 1


def test_a_reminder_item_is_claimed_by_one_run_only(race: Race, engine: Engine, writers: int) -> None:
    with db.session_scope(engine) as s:
        r = factories.region(s, "r1")
        user_id = factories.user(s, "sato", Role.COUNCIL_MEMBER, region_id=r.id).user_id
    keys = [f"item:{n}" for n in range(5)]
    outcomes = race("reminder_claim", {"user": user_id, "keys": keys, "today": date(2026, 1, 15).isoformat()})
    assert _kinds(outcomes) == {"ok": writers}
    claimed = [key for o in outcomes for key in o.detail]
    assert sorted(claimed) == keys  # each item once, whichever run got it
    assert _count(engine, ReminderSent) == len(keys)
