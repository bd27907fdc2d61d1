"""What an effect verification (効果検証) shows: the KPI table filled from the data, ratings, decisions, experts,
opinions and answers. While prepared it is computed from the database; once published it is read back from
the frozen snapshot (to_json / from_json), so a published verification never changes.

Each outcome target of the region (of a hub, or of the whole region) is judged at the end of the fiscal year
(its Q4) by the status engine. The year's target is where the target's expected path stands then; the
achievement rating is the region's scale (domain.rating) applied to the actual against it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from hubdash.domain.enums import EffectRating, ExpertSector, FutureCourse, IndicatorKind, Status, VerificationStage
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.rating import RatingScale, percent
from hubdash.fmt import coded
from hubdash.models import (
    ActionItem,
    Hub,
    Indicator,
    Organisation,
    PdcaCycle,
    Region,
    StrategicGoal,
    Target,
    Verification,
    VerificationAction,
    VerificationExpert,
    VerificationHubDecision,
    VerificationOpinion,
    VerificationTargetDecision,
    id_of,
)
from hubdash.services.progress import region_progress
from hubdash.services.region_settings import region_settings

FORMAT = 1  # of the snapshot: a later hubdash reads what an earlier one froze


@dataclass(frozen=True)
class KpiRow:
    """One outcome target at the end of the fiscal year, its ratings and the council's decision."""

    target_id: int
    goal_code: str
    goal_title: str
    indicator_id: int
    indicator_code: str
    indicator_name: str
    unit: str
    hub_id: int | None  # None: the whole region
    hub_code: str
    hub_name: str
    baseline: float
    baseline_period: str  # canonical, e.g. FY2022Q4
    target: float
    target_period: str
    year_target: float | None  # where the expected path stands at the end of the fiscal year
    actual: float | None
    achievement_pct: float | None  # the status engine's: from the baseline toward the final target
    status: Status
    rating_pct: float | None  # what the region's scale measures
    rating: str | None  # the grade on the region's scale
    effect: EffectRating | None = None
    course: FutureCourse | None = None
    reason: str = ""
    decision_version: int = 0  # 0: nothing decided yet


@dataclass(frozen=True)
class HubRow:
    """A hub of the region and the council's rating and decision for it."""

    hub_id: int
    hub_code: str
    hub_name: str
    core_institution: str
    effect: EffectRating | None = None
    course: FutureCourse | None = None
    reason: str = ""
    decision_version: int = 0


@dataclass(frozen=True)
class ExpertRow:
    """An outside expert invited to the verification."""

    expert_id: int
    user_id: int
    name: str
    organisation: str
    sector: ExpertSector


@dataclass(frozen=True)
class OpinionRow:
    """An expert's opinion on a goal, a target or the whole verification, and the council's answer."""

    opinion_id: int
    version: int
    expert_id: int
    expert_name: str
    expert_organisation: str
    subject: str  # "G1 title", "K02 name (H1)", or "" for the whole verification
    goal_id: int | None
    target_id: int | None
    body: str
    written_at: datetime
    answer: str = ""
    answered_at: datetime | None = None
    answered_by: str = ""


@dataclass(frozen=True)
class ActionLink:
    """An action item a decision became in a hub's next fiscal year."""

    action_item_id: int
    hub_code: str
    title: str
    cycle_period: str  # canonical first quarter of the cycle


@dataclass(frozen=True)
class VerificationRecord:
    """A region's effect verification of one fiscal year, as prepared or as published (frozen)."""

    verification_id: int
    region_id: int
    region_code: str
    region_name: str
    fiscal_year: int
    number: int  # the version
    stage: VerificationStage
    version: int  # of the verification row, for stage changes
    correction_reason: str
    scale: RatingScale
    kpis: tuple[KpiRow, ...]
    hubs: tuple[HubRow, ...]
    experts: tuple[ExpertRow, ...]
    opinions: tuple[OpinionRow, ...]
    actions: tuple[ActionLink, ...] = ()
    published_at: datetime | None = None
    published_by: str = ""
    frozen: bool = field(default=False)  # read from a publication's snapshot

    @property
    def period(self) -> FiscalQuarter:
        """The quarter the table is judged at: the fiscal year's Q4."""
        return FiscalQuarter(self.fiscal_year, 4)

    def decided(self) -> int:
        """How many targets have a decided course."""
        return sum(row.course is not None for row in self.kpis)


# --- the snapshot ---------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, RatingScale):
        return value.to_json()
    if hasattr(value, "value") and not isinstance(value, int | float | str):  # enum members
        return value.value
    return value


def _row_json(row: Any) -> dict[str, Any]:
    return {f.name: _plain(getattr(row, f.name)) for f in fields(row)}


