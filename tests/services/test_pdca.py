"""PDCA cycles: stage rules, carry-over into the next cycle, the Check table, permissions, bad input."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from hubdash import db
from hubdash.domain.enums import ActionOrigin, ActionStatus, FutureCourse, Measure, PdcaCadence, PdcaStage, Role, Status
from hubdash.domain.errors import EditConflict
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import OPEN_MODE_ADMIN, Actor, PermissionDenied
from hubdash.domain.status import assess
from hubdash.models import ActionItem, AuditEvent, Comment, Hub, Measurement, Organisation, PdcaCycle, PdcaStageChange
from hubdash.services import pdca
from hubdash.services.progress import target_spec
from tests import factories as f

Q1 = FiscalQuarter(2024, 1)


@dataclass
class World:
    hub: Hub
    other_hub: Hub
    org: Organisation
    manager: Actor
    other_manager: Actor
    council: Actor
    viewer: Actor


@pytest.fixture
def world(session: Session) -> World:
    region = f.region(session)
    org = f.organisation(session, region.id, "UNIV")
    hub = f.hub(session, region.id, "H1", core_institution_id=org.id)
    other_hub = f.hub(session, region.id, "H2")
    w = World(
        hub=hub,
        other_hub=other_hub,
        org=org,
        manager=f.user(session, "manager", Role.HUB_MANAGER, region_id=region.id, hub_ids=(hub.id,)),
        other_manager=f.user(session, "other", Role.HUB_MANAGER, region_id=region.id, hub_ids=(other_hub.id,)),
        council=f.user(session, "council", Role.COUNCIL_MEMBER, region_id=region.id, organisation_id=org.id),
        viewer=f.user(session, "viewer", Role.VIEWER, region_id=region.id),
    )
    session.commit()
    return w


def _move(session: Session, actor: Actor, cycle: PdcaCycle, to: PdcaStage, reason: str = "") -> PdcaCycle:
    return pdca.move_stage(
        session=session, actor=actor, cycle_id=cycle.id, version=cycle.version, to_stage=to, reason=reason
    )


def _evaluate(session: Session, actor: Actor, cycle: PdcaCycle, text: str = "Joint research is behind plan.") -> None:
    changes = pdca.CycleChanges(check_evaluation=text, effect_rating=2, future_course=FutureCourse.IMPROVE)
    pdca.update_cycle(session=session, actor=actor, cycle_id=cycle.id, version=cycle.version, changes=changes)


def _to_act(session: Session, actor: Actor, cycle: PdcaCycle) -> None:
    for stage in (PdcaStage.DO, PdcaStage.CHECK):
        _move(session, actor, cycle, stage)
    _evaluate(session, actor, cycle)
    _move(session, actor, cycle, PdcaStage.ACT)


def _action(title: str, owner: Organisation | None, due: date | None = date(2024, 6, 30)) -> pdca.ActionInput:
    return pdca.ActionInput(title=title, owner_organisation_id=owner.id if owner else None, due_date=due)


def _items(session: Session, cycle_id: int) -> list[ActionItem]:
    return list(session.exec(select(ActionItem).where(ActionItem.cycle_id == cycle_id).order_by(ActionItem.id)))


# --- stage rules -----------------------------------------------------------------------------------


def test_a_cycle_moves_forward_one_stage_at_a_time_and_each_move_is_recorded(session: Session, world: World) -> None:
    cycle = pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=Q1)
    assert cycle.stage is PdcaStage.PLAN
    with pytest.raises(pdca.PdcaInputError, match="one at a time: the next stage is Do"):
        _move(session, world.manager, cycle, PdcaStage.CHECK)
    _move(session, world.manager, cycle, PdcaStage.DO)
    with pytest.raises(pdca.PdcaInputError, match="at Do already"):
        _move(session, world.manager, cycle, PdcaStage.DO)
    history = session.exec(select(PdcaStageChange).where(PdcaStageChange.cycle_id == cycle.id)).all()
    assert [(h.from_stage, h.to_stage, h.changed_by_name) for h in history] == [
        (None, PdcaStage.PLAN, "Manager"),
        (PdcaStage.PLAN, PdcaStage.DO, "Manager"),
    ]


def test_a_cycle_cannot_be_closed_without_a_check_evaluation(session: Session, world: World) -> None:
    cycle = pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=Q1)
    for stage in (PdcaStage.DO, PdcaStage.CHECK, PdcaStage.ACT):
        _move(session, world.manager, cycle, stage)
    with pytest.raises(pdca.PdcaInputError, match="without a Check evaluation"):
        _move(session, world.manager, cycle, PdcaStage.CLOSED)
    assert session.get(PdcaCycle, cycle.id).stage is PdcaStage.ACT
    _evaluate(session, world.manager, cycle, "   ")
    with pytest.raises(pdca.PdcaInputError, match="without a Check evaluation"):
        _move(session, world.manager, cycle, PdcaStage.CLOSED)
    _evaluate(session, world.manager, cycle)
    closed = _move(session, world.manager, cycle, PdcaStage.CLOSED)
    assert closed.stage is PdcaStage.CLOSED and closed.closed_at is not None


def test_moving_back_needs_a_reason_and_reopening_is_recorded(session: Session, world: World) -> None:
    cycle = pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=Q1)
    _to_act(session, world.manager, cycle)
    _move(session, world.manager, cycle, PdcaStage.CLOSED)
    session.commit()
    changes_before = session.exec(select(func.count()).select_from(PdcaStageChange)).one()
    with pytest.raises(pdca.PdcaInputError, match="Say why"):
        _move(session, world.manager, cycle, PdcaStage.ACT, reason="  ")
    session.rollback()
    assert session.get(PdcaCycle, cycle.id).stage is PdcaStage.CLOSED
    assert session.exec(select(func.count()).select_from(PdcaStageChange)).one() == changes_before

    reopened = _move(session, world.manager, cycle, PdcaStage.ACT, reason="The outside experts asked for another look")
    assert reopened.stage is PdcaStage.ACT and reopened.closed_at is None
    last = session.exec(
        select(PdcaStageChange).where(PdcaStageChange.cycle_id == cycle.id).order_by(PdcaStageChange.id.desc())
    ).first()
    assert (last.from_stage, last.to_stage, last.reason) == (
        PdcaStage.CLOSED,
        PdcaStage.ACT,
        "The outside experts asked for another look",
    )
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.entity_id == str(cycle.id))).all()
    assert "pdca_cycle.reopen" in actions


def test_a_closed_cycle_cannot_be_edited_until_reopened(session: Session, world: World) -> None:
    cycle = pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=Q1)
    _to_act(session, world.manager, cycle)
    _move(session, world.manager, cycle, PdcaStage.CLOSED)
    with pytest.raises(pdca.PdcaInputError, match="closed cycle cannot be changed"):
        _evaluate(session, world.manager, cycle, "rewritten")
    with pytest.raises(pdca.PdcaInputError, match="closed cycle cannot be changed"):
        pdca.add_action(session=session, actor=world.manager, cycle_id=cycle.id, action=_action("late", world.org))


def test_a_save_from_an_old_version_is_refused(session: Session, world: World) -> None:
    cycle = pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=Q1)
    seen = cycle.version
    pdca.update_cycle(
        session=session,
        actor=world.manager,
        cycle_id=cycle.id,
        version=seen,
        changes=pdca.CycleChanges(objectives="Mine"),
    )
    with pytest.raises(EditConflict, match="someone else changed this in the meantime"):
        pdca.update_cycle(
            session=session,
            actor=world.manager,
            cycle_id=cycle.id,
            version=seen,
            changes=pdca.CycleChanges(objectives="Theirs"),
        )
    assert session.get(PdcaCycle, cycle.id).objectives == "Mine"


def test_effect_rating_must_be_one_of_four_steps(session: Session, world: World) -> None:
    cycle = pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=Q1)
    with pytest.raises(pdca.PdcaInputError, match="from 1 to 4, not 5"):
        pdca.update_cycle(
            session=session,
            actor=world.manager,
            cycle_id=cycle.id,
            version=cycle.version,
            changes=pdca.CycleChanges(effect_rating=5),
        )


# --- carry-over -----------------------------------------------------------------------------------


def _closed_cycle_with_actions(session: Session, world: World) -> tuple[PdcaCycle, dict[str, ActionItem]]:
    """A Q1 cycle with a done, a dropped and an unfinished plan item and one Act improvement, closed."""
    cycle = pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=Q1)
    items = {
        title: pdca.add_action(
            session=session, actor=world.manager, cycle_id=cycle.id, action=_action(title, world.org)
        )
        for title in ("done", "dropped", "unfinished")
    }
    session.flush()
    for title, status in (("done", ActionStatus.DONE), ("dropped", ActionStatus.DROPPED)):
        items[title].status = status
    items["unfinished"].status = ActionStatus.IN_PROGRESS
    _to_act(session, world.manager, cycle)
    items["improvement"] = pdca.add_action(
        session=session,
        actor=world.manager,
        cycle_id=cycle.id,
        action=_action("Visit the companies from the seminar", world.org, date(2024, 9, 30)),
    )
    _move(session, world.manager, cycle, PdcaStage.CLOSED)
    session.commit()
    return cycle, items


def test_closing_a_cycle_opens_no_other_cycle(session: Session, world: World) -> None:
    cycle, _ = _closed_cycle_with_actions(session, world)
    assert cycle.stage is PdcaStage.CLOSED
    assert session.exec(select(func.count()).select_from(PdcaCycle).where(PdcaCycle.hub_id == world.hub.id)).one() == 1
    assert pdca.next_period(cycle) == Q1 + 1


def test_act_items_and_unfinished_actions_appear_in_the_next_cycle_plan(session: Session, world: World) -> None:
    cycle, items = _closed_cycle_with_actions(session, world)
    assert items["improvement"].origin is ActionOrigin.ACT
    following = pdca.open_cycle(
        session=session, actor=world.manager, hub_id=world.hub.id, period=pdca.next_period(cycle)
    )
    assert following.stage is PdcaStage.PLAN
    carried = {(i.title, i.origin, i.carried_from_id, i.status) for i in _items(session, following.id)}
    assert carried == {
        ("unfinished", ActionOrigin.CARRIED, items["unfinished"].id, ActionStatus.IN_PROGRESS),
        ("Visit the companies from the seminar", ActionOrigin.ACT, items["improvement"].id, ActionStatus.NOT_STARTED),
    }
    # an item due before the new cycle starts arrives without a due date, to be set anew; a later one keeps it
    due = {i.title: i.due_date for i in _items(session, following.id)}
    assert due == {"unfinished": None, "Visit the companies from the seminar": date(2024, 9, 30)}


def test_carry_over_happens_once_however_often_the_next_cycle_is_opened(session: Session, world: World) -> None:
    cycle, _ = _closed_cycle_with_actions(session, world)
    first = pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=Q1 + 1)
    second = pdca.open_cycle(session=session, actor=OPEN_MODE_ADMIN, hub_id=world.hub.id, period=Q1 + 1)
    _move(session, world.manager, cycle, PdcaStage.ACT, reason="one more improvement")
    _move(session, world.manager, cycle, PdcaStage.CLOSED)
    session.commit()
    assert first.id == second.id
    assert session.exec(select(func.count()).select_from(PdcaCycle).where(PdcaCycle.hub_id == world.hub.id)).one() == 2
    assert sorted(i.title for i in _items(session, first.id)) == ["Visit the companies from the seminar", "unfinished"]


def test_two_people_opening_the_next_cycle_at_once_get_the_same_single_cycle(engine: Engine, world: World) -> None:
    with db.session_scope(engine) as session:
        closed, _ = _closed_cycle_with_actions(session, world)
        # race on Q3 after carrying Q1's open items into Q2
        q2 = pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=pdca.next_period(closed))
    results: list[int] = []
    errors: list[BaseException] = []

    def second_opener() -> None:
        try:
            with db.session_scope(engine) as s:
                results.append(pdca.open_cycle(session=s, actor=OPEN_MODE_ADMIN, hub_id=world.hub.id, period=Q1 + 2).id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    # The first opener has inserted the cycle and its items but not committed when the second starts:
    # the second waits on the row (PostgreSQL) or the write lock (SQLite), then finds them there.
    with db.session_scope(engine) as first:
        results.append(pdca.open_cycle(session=first, actor=world.manager, hub_id=world.hub.id, period=Q1 + 2).id)
        thread = threading.Thread(target=second_opener)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive(), "the second opener should wait for the first one's transaction"
    thread.join(timeout=30)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    with Session(engine) as session:
        q3 = session.exec(select(PdcaCycle).where(PdcaCycle.hub_id == world.hub.id, PdcaCycle.quarter == 3)).all()
        assert [c.id for c in q3] == [results[0]]
        titles = sorted(i.title for i in _items(session, q3[0].id))
        assert titles == ["Visit the companies from the seminar", "unfinished"]
        sources = {i.carried_from_id for i in _items(session, q3[0].id)}
        assert sources == {i.id for i in _items(session, q2.id)}
        opened = session.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "pdca_cycle.open")
        )
        assert opened.one() == 3  # Q1, Q2 and one of the two racing openers of Q3


def test_half_year_cycles_start_in_q1_or_q3_and_the_next_half_follows(session: Session, world: World) -> None:
    world.hub.pdca_cadence = PdcaCadence.HALF
    session.add(world.hub)
    cycle = pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=Q1 + 1)
    assert (cycle.fiscal_year, cycle.quarter, cycle.cadence) == (2024, 1, PdcaCadence.HALF)
    _to_act(session, world.manager, cycle)
    _move(session, world.manager, cycle, PdcaStage.CLOSED)
    assert pdca.next_period(cycle) == Q1 + 2
    pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=pdca.next_period(cycle))
    starts = session.exec(select(PdcaCycle.quarter).where(PdcaCycle.hub_id == world.hub.id).order_by(PdcaCycle.quarter))
    assert starts.all() == [1, 3]


# --- Check table ----------------------------------------------------------------------------------


def test_the_check_table_is_the_status_engine_at_the_cycle_end(session: Session, world: World) -> None:
    region_id = world.hub.region_id
    level = f.indicator(session, region_id, "K01", measure=Measure.LEVEL)
    flow = f.indicator(session, region_id, "K02", measure=Measure.FLOW)
    targets = {
        level.id: f.target(session, level, world.hub, baseline_value=10, target_value=30),
        flow.id: f.target(session, flow, world.hub, baseline_value=0, target_value=40),
    }
    values = {(level.id, 2024, 1): 12.0, (level.id, 2024, 2): 13.0, (flow.id, 2024, 1): 2.0, (flow.id, 2024, 2): 9.0}
    for (ind, fy, q), value in values.items():
        session.add(Measurement(hub_id=world.hub.id, indicator_id=ind, fiscal_year=fy, quarter=q, value=value))
    session.flush()
    cycle = f.pdca_cycle(session, world.hub, 2024, 2)
    rows = {r.indicator_code: r for r in pdca.check_table(session=session, cycle=cycle)}
    assert set(rows) == {"K01", "K02"}
    for indicator in (level, flow):
        series = {fy * 4 + q - 1: v for (ind, fy, q), v in values.items() if ind == indicator.id}
        expected = assess(target_spec(targets[indicator.id], indicator), series, (Q1 + 1).index)
        row = rows[indicator.code]
        assert (row.status, row.actual, row.expected, row.target) == (
            expected.status,
            expected.actual,
            expected.expected,
            expected.target,
        )
    assert rows["K01"].change == 1.0 and rows["K02"].change == 7.0
    assert rows["K01"].status is not Status.NO_DATA


# --- permissions ----------------------------------------------------------------------------------


def test_only_managers_of_the_hub_and_admins_edit_a_cycle(session: Session, world: World) -> None:
    for actor in (world.other_manager, world.council, world.viewer):
        with pytest.raises(PermissionDenied):
            pdca.open_cycle(session=session, actor=actor, hub_id=world.hub.id, period=Q1)
    cycle = pdca.open_cycle(session=session, actor=OPEN_MODE_ADMIN, hub_id=world.hub.id, period=Q1)
    item = pdca.add_action(session=session, actor=world.manager, cycle_id=cycle.id, action=_action("a", world.org))
    session.commit()
    edit = pdca.ActionInput("a", world.org.id, date(2024, 6, 30), status=ActionStatus.DONE, action_id=item.id)
    for actor in (world.other_manager, world.council, world.viewer):
        attempts = [
            lambda a=actor: _move(session, a, cycle, PdcaStage.DO),
            lambda a=actor: _evaluate(session, a, cycle),
            lambda a=actor: pdca.add_action(
                session=session, actor=a, cycle_id=cycle.id, action=_action("b", world.org)
            ),
            lambda a=actor: pdca.update_actions(session=session, actor=a, cycle_id=cycle.id, actions=[edit]),
        ]
        for attempt in attempts:
            with pytest.raises(PermissionDenied):
                attempt()
    _move(session, world.manager, cycle, PdcaStage.DO)
    _move(session, OPEN_MODE_ADMIN, cycle, PdcaStage.CHECK)
    assert session.get(PdcaCycle, cycle.id).stage is PdcaStage.CHECK


def test_council_members_and_managers_comment_viewers_only_read(session: Session, world: World) -> None:
    cycle = f.pdca_cycle(session, world.hub)
    for actor in (world.council, world.manager, OPEN_MODE_ADMIN):
        pdca.add_comment(session=session, actor=actor, cycle_id=cycle.id, body=f"Comment from {actor.name}")
    with pytest.raises(PermissionDenied):
        pdca.add_comment(session=session, actor=world.viewer, cycle_id=cycle.id, body="not allowed")
    with pytest.raises(pdca.PdcaInputError, match="Write a comment"):
        pdca.add_comment(session=session, actor=world.council, cycle_id=cycle.id, body="  ")
    detail = pdca.cycle_detail(session=session, cycle_id=cycle.id)
    assert [c.author_name for c in detail.comments] == ["Council", "Manager", OPEN_MODE_ADMIN.name]
    assert detail.core_institution == "Org UNIV"
    assert session.exec(select(func.count()).select_from(Comment)).one() == 3


def test_council_members_of_another_region_cannot_comment(session: Session, world: World) -> None:
    elsewhere = f.region(session, "r2")
    stranger = f.user(session, "stranger", Role.COUNCIL_MEMBER, region_id=elsewhere.id)
    cycle = f.pdca_cycle(session, world.hub)
    with pytest.raises(PermissionDenied):
        pdca.add_comment(session=session, actor=stranger, cycle_id=cycle.id, body="hello")


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            pdca.ActionInput("Hold the seminar", None, date(2024, 6, 30)),
            "^Choose the owner organisation",
        ),
        (pdca.ActionInput("  ", 0, date(2024, 6, 30)), "^The action item needs a title"),
        (pdca.ActionInput("Far", 0, date(2202, 6, 30)), "^The due date 2202-06-30 is outside the sensible range"),
        (pdca.ActionInput("Past", 0, date(2023, 12, 31)), "^The due date 2023-12-31 is outside the sensible range"),
        (pdca.ActionInput("Old", 0, date(1900, 1, 1)), "^The due date 1900-01-01 is outside the sensible range"),
        (pdca.ActionInput("No due", 0, None), "^Enter a due date"),
    ],
)
def test_bad_action_items_are_refused_with_a_clear_message(
    session: Session, world: World, action: pdca.ActionInput, message: str
) -> None:
    cycle = f.pdca_cycle(session, world.hub)
    if action.owner_organisation_id == 0:
        action = pdca.ActionInput(action.title, world.org.id, action.due_date)
    with pytest.raises(pdca.PdcaInputError, match=message):
        pdca.add_action(session=session, actor=world.manager, cycle_id=cycle.id, action=action)
    session.rollback()
    assert _items(session, cycle.id) == []


def test_a_bad_row_saves_none_of_the_changed_action_items(session: Session, world: World) -> None:
    cycle = f.pdca_cycle(session, world.hub)
    first = f.action_item(session, cycle, world.org, "first")
    second = f.action_item(session, cycle, world.org, "second")
    session.commit()
    changes = [
        pdca.ActionInput("first", world.org.id, first.due_date, status=ActionStatus.DONE, action_id=first.id),
        pdca.ActionInput("second", None, second.due_date, status=ActionStatus.DONE, action_id=second.id),
    ]
    with pytest.raises(pdca.PdcaInputError, match="Row 2 \\(second\\): Choose the owner"):
        pdca.update_actions(session=session, actor=world.manager, cycle_id=cycle.id, actions=changes)
    session.rollback()
    assert [i.status for i in _items(session, cycle.id)] == [ActionStatus.NOT_STARTED, ActionStatus.NOT_STARTED]


def test_a_carried_item_keeps_its_old_due_date_when_other_fields_change(session: Session, world: World) -> None:
    cycle = f.pdca_cycle(session, world.hub, 2024, 2)
    old = f.action_item(session, cycle, world.org, "carried", due_date=date(2024, 5, 31), origin=ActionOrigin.CARRIED)
    change = pdca.ActionInput(
        "carried", world.org.id, old.due_date, status=ActionStatus.DONE, evidence="done", action_id=old.id
    )
    assert pdca.update_actions(session=session, actor=world.manager, cycle_id=cycle.id, actions=[change]) == 1
    assert _items(session, cycle.id)[0].status is ActionStatus.DONE


# --- overview -------------------------------------------------------------------------------------


def test_overview_shows_stages_overdue_actions_hubs_not_started_and_completion(session: Session, world: World) -> None:
    first = f.pdca_cycle(session, world.hub, 2024, 1, stage=PdcaStage.CLOSED)
    f.pdca_cycle(session, world.other_hub, 2024, 1, stage=PdcaStage.ACT)
    current = f.pdca_cycle(session, world.hub, 2024, 2, stage=PdcaStage.DO)
    late = f.action_item(session, first, world.org, "late and unfinished", due_date=date(2024, 6, 1))
    f.action_item(
        session, current, world.org, "late and unfinished", due_date=date(2024, 6, 1), carried_from_id=late.id
    )
    f.action_item(session, first, world.org, "late but done", due_date=date(2024, 6, 1), status=ActionStatus.DONE)
    f.action_item(session, current, world.org, "not due yet", due_date=date(2024, 9, 30))
    session.commit()
    overview = pdca.pdca_overview(session=session, region_id=world.hub.region_id, today=date(2024, 8, 15))
    assert overview.current == Q1 + 1
    stages = overview.stages  # hubs by name, as the council reads them
    assert stages[("H1 Hub H1", Q1)] is PdcaStage.CLOSED and stages[("H2 Hub H2", Q1)] is PdcaStage.ACT
    assert overview.not_started == ["H2 Hub H2"]
    assert [(a.title, a.cycle_period) for a in overview.overdue] == [("late and unfinished", Q1 + 1)]
    assert overview.completion_pct() == [(Q1, 50.0), (Q1 + 1, 0.0)]
    everywhere = pdca.pdca_overview(session=session, region_id=None, today=date(2024, 8, 15))
    assert everywhere.hubs == ["Region r1 / H1 Hub H1", "Region r1 / H2 Hub H2"]
    assert everywhere.regions["Region r1 / H2 Hub H2"] == "Region r1"


# --- export ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "heading"), [("ja", "PDCAサイクルの記録（2024年度）"), ("en", "PDCA record, FY2024")])
def test_the_year_record_exports_as_markdown_and_xlsx_in_the_page_language(
    session: Session, world: World, lang: str, heading: str
) -> None:
    from openpyxl import load_workbook

    from hubdash import i18n
    from hubdash.exports import pdca as pdca_export
    from hubdash.fmt import Display

    cycle, _ = _closed_cycle_with_actions(session, world)
    pdca.open_cycle(session=session, actor=world.manager, hub_id=world.hub.id, period=pdca.next_period(cycle))
    pdca.add_comment(session=session, actor=world.council, cycle_id=cycle.id, body="Keep the visits going")
    record = pdca.hub_year_record(session=session, hub_id=world.hub.id, fiscal_year=2024)
    assert [d.period for d in record.cycles] == [Q1, Q1 + 1]
    text = pdca_export.markdown(record, Display(lang))
    assert heading in text
    assert f"## {Q1.label(lang)} ({i18n.t('stage.closed', lang)})" in text
    assert "Visit the companies from the seminar" in text and "Joint research is behind plan." in text
    assert "Council" in text and "Keep the visits going" in text
    book = load_workbook(io.BytesIO(pdca_export.xlsx(record, Display(lang))))
    assert i18n.t("pdca.actions", lang) in book.sheetnames
    actions = [[c.value for c in row] for row in book[i18n.t("pdca.actions", lang)].iter_rows()]
    assert actions[0][:2] == [i18n.t("col.period", lang), i18n.t("col.action", lang)]
    assert sum(r[1] == "Visit the companies from the seminar" for r in actions[1:]) == 2  # decided, then carried
