"""Effect verification (効果検証) of a region's fiscal year: stages, ratings and decisions, outside experts and
their opinions, the council's answers, publication and corrections.

Stages run draft → review (the outside experts write their opinions) → decided → published; each move is a
VerificationStageChange and an audit event, a move back needs a reason. Publishing freezes everything the
verification shows in a VerificationPublication (services.verification_record), and turns every 改善 or 拡充
decision into an action item of the first PDCA cycle of the next fiscal year of each hub concerned (a
region-wide target concerns every hub with a target of its indicator), linked back by VerificationAction.
A published verification takes no change: a correction starts the next version, with its reason, and is
published as a version of its own; the earlier ones stay as they were published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import (
    EffectRating,
    ExpertSector,
    FutureCourse,
    Role,
    VerificationStage,
)
from hubdash.domain.errors import EditConflict, NotFound, UserError
from hubdash.domain.permissions import Actor, Permission, PermissionDenied, require
from hubdash.models import (
    Hub,
    Measurement,
    Region,
    StrategicGoal,
    Target,
    User,
    Verification,
    VerificationAction,
    VerificationExpert,
    VerificationHubDecision,
    VerificationOpinion,
    VerificationPublication,
    VerificationStageChange,
    VerificationTargetDecision,
    id_of,
    utcnow,
)
from hubdash.services import pdca
from hubdash.services.verification_record import VerificationRecord, from_json, live_record, subject_of, to_json

STAGES: tuple[VerificationStage, ...] = tuple(VerificationStage)
MAX_TEXT = 4000
NEEDS_ACTION = (FutureCourse.IMPROVE, FutureCourse.EXPAND)  # decisions that change next year's plan


Decided = VerificationTargetDecision | VerificationHubDecision


class VerificationError(UserError):
    """A change a verification cannot take as asked; the message says why."""


# --- finding verifications ----------------------------------------------------------------------


def _verification(session: Session, verification_id: int, *, lock: bool = False) -> Verification:
    query = select(Verification).where(Verification.id == verification_id).execution_options(populate_existing=True)
    found = session.exec(query.with_for_update(key_share=True) if lock else query).first()
    if found is None:
        raise NotFound("verification.error_none", verification=verification_id)
    return found


def _editable(session: Session, actor: Actor, verification_id: int) -> Verification:
    """The verification, locked for this change, if the actor may edit it and it is not published."""
    db.lock_for_write(session, f"verification:{verification_id}")
    verification = _verification(session, verification_id, lock=True)
    require(actor, Permission.EDIT_VERIFICATION, region_id=verification.region_id)
    if verification.stage is VerificationStage.PUBLISHED:
        raise VerificationError("verification.error_frozen", number=verification.number)
    return verification


def _text(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise VerificationError("verification.error_text_long", limit=MAX_TEXT)
    return value


@dataclass(frozen=True)
class YearLine:
    """A fiscal year of the region: its verification's stage and version, and the versions published."""

    fiscal_year: int
    verification_id: int | None
    stage: VerificationStage | None
    number: int
    published: tuple[int, ...]


def verification_years(*, session: Session, region_id: int) -> list[YearLine]:
    """Every fiscal year with values in the region, and any with a verification, newest first."""
    years = set(
        session.exec(
            select(Measurement.fiscal_year)
            .join(Hub, col(Hub.id) == Measurement.hub_id)
            .where(Hub.region_id == region_id)
            .distinct()
        ).all()
    )
    verifications = {
        v.fiscal_year: v for v in session.exec(select(Verification).where(Verification.region_id == region_id))
    }
    published: dict[int, list[int]] = {}
    for verification_id, number in session.exec(
        select(VerificationPublication.verification_id, VerificationPublication.number)
        .join(Verification, col(Verification.id) == VerificationPublication.verification_id)
        .where(Verification.region_id == region_id)
        .order_by(col(VerificationPublication.number))
    ).all():
        published.setdefault(verification_id, []).append(number)
    lines = []
    for year in sorted(years | set(verifications), reverse=True):
        v = verifications.get(year)
        lines.append(
            YearLine(
                year,
                v.id if v else None,
                v.stage if v else None,
                v.number if v else 0,
                tuple(published.get(id_of(v), [])) if v else (),
            )
        )
    return lines