def to_json(record: VerificationRecord) -> dict[str, Any]:
    """The record as JSON for a publication's snapshot."""
    data = {
        k: _plain(v) for k, v in asdict(record).items() if k not in ("kpis", "hubs", "experts", "opinions", "actions")
    }
    data["scale"] = record.scale.to_json()
    for name in ("kpis", "hubs", "experts", "opinions", "actions"):
        data[name] = [_row_json(row) for row in getattr(record, name)]
    data["format"] = FORMAT
    return data


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _enum(kind: Any, value: str | None) -> Any:
    return kind(value) if value else None


def _kpi(data: dict[str, Any]) -> KpiRow:
    values: dict[str, Any] = {f.name: data.get(f.name) for f in fields(KpiRow)}
    values |= {
        "status": Status(data["status"]),
        "effect": _enum(EffectRating, data.get("effect")),
        "course": _enum(FutureCourse, data.get("course")),
    }
    return KpiRow(**values)


def _hub(data: dict[str, Any]) -> HubRow:
    values: dict[str, Any] = {f.name: data.get(f.name) for f in fields(HubRow)}
    values |= {"effect": _enum(EffectRating, data.get("effect")), "course": _enum(FutureCourse, data.get("course"))}
    return HubRow(**values)


def _opinion(data: dict[str, Any]) -> OpinionRow:
    values: dict[str, Any] = {f.name: data.get(f.name) for f in fields(OpinionRow)}
    values |= {"written_at": _when(data["written_at"]), "answered_at": _when(data.get("answered_at"))}
    return OpinionRow(**values)


def from_json(data: dict[str, Any]) -> VerificationRecord:
    """A published record, as to_json froze it."""
    return VerificationRecord(
        verification_id=data["verification_id"],
        region_id=data["region_id"],
        region_code=data["region_code"],
        region_name=data["region_name"],
        fiscal_year=data["fiscal_year"],
        number=data["number"],
        stage=VerificationStage.PUBLISHED,
        version=data["version"],
        correction_reason=data.get("correction_reason", ""),
        scale=RatingScale.from_json(data["scale"]),
        kpis=tuple(_kpi(row) for row in data["kpis"]),
        hubs=tuple(_hub(row) for row in data["hubs"]),
        experts=tuple(ExpertRow(**(row | {"sector": ExpertSector(row["sector"])})) for row in data["experts"]),
        opinions=tuple(_opinion(row) for row in data["opinions"]),
        actions=tuple(ActionLink(**row) for row in data.get("actions", [])),
        published_at=_when(data.get("published_at")),
        published_by=data.get("published_by", ""),
        frozen=True,
    )


# --- computed from the database ---------------------------------------------------------------------


def _kpis(session: Session, verification: Verification, scale: RatingScale) -> list[KpiRow]:
    at = FiscalQuarter(verification.fiscal_year, 4)
    progress = [
        p
        for p in region_progress(session=session, region_id=verification.region_id, at=at)
        if p.kind is IndicatorKind.OUTCOME
    ]
    targets = {
        id_of(t): t for t in session.exec(select(Target).where(Target.region_id == verification.region_id)).all()
    }
    indicators = {
        id_of(i): i for i in session.exec(select(Indicator).where(Indicator.region_id == verification.region_id)).all()
    }
    goals = {
        g.code: g for g in session.exec(select(StrategicGoal).where(StrategicGoal.region_id == verification.region_id))
    }
    decisions = {
        d.target_id: d
        for d in session.exec(
            select(VerificationTargetDecision).where(VerificationTargetDecision.verification_id == verification.id)
        ).all()
    }
    rows = []
    for p in progress:
        target, indicator, a = targets[p.target_id], indicators[p.indicator_id], p.assessment
        goal = goals.get(p.goal_code or "")
        decision = decisions.get(p.target_id)
        measured = percent(
            scale,
            actual=a.actual,
            baseline=target.baseline_value,
            year_target=a.expected if a.expected is not None else target.target_value,
            direction=indicator.direction,
        )
        rows.append(
            KpiRow(
                target_id=p.target_id,
                goal_code=p.goal_code or "",
                goal_title=goal.title if goal else "",
                indicator_id=p.indicator_id,
                indicator_code=p.indicator_code,
                indicator_name=p.indicator_name,
                unit=p.unit,
                hub_id=p.hub_id,
                hub_code=p.hub_code or "",
                hub_name=p.hub_name or "",
                baseline=target.baseline_value,
                baseline_period=FiscalQuarter(target.baseline_fy, target.baseline_quarter).canonical(),
                target=target.target_value,
                target_period=FiscalQuarter(target.target_fy, target.target_quarter).canonical(),
                year_target=a.expected,
                actual=a.actual,
                achievement_pct=a.achievement_pct,
                status=a.status,
                rating_pct=measured,
                rating=scale.rate(measured),
                effect=decision.effect if decision else None,
                course=decision.course if decision else None,
                reason=decision.reason if decision else "",
                decision_version=decision.version if decision else 0,
            )
        )
    order = {code: n for n, code in enumerate(sorted(goals))}
    position = {i: (ind.position, ind.code) for i, ind in indicators.items()}
    return sorted(
        rows,
        key=lambda r: (order.get(r.goal_code, len(order)), position[r.indicator_id], r.hub_id is not None, r.hub_code),
    )


