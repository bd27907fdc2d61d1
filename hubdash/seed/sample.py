"""Write a bundled sample region (read by hubdash.readers.sample_files) into the database, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, select

from hubdash import audit, db
from hubdash.domain.enums import PdcaStage, Sector
from hubdash.domain.periods import JST, FiscalQuarter
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import (
    ActionItem,
    Comment,
    Endorsement,
    Hub,
    HubMember,
    Idea,
    IdeaVote,
    Indicator,
    Measurement,
    Organisation,
    PdcaCycle,
    PdcaStageChange,
    QuarterSubmission,
    Region,
    StrategicGoal,
    Target,
    User,
    UserHubScope,
    VisionPart,
    VisionRevision,
    Workshop,
    id_of,
)
from hubdash.readers.sample_files import SampleRegion, read_sample


@dataclass(frozen=True)
class SampleLoad:
    """What load_sample did: the region, and whether it was created now or already there."""

    region_id: int
    region_code: str
    created: bool


def load_sample(*, session: Session, actor: Actor, lang: str) -> SampleLoad:
    """Load the sample region of `lang` unless a region with its code exists already."""
    require(actor, Permission.MANAGE_REGIONS)
    sample = read_sample(lang)
    code = sample.region["code"]
    db.lock_for_write(session, "regions")  # two loaders at once: the second finds the first one's region
    existing = session.exec(select(Region).where(Region.code == code)).first()
    if existing is not None:
        assert existing.id is not None
        return SampleLoad(existing.id, code, created=False)
    region = _write(session, sample)
    audit.record(
        session,
        actor,
        "region.load_sample",
        region,
        after={
            "code": code,
            "lang": lang,
            "measurements": len(sample.measurements),
            "cycles": len(sample.cycles),
        },
    )
    assert region.id is not None
    return SampleLoad(region.id, code, created=True)


def load_sample_if_empty(*, session: Session, actor: Actor, lang: str) -> SampleLoad | None:
    """Load the sample region of `lang` into a database that has no region yet; None when it has one.

    Several servers starting on one empty database at once load it once: the others wait, then find it.
    """
    require(actor, Permission.MANAGE_REGIONS)
    db.lock_for_write(session, "regions")
    if session.exec(select(Region.id).limit(1)).first() is not None:
        return None
    return load_sample(session=session, actor=actor, lang=lang)


def sample_username(name: str, region_code: str) -> str:
    """Sample users are named per region (sato@sample-ja), so both samples fit in one database."""
    return f"{name}@{region_code}"


def _vision_state(revisions: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[str]]]:
    """Each revision's full snapshot and the parts it changed, replaying only-what-changed entries."""
    state: dict[str, Any] = {"statement": "", "commitments": {}, "goals": {}}
    out = []
    for rev in revisions:
        changed: list[str] = []
        if rev.get("statement"):
            state["statement"] = str(rev["statement"]).strip()
            changed.append("statement")
        for sector, body in (rev.get("commitments") or {}).items():
            state["commitments"] = {**state["commitments"], str(sector): str(body).strip()}
            changed.append(f"commitment:{sector}")
        for goal_code, goal in (rev.get("goals") or {}).items():
            merged = {
                **state["goals"].get(str(goal_code), {}),
                **{k: str(v).strip() for k, v in goal.items()},
            }
            state["goals"] = {**state["goals"], str(goal_code): merged}
            changed.append(f"goal:{goal_code}")
        out.append(({**state}, changed))
    return out