def expert_verifications(*, session: Session, user_id: int) -> list[tuple[int, int, int]]:
    """(verification id, region id, fiscal year) of the verifications a person is invited to as an outside expert."""
    return [
        (id_of(v), v.region_id, v.fiscal_year)
        for v in session.exec(
            select(Verification)
            .join(VerificationExpert, col(VerificationExpert.verification_id) == Verification.id)
            .where(VerificationExpert.user_id == user_id)
            .order_by(col(Verification.fiscal_year).desc())
        ).all()
    ]


def verification_record(*, session: Session, actor: Actor, verification_id: int) -> VerificationRecord:
    """The verification as it stands (prepared: computed now; published: as published), for those who may read it."""
    verification = _verification(session, verification_id)
    require(actor, Permission.READ_VERIFICATION, region_id=verification.region_id, verification_id=verification_id)
    if verification.stage is VerificationStage.PUBLISHED:
        found = publication(session=session, verification_id=verification_id, number=verification.number)
        if found is not None:
            return found
    return live_record(session, verification)


# --- the public side: published versions only ------------------------------------------------------------


@dataclass(frozen=True)
class PublishedLine:
    """One published version of a region's verification, for the public page's list."""

    fiscal_year: int
    number: int
    published_at: datetime
    reason: str
    verification_id: int


def published_versions(*, session: Session, region_id: int) -> list[PublishedLine]:
    """Every published version of the region's verifications, newest year and version first."""
    return [
        PublishedLine(v.fiscal_year, p.number, p.published_at, p.reason, id_of(v))
        for p, v in session.exec(
            select(VerificationPublication, Verification)
            .join(Verification, col(Verification.id) == VerificationPublication.verification_id)
            .where(Verification.region_id == region_id)
            .order_by(col(Verification.fiscal_year).desc(), col(VerificationPublication.number).desc())
        ).all()
    ]


def publication(*, session: Session, verification_id: int, number: int | None = None) -> VerificationRecord | None:
    """A published version as it was published (the latest when `number` is None); None if there is none."""
    query = select(VerificationPublication).where(VerificationPublication.verification_id == verification_id)
    if number is not None:
        query = query.where(VerificationPublication.number == number)
    found = session.exec(query.order_by(col(VerificationPublication.number).desc())).first()
    return from_json(found.snapshot) if found else None


def public_region(*, session: Session, code: str) -> Region | None:
    """A region by its code, for the public page (archived regions keep their published verifications)."""
    return session.exec(select(Region).where(Region.code == code)).first()


# --- opening and stages ---------------------------------------------------------------------------


def open_verification(*, session: Session, actor: Actor, region_id: int, fiscal_year: int) -> Verification:
    """Start the region's verification of a fiscal year (a draft), or return the one there is."""
    db.lock_for_write(session, f"verification-year:{region_id}")
    require(actor, Permission.EDIT_VERIFICATION, region_id=region_id)
    if session.get(Region, region_id) is None:
        raise NotFound("regions.error_no_region", region=region_id)
    verification = Verification(region_id=region_id, fiscal_year=fiscal_year, created_by_name=actor.name)
    if db.add_unique(session, verification):
        session.add(
            VerificationStageChange(
                verification_id=id_of(verification),
                number=1,
                to_stage=VerificationStage.DRAFT,
                changed_by_name=actor.name,
            )
        )
        audit.record(session, actor, "verification.open", verification)
        return verification
    return session.exec(
        select(Verification).where(Verification.region_id == region_id, Verification.fiscal_year == fiscal_year)
    ).one()


def _move(
    session: Session, actor: Actor, verification: Verification, version: int, to: VerificationStage, reason: str
) -> None:
    before = audit.snapshot(verification)
    values: dict[str, object] = {"stage": to}
    if not db.update_checked(session, Verification, where={"id": verification.id}, version=version, values=values):
        session.refresh(verification)
        raise EditConflict(
            f"{verification.fiscal_year}", current_version=verification.version, theirs=audit.snapshot(verification)
        )
    from_stage = verification.stage
    session.refresh(verification)
    session.add(
        VerificationStageChange(
            verification_id=id_of(verification),
            number=verification.number,
            from_stage=from_stage,
            to_stage=to,
            reason=reason,
            changed_by_name=actor.name,
        )
    )
    audit.record(session, actor, "verification.stage", verification, before=before)


def move_stage(
    *, session: Session, actor: Actor, verification_id: int, version: int, to_stage: VerificationStage, reason: str = ""
) -> Verification:
    """One stage forward (up to decided: publishing is publish()), or back to an earlier stage with a reason."""
    verification = _editable(session, actor, verification_id)
    to_stage = VerificationStage(to_stage)
    here, there = STAGES.index(verification.stage), STAGES.index(to_stage)
    reason = _text(reason)
    if to_stage is VerificationStage.PUBLISHED:
        raise VerificationError("verification.error_publish_with_button")
    if there == here or there > here + 1:
        raise VerificationError("verification.error_stage", stage=to_stage)
    if there < here and not reason:
        raise VerificationError("verification.error_reason_back")
    _move(session, actor, verification, version, to_stage, reason)
    return verification


