"""Every checked write, raced by 8 threads and by 4 processes on SQLite and PostgreSQL.

After each race the stored rows are exactly what one serial order of the winners would leave, every loser
got the clean refusal its user would see (EditConflict with what the winner saved, or the catalogue
message), and nothing else escaped a service: no IntegrityError, "database is locked" or serialization
failure (a worker reports those as a crash).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from hubdash import db
from hubdash.domain.enums import PdcaStage, Role, Sector
from hubdash.domain.permissions import OPEN_MODE_ADMIN, Actor
from hubdash.models import (
    ActionItem,
    AuditEvent,
    Endorsement,
    Hub,
    IdeaVote,
    Indicator,
    Measurement,
    MeasurementCorrection,
    Organisation,
    PdcaCycle,
    PdcaStageChange,
    Region,
    StrategicGoal,
    Target,
    TargetChange,
    VisionPart,
    VisionRevision,
    id_of,
)
from hubdash.services import pdca, vision, workshop
from tests import factories
from tests.concurrency.conftest import Race
from tests.concurrency.scenarios import Q1, SECTORS, Outcome

ADMIN = OPEN_MODE_ADMIN


def _kinds(outcomes: list[Outcome]) -> Counter[str]:
    crashes = [o.detail for o in outcomes if o.kind == "crash"]
    assert crashes == [], "a service let a database error escape:\n" + "\n".join(crashes)
    return Counter(o.kind for o in outcomes)


def _winner(outcomes: list[Outcome]) -> int:
    """The index of the one writer that succeeded."""
    (index,) = [i for i, o in enumerate(outcomes) if o.kind == "ok"]
    return index


def _count(session: Session, model: type, *where: Any) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def _audits(session: Session, action: str) -> int:
    return _count(session, AuditEvent, AuditEvent.action == action)


@dataclass(frozen=True)
class World:
    region: int
    organisation: int
    hubs: list[int]
    indicator: int
    indicator_codes: list[str]

    def ids(self, **more: Any) -> dict[str, Any]:
        return {
            "region": self.region,
            "organisation": self.organisation,
            "hub": self.hubs[0],
            "hubs": self.hubs,
            "indicator": self.indicator,
            "indicator_codes": self.indicator_codes,
            **more,
        }


@pytest.fixture
def world(engine: Engine) -> World:
    """Region r1 with organisation O1, hubs H1..H8, indicators K01..K02 and its statement (revision 1)."""
    with db.session_scope(engine) as s:
        region = factories.region(s, "r1")
        rid = id_of(region)
        org = factories.organisation(s, rid, "O1", sector=Sector.ACADEMIA)
        hubs = [id_of(factories.hub(s, rid, f"H{n}")) for n in range(1, 9)]
        indicators = [factories.indicator(s, rid, code) for code in ("K01", "K02")]
        vision.save_part(
            session=s, actor=ADMIN, region_id=rid, part_key="statement", body="first", base_version=0, reason="start"
        )
        return World(rid, id_of(org), hubs, id_of(indicators[0]), [i.code for i in indicators])


# --- measurements, by page and by import ------------------------------------------------------------


def test_one_new_value_typed_by_many_is_saved_once(race: Race, engine: Engine, world: World, writers: int) -> None:
    outcomes = race("measurement_new_value", world.ids())
    assert _kinds(outcomes) == {"ok": 1, "conflict": writers - 1}
    won = _winner(outcomes)
    assert all(o.detail == {f"H1 / K01 / {Q1}": (100.0 + won, f"by {won}")} for o in outcomes if o.kind == "conflict")
    with Session(engine) as s:
        stored = s.exec(select(Measurement.value, Measurement.note, Measurement.version)).all()
        assert stored == [(100.0 + won, f"by {won}", 1)]
        assert _count(s, MeasurementCorrection) == 0


def test_values_of_different_hubs_saved_at_once_all_land(
    race: Race, engine: Engine, world: World, writers: int
) -> None:
    outcomes = race("measurement_own_hub", world.ids())
    assert _kinds(outcomes) == {"ok": writers}
    with Session(engine) as s:
        stored = dict(s.exec(select(Measurement.hub_id, Measurement.value)).all())
        assert stored == {world.hubs[i]: 100.0 + i for i in range(writers)}


def test_one_value_corrected_by_many_from_one_version(race: Race, engine: Engine, world: World, writers: int) -> None:
    with db.session_scope(engine) as s:
        factories.quarterly_values(s, _hub(s, world), _indicator(s, world), {str(Q1): 5.0})
    outcomes = race("measurement_changed_value", world.ids())
    assert _kinds(outcomes) == {"ok": 1, "conflict": writers - 1}
    won = _winner(outcomes)
    with Session(engine) as s:
        assert s.exec(select(Measurement.value, Measurement.version)).all() == [(100.0 + won, 2)]
        corrections = s.exec(select(MeasurementCorrection.old_value, MeasurementCorrection.new_value)).all()
        assert corrections == [(5.0, 100.0 + won)]


def _hub(s: Session, world: World) -> Hub:
    return s.get_one(Hub, world.hubs[0])


def _indicator(s: Session, world: World) -> Indicator:
    return s.get_one(Indicator, world.indicator)


def test_imports_of_the_same_new_values_land_once_whole(race: Race, engine: Engine, world: World, writers: int) -> None:
    outcomes = race("import_same_values", world.ids())
    assert _kinds(outcomes) == {"ok": 1, "conflict": writers - 1}
    won = _winner(outcomes)
    assert outcomes[won].detail == 4
    with Session(engine) as s:
        assert sorted(s.exec(select(Measurement.value)).all()) == [10.0 + won] * 4
        assert _audits(s, "measurement.import") == 1


def test_imports_of_different_hubs_all_land(race: Race, engine: Engine, world: World, writers: int) -> None:
    outcomes = race("import_own_hub", world.ids())
    assert _kinds(outcomes) == {"ok": writers}
    with Session(engine) as s:
        per_hub = dict(s.exec(select(Measurement.hub_id, func.count()).group_by(col(Measurement.hub_id))).all())
        assert per_hub == {world.hubs[i]: 4 for i in range(writers)}
        assert _audits(s, "measurement.import") == writers


# --- vision ----------------------------------------------------------------------------------------


def test_one_part_saved_by_many_from_one_version(race: Race, engine: Engine, world: World, writers: int) -> None:
    outcomes = race("vision_same_part", world.ids())
    assert _kinds(outcomes) == {"ok": 1, "conflict": writers - 1}
    won = _winner(outcomes)
    assert outcomes[won].detail == 2
    assert {o.detail.body for o in outcomes if o.kind == "conflict"} == {f"text of writer {won}"}
    with Session(engine) as s:
        assert s.exec(select(VisionRevision.number).order_by(col(VisionRevision.number))).all() == [1, 2]
        statement = s.exec(select(VisionPart.body, VisionPart.version).where(VisionPart.key == "statement")).one()
        assert tuple(statement) == (f"text of writer {won}", 2)


def test_different_parts_saved_at_once_each_make_a_revision_holding_all_before_it(
    race: Race, engine: Engine, world: World, writers: int
) -> None:
    outcomes = race("vision_different_parts", world.ids())
    assert _kinds(outcomes) == {"ok": writers}
    assert sorted(o.detail for o in outcomes) == list(range(2, writers + 2))
    with Session(engine) as s:
        revisions = s.exec(select(VisionRevision).order_by(col(VisionRevision.number))).all()
    assert [r.number for r in revisions] == list(range(1, writers + 2))
    saved: dict[str, str] = {"statement": "first"}
    for revision in revisions[1:]:
        (part,) = revision.changed_parts
        writer = int(revision.reason.split()[-1])
        saved[part] = f"text of writer {writer}"
        # the snapshot holds this change and every change committed before it, nothing later
        expected = {
            "statement": saved["statement"],
            "commitments": {
                s.value: saved[f"commitment:{s.value}"] for s in SECTORS if f"commitment:{s.value}" in saved
            },
            "goals": {},
        }
        assert revision.snapshot == expected
    assert len(revisions[-1].snapshot["commitments"]) == writers - 1


def test_a_new_goal_added_by_many_at_once_is_added_once(race: Race, engine: Engine, world: World, writers: int) -> None:
    outcomes = race("vision_new_goal", world.ids())
    assert _kinds(outcomes) == {"ok": 1, "conflict": writers - 1}
    won = _winner(outcomes)
    assert {o.detail.title for o in outcomes if o.kind == "conflict"} == {f"goal of writer {won}"}
    with Session(engine) as s:
        goals = s.exec(select(StrategicGoal.code, StrategicGoal.title)).all()
        assert [tuple(g) for g in goals] == [("G2", f"goal of writer {won}")]
        latest = s.exec(select(VisionRevision).order_by(col(VisionRevision.number).desc())).first()
        assert latest is not None and latest.number == 2
        assert latest.snapshot["goals"] == {
            "G2": {"title": f"goal of writer {won}", "description": f"text of writer {won}"}
        }


def test_endorsing_for_one_organisation_at_once_renews_one_endorsement(
    race: Race, engine: Engine, world: World, writers: int
) -> None:
    outcomes = race("endorse_same_organisation", world.ids())
    assert _kinds(outcomes) == {"ok": writers}
    with Session(engine) as s:
        rows = s.exec(select(Endorsement.person_name)).all()
        assert len(rows) == 1 and rows[0] in {f"person {i}" for i in range(writers)}
        assert _audits(s, "endorsement.save") == writers


# --- targets ---------------------------------------------------------------------------------------


def test_re_baselining_one_target_from_one_version(race: Race, engine: Engine, world: World, writers: int) -> None:
    with db.session_scope(engine) as s:
        target = factories.target(s, _indicator(s, world), _hub(s, world))
        target_id = id_of(target)
    outcomes = race("target_rebaseline", world.ids(target=target_id))
    assert _kinds(outcomes) == {"ok": 1, "conflict": writers - 1}
    won = _winner(outcomes)
    assert {o.detail["target_value"] for o in outcomes if o.kind == "conflict"} == {200.0 + won}
    with Session(engine) as s:
        stored = s.get_one(Target, target_id)
        assert (stored.target_value, stored.version) == (200.0 + won, 2)
        changes = s.exec(select(TargetChange)).all()
        assert [(c.reason, c.before["target_value"], c.after["target_value"]) for c in changes] == [
            (f"reason {won}", 100.0, 200.0 + won)
        ]
        assert _audits(s, "target.update") == 1


@pytest.mark.parametrize("region_wide", [True, False], ids=["region-wide", "hub"])
def test_a_target_set_by_many_at_once_exists_once(
    race: Race, engine: Engine, world: World, writers: int, region_wide: bool
) -> None:
    hub = None if region_wide else world.hubs[0]
    outcomes = race("target_create", world.ids(target_hub=hub))
    assert _kinds(outcomes) == {"ok": 1, "refused": writers - 1}
    refusal = "indicators.error_target_exists_region" if region_wide else "indicators.error_target_exists_hub"
    assert {o.detail for o in outcomes if o.kind == "refused"} == {refusal}
    won = _winner(outcomes)
    with Session(engine) as s:
        assert s.exec(select(Target.hub_id, Target.target_value)).all() == [(hub, 300.0 + won)]


# --- votes -----------------------------------------------------------------------------------------


def _workshop(engine: Engine, world: World, budget: int, ideas: int) -> list[int]:
    with db.session_scope(engine) as s:
        ws = workshop.open_workshop(
            session=s, actor=ADMIN, region_id=world.region, title="WS", votes_per_participant=budget
        )
        return [
            id_of(workshop.post_idea(session=s, actor=ADMIN, workshop_id=id_of(ws), body=f"idea {n}"))
            for n in range(ideas)
        ]


def test_one_voter_in_many_tabs_stays_within_the_budget(race: Race, engine: Engine, world: World, writers: int) -> None:
    ideas = _workshop(engine, world, budget=3, ideas=writers)
    outcomes = race("vote_budget", world.ids(ideas=ideas))
    assert _kinds(outcomes) == {"ok": 3, "refused": writers - 3}
    assert {o.detail for o in outcomes if o.kind == "refused"} == {"ideas.error_no_votes_left"}
    with Session(engine) as s:
        voted = sorted(s.exec(select(IdeaVote.idea_id).where(IdeaVote.voter_key == "open:alice")).all())
        assert voted == sorted(o.detail for o in outcomes if o.kind == "ok")


def test_one_voter_votes_once_for_an_idea_however_many_tabs(
    race: Race, engine: Engine, world: World, writers: int
) -> None:
    ideas = _workshop(engine, world, budget=5, ideas=1)
    outcomes = race("vote_same_idea", world.ids(ideas=ideas))
    assert _kinds(outcomes) == {"ok": 1, "refused": writers - 1}
    assert {o.detail for o in outcomes if o.kind == "refused"} == {"ideas.error_voted"}
    with Session(engine) as s:
        assert _count(s, IdeaVote) == 1


def test_many_voters_voting_for_one_idea_are_all_counted(
    race: Race, engine: Engine, world: World, writers: int
) -> None:
    ideas = _workshop(engine, world, budget=1, ideas=1)
    outcomes = race("vote_many_voters", world.ids(ideas=ideas))
    assert _kinds(outcomes) == {"ok": writers}
    with Session(engine) as s:
        assert _count(s, IdeaVote, IdeaVote.idea_id == ideas[0]) == writers
        assert board_votes(s, world) == writers


def board_votes(s: Session, world: World) -> int:
    board = workshop.ideas_board(session=s, region_id=world.region, voter_key="")
    return board.ideas[0].votes


# --- PDCA ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cycle:
    id: int
    version: int
    open_items: list[int]


def _cycle(engine: Engine, world: World, stage: PdcaStage) -> Cycle:
    """Hub H1's FY2024 Q1 cycle at `stage` with two open action items and one done."""
    with db.session_scope(engine) as s:
        hub = _hub(s, world)
        org = s.get_one(Organisation, world.organisation)
        cycle = factories.pdca_cycle(s, hub, stage=stage, check_evaluation="checked")
        items = [factories.action_item(s, cycle, org, title) for title in ("open one", "open two")]
        factories.action_item(s, cycle, org, "finished", status="done")
        return Cycle(id_of(cycle), cycle.version, [id_of(i) for i in items])