def _write(session: Session, sample: SampleRegion) -> Region:
    region = Region(
        code=sample.region["code"],
        name=sample.region["name"],
        description=sample.region.get("description", ""),
    )
    session.add(region)
    session.flush()
    rid = region.id
    assert rid is not None

    orgs = {
        o["code"]: Organisation(
            region_id=rid,
            code=o["code"],
            name=o["name"],
            sector=o["sector"],
            council_member=bool(o.get("council_member", True)),
        )
        for o in sample.organisations
    }
    session.add_all(orgs.values())
    session.flush()
    hubs: dict[str, Hub] = {}
    for h in sample.hubs:
        hubs[h["code"]] = Hub(
            region_id=rid,
            code=h["code"],
            name=h["name"],
            theme=h.get("theme", ""),
            description=h.get("description", ""),
            pdca_cadence=h["pdca_cadence"],
            core_institution_id=orgs[h["core_institution"]].id,
        )
    session.add_all(hubs.values())
    session.flush()
    for h in sample.hubs:
        session.add_all(
            HubMember(hub_id=id_of(hubs[h["code"]]), organisation_id=id_of(orgs[m]))
            for m in dict.fromkeys(h.get("members") or [])
        )

    users: dict[str, User] = {}
    for u in sample.users:
        users[u["username"]] = User(
            username=sample_username(u["username"], sample.region["code"]),
            display_name=u["display_name"],
            role=u["role"],
            email=u.get("email"),
            organisation_id=orgs[u["organisation"]].id if u.get("organisation") else None,
            region_id=rid,
        )
    session.add_all(users.values())
    session.flush()
    for u in sample.users:
        session.add_all(
            UserHubScope(user_id=id_of(users[u["username"]]), hub_id=id_of(hubs[code])) for code in u.get("hubs") or []
        )

    states = _vision_state(sample.revisions)
    final = states[-1][0]
    goals: dict[str, StrategicGoal] = {}
    for position, (goal_code, goal) in enumerate(final["goals"].items(), start=1):
        goals[goal_code] = StrategicGoal(
            region_id=rid,
            code=goal_code,
            title=goal.get("title", ""),
            description=goal.get("description", ""),
            position=position,
            version=sum(f"goal:{goal_code}" in changed for _, changed in states),
        )
    session.add_all(goals.values())
    part_bodies = {"statement": final["statement"]} | {
        f"commitment:{s.value}": final["commitments"].get(s.value, "") for s in Sector
    }
    for key, body in part_bodies.items():
        session.add(
            VisionPart(
                region_id=rid,
                key=key,
                body=body,
                version=max(1, sum(key in changed for _, changed in states)),
                updated_at=_last_change(sample.revisions, states, key),
            )
        )

    workshop = sample.workshop
    ideas_by_revision: dict[int, Idea] = {}
    if workshop:
        ws = Workshop(
            region_id=rid,
            title=workshop["title"],
            votes_per_participant=int(workshop.get("votes_per_participant") or 5),
            created_at=sample.revisions[-1]["created_at"],
        )
        session.add(ws)
        session.flush()
        for idea_row in workshop.get("ideas") or []:
            author = users[idea_row["author"]]
            adopted_in = idea_row.get("adopted_in_revision")
            idea = Idea(
                workshop_id=id_of(ws),
                region_id=rid,
                body=str(idea_row["body"]).strip(),
                goal_id=goals[idea_row["goal"]].id if idea_row.get("goal") else None,
                author_key=author.username,
                author_name=author.display_name,
                adopted_at=sample.revisions[adopted_in - 1]["created_at"] if adopted_in else None,
            )
            session.add(idea)
            session.flush()
            if adopted_in:
                ideas_by_revision[int(adopted_in)] = idea
            session.add_all(
                IdeaVote(workshop_id=id_of(ws), idea_id=id_of(idea), voter_key=users[voter].username)
                for voter in idea_row.get("voters") or []
            )

    revisions: list[VisionRevision] = []
    for rev, (snap, changed) in zip(sample.revisions, states, strict=True):
        author = users[rev["author"]]
        credited = ideas_by_revision.get(rev["number"])
        revisions.append(
            VisionRevision(
                region_id=rid,
                number=rev["number"],
                snapshot=snap,
                changed_parts=changed,
                reason=str(rev.get("reason") or ""),
                author_id=author.id,
                author_name=author.display_name,
                created_at=rev["created_at"],
                idea_id=credited.id if credited else None,
            )
        )
    session.add_all(revisions)
    session.flush()
    for e in sample.endorsements:
        session.add(
            Endorsement(
                region_id=rid,
                revision_id=id_of(revisions[int(e["revision"]) - 1]),
                organisation_id=id_of(orgs[e["organisation"]]),
                person_name=str(e["person"]),
                comment=str(e.get("comment") or ""),
                endorsed_at=e["endorsed_at"],
            )
        )
    for c in sample.comments:
        author = users[c["author"]]
        session.add(
            Comment(
                region_id=rid,
                subject=str(c.get("part") or "statement"),
                body=str(c["body"]).strip(),
                author_id=author.id,
                author_name=author.display_name,
                created_at=c["created_at"],
                resolved_at=c["created_at"] if c.get("resolved") else None,
                resolved_by_name=author.display_name if c.get("resolved") else None,
            )
        )

    indicators: dict[str, Indicator] = {}
    for position, i in enumerate(sample.indicators, start=1):
        indicators[i["code"]] = Indicator(
            region_id=rid,
            code=i["code"],
            name=i["name"],
            unit=i["unit"],
            kind=i["kind"],
            measure=i["measure"],
            direction=i["direction"],
            definition=i.get("definition", ""),
            data_source=i.get("data_source", ""),
            position=position,
            goal_id=goals[i["goal"]].id if i.get("goal") else None,
        )
    session.add_all(indicators.values())
    session.flush()
    for tg in sample.targets:
        session.add(
            Target(
                region_id=rid,
                indicator_id=id_of(indicators[tg["indicator"]]),
                hub_id=hubs[tg["hub"]].id if tg.get("hub") else None,
                baseline_value=tg["baseline"],
                baseline_fy=tg["baseline_period"].fiscal_year,
                baseline_quarter=tg["baseline_period"].quarter,
                target_value=tg["target"],
                target_fy=tg["target_period"].fiscal_year,
                target_quarter=tg["target_period"].quarter,
                accumulation=tg["accumulation"],
                tolerance=tg["tolerance"],
                milestones=tg["milestones"],
                profile=list(tg["profile"]) if tg.get("profile") else None,
            )
        )
    if sample.measurements:
        session.execute(
            insert(Measurement),
            [
                {
                    "hub_id": hubs[m["hub"]].id,
                    "indicator_id": indicators[m["indicator"]].id,
                    "fiscal_year": m["period"].fiscal_year,
                    "quarter": m["period"].quarter,
                    "value": m["value"],
                    "note": m["note"],
                    "version": 1,
                    "entered_at": _entered_at(m["period"]),
                    "entered_by_name": "",
                }
                for m in sample.measurements
            ],
        )
    _write_submissions(session, sample, hubs, users)
    _write_cycles(session, sample, hubs, orgs, indicators)
    session.flush()
    return region