def publish(*, session: Session, actor: Actor, verification_id: int, version: int) -> VerificationPublication:
    """Publish a decided verification: freeze it, and turn its 改善 and 拡充 decisions into next year's actions."""
    verification = _editable(session, actor, verification_id)
    if verification.version != version:
        raise EditConflict(
            f"{verification.fiscal_year}", current_version=verification.version, theirs=audit.snapshot(verification)
        )
    if verification.stage is not VerificationStage.DECIDED:
        raise VerificationError("verification.error_not_decided")
    record = live_record(session, verification)
    _decided_actions(session, actor, verification, record)
    _move(session, actor, verification, version, VerificationStage.PUBLISHED, "")
    now = utcnow()
    frozen = live_record(session, verification)
    snapshot = to_json(frozen) | {"published_at": now.isoformat(), "published_by": actor.name}
    row = VerificationPublication(
        verification_id=verification_id,
        number=verification.number,
        snapshot=snapshot,
        reason=verification.correction_reason,
        published_at=now,
        published_by_name=actor.name,
    )
    if not db.add_unique(session, row):  # the database's word: one publication of each version
        raise EditConflict(f"{verification.fiscal_year}", current_version=verification.version)
    audit.record(
        session,
        actor,
        "verification.publish",
        row,
        region_id=verification.region_id,
        after={"fiscal_year": verification.fiscal_year, "number": row.number, "reason": row.reason},
    )
    return row


def _decided_actions(session: Session, actor: Actor, verification: Verification, record: VerificationRecord) -> None:
    """An action item per 改善 / 拡充 decision and hub concerned, once per verification (not again per version)."""
    indicator_hubs: dict[int, list[int]] = {}
    for hub_id, indicator_id in session.exec(
        select(Target.hub_id, Target.indicator_id).where(
            Target.region_id == verification.region_id, col(Target.hub_id).is_not(None)
        )
    ).all():
        if hub_id is not None:
            indicator_hubs.setdefault(indicator_id, []).append(hub_id)
    wanted: list[tuple[str, int, str, tuple[int, ...]]] = []
    for kpi in record.kpis:
        if kpi.course in NEEDS_ACTION:
            hubs = [kpi.hub_id] if kpi.hub_id is not None else sorted(indicator_hubs.get(kpi.indicator_id, []))
            title = f"{subject_of(kpi)}: {kpi.reason}"
            wanted += [(f"target:{kpi.target_id}", h, title, (kpi.indicator_id,)) for h in hubs]
    for hub in record.hubs:
        if hub.course in NEEDS_ACTION:
            wanted.append((f"hub:{hub.hub_id}", hub.hub_id, f"{hub.hub_code}: {hub.reason}", ()))
    done = {
        (a.subject, a.hub_id)
        for a in session.exec(
            select(VerificationAction).where(VerificationAction.verification_id == verification.id)
        ).all()
    }
    for subject, hub_id, title, indicator_ids in wanted:
        if (subject, hub_id) in done:
            continue
        item = pdca.add_decided_action(
            session=session,
            actor=actor,
            hub_id=hub_id,
            fiscal_year=verification.fiscal_year + 1,
            title=title,
            indicator_ids=indicator_ids,
        )
        session.add(
            VerificationAction(
                verification_id=id_of(verification),
                subject=subject,
                hub_id=hub_id,
                action_item_id=id_of(item),
                number=verification.number,
            )
        )
        done.add((subject, hub_id))
    session.flush()