def _carried(s: Session, cycle_id: int) -> Counter[int | None]:
    return Counter(s.exec(select(ActionItem.carried_from_id).where(ActionItem.cycle_id == cycle_id)).all())


def _next_cycles(s: Session, world: World) -> list[PdcaCycle]:
    return list(s.exec(select(PdcaCycle).where(PdcaCycle.hub_id == world.hubs[0], PdcaCycle.quarter == 2)).all())


def _open_next(engine: Engine, world: World) -> None:
    """The hub manager opens the next cycle after the race (closing opens none by itself)."""
    with db.session_scope(engine) as s:
        assert _next_cycles(s, world) == []
        pdca.open_cycle(session=s, actor=OPEN_MODE_ADMIN, hub_id=world.hubs[0], period=Q1 + 1)


def test_opening_the_next_cycle_at_once_opens_it_once_and_carries_once(
    race: Race, engine: Engine, world: World, writers: int
) -> None:
    cycle = _cycle(engine, world, PdcaStage.DO)
    outcomes = race("pdca_open_next", world.ids())
    assert _kinds(outcomes) == {"ok": writers}
    with Session(engine) as s:
        (following,) = _next_cycles(s, world)
        assert {o.detail for o in outcomes} == {following.id}
        assert _carried(s, id_of(following)) == Counter(cycle.open_items)
        assert _audits(s, "pdca_cycle.open") == 1