def _hubs(session: Session, verification: Verification) -> list[HubRow]:
    decisions = {
        d.hub_id: d
        for d in session.exec(
            select(VerificationHubDecision).where(VerificationHubDecision.verification_id == verification.id)
        ).all()
    }
    rows = []
    for hub, core in session.exec(
        select(Hub, Organisation)
        .join(Organisation, col(Organisation.id) == Hub.core_institution_id, isouter=True)
        .where(Hub.region_id == verification.region_id, col(Hub.archived_at).is_(None))
        .order_by(col(Hub.code))
    ).all():
        decision = decisions.get(id_of(hub))
        rows.append(
            HubRow(
                id_of(hub),
                hub.code,
                hub.name,
                core.name if core else "",
                decision.effect if decision else None,
                decision.course if decision else None,
                decision.reason if decision else "",
                decision.version if decision else 0,
            )
        )
    return rows


def _experts(session: Session, verification_id: int) -> list[ExpertRow]:
    return [
        ExpertRow(id_of(e), e.user_id, e.name, e.organisation, e.sector)
        for e in session.exec(
            select(VerificationExpert)
            .where(VerificationExpert.verification_id == verification_id)
            .order_by(col(VerificationExpert.id))
        ).all()
    ]


def _opinions(session: Session, verification: Verification, kpis: list[KpiRow]) -> list[OpinionRow]:
    verification_id = id_of(verification)
    experts = {e.expert_id: e for e in _experts(session, verification_id)}
    query = select(StrategicGoal).where(StrategicGoal.region_id == verification.region_id)
    goals = {g.id: f"{g.code} {g.title}" for g in session.exec(query).all()}
    targets = {r.target_id: subject_of(r) for r in kpis}
    rows = []
    for o in session.exec(
        select(VerificationOpinion)
        .where(VerificationOpinion.verification_id == verification_id)
        .order_by(col(VerificationOpinion.written_at), col(VerificationOpinion.id))
        .execution_options(populate_existing=True)
    ).all():
        expert = experts[o.expert_id]
        if o.target_id is not None:
            subject = targets.get(o.target_id, "")
        else:
            subject = goals.get(o.goal_id, "") if o.goal_id is not None else ""
        rows.append(
            OpinionRow(
                id_of(o),
                o.version,
                o.expert_id,
                expert.name,
                expert.organisation,
                subject,
                o.goal_id,
                o.target_id,
                o.body,
                o.written_at,
                o.answer,
                o.answered_at,
                o.answered_by_name,
            )
        )
    return rows


def subject_of(row: KpiRow) -> str:
    """A target as opinions and files name it: "K02 スタートアップ設立数 (H1)", the region's without a hub."""
    name = coded(row.indicator_code, row.indicator_name)
    return f"{name} ({row.hub_code})" if row.hub_code else name


def _actions(session: Session, verification_id: int) -> list[ActionLink]:
    return [
        ActionLink(id_of(item), hub.code, item.title, FiscalQuarter(cycle.fiscal_year, cycle.quarter).canonical())
        for _, item, hub, cycle in session.exec(
            select(VerificationAction, ActionItem, Hub, PdcaCycle)
            .join(ActionItem, col(ActionItem.id) == VerificationAction.action_item_id)
            .join(Hub, col(Hub.id) == VerificationAction.hub_id)
            .join(PdcaCycle, col(PdcaCycle.id) == ActionItem.cycle_id)
            .where(VerificationAction.verification_id == verification_id)
            .order_by(col(Hub.code), col(ActionItem.id))
        ).all()
    ]


def live_record(session: Session, verification: Verification) -> VerificationRecord:
    """The verification as it stands now, computed from the database."""
    region = session.get(Region, verification.region_id)
    assert region is not None  # a verification is deleted with its region
    scale = region_settings(session=session, region_id=verification.region_id).rating_scale
    kpis = _kpis(session, verification, scale)
    verification_id = id_of(verification)
    return VerificationRecord(
        verification_id=verification_id,
        region_id=verification.region_id,
        region_code=region.code,
        region_name=region.name,
        fiscal_year=verification.fiscal_year,
        number=verification.number,
        stage=verification.stage,
        version=verification.version,
        correction_reason=verification.correction_reason,
        scale=scale,
        kpis=tuple(kpis),
        hubs=tuple(_hubs(session, verification)),
        experts=tuple(_experts(session, verification_id)),
        opinions=tuple(_opinions(session, verification, kpis)),
        actions=tuple(_actions(session, verification_id)),
    )