def start_correction(
    *, session: Session, actor: Actor, verification_id: int, version: int, reason: str
) -> Verification:
    """Start the next version of a published verification, with the reason for correcting it (a draft again)."""
    db.lock_for_write(session, f"verification:{verification_id}")
    verification = _verification(session, verification_id, lock=True)
    require(actor, Permission.EDIT_VERIFICATION, region_id=verification.region_id)
    reason = _text(reason)
    if not reason:
        raise VerificationError("verification.error_reason_correction")
    if verification.stage is not VerificationStage.PUBLISHED:
        raise VerificationError("verification.error_not_published")
    before = audit.snapshot(verification)
    values = {"stage": VerificationStage.DRAFT, "number": verification.number + 1, "correction_reason": reason}
    if not db.update_checked(session, Verification, where={"id": verification_id}, version=version, values=values):
        session.refresh(verification)
        raise EditConflict(
            f"{verification.fiscal_year}", current_version=verification.version, theirs=audit.snapshot(verification)
        )
    session.refresh(verification)
    session.add(
        VerificationStageChange(
            verification_id=verification_id,
            number=verification.number,
            from_stage=VerificationStage.PUBLISHED,
            to_stage=VerificationStage.DRAFT,
            reason=reason,
            changed_by_name=actor.name,
        )
    )
    audit.record(session, actor, "verification.correct", verification, before=before)
    return verification


# --- ratings and decisions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """The council's business-effect rating and decided course (with its reason) for a target or a hub."""

    effect: EffectRating | None
    course: FutureCourse | None
    reason: str
    version: int  # what the form started from; 0: nothing was decided yet


def _decide(
    session: Session,
    actor: Actor,
    verification: Verification,
    model: type[VerificationTargetDecision] | type[VerificationHubDecision],
    key: dict[str, int],
    decision: Decision,
    subject: str,
) -> Decided:
    reason = _text(decision.reason)
    if decision.course is not None and not reason:
        raise VerificationError("verification.error_reason_needed", subject=subject)
    values: dict[str, Any] = {
        "effect": EffectRating(decision.effect) if decision.effect else None,
        "course": FutureCourse(decision.course) if decision.course else None,
        "reason": reason,
        "updated_at": utcnow(),
        "updated_by_name": actor.name,
    }
    where: dict[str, Any] = {"verification_id": id_of(verification), **key}
    query = select(model).where(*(getattr(model, k) == v for k, v in where.items()))
    current = cast("Decided | None", session.exec(query.execution_options(populate_existing=True)).first())
    before = audit.snapshot(current)
    if decision.version == 0 and current is None:
        written = db.add_unique(session, model.model_validate(where | values))
    else:
        written = current is not None and db.update_checked(
            session, model, where={"id": current.id}, version=decision.version, values=values
        )
    stored = cast("Decided | None", session.exec(query.execution_options(populate_existing=True)).first())
    if not written:
        raise EditConflict(
            subject,
            current_version=stored.version if stored else None,
            saved_by=stored.updated_by_name if stored else "",
            theirs=audit.snapshot(stored),
        )
    assert stored is not None
    audit.record(
        session, actor, "verification.decide", stored, region_id=verification.region_id, entity_id=subject,
        before=before,
    )  # fmt: skip
    return stored


def decide_target(
    *, session: Session, actor: Actor, verification_id: int, target_id: int, decision: Decision
) -> Decided:
    """Rate one target's business effect and decide its course, with the reason."""
    verification = _editable(session, actor, verification_id)
    target = session.get(Target, target_id)
    if target is None or target.region_id != verification.region_id:
        raise NotFound("verification.error_no_target", target=target_id)
    subject = f"{verification.fiscal_year} target {target_id}"
    return _decide(
        session, actor, verification, VerificationTargetDecision, {"target_id": target_id}, decision, subject
    )


def decide_hub(*, session: Session, actor: Actor, verification_id: int, hub_id: int, decision: Decision) -> Decided:
    """Rate one hub's business effect and decide its course, with the reason."""
    verification = _editable(session, actor, verification_id)
    hub = session.get(Hub, hub_id)
    if hub is None or hub.region_id != verification.region_id:
        raise NotFound("verification.error_no_hub", hub=hub_id)
    subject = f"{verification.fiscal_year} {hub.code}"
    return _decide(session, actor, verification, VerificationHubDecision, {"hub_id": hub_id}, decision, subject)


# --- outside experts, opinions, answers ---------------------------------------------------------------


@dataclass(frozen=True)
class ExpertAccount:
    """An outside expert's account of the region that can be invited."""

    user_id: int
    name: str
    email: str | None


def expert_accounts(*, session: Session, region_id: int) -> list[ExpertAccount]:
    """The active outside-expert accounts of the region (administrators add them), by name."""
    return [
        ExpertAccount(id_of(u), u.display_name, u.email)
        for u in session.exec(
            select(User)
            .where(User.role == Role.OUTSIDE_EXPERT, User.region_id == region_id, col(User.is_active))
            .order_by(col(User.display_name))
        ).all()
    ]