def test_closing_one_cycle_at_once_closes_it_once(race: Race, engine: Engine, world: World, writers: int) -> None:
    cycle = _cycle(engine, world, PdcaStage.ACT)
    outcomes = race("pdca_close", world.ids(cycle=cycle.id, cycle_version=cycle.version))
    assert _kinds(outcomes) == {"ok": 1, "conflict": writers - 1}
    assert {o.detail["stage"] for o in outcomes if o.kind == "conflict"} == {"closed"}
    _open_next(engine, world)
    with Session(engine) as s:
        (following,) = _next_cycles(s, world)
        assert _carried(s, id_of(following)) == Counter(cycle.open_items)
        assert _audits(s, "pdca_cycle.stage") == 1
        assert _count(s, PdcaStageChange) == 2


def test_one_action_item_edited_by_many_from_one_version(
    race: Race, engine: Engine, world: World, writers: int
) -> None:
    cycle = _cycle(engine, world, PdcaStage.DO)
    outcomes = race("action_same_item", world.ids(cycle=cycle.id, action=cycle.open_items[0]))
    assert _kinds(outcomes) == {"ok": 1, "conflict": writers - 1}
    won = _winner(outcomes)
    assert {o.detail["title"] for o in outcomes if o.kind == "conflict"} == {f"title of writer {won}"}
    with Session(engine) as s:
        item = s.get_one(ActionItem, cycle.open_items[0])
        assert (item.title, item.version) == (f"title of writer {won}", 2)
        assert _audits(s, "action_item.update") == 1


