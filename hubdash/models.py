"""Every table of hubdash, in one module (as the SQLModel docs advise, to avoid import cycles).

Quarters are stored as integer (fiscal_year, quarter) columns, timestamps in UTC. Enum columns
store the enum's value as a short string so that the database stays readable and migrations stay
simple. Later features add behaviour in services, not a second schema.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import JSON, Column, DateTime, Dialect, Index, UniqueConstraint, text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from hubdash.domain.enums import (
    Accumulation,
    ActionOrigin,
    ActionStatus,
    Direction,
    EffectRating,
    ExpertSector,
    FutureCourse,
    IndicatorKind,
    Measure,
    PdcaCadence,
    PdcaStage,
    Role,
    Sector,
    SubmissionStatus,
    VerificationStage,
)


class _Stored(Protocol):
    id: int | None


def id_of(row: _Stored) -> int:
    """The id of a row that is stored (read from the database, or added and flushed)."""
    if row.id is None:
        raise AssertionError(f"{type(row).__name__} has no id until it is flushed")
    return row.id


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back as an aware UTC datetime, on SQLite as on PostgreSQL.

    SQLite keeps no zone: an aware value is converted to UTC before it is written (a +09:00 time would
    otherwise lose its offset and read 9 hours late), and a value read back is marked as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # hubdash makes only aware times; a naive one is taken as UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _timestamp() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _optional_timestamp() -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=True)


def _json(factory: Callable[[], Any] | None = None) -> Any:
    if factory is None:
        return Field(default=None, sa_column=Column(JSON, nullable=True))
    return Field(default_factory=factory, sa_column=Column(JSON, nullable=False))


def _enum(enum: type[StrEnum], default: Any = ...) -> Any:
    """A column holding the enum's value as a plain string (no native database enum to migrate)."""
    sa_type = SAEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
    )
    if default is ...:
        return Field(sa_type=sa_type, nullable=False)
    return Field(default=default, sa_type=sa_type, nullable=default is None)


# --- regions, organisations, hubs -------------------------------------------------------------


class RegionBase(SQLModel):
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=200)
    description: str = ""


class Region(RegionBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _timestamp()
    archived_at: datetime | None = _optional_timestamp()  # kept with its history, left out of pickers


class OrganisationBase(SQLModel):
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    sector: Sector = _enum(Sector)
    council_member: bool = True


class Organisation(OrganisationBase, table=True):
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="CASCADE")
    archived_at: datetime | None = _optional_timestamp()


class HubBase(SQLModel):
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    theme: str = ""
    description: str = ""
    pdca_cadence: PdcaCadence = _enum(PdcaCadence, PdcaCadence.QUARTER)


class Hub(HubBase, table=True):
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="CASCADE")
    core_institution_id: int | None = Field(default=None, foreign_key="organisation.id", ondelete="SET NULL")
    archived_at: datetime | None = _optional_timestamp()


class HubMember(SQLModel, table=True):
    """An organisation taking part in a hub."""

    hub_id: int = Field(foreign_key="hub.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True, ondelete="CASCADE")


# --- users and audit ---------------------------------------------------------------------------


class UserBase(SQLModel):
    username: str = Field(max_length=80, unique=True, index=True)
    display_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=200)
    role: Role = _enum(Role)
    is_active: bool = True


class User(UserBase, table=True):
    __tablename__ = "hub_user"  # "user" is reserved in PostgreSQL
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", ondelete="SET NULL")
    # None: every region (administrators, national executives)
    region_id: int | None = Field(default=None, foreign_key="region.id", ondelete="CASCADE")
    created_at: datetime = _timestamp()
    # sign-in: an Argon2id hash (never the password); failed attempts and the lock are counted in the
    # database, so that parallel attempts cannot get past the limit
    password_hash: str | None = Field(default=None, max_length=300)
    failed_sign_ins: int = 0
    locked_until: datetime | None = _optional_timestamp()
    last_sign_in_at: datetime | None = _optional_timestamp()
    oidc_subject: str | None = Field(default=None, max_length=200, unique=True, index=True)  # the provider's `sub`
    language: str | None = Field(default=None, max_length=5)  # the language they use hubdash in: their reminders'