def invite_expert(
    *,
    session: Session,
    actor: Actor,
    verification_id: int,
    user_id: int,
    organisation: str,
    sector: ExpertSector,
    name: str = "",
) -> VerificationExpert:
    """Invite an outside expert (an account with that role in the region) to the verification."""
    verification = _editable(session, actor, verification_id)
    user = session.get(User, user_id)
    if user is None or user.role is not Role.OUTSIDE_EXPERT or user.region_id != verification.region_id:
        raise VerificationError("verification.error_not_an_expert")
    organisation = " ".join(organisation.split())
    name = " ".join(name.split()) or user.display_name
    if not organisation or len(organisation) > 200 or len(name) > 200:
        raise VerificationError("verification.error_expert_fields", limit=200)
    expert = VerificationExpert(
        verification_id=verification_id,
        user_id=user_id,
        name=name,
        organisation=organisation,
        sector=ExpertSector(sector),
        invited_by_name=actor.name,
    )
    if not db.add_unique(session, expert):
        raise VerificationError("verification.error_invited", name=name)
    audit.record(session, actor, "verification.invite", expert, region_id=verification.region_id)
    return expert


def write_opinion(
    *,
    session: Session,
    actor: Actor,
    verification_id: int,
    body: str,
    goal_id: int | None = None,
    target_id: int | None = None,
) -> VerificationOpinion:
    """An invited expert's opinion on a goal, a target or (neither) the whole verification, while under review."""
    db.lock_for_write(session, f"verification:{verification_id}")
    verification = _verification(session, verification_id)
    require(actor, Permission.WRITE_OPINION, region_id=verification.region_id, verification_id=verification_id)
    expert = session.exec(
        select(VerificationExpert).where(
            VerificationExpert.verification_id == verification_id, VerificationExpert.user_id == actor.user_id
        )
    ).first()
    if expert is None or actor.user_id is None:  # only the invited experts themselves write opinions
        raise PermissionDenied(actor, Permission.WRITE_OPINION, f" (verification={verification_id})")
    if verification.stage is not VerificationStage.REVIEW:
        raise VerificationError("verification.error_not_in_review")
    body = _text(body)
    if not body:
        raise VerificationError("verification.error_opinion_empty")
    if goal_id is not None and target_id is not None:
        raise VerificationError("verification.error_one_subject")
    goal = session.get(StrategicGoal, goal_id) if goal_id is not None else None
    target = session.get(Target, target_id) if target_id is not None else None
    if (goal_id is not None and (goal is None or goal.region_id != verification.region_id)) or (
        target_id is not None and (target is None or target.region_id != verification.region_id)
    ):
        raise NotFound("verification.error_no_subject")
    opinion = VerificationOpinion(
        verification_id=verification_id, expert_id=id_of(expert), goal_id=goal_id, target_id=target_id, body=body
    )
    session.add(opinion)
    audit.record(session, actor, "verification.opinion", opinion, region_id=verification.region_id)
    return opinion


def answer_opinion(
    *, session: Session, actor: Actor, opinion_id: int, version: int, answer: str
) -> VerificationOpinion:
    """The council's answer to an expert's opinion (until published)."""
    db.lock_for_write(session)
    opinion = session.get(VerificationOpinion, opinion_id)
    if opinion is None:
        raise NotFound("verification.error_no_opinion", opinion=opinion_id)
    verification = _editable(session, actor, opinion.verification_id)
    answer = _text(answer)
    if not answer:
        raise VerificationError("verification.error_answer_empty")
    before = audit.snapshot(opinion)
    values = {"answer": answer, "answered_at": utcnow(), "answered_by_name": actor.name}
    written = db.update_checked(session, VerificationOpinion, where={"id": opinion_id}, version=version, values=values)
    session.refresh(opinion)
    if not written:
        raise EditConflict(
            f"opinion {opinion_id}", current_version=opinion.version, saved_by=opinion.answered_by_name,
            theirs=audit.snapshot(opinion),
        )  # fmt: skip
    audit.record(session, actor, "verification.answer", opinion, region_id=verification.region_id, before=before)
    return opinion


def open_opinions(*, session: Session, region_ids: Sequence[int] | None = None) -> int:
    """How many opinions of verifications not yet published still wait for the council's answer."""
    query = (
        select(func.count())
        .select_from(VerificationOpinion)
        .join(Verification, col(Verification.id) == VerificationOpinion.verification_id)
        .where(VerificationOpinion.answer == "", Verification.stage != VerificationStage.PUBLISHED)
    )
    if region_ids is not None:
        query = query.where(col(Verification.region_id).in_(list(region_ids)))
    return int(session.exec(query).one())