def test_an_action_added_while_its_cycle_closes_is_refused_or_carried_over(
    race: Race, engine: Engine, world: World, writers: int
) -> None:
    cycle = _cycle(engine, world, PdcaStage.ACT)
    outcomes = race("action_add_while_closing", world.ids(cycle=cycle.id, cycle_version=cycle.version))
    kinds = _kinds(outcomes)
    assert outcomes[0].kind == "ok"
    assert {o.detail for o in outcomes[1:] if o.kind == "refused"} <= {"pdca.error_closed"}
    added = [o.detail for o in outcomes[1:] if o.kind == "ok"]
    assert kinds["ok"] == 1 + len(added)
    _open_next(engine, world)
    with Session(engine) as s:
        (following,) = _next_cycles(s, world)
        # every item open in the closed cycle, the added ones too, is carried into the next exactly once
        assert _carried(s, id_of(following)) == Counter(cycle.open_items + added)


# --- first start -----------------------------------------------------------------------------------


def test_servers_starting_on_an_empty_database_load_the_sample_once(race: Race, engine: Engine, writers: int) -> None:
    outcomes = race("first_start", {})
    assert _kinds(outcomes) == {"ok": writers}
    loaded = [o.detail for o in outcomes if o.detail is not None]
    assert len(loaded) == 1
    with Session(engine) as s:
        assert s.exec(select(Region.code)).all() == loaded
        assert _audits(s, "region.load_sample") == 1


def test_a_writer_that_read_first_still_takes_its_turn(engine: Engine, world: World) -> None:
    """A transaction that read before asking for the write lock still writes from what is current."""
    bob = Actor(name="Bob", role=Role.ADMIN, username="open:bob")
    with Session(engine, expire_on_commit=False) as s:
        assert vision.current_vision(session=s, region_id=world.region).statement is not None  # a read first
        with db.session_scope(engine) as other:  # someone else saves meanwhile
            vision.save_part(
                session=other,
                actor=ADMIN,
                region_id=world.region,
                part_key="statement",
                body="theirs",
                base_version=1,
                reason="r",
            )
        revision = vision.save_part(
            session=s,
            actor=bob,
            region_id=world.region,
            part_key="commitment:academia",
            body="mine",
            base_version=0,
            reason="r",
        )
        s.commit()
    assert revision.number == 3
    assert revision.snapshot["statement"] == "theirs"