def _jst(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment on a day in Japan, as the aware UTC time it is stored as."""
    return datetime.combine(day, time(hour, minute), tzinfo=JST).astimezone(UTC)


def _entered_at(period: FiscalQuarter) -> datetime:
    # Hub managers enter a quarter's values in the weeks after it ends, and submit it a week later.
    return _jst(period.end_date + timedelta(days=14), 9)


def _write_submissions(session: Session, sample: SampleRegion, hubs: dict[str, Hub], users: dict[str, User]) -> None:
    """Each hub's quarters with values up to its `through` quarter, submitted by its manager."""
    periods = sorted({m["period"] for m in sample.measurements})
    for row in sample.submissions:
        manager = users[row["by"]]
        session.add_all(
            QuarterSubmission(
                hub_id=id_of(hubs[row["hub"]]),
                fiscal_year=period.fiscal_year,
                quarter=period.quarter,
                submitted_at=_jst(period.end_date + timedelta(days=21), 17, 30),
                submitted_by_id=manager.id,
                submitted_by_name=manager.display_name,
            )
            for period in periods
            if period <= row["through"]
        )


def _last_change(revisions: list[dict[str, Any]], states: list[tuple[dict[str, Any], list[str]]], key: str) -> datetime:
    moments = [rev["created_at"] for rev, (_, changed) in zip(revisions, states, strict=True) if key in changed]
    found: datetime = moments[-1] if moments else revisions[0]["created_at"]
    return found


def _write_cycles(
    session: Session,
    sample: SampleRegion,
    hubs: dict[str, Hub],
    orgs: dict[str, Organisation],
    indicators: dict[str, Indicator],
) -> None:
    previous_items: dict[str, dict[str, ActionItem]] = {}
    for c in sorted(sample.cycles, key=lambda row: (row["hub"], row["period"])):
        hub = hubs[c["hub"]]
        # A cycle opens on the quarter's first day; its Check follows the quarter's values, the rest a week apart.
        opened = _jst(c["period"].start_date, 9)
        moved = _jst(c["period"].end_date + timedelta(days=28 if c["stage"] is PdcaStage.CLOSED else 21), 16)
        cycle = PdcaCycle(
            hub_id=id_of(hub),
            opened_at=opened,
            closed_at=moved if c["stage"] is PdcaStage.CLOSED else None,
            fiscal_year=c["period"].fiscal_year,
            quarter=c["period"].quarter,
            cadence=hub.pdca_cadence,
            stage=c["stage"],
            objectives=str(c.get("objectives") or "").strip(),
            do_summary=str(c.get("do_summary") or "").strip(),
            check_evaluation=str(c.get("check_evaluation") or "").strip(),
            effect_rating=c.get("effect_rating"),
            future_course=c.get("future_course"),
            external_opinion=str(c.get("external_opinion") or "").strip(),
            act_summary=str(c.get("act_summary") or "").strip(),
        )
        session.add(cycle)
        session.flush()
        session.add(PdcaStageChange(cycle_id=id_of(cycle), from_stage=None, to_stage=PdcaStage.PLAN, changed_at=opened))
        if c["stage"] is not PdcaStage.PLAN:
            session.add(
                PdcaStageChange(
                    cycle_id=id_of(cycle),
                    from_stage=PdcaStage.PLAN,
                    to_stage=c["stage"],
                    changed_at=moved,
                )
            )
        before = previous_items.get(c["hub"], {})
        current: dict[str, ActionItem] = {}
        for a in c.get("actions") or []:
            carried_from = before.get(a["title"]) if a["origin"].value != "plan" else None
            item = ActionItem(
                cycle_id=id_of(cycle),
                hub_id=id_of(hub),
                title=str(a["title"]).strip(),
                owner_organisation_id=id_of(orgs[a["owner"]]),
                due_date=a["due"],
                status=a["status"],
                evidence=str(a.get("evidence") or "").strip(),
                origin=a["origin"],
                carried_from_id=carried_from.id if carried_from else None,
                indicator_ids=[id_of(indicators[code]) for code in a.get("indicators") or []],
                created_at=opened,
                updated_at=moved if c["stage"] is PdcaStage.CLOSED else opened,
            )
            session.add(item)
            current[item.title] = item
        session.flush()
        previous_items[c["hub"]] = current
