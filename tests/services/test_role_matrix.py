"""The role matrix: every mutating service function, called as every role, in and out of scope.

Exactly the allowed calls succeed; every other one raises PermissionDenied and changes nothing (no row added
or removed in any table, no audit event). Runs on SQLite and PostgreSQL like every database test.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel

import hubdash.services
from hubdash.domain.enums import (
    Direction,
    EffectRating,
    ExpertSector,
    FutureCourse,
    IndicatorKind,
    Measure,
    PdcaStage,
    Role,
    Sector,
    VerificationStage,
)
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import SYSTEM, Actor, PermissionDenied
from hubdash.exports.backup import write_backup
from hubdash.models import Indicator, Organisation, Workshop
from hubdash.readers.backup_file import open_backup
from hubdash.readers.progress_file import read_progress_file
from hubdash.services import (
    backup,
    indicators,
    measurements,
    participants,
    pdca,
    places,
    region_settings,
    reminders,
    reporting,
    signoff,
    targets,
    users,
    verification,
    vision,
    workshop,
)
from tests import factories

ROLES = ("admin", "council", "manager", "viewer", "participant", "expert")
ALL = frozenset(ROLES)
EXPERT = frozenset({"expert"})  # an outside expert invited to the region's verification (not even the admin)
ADMIN = frozenset({"admin"})
EDITORS = frozenset({"admin", "council"})  # the council of the region
MANAGERS = frozenset({"admin", "manager"})  # the manager of the hub
COMMENTERS = frozenset({"admin", "council", "manager", "participant"})
RESOLVERS = frozenset({"admin", "council", "manager"})
IDEAS = frozenset({"admin", "council", "manager", "participant"})  # in the participant's own workshop

# Functions that take an actor but change nothing (their permission checks are tested with their subjects).
READS = {
    "audit_log.recent_events",
    "audit_log.audit_trail",
    "audit_log.audit_actions",
    "audit_log.audit_span",
    "executive.executive_report",
    "measurements.plan_import",
    "measurements.plan_upload",
    "measurements.export_rows",
    "measurements.region_export_rows",
    "measurements.entry_rows",
    "participants.workshop_participants",
    "places.all_places",
    "users.list_users",
    "todo.todo",
    "verification.verification_record",
}


@dataclass
class World:
    ids: dict[str, int]
    actors: dict[str, Actor]
    plans: dict[str, measurements.ImportPlan]


def _world(session: Session, *, verifications: bool = False) -> World:
    ids: dict[str, int] = {}
    for r in ("A", "B"):
        region = factories.region(session, r)
        ids[r] = region.id
        ids[f"O_{r}"] = factories.organisation(session, region.id, "O1").id
        ids[f"K_{r}"] = factories.indicator(session, region.id, "K01").id
        for _ in range(2):  # two revisions, so that there is one to restore
            vision.save_part(
                session=session,
                actor=SYSTEM,
                region_id=region.id,
                part_key="statement",
                body=f"vision {_}",
                base_version=_,
                reason="r",
            )
        ids[f"C_{r}"] = vision.add_comment(
            session=session,
            actor=SYSTEM,
            region_id=region.id,
            subject="statement",
            body="c",
        ).id
        ws = workshop.open_workshop(
            session=session,
            actor=SYSTEM,
            region_id=region.id,
            title="WS",
            votes_per_participant=5,
        )
        ids[f"W_{r}"] = ws.id
        ids[f"I_{r}"] = workshop.post_idea(session=session, actor=SYSTEM, workshop_id=ws.id, body="idea").id
    ids["O_A2"] = factories.organisation(session, ids["A"], "O2", sector=Sector.INDUSTRY).id
    for name, region in (("H1", "A"), ("H2", "A"), ("H3", "B")):
        hub = factories.hub(session, ids[region], name)
        ids[name] = hub.id
        indicator = session.get(Indicator, ids[f"K_{region}"])
        ids[f"T_{name}"] = factories.target(session, indicator, hub).id
        factories.quarterly_values(session, hub, indicator, {"FY2023Q4": 5.0})  # a quarter to submit
        cycle = factories.pdca_cycle(session, hub)
        ids[f"Y_{name}"] = cycle.id
        owner = session.get(Organisation, ids[f"O_{region}"])
        ids[f"X_{name}"] = factories.action_item(session, cycle, owner).id
    actors = {
        "admin": factories.user(session, "admin", Role.ADMIN),
        "council": factories.user(
            session, "council", Role.COUNCIL_MEMBER, region_id=ids["A"], organisation_id=ids["O_A"]
        ),
        "manager": factories.user(session, "manager", Role.HUB_MANAGER, region_id=ids["A"], hub_ids=(ids["H1"],)),
        "viewer": factories.user(session, "viewer", Role.VIEWER, region_id=ids["A"]),
    }
    actors["expert"] = factories.user(session, "expert", Role.OUTSIDE_EXPERT, region_id=ids["A"])
    ids["victim"] = factories.user(session, "victim", Role.VIEWER, region_id=ids["A"]).user_id
    code = session.get(Workshop, ids["W_A"]).join_code
    actors["participant"] = participants.join_workshop(
        session=session, code=code or "", name="P", organisation="Q", sector=Sector.OTHER
    ).actor
    plans = {}
    for hub, region in (("H1", "A"), ("H2", "A"), ("H3", "B")):
        rows = read_progress_file(f"region,hub,indicator,period,value\n{region},{hub},K01,FY2024Q1,5\n".encode()).rows
        plans[hub] = measurements.plan_import(session=session, actor=SYSTEM, rows=rows)
    if verifications:
        _verifications(session, ids, actors)
    session.commit()
    return World(ids, actors, plans)


def _verifications(session: Session, ids: dict[str, int], actors: dict[str, Actor]) -> None:
    """Per region: a submitted quarter of each hub (FY2023Q3); verifications of FY2022 (published), FY2023 (under
    review, the expert of the region invited, with an opinion) and FY2024 (decided)."""
    from hubdash.models import Hub, VerificationExpert, VerificationOpinion
    from hubdash.services.users import actor_for

    for hub in ("H1", "H2", "H3"):
        region = "A" if hub != "H3" else "B"
        session.get(Hub, ids[hub]).core_institution_id = ids[f"O_{region}"]  # owns a decided action item
        indicator = session.get(Indicator, ids[f"K_{region}"])
        factories.quarterly_values(session, session.get(Hub, ids[hub]), indicator, {"FY2023Q3": 4.0})
        ids[f"S_{hub}"] = reporting.submit_quarter(
            session=session, actor=SYSTEM, hub_id=ids[hub], period=FiscalQuarter(2023, 3)
        ).id
    review, decided = VerificationStage.REVIEW, VerificationStage.DECIDED
    stages = {2022: (review, decided), 2023: (review,), 2024: (review, decided)}  # 2022 is then published
    for r in ("A", "B"):
        for year, path in stages.items():
            opened = verification.open_verification(session=session, actor=SYSTEM, region_id=ids[r], fiscal_year=year)
            for onward in path:
                verification.move_stage(
                    session=session, actor=SYSTEM, verification_id=opened.id, version=opened.version, to_stage=onward
                )
                session.refresh(opened)
            if year == 2022:
                verification.publish(session=session, actor=SYSTEM, verification_id=opened.id, version=opened.version)
                session.refresh(opened)
            ids[f"V{year}_{r}"] = opened.id
            ids[f"V{year}_{r}_version"] = opened.version
        expert_user = factories.user(session, f"expert{r}", Role.OUTSIDE_EXPERT, region_id=ids[r]).user_id
        invited = verification.invite_expert(
            session=session, actor=SYSTEM, verification_id=ids[f"V2023_{r}"], user_id=expert_user,
            organisation="University", sector=ExpertSector.ACADEMIA,
        )  # fmt: skip
        opinion = VerificationOpinion(verification_id=ids[f"V2023_{r}"], expert_id=invited.id, body="opinion")
        session.add(opinion)
        session.flush()
        ids[f"P_{r}"] = opinion.id
        ids[f"expert_user_{r}"] = expert_user
    session.add(VerificationExpert(verification_id=ids["V2023_A"], user_id=actors["expert"].user_id, name="E",
                                   organisation="U", sector=ExpertSector.MEDIA))  # fmt: skip
    session.flush()
    expert = actor_for(session=session, username="expert")
    assert expert is not None
    actors["expert"] = expert


Call = Callable[[Session, Actor, World], Any]


def _indicator(code: str = "KNEW") -> indicators.IndicatorInput:
    return indicators.IndicatorInput(code, "name", "件", IndicatorKind.OUTCOME, Measure.LEVEL, Direction.HIGHER)


def _target(w: World, region: str, hub: str | None) -> targets.TargetInput:
    return targets.TargetInput(
        w.ids[f"K_{region}"], w.ids[hub] if hub else None, 0.0, FiscalQuarter(2023, 4), 200.0, FiscalQuarter(2027, 4)
    )


def _region_cases() -> dict[str, tuple[Call, frozenset[str]]]:
    """Region-scoped calls: (call for region "A" or "B", roles allowed in region A); in B only the admin."""
    return {
        "indicators.create_indicator": (
            lambda s, a, w, r: indicators.create_indicator(session=s, actor=a, region_id=w.ids[r], data=_indicator()),
            EDITORS,
        ),
        "indicators.update_indicator": (
            lambda s, a, w, r: indicators.update_indicator(
                session=s, actor=a, indicator_id=w.ids[f"K_{r}"], data=_indicator("K01")
            ),
            EDITORS,
        ),
        "targets.create_target": (
            lambda s, a, w, r: targets.create_target(session=s, actor=a, region_id=w.ids[r], data=_target(w, r, None)),
            EDITORS,
        ),
        "targets.update_target": (
            lambda s, a, w, r: targets.update_target(
                session=s,
                actor=a,
                target_id=w.ids["T_H1" if r == "A" else "T_H3"],
                data=_target(w, r, "H1" if r == "A" else "H3"),
                reason="re-baselined",
                version=1,
            ),
            EDITORS,
        ),
        "vision.save_part": (
            lambda s, a, w, r: vision.save_part(
                session=s, actor=a, region_id=w.ids[r], part_key="statement", body="new", base_version=2, reason="r"
            ),
            EDITORS,
        ),
        "vision.restore_revision": (
            lambda s, a, w, r: vision.restore_revision(session=s, actor=a, region_id=w.ids[r], number=1, reason="r"),
            ADMIN,
        ),
        "vision.save_draft": (
            lambda s, a, w, r: vision.save_draft(
                session=s, actor=a, region_id=w.ids[r], part_key="statement", base_version=2, body="d"
            ),
            EDITORS,
        ),
        "vision.discard_draft": (
            lambda s, a, w, r: vision.discard_draft(session=s, actor=a, region_id=w.ids[r], part_key="statement"),
            EDITORS,
        ),
        "vision.touch_presence": (
            lambda s, a, w, r: vision.touch_presence(session=s, actor=a, region_id=w.ids[r], part_keys=["statement"]),
            EDITORS,
        ),
        "vision.add_comment": (
            lambda s, a, w, r: vision.add_comment(
                session=s, actor=a, region_id=w.ids[r], subject="statement", body="c"
            ),
            COMMENTERS,
        ),
        "vision.resolve_comment": (
            lambda s, a, w, r: vision.resolve_comment(session=s, actor=a, comment_id=w.ids[f"C_{r}"]),
            RESOLVERS,
        ),
        "workshop.open_workshop": (
            lambda s, a, w, r: workshop.open_workshop(
                session=s, actor=a, region_id=w.ids[r], title="new", votes_per_participant=3
            ),
            EDITORS,
        ),
        "workshop.set_vote_budget": (
            lambda s, a, w, r: workshop.set_vote_budget(
                session=s, actor=a, workshop_id=w.ids[f"W_{r}"], votes_per_participant=3
            ),
            EDITORS,
        ),
        "workshop.adopt_idea": (
            lambda s, a, w, r: workshop.adopt_idea(
                session=s, actor=a, idea_id=w.ids[f"I_{r}"], part_key="statement", reason="adopted"
            ),
            EDITORS,
        ),
        "participants.close_workshop": (
            lambda s, a, w, r: participants.close_workshop(session=s, actor=a, workshop_id=w.ids[f"W_{r}"]),
            EDITORS,
        ),
        "workshop.post_idea": (
            lambda s, a, w, r: workshop.post_idea(session=s, actor=a, workshop_id=w.ids[f"W_{r}"], body="x"),
            IDEAS,
        ),
        "workshop.vote": (lambda s, a, w, r: workshop.vote(session=s, actor=a, idea_id=w.ids[f"I_{r}"]), IDEAS),
        "workshop.unvote": (lambda s, a, w, r: workshop.unvote(session=s, actor=a, idea_id=w.ids[f"I_{r}"]), IDEAS),
        "places.create_hub": (
            lambda s, a, w, r: places.create_hub(session=s, actor=a, region_id=w.ids[r], code="HN", name="n"),
            ADMIN,
        ),
        "places.create_organisation": (
            lambda s, a, w, r: places.create_organisation(
                session=s, actor=a, region_id=w.ids[r], code="ON", name="n", sector=Sector.FINANCE
            ),
            ADMIN,
        ),
        "places.rename": (
            lambda s, a, w, r: places.rename(session=s, actor=a, kind="region", place_id=w.ids[r], name="renamed"),
            ADMIN,
        ),
        "places.set_archived": (
            lambda s, a, w, r: places.set_archived(
                session=s, actor=a, kind="organisation", place_id=w.ids[f"O_{r}"], archived=True
            ),
            ADMIN,
        ),
    }


def _hub_cases() -> dict[str, tuple[Call, frozenset[str]]]:
    """Hub-scoped calls for hub H1 (the manager's), H2 (same region) or H3 (other region): roles allowed on H1."""
    cycle = pdca.CycleChanges(objectives="objectives")

    def action(w: World, h: str, item: bool) -> pdca.ActionInput:
        owner = w.ids["O_A" if h != "H3" else "O_B"]
        due = FiscalQuarter(2024, 1).end_date
        return pdca.ActionInput("act", owner, due, action_id=w.ids[f"X_{h}"] if item else None)

    def record(s: Session, a: Actor, w: World, h: str) -> Any:
        entry = measurements.ValueEntry(w.ids["K_A" if h != "H3" else "K_B"], 5.0)
        return measurements.record_values(
            session=s, actor=a, hub_id=w.ids[h], period=FiscalQuarter(2024, 1), entries=[entry]
        )

    return {
        "measurements.record_values": (record, MANAGERS),
        "measurements.apply_import": (
            lambda s, a, w, h: measurements.apply_import(session=s, actor=a, plan=w.plans[h]),
            MANAGERS,
        ),
        "reporting.submit_quarter": (
            lambda s, a, w, h: reporting.submit_quarter(
                session=s, actor=a, hub_id=w.ids[h], period=FiscalQuarter(2023, 4)
            ),
            MANAGERS,
        ),
        "pdca.open_cycle": (
            lambda s, a, w, h: pdca.open_cycle(session=s, actor=a, hub_id=w.ids[h], period=FiscalQuarter(2025, 1)),
            MANAGERS,
        ),
        "pdca.update_cycle": (
            lambda s, a, w, h: pdca.update_cycle(
                session=s, actor=a, cycle_id=w.ids[f"Y_{h}"], version=1, changes=cycle
            ),
            MANAGERS,
        ),
        "pdca.move_stage": (
            lambda s, a, w, h: pdca.move_stage(
                session=s, actor=a, cycle_id=w.ids[f"Y_{h}"], version=1, to_stage=PdcaStage.DO
            ),
            MANAGERS,
        ),
        "pdca.add_action": (
            lambda s, a, w, h: pdca.add_action(
                session=s, actor=a, cycle_id=w.ids[f"Y_{h}"], action=action(w, h, False)
            ),
            MANAGERS,
        ),
        "pdca.update_actions": (
            lambda s, a, w, h: pdca.update_actions(
                session=s, actor=a, cycle_id=w.ids[f"Y_{h}"], actions=[action(w, h, True)]
            ),
            MANAGERS,
        ),
        "pdca.add_comment": (
            lambda s, a, w, h: pdca.add_comment(session=s, actor=a, cycle_id=w.ids[f"Y_{h}"], body="c"),
            RESOLVERS,  # the council and every manager of the region comment on any of its hubs' cycles
        ),
    }


def _global_cases() -> dict[str, tuple[Call, frozenset[str]]]:
    victim = lambda w: w.ids["victim"]  # noqa: E731
    return {
        "users.add_user": (
            lambda s, a, w: users.add_user(session=s, actor=a, data=users.UserInput("new", "New", Role.VIEWER)),
            ADMIN,
        ),
        "users.update_user": (
            lambda s, a, w: users.update_user(
                session=s, actor=a, user_id=victim(w), data=users.UserInput("victim", "V", Role.ADMIN)
            ),
            ADMIN,
        ),
        "users.set_active": (
            lambda s, a, w: users.set_active(session=s, actor=a, user_id=victim(w), active=False),
            ADMIN,
        ),
        "users.set_password": (
            lambda s, a, w: users.set_password(session=s, actor=a, user_id=victim(w), password="a long new password"),
            ADMIN,
        ),
        "users.reset_password": (lambda s, a, w: users.reset_password(session=s, actor=a, user_id=victim(w)), ADMIN),
        "places.create_region": (
            lambda s, a, w: places.create_region(session=s, actor=a, code="rN", name="New region"),
            ADMIN,
        ),
    }


def _endorse(s: Session, a: Actor, w: World, organisation: str) -> Any:
    region = "B" if organisation == "O_B" else "A"
    return vision.endorse(
        session=s, actor=a, region_id=w.ids[region], organisation_id=w.ids[organisation], person_name="P"
    )


# (function, scope) -> (call, roles allowed); out of scope only the administrator
CASES: dict[tuple[str, str], tuple[Callable[[Session, Actor, World], Any], frozenset[str]]] = {}
for name, (call, allowed) in _region_cases().items():
    CASES[(name, "own region")] = (lambda s, a, w, c=call: c(s, a, w, "A"), allowed)
    CASES[(name, "other region")] = (lambda s, a, w, c=call: c(s, a, w, "B"), ADMIN)
for name, (call, allowed) in _hub_cases().items():
    CASES[(name, "own hub")] = (lambda s, a, w, c=call: c(s, a, w, "H1"), allowed)
    in_region = allowed if allowed == RESOLVERS else allowed - {"manager"}  # comments: any hub of the region
    CASES[(name, "other hub")] = (lambda s, a, w, c=call: c(s, a, w, "H2"), in_region)
    CASES[(name, "other region")] = (lambda s, a, w, c=call: c(s, a, w, "H3"), ADMIN)
for name, (call, allowed) in _global_cases().items():
    CASES[(name, "anywhere")] = (call, allowed)


def _backup(s: Session, a: Actor, w: Any) -> None:
    backup.database_content(session=s, actor=a)


def _restore(s: Session, a: Actor, w: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "world.zip"
        with path.open("wb") as stream:
            write_backup(backup.database_content(session=s, actor=SYSTEM), stream)
        with open_backup(path) as archive:
            try:
                backup.restore_database(session=s, actor=a, archive=archive, replace=False)
            except backup.BackupError as refused:  # past the permission check: the world's database holds rows
                assert refused.key == "backup.error_not_empty"


CASES[("backup.database_content", "anywhere")] = (_backup, ADMIN)
CASES[("backup.restore_database", "anywhere")] = (_restore, ADMIN)
CASES[("vision.endorse", "own organisation")] = (lambda s, a, w: _endorse(s, a, w, "O_A"), EDITORS)
CASES[("vision.endorse", "other organisation")] = (lambda s, a, w: _endorse(s, a, w, "O_A2"), ADMIN)
CASES[("vision.endorse", "other region")] = (lambda s, a, w: _endorse(s, a, w, "O_B"), ADMIN)

# --- sign-off, effect verification, reminders (issue 16) ----------------------------------------------------
VERIFICATION_MODULES = {"signoff", "region_settings", "verification", "pdca", "reminders"}


def _decision(course: FutureCourse | None = FutureCourse.CONTINUE) -> verification.Decision:
    return verification.Decision(EffectRating.EFFECTIVE, course, "reason", 0)


def _issue16_region_cases() -> dict[str, tuple[Call, frozenset[str]]]:
    """Region-scoped calls of issue 16: (call for region "A" or "B", roles allowed in region A)."""
    from hubdash.domain.rating import PRESETS

    v = lambda w, r, year=2023: w.ids[f"V{year}_{r}"]  # noqa: E731
    return {
        "signoff.confirm_quarter": (
            lambda s, a, w, r: signoff.confirm_quarter(
                session=s, actor=a, submission_id=w.ids["S_H1" if r == "A" else "S_H3"], version=1
            ),
            EDITORS,
        ),
        "signoff.return_quarter": (
            lambda s, a, w, r: signoff.return_quarter(
                session=s, actor=a, submission_id=w.ids["S_H1" if r == "A" else "S_H3"], version=1, comment="why"
            ),
            EDITORS,
        ),
        "region_settings.set_confirmed_only": (
            lambda s, a, w, r: region_settings.set_confirmed_only(
                session=s, actor=a, region_id=w.ids[r], confirmed_only=True, version=0
            ),
            EDITORS,
        ),
        "region_settings.set_rating_scale": (
            lambda s, a, w, r: region_settings.set_rating_scale(
                session=s, actor=a, region_id=w.ids[r], scale=PRESETS["symbols"], version=0
            ),
            EDITORS,
        ),
        "verification.open_verification": (
            lambda s, a, w, r: verification.open_verification(session=s, actor=a, region_id=w.ids[r], fiscal_year=2025),
            EDITORS,
        ),
        "verification.move_stage": (
            lambda s, a, w, r: verification.move_stage(
                session=s,
                actor=a,
                verification_id=v(w, r),
                version=w.ids[f"V2023_{r}_version"],
                to_stage=VerificationStage.DECIDED,
            ),  # fmt: skip
            EDITORS,
        ),
        "verification.publish": (
            lambda s, a, w, r: verification.publish(
                session=s, actor=a, verification_id=v(w, r, 2024), version=w.ids[f"V2024_{r}_version"]
            ),
            EDITORS,
        ),
        "verification.start_correction": (
            lambda s, a, w, r: verification.start_correction(
                session=s, actor=a, verification_id=v(w, r, 2022), version=w.ids[f"V2022_{r}_version"], reason="typo"
            ),
            EDITORS,
        ),
        "verification.decide_target": (
            lambda s, a, w, r: verification.decide_target(
                session=s,
                actor=a,
                verification_id=v(w, r),
                target_id=w.ids["T_H1" if r == "A" else "T_H3"],
                decision=_decision(),
            ),  # fmt: skip
            EDITORS,
        ),
        "verification.decide_hub": (
            lambda s, a, w, r: verification.decide_hub(
                session=s,
                actor=a,
                verification_id=v(w, r),
                hub_id=w.ids["H1" if r == "A" else "H3"],
                decision=_decision(),
            ),  # fmt: skip
            EDITORS,
        ),
        "verification.invite_expert": (
            lambda s, a, w, r: verification.invite_expert(
                session=s,
                actor=a,
                verification_id=v(w, r, 2024),
                user_id=w.ids[f"expert_user_{r}"],
                organisation="Bank",
                sector=ExpertSector.FINANCE,
            ),  # fmt: skip
            EDITORS,
        ),
        "verification.answer_opinion": (
            lambda s, a, w, r: verification.answer_opinion(
                session=s, actor=a, opinion_id=w.ids[f"P_{r}"], version=1, answer="answer"
            ),
            EDITORS,
        ),
        "verification.write_opinion": (
            lambda s, a, w, r: verification.write_opinion(session=s, actor=a, verification_id=v(w, r), body="opinion"),
            EXPERT,
        ),
    }


for name, (call, allowed) in _issue16_region_cases().items():
    CASES[(name, "own region")] = (lambda s, a, w, c=call: c(s, a, w, "A"), allowed)
    CASES[(name, "other region")] = (
        lambda s, a, w, c=call: c(s, a, w, "B"),
        ADMIN if allowed != EXPERT else frozenset(),
    )


def _correct(s: Session, a: Actor, w: World, hub: str) -> Any:
    return signoff.correct_confirmed(
        session=s, actor=a, values=[signoff.Correction(w.ids[hub], FiscalQuarter(2023, 3), True, hub)]
    )


def _decided_action(s: Session, a: Actor, w: World, hub: str) -> Any:
    return pdca.add_decided_action(session=s, actor=a, hub_id=w.ids[hub], fiscal_year=2025, title="improve")


for name, call16, own in (
    ("signoff.correct_confirmed", _correct, MANAGERS),
    ("pdca.add_decided_action", _decided_action, EDITORS),
):
    CASES[(name, "own hub")] = (lambda s, a, w, c=call16: c(s, a, w, "H1"), own)
    CASES[(name, "other hub")] = (lambda s, a, w, c=call16: c(s, a, w, "H2"), own - {"manager"})
    CASES[(name, "other region")] = (lambda s, a, w, c=call16: c(s, a, w, "H3"), ADMIN)
CASES[("reminders.claim", "anywhere")] = (
    lambda s, a, w: reminders.claim(session=s, actor=a, user_id=w.ids["victim"], keys=["k"], today=date(2026, 1, 1)),
    ADMIN,
)
CASES[("reminders.remember_language", "anywhere")] = (
    lambda s, a, w: reminders.remember_language(session=s, actor=a, language="en"),
    ALL,  # their own account's language (a participant has none: nothing changes)
)


def _counts(session: Session) -> dict[str, int]:
    names = [t.name for t in SQLModel.metadata.sorted_tables]
    query = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{n}")' for n in names)
    return dict(zip(names, session.execute(text(query)).one(), strict=True))


def test_every_mutating_service_function_is_in_the_matrix() -> None:
    found = set()
    for module in pkgutil.iter_modules(hubdash.services.__path__):
        loaded = importlib.import_module(f"hubdash.services.{module.name}")
        for name, fn in inspect.getmembers(loaded, inspect.isfunction):
            if fn.__module__ == loaded.__name__ and "actor" in inspect.signature(fn).parameters and name[0] != "_":
                found.add(f"{module.name}.{name}")
    covered = {name for name, _ in CASES}
    assert found - READS == covered, "add the new service function to the role matrix (or to READS if it reads)"


@pytest.mark.parametrize(("function", "scope"), sorted(CASES), ids=[f"{f}[{s}]" for f, s in sorted(CASES)])
def test_exactly_the_allowed_roles_may_call(session: Session, function: str, scope: str) -> None:
    world = _world(session, verifications=function.split(".")[0] in VERIFICATION_MODULES)
    call, allowed = CASES[(function, scope)]
    outcome = {}
    for role in ROLES:
        savepoint = session.begin_nested()
        before = _counts(session)
        try:
            call(session, world.actors[role], world)
            session.flush()
            outcome[role] = "done"
        except PermissionDenied:
            outcome[role] = "denied"
            assert _counts(session) == before, f"{role} was refused {function} but something changed"
        savepoint.rollback()
    assert {r for r, o in outcome.items() if o == "done"} == set(allowed), outcome