class SignInSession(SQLModel, table=True):
    """A signed-in browser: the cookie names it, only its token's hash is stored; sign-out ends it for every tab."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)  # sha256 of the token; the token is only in the cookie
    kind: str = Field(max_length=20)  # password | oidc | participant
    user_id: int | None = Field(default=None, foreign_key="hub_user.id", index=True, ondelete="CASCADE")
    participant_id: int | None = Field(
        default=None, foreign_key="workshopparticipant.id", index=True, ondelete="CASCADE"
    )
    created_at: datetime = _timestamp()
    last_seen_at: datetime = _timestamp()
    ended_at: datetime | None = _optional_timestamp()


class UserHubScope(SQLModel, table=True):
    """A hub whose measurements and PDCA cycles a hub manager may edit."""

    user_id: int = Field(foreign_key="hub_user.id", primary_key=True, ondelete="CASCADE")
    hub_id: int = Field(foreign_key="hub.id", primary_key=True, ondelete="CASCADE")


class AuditEvent(SQLModel, table=True):
    """Who changed what, when, with the entity's state before and after, written with the change."""

    __table_args__ = (
        Index("ix_auditevent_entity", "entity_type", "entity_id"),
        Index("ix_auditevent_region_time", "region_id", "occurred_at"),
        # a live page's one question per refresh: the newest change of its region (an index-only lookup)
        Index("ix_auditevent_region_event", "region_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = _timestamp()
    user_id: int | None = Field(default=None, foreign_key="hub_user.id", ondelete="SET NULL")
    actor_name: str = Field(max_length=200)
    action: str = Field(max_length=60)
    entity_type: str = Field(max_length=40)
    entity_id: str = Field(max_length=80)
    region_id: int | None = Field(default=None, foreign_key="region.id", ondelete="CASCADE")
    before: dict[str, Any] | None = _json()
    after: dict[str, Any] | None = _json()


# --- vision, goals, endorsements, comments, workshops ------------------------------------------


class VisionPart(SQLModel, table=True):
    """The current text of one editable part of a region's vision: the statement or one sector's commitment.

    `version` is bumped by every save; a save names the version it started from and the UPDATE only
    matches that version, so two editors from one base cannot overwrite each other silently.
    """

    __table_args__ = (UniqueConstraint("region_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=60)  # "statement" or "commitment:<sector>"
    body: str = ""
    version: int = 1
    updated_at: datetime = _timestamp()
    updated_by_id: int | None = Field(default=None, foreign_key="hub_user.id", ondelete="SET NULL")


class StrategicGoalBase(SQLModel):
    code: str = Field(max_length=20)  # G1, G2, ...
    title: str = Field(max_length=300)
    description: str = ""
    position: int = 0


class StrategicGoal(StrategicGoalBase, table=True):
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="CASCADE")
    version: int = 1
    is_active: bool = True
    updated_at: datetime = _timestamp()


class VisionRevision(SQLModel, table=True):
    """One saved version of a region's whole vision (statement, commitments, goals), never rewritten."""

    __table_args__ = (UniqueConstraint("region_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="CASCADE")
    number: int
    # {"statement": str, "commitments": {sector: str}, "goals": {code: {"title": str, "description": str}}}
    snapshot: dict[str, Any] = _json(dict)
    changed_parts: list[str] = _json(list)
    reason: str = ""
    author_id: int | None = Field(default=None, foreign_key="hub_user.id", ondelete="SET NULL")
    author_name: str = Field(default="", max_length=200)
    created_at: datetime = _timestamp()
    restored_from_number: int | None = None
    idea_id: int | None = Field(default=None, foreign_key="idea.id", ondelete="SET NULL")
    # an editorial revision (wording, typos) keeps the endorsements of the revision before it
    editorial: bool = False


class VisionDraft(SQLModel, table=True):
    """Unsaved text of one user in one part, kept on the server so that it survives a reload."""

    __table_args__ = (UniqueConstraint("user_key", "region_id", "part_key"),)
    id: int | None = Field(default=None, primary_key=True)
    user_key: str = Field(max_length=200)  # username, or the browser session of an anonymous editor
    region_id: int = Field(foreign_key="region.id", ondelete="CASCADE")
    part_key: str = Field(max_length=60)
    base_version: int
    body: str = ""
    updated_at: datetime = _timestamp()


class EditorPresence(SQLModel, table=True):
    """Who has a part open for editing right now (refreshed while the editor is open)."""

    __table_args__ = (UniqueConstraint("user_key", "region_id", "part_key"),)
    id: int | None = Field(default=None, primary_key=True)
    user_key: str = Field(max_length=200)
    display_name: str = Field(max_length=200)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="CASCADE")
    part_key: str = Field(max_length=60)
    seen_at: datetime = _timestamp()


class Endorsement(SQLModel, table=True):
    """An organisation's sign-off (賛同) of one revision of the vision."""

    __table_args__ = (UniqueConstraint("revision_id", "organisation_id"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="CASCADE")
    revision_id: int = Field(foreign_key="visionrevision.id", index=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    person_name: str = Field(max_length=200)
    comment: str = ""
    user_id: int | None = Field(default=None, foreign_key="hub_user.id", ondelete="SET NULL")
    endorsed_at: datetime = _timestamp()


class Comment(SQLModel, table=True):
    """A comment on a part of the vision, a goal or a PDCA cycle; it can be resolved."""

    __table_args__ = (Index("ix_comment_subject", "region_id", "subject"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", ondelete="CASCADE")
    subject: str = Field(max_length=80)  # "statement", "commitment:finance", "goal:G2", "pdca:<cycle id>"
    body: str
    author_id: int | None = Field(default=None, foreign_key="hub_user.id", ondelete="SET NULL")
    author_name: str = Field(default="", max_length=200)
    created_at: datetime = _timestamp()
    resolved_at: datetime | None = _optional_timestamp()
    resolved_by_name: str | None = Field(default=None, max_length=200)


class Workshop(SQLModel, table=True):
    """A session of the ideas board, run by a facilitator, with a fixed vote budget per participant."""

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    votes_per_participant: int = 5
    is_open: bool = True
    created_at: datetime = _timestamp()
    created_by_name: str = Field(default="", max_length=200)
    # what participants type (or scan) to join while the workshop is open
    join_code: str | None = Field(default=None, max_length=12, unique=True, index=True)
    closed_at: datetime | None = _optional_timestamp()


class WorkshopParticipant(SQLModel, table=True):
    """Someone in the room who joined one workshop with its code, without an account."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    organisation: str = Field(max_length=120)
    sector: Sector = _enum(Sector)
    joined_at: datetime = _timestamp()


class Idea(SQLModel, table=True):
    """A sticky note (付箋) posted in a workshop, optionally tagged to a goal."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="CASCADE")
    goal_id: int | None = Field(default=None, foreign_key="strategicgoal.id", ondelete="SET NULL")
    body: str = Field(max_length=1000)
    author_key: str = Field(max_length=200)
    author_name: str = Field(default="", max_length=200)
    created_at: datetime = _timestamp()
    adopted_at: datetime | None = _optional_timestamp()


class IdeaVote(SQLModel, table=True):
    """One vote of one participant on one idea; the budget per workshop is enforced by the service."""

    __table_args__ = (
        Index("ix_ideavote_voter", "workshop_id", "voter_key"),
        Index("uq_ideavote_idea_voter", "idea_id", "voter_key", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE")
    idea_id: int = Field(foreign_key="idea.id", index=True, ondelete="CASCADE")
    voter_key: str = Field(max_length=200)
    voter_name: str = Field(default="", max_length=200)
    created_at: datetime = _timestamp()


# --- indicators, targets, measurements ---------------------------------------------------------


class IndicatorBase(SQLModel):
    code: str = Field(max_length=40)
    name: str = Field(max_length=300)
    unit: str = Field(max_length=40)
    kind: IndicatorKind = _enum(IndicatorKind)
    measure: Measure = _enum(Measure)
    direction: Direction = _enum(Direction, Direction.HIGHER)
    definition: str = ""
    data_source: str = ""
    position: int = 0


class Indicator(IndicatorBase, table=True):
    __table_args__ = (UniqueConstraint("region_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="CASCADE")
    goal_id: int | None = Field(default=None, foreign_key="strategicgoal.id", index=True, ondelete="SET NULL")
    created_at: datetime = _timestamp()


class TargetBase(SQLModel):
    baseline_value: float
    baseline_fy: int
    baseline_quarter: int
    target_value: float
    target_fy: int
    target_quarter: int
    accumulation: Accumulation = _enum(Accumulation, Accumulation.ANNUAL)
    tolerance: float = 0.1
    # {fiscal year (str): value}: optional yearly milestones on the way
    milestones: dict[str, float] = _json(dict)
    # flow targets: the share of a year's total expected by the end of Q1..Q4 (domain.profiles); None: linear
    profile: list[float] | None = _json()


class Target(TargetBase, table=True):
    """The baseline and target of an indicator for one hub, or for the whole region when hub_id is None."""

    __table_args__ = (
        UniqueConstraint("indicator_id", "hub_id"),
        # NULLs never clash in a unique constraint: one region-wide target per indicator needs its own index
        Index(
            "uq_target_region_wide",
            "indicator_id",
            unique=True,
            sqlite_where=text("hub_id IS NULL"),
            postgresql_where=text("hub_id IS NULL"),
        ),
        Index("ix_target_region_hub", "region_id", "hub_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", ondelete="CASCADE")
    indicator_id: int = Field(foreign_key="indicator.id", index=True, ondelete="CASCADE")
    hub_id: int | None = Field(default=None, foreign_key="hub.id", ondelete="CASCADE")
    version: int = 1
    updated_at: datetime = _timestamp()


class TargetChange(SQLModel, table=True):
    """One change of a target or its baseline (目標の見直し), with its reason."""

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="target.id", index=True, ondelete="CASCADE")
    changed_at: datetime = _timestamp()
    changed_by_name: str = Field(default="", max_length=200)
    reason: str
    before: dict[str, Any] | None = _json()
    after: dict[str, Any] | None = _json()


class Measurement(SQLModel, table=True):
    """The value of an indicator for a hub in one fiscal quarter."""

    __table_args__ = (
        UniqueConstraint("hub_id", "indicator_id", "fiscal_year", "quarter"),
        Index("ix_measurement_indicator_period", "indicator_id", "fiscal_year", "quarter"),
        Index("ix_measurement_hub_period", "hub_id", "fiscal_year", "quarter"),
        Index("ix_measurement_period_hub", "fiscal_year", "quarter", "hub_id"),  # who reported the recent quarters
    )
    id: int | None = Field(default=None, primary_key=True)
    hub_id: int = Field(foreign_key="hub.id", ondelete="CASCADE")
    indicator_id: int = Field(foreign_key="indicator.id", ondelete="CASCADE")
    fiscal_year: int
    quarter: int
    value: float
    note: str = ""
    version: int = 1
    entered_at: datetime = _timestamp()
    entered_by_name: str = Field(default="", max_length=200)


class MeasurementCorrection(SQLModel, table=True):
    """The value a measurement had before a correction (late entry or import update)."""

    id: int | None = Field(default=None, primary_key=True)
    measurement_id: int = Field(foreign_key="measurement.id", index=True, ondelete="CASCADE")
    old_value: float
    new_value: float
    old_note: str = ""
    new_note: str = ""
    corrected_at: datetime = _timestamp()
    corrected_by_name: str = Field(default="", max_length=200)
    source: str = Field(default="manual", max_length=20)  # manual | import


# --- PDCA -----------------------------------------------------------------------------------


class PdcaCycle(SQLModel, table=True):
    """One plan-do-check-act cycle of a hub over a fiscal period (a quarter by default)."""

    __table_args__ = (
        UniqueConstraint("hub_id", "fiscal_year", "quarter", "cadence"),
        Index("ix_pdcacycle_period", "fiscal_year", "quarter"),
    )
    id: int | None = Field(default=None, primary_key=True)
    hub_id: int = Field(foreign_key="hub.id", index=True, ondelete="CASCADE")
    fiscal_year: int
    quarter: int  # the first quarter of the cycle
    cadence: PdcaCadence = _enum(PdcaCadence, PdcaCadence.QUARTER)
    stage: PdcaStage = _enum(PdcaStage, PdcaStage.PLAN)
    objectives: str = ""
    do_summary: str = ""
    check_evaluation: str = ""
    effect_rating: int | None = None  # 1..4, as in municipal effect verification (効果検証)
    future_course: FutureCourse | None = _enum(FutureCourse, None)
    external_opinion: str = ""
    act_summary: str = ""
    version: int = 1
    opened_at: datetime = _timestamp()
    opened_by_name: str = Field(default="", max_length=200)
    closed_at: datetime | None = _optional_timestamp()


class PdcaStageChange(SQLModel, table=True):
    """A move of a cycle from one stage to another, with who, when and (for moves back) why."""

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="pdcacycle.id", index=True, ondelete="CASCADE")
    from_stage: PdcaStage | None = _enum(PdcaStage, None)
    to_stage: PdcaStage = _enum(PdcaStage)
    reason: str = ""
    changed_at: datetime = _timestamp()
    changed_by_name: str = Field(default="", max_length=200)


class ActionItem(SQLModel, table=True):
    """A concrete task from a cycle's Plan or Act; open ones carry over into the next cycle."""

    __table_args__ = (
        # a carried item exists at most once per cycle, however often the next cycle is opened
        UniqueConstraint("cycle_id", "carried_from_id"),
        Index("ix_actionitem_due", "status", "due_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="pdcacycle.id", index=True, ondelete="CASCADE")
    hub_id: int = Field(foreign_key="hub.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=300)
    owner_organisation_id: int = Field(foreign_key="organisation.id", ondelete="RESTRICT")
    due_date: date | None = None
    status: ActionStatus = _enum(ActionStatus, ActionStatus.NOT_STARTED)
    evidence: str = ""
    origin: ActionOrigin = _enum(ActionOrigin, ActionOrigin.PLAN)
    carried_from_id: int | None = Field(default=None, foreign_key="actionitem.id", ondelete="SET NULL")
    # indicator ids this action aims to move
    indicator_ids: list[int] = _json(list)
    version: int = 1  # bumped by every save (db.update_checked)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


# --- reporting --------------------------------------------------------------------------------


class QuarterSubmission(SQLModel, table=True):
    """A hub manager's statement that the hub's values for one fiscal quarter are in (提出).

    A quarter is complete for a hub once submitted (in a region that signs off: once confirmed). The
    secretariat confirms it or returns it with a comment (services.signoff), with a version-checked UPDATE;
    every step is kept as a SubmissionReview.
    """

    __table_args__ = (
        UniqueConstraint("hub_id", "fiscal_year", "quarter"),
        Index("ix_quartersubmission_period", "fiscal_year", "quarter"),
    )
    id: int | None = Field(default=None, primary_key=True)
    hub_id: int = Field(foreign_key="hub.id", index=True, ondelete="CASCADE")
    fiscal_year: int
    quarter: int
    status: SubmissionStatus = _enum(SubmissionStatus, SubmissionStatus.SUBMITTED)
    submitted_at: datetime = _timestamp()
    submitted_by_id: int | None = Field(default=None, foreign_key="hub_user.id", ondelete="SET NULL")
    submitted_by_name: str = Field(default="", max_length=200)
    version: int = 1
    review_comment: str = ""  # the secretariat's comment with its last confirmation or return
    reviewed_at: datetime | None = _optional_timestamp()
    reviewed_by_name: str = Field(default="", max_length=200)


class SubmissionReview(SQLModel, table=True):
    """One step of a submitted quarter: submitted, returned, confirmed, superseded by a correction."""

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="quartersubmission.id", index=True, ondelete="CASCADE")
    status: SubmissionStatus = _enum(SubmissionStatus)
    comment: str = ""
    changed_at: datetime = _timestamp()
    changed_by_name: str = Field(default="", max_length=200)


class RegionSetting(SQLModel, table=True):
    """A region's own choices: its achievement rating scale, and whether summaries wait for the sign-off."""

    region_id: int = Field(foreign_key="region.id", primary_key=True, ondelete="CASCADE")
    rating_scale: dict[str, Any] | None = _json()  # domain.rating.RatingScale.to_json(); None: the default scale
    confirmed_only: bool = False  # a quarter is complete only once the secretariat has confirmed it
    version: int = 1
    updated_at: datetime = _timestamp()
    updated_by_name: str = Field(default="", max_length=200)


# --- effect verification (効果検証) -------------------------------------------------------------


class Verification(SQLModel, table=True):
    """A region's effect verification of one fiscal year: the version being prepared, or the last published.

    Published versions are frozen as VerificationPublication snapshots; a correction makes the next version
    (`number` + 1) with a reason, prepared here while the published one stays as it was.
    """

    __table_args__ = (UniqueConstraint("region_id", "fiscal_year"),)
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="CASCADE")
    fiscal_year: int
    stage: VerificationStage = _enum(VerificationStage, VerificationStage.DRAFT)
    number: int = 1  # the version prepared (or published last)
    correction_reason: str = ""  # why this version corrects the one published before it
    version: int = 1  # bumped by every stage change (db.update_checked)
    created_at: datetime = _timestamp()
    created_by_name: str = Field(default="", max_length=200)


class VerificationStageChange(SQLModel, table=True):
    """A move of a verification from one stage to another, with who, when and why."""

    id: int | None = Field(default=None, primary_key=True)
    verification_id: int = Field(foreign_key="verification.id", index=True, ondelete="CASCADE")
    number: int
    from_stage: VerificationStage | None = _enum(VerificationStage, None)
    to_stage: VerificationStage = _enum(VerificationStage)
    reason: str = ""
    changed_at: datetime = _timestamp()
    changed_by_name: str = Field(default="", max_length=200)


class VerificationExpert(SQLModel, table=True):
    """An outside expert (外部有識者) invited to a verification; their account may read it and write opinions."""

    __table_args__ = (UniqueConstraint("verification_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    verification_id: int = Field(foreign_key="verification.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="hub_user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    organisation: str = Field(max_length=200)
    sector: ExpertSector = _enum(ExpertSector)
    invited_at: datetime = _timestamp()
    invited_by_name: str = Field(default="", max_length=200)


class VerificationOpinion(SQLModel, table=True):
    """An outside expert's opinion on a goal, a target or the whole verification, and the council's answer."""

    id: int | None = Field(default=None, primary_key=True)
    verification_id: int = Field(foreign_key="verification.id", index=True, ondelete="CASCADE")
    expert_id: int = Field(foreign_key="verificationexpert.id", index=True, ondelete="CASCADE")
    goal_id: int | None = Field(default=None, foreign_key="strategicgoal.id", ondelete="SET NULL")
    target_id: int | None = Field(default=None, foreign_key="target.id", ondelete="SET NULL")
    body: str
    written_at: datetime = _timestamp()
    answer: str = ""
    answered_at: datetime | None = _optional_timestamp()
    answered_by_name: str = Field(default="", max_length=200)
    version: int = 1


class VerificationTargetDecision(SQLModel, table=True):
    """The council's business-effect rating and decided course (with its reason) for one target."""

    __table_args__ = (UniqueConstraint("verification_id", "target_id"),)
    id: int | None = Field(default=None, primary_key=True)
    verification_id: int = Field(foreign_key="verification.id", index=True, ondelete="CASCADE")
    target_id: int = Field(foreign_key="target.id", index=True, ondelete="CASCADE")
    effect: EffectRating | None = _enum(EffectRating, None)
    course: FutureCourse | None = _enum(FutureCourse, None)
    reason: str = ""
    version: int = 1
    updated_at: datetime = _timestamp()
    updated_by_name: str = Field(default="", max_length=200)


class VerificationHubDecision(SQLModel, table=True):
    """The council's business-effect rating and decided course (with its reason) for one hub."""

    __table_args__ = (UniqueConstraint("verification_id", "hub_id"),)
    id: int | None = Field(default=None, primary_key=True)
    verification_id: int = Field(foreign_key="verification.id", index=True, ondelete="CASCADE")
    hub_id: int = Field(foreign_key="hub.id", index=True, ondelete="CASCADE")
    effect: EffectRating | None = _enum(EffectRating, None)
    course: FutureCourse | None = _enum(FutureCourse, None)
    reason: str = ""
    version: int = 1
    updated_at: datetime = _timestamp()
    updated_by_name: str = Field(default="", max_length=200)


class VerificationPublication(SQLModel, table=True):
    """A published version of a verification, frozen: everything it showed, as it was published."""

    __table_args__ = (UniqueConstraint("verification_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    verification_id: int = Field(foreign_key="verification.id", index=True, ondelete="CASCADE")
    number: int
    snapshot: dict[str, Any] = _json(dict)  # services.verification_record.VerificationRecord, as JSON
    reason: str = ""  # a correction's reason (versions after the first)
    published_at: datetime = _timestamp()
    published_by_name: str = Field(default="", max_length=200)


class VerificationAction(SQLModel, table=True):
    """The action item an 改善 or 拡充 decision became in a hub's next fiscal year, linked back to the decision."""

    __table_args__ = (UniqueConstraint("verification_id", "subject", "hub_id"),)
    id: int | None = Field(default=None, primary_key=True)
    verification_id: int = Field(foreign_key="verification.id", index=True, ondelete="CASCADE")
    subject: str = Field(max_length=40)  # "target:<id>" or "hub:<id>"
    hub_id: int = Field(foreign_key="hub.id", ondelete="CASCADE")
    action_item_id: int = Field(foreign_key="actionitem.id", index=True, ondelete="CASCADE")
    number: int  # the published version that decided it


# --- reminders --------------------------------------------------------------------------------


class ReminderSent(SQLModel, table=True):
    """One to-do item e-mailed to one person on one day: the unique key keeps it from going out twice that day."""

    __table_args__ = (UniqueConstraint("user_id", "item_key", "sent_on"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="hub_user.id", index=True, ondelete="CASCADE")
    item_key: str = Field(max_length=120)
    sent_on: date
    sent_at: datetime = _timestamp()
