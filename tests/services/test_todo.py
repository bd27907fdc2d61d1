"""Each person's to-do list: a hub manager's quarters and returned quarters and overdue actions, the council's
quarters to confirm and opinions to answer and endorsement to renew, an outside expert's opinion to write; and
reminders claimed once per person, item and day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from hubdash.domain.enums import ExpertSector, Measure, Role, VerificationStage
from hubdash.domain.periods import current_quarter
from hubdash.domain.permissions import SYSTEM, PermissionDenied
from hubdash.models import AuditEvent, ReminderSent, User
from hubdash.services import region_settings, reminders, signoff, vision
from hubdash.services import verification as verification_service
from hubdash.services.reporting import submit_quarter
from hubdash.services.todo import todo
from hubdash.services.users import actor_for
from tests import factories

TODAY = date.today()
LAST = current_quarter(TODAY) - 1  # the last quarter that has ended: the one to enter and submit


@pytest.fixture
def world(session: Session) -> dict:
    r = factories.region(session, "r1")
    org = factories.organisation(session, r.id, "O1")
    h1 = factories.hub(session, r.id, "H1", name="ものづくり拠点")
    k01 = factories.indicator(session, r.id, "K01", measure=Measure.FLOW)
    k02 = factories.indicator(session, r.id, "K02")
    factories.target(session, k01, h1)
    factories.target(session, k02, h1)
    manager = factories.user(session, "manager", Role.HUB_MANAGER, region_id=r.id, hub_ids=(h1.id,))
    council = factories.user(session, "council", Role.COUNCIL_MEMBER, region_id=r.id, organisation_id=org.id)
    factories.user(session, "expert", Role.OUTSIDE_EXPERT, region_id=r.id)
    viewer = factories.user(session, "viewer", Role.VIEWER, region_id=r.id)
    for user in session.exec(select(User)).all():
        user.email = f"{user.username}@example.org"
    session.commit()
    return {"region": r, "org": org, "H1": h1, "k01": k01, "k02": k02, "manager": manager, "council": council,
            "viewer": viewer}  # fmt: skip


def _keys(session: Session, actor, **more) -> list[str]:  # noqa: ANN001
    return [i.key for i in todo(session=session, actor=actor, today=TODAY, **more)]


def test_a_hub_manager_is_asked_to_enter_then_to_submit_the_last_quarter_and_to_resubmit_a_returned_one(
    session: Session, world: dict
) -> None:
    manager, h1 = world["manager"], world["H1"]
    [item] = todo(session=session, actor=manager, today=TODAY)
    assert (item.key, item.page) == (f"enter_quarter:{h1.id}:{LAST}", "progress")
    assert item.message.values["entered"] == 0 and item.message.values["total"] == 2
    factories.quarterly_values(session, h1, world["k01"], {str(LAST): 1})
    factories.quarterly_values(session, h1, world["k02"], {str(LAST): 2})
    assert _keys(session, manager) == [f"submit_quarter:{h1.id}:{LAST}"]
    submitted = submit_quarter(session=session, actor=manager, hub_id=h1.id, period=LAST)
    assert _keys(session, manager) == []
    signoff.return_quarter(
        session=session, actor=world["council"], submission_id=submitted.id, version=1, comment="K02?"
    )
    [returned] = todo(session=session, actor=manager, today=TODAY)
    assert (returned.kind, returned.note) == ("returned_quarter", "K02?")
    assert _keys(session, world["viewer"]) == []


def test_overdue_action_items_of_the_managers_hubs_until_carried_on(session: Session, world: dict) -> None:
    cycle = factories.pdca_cycle(session, world["H1"], LAST.fiscal_year, LAST.quarter)
    late = factories.action_item(session, cycle, world["org"], "試作品の評価", due_date=TODAY - timedelta(days=3))
    factories.action_item(session, cycle, world["org"], "まだ先", due_date=TODAY + timedelta(days=3))
    keys = _keys(session, world["manager"])
    assert f"overdue:{late.id}" in keys and len([k for k in keys if k.startswith("overdue")]) == 1
    following = factories.pdca_cycle(session, world["H1"], (LAST + 1).fiscal_year, (LAST + 1).quarter)
    factories.action_item(session, following, world["org"], "試作品の評価", carried_from_id=late.id)
    assert f"overdue:{late.id}" not in _keys(session, world["manager"])


def test_the_council_confirms_quarters_where_the_region_signs_off_and_renews_an_old_endorsement(
    session: Session, world: dict
) -> None:
    h1, council = world["H1"], world["council"]
    factories.quarterly_values(session, h1, world["k01"], {str(LAST): 1})
    factories.quarterly_values(session, h1, world["k02"], {str(LAST): 2})
    submitted = submit_quarter(session=session, actor=world["manager"], hub_id=h1.id, period=LAST)
    assert _keys(session, council) == []  # the region does not sign off
    region_settings.set_confirmed_only(
        session=session, actor=council, region_id=world["region"].id, confirmed_only=True, version=0
    )
    assert _keys(session, council) == [f"confirm:{submitted.id}:1"]

    region_id = world["region"].id
    for base in (0, 1):
        vision.save_part(
            session=session, actor=SYSTEM, region_id=region_id, part_key="statement", body=f"v{base}",
            base_version=base, reason="r",
        )  # fmt: skip
        if base == 0:
            vision.endorse(session=session, actor=council, region_id=region_id, organisation_id=world["org"].id,
                           person_name="Council")  # fmt: skip
    assert f"endorse:{world['org'].id}:2" in _keys(session, council)
    assert _keys(session, council, region_id=region_id + 1000) == []  # another region's list is empty


def test_an_invited_expert_is_asked_for_an_opinion_while_under_review_and_the_council_to_answer_it(
    session: Session, world: dict
) -> None:
    council = world["council"]
    expert_user = session.exec(select(User).where(User.username == "expert")).one()
    opened = verification_service.open_verification(
        session=session, actor=council, region_id=world["region"].id, fiscal_year=2024
    )
    verification_service.invite_expert(
        session=session, actor=council, verification_id=opened.id, user_id=expert_user.id, organisation="大学",
        sector=ExpertSector.ACADEMIA,
    )  # fmt: skip
    expert = actor_for(session=session, username="expert")
    assert expert is not None and _keys(session, expert) == []  # a draft: nothing to write yet
    verification_service.move_stage(
        session=session, actor=council, verification_id=opened.id, version=opened.version,
        to_stage=VerificationStage.REVIEW,
    )  # fmt: skip
    [item] = todo(session=session, actor=expert, today=TODAY)
    assert (item.key, item.page) == (f"opinion:{opened.id}:1", "verification")
    verification_service.write_opinion(session=session, actor=expert, verification_id=opened.id, body="意見")
    assert _keys(session, expert) == []
    assert [k for k in _keys(session, council) if k.startswith("answer:")] != []


def test_a_reminder_item_is_claimed_once_per_person_and_day_and_recorded(session: Session, world: dict) -> None:
    manager = world["manager"]
    [digest] = [d for d in reminders.due_digests(session=session, today=TODAY) if d.user_id == manager.user_id]
    assert (digest.email, digest.lang) == ("manager@example.org", "ja")
    keys = [i.key for i in digest.items]
    first = reminders.claim(session=session, actor=SYSTEM, user_id=manager.user_id, keys=keys, today=TODAY)
    again = reminders.claim(session=session, actor=SYSTEM, user_id=manager.user_id, keys=keys, today=TODAY)
    tomorrow = reminders.claim(
        session=session, actor=SYSTEM, user_id=manager.user_id, keys=keys, today=TODAY + timedelta(days=1)
    )
    session.commit()
    assert (first, again, tomorrow) == (keys, [], keys)
    assert [d.user_id for d in reminders.due_digests(session=session, today=TODAY)].count(manager.user_id) == 0
    [event, _] = session.exec(select(AuditEvent).where(AuditEvent.action == "reminder.sent")).all()
    assert event.after == {"on": TODAY.isoformat(), "items": keys, "to": "manager@example.org"}
    assert len(session.exec(select(ReminderSent)).all()) == 2 * len(keys)
    with pytest.raises(PermissionDenied):
        reminders.claim(session=session, actor=world["council"], user_id=manager.user_id, keys=keys, today=TODAY)


def test_reminders_are_written_in_the_language_the_person_uses_hubdash_in(session: Session, world: dict) -> None:
    manager = world["manager"]
    assert reminders.remember_language(session=session, actor=manager, language="en")
    assert not reminders.remember_language(session=session, actor=manager, language="en")  # unchanged: no write
    session.commit()
    [digest] = [d for d in reminders.due_digests(session=session, today=TODAY) if d.user_id == manager.user_id]
    assert digest.lang == "en"
