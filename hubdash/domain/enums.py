"""The closed vocabularies of the domain (shared/DOMAIN.md), shared by models, services and UI.

Each enum's values are stored in the database and used as i18n keys (`<I18N_PREFIX>.<value>`).
"""

from __future__ import annotations

from enum import StrEnum


class Sector(StrEnum):
    """Which part of the region an organisation belongs to (産学官金 plus others)."""

    INDUSTRY = "industry"
    ACADEMIA = "academia"
    GOVERNMENT = "government"
    FINANCE = "finance"
    PUBLIC_LAB = "public_lab"
    SUPPORT_BODY = "support_body"
    OTHER = "other"


class Role(StrEnum):
    """What a user may do; see permissions.ROLE_PERMISSIONS."""

    ADMIN = "admin"
    COUNCIL_MEMBER = "council_member"
    HUB_MANAGER = "hub_manager"
    VIEWER = "viewer"
    # no account: joins one open workshop with its code (services.participants)
    WORKSHOP_PARTICIPANT = "workshop_participant"
    # 外部有識者: reads and writes opinions in the effect verifications they are invited to (services.verification)
    OUTSIDE_EXPERT = "outside_expert"


ACCOUNT_ROLES = (Role.ADMIN, Role.COUNCIL_MEMBER, Role.HUB_MANAGER, Role.VIEWER, Role.OUTSIDE_EXPERT)
"""The roles a user account can hold (a workshop participant has no account)."""


class Permission(StrEnum):
    """A thing a user may be allowed to do."""

    READ = "read"
    EXPORT_REPORTS = "export_reports"
    MANAGE_USERS = "manage_users"
    MANAGE_REGIONS = "manage_regions"
    RESTORE = "restore"
    READ_AUDIT = "read_audit"
    EDIT_VISION = "edit_vision"
    ENDORSE = "endorse"
    COMMENT = "comment"
    RESOLVE_COMMENT = "resolve_comment"
    POST_IDEA = "post_idea"
    VOTE_IDEA = "vote_idea"
    FACILITATE_WORKSHOP = "facilitate_workshop"
    EDIT_INDICATORS = "edit_indicators"
    EDIT_TARGETS = "edit_targets"
    ENTER_PROGRESS = "enter_progress"
    EDIT_PDCA = "edit_pdca"
    SIGN_OFF = "sign_off"  # the secretariat confirms or returns a submitted quarter
    EDIT_VERIFICATION = "edit_verification"  # the council runs an effect verification
    READ_VERIFICATION = "read_verification"
    WRITE_OPINION = "write_opinion"  # an outside expert's opinion in a verification
    SEND_REMINDERS = "send_reminders"  # `python -m hubdash remind`


class IndicatorKind(StrEnum):
    """Place in the logic model: input -> activity -> output -> outcome."""

    INPUT = "input"
    ACTIVITY = "activity"
    OUTPUT = "output"
    OUTCOME = "outcome"


class Measure(StrEnum):
    """How quarterly values add up: a flow is summed, a level is a stock at quarter end."""

    FLOW = "flow"
    LEVEL = "level"


class Direction(StrEnum):
    """Whether a higher or a lower value is better."""

    HIGHER = "higher"
    LOWER = "lower"


class Accumulation(StrEnum):
    """For flow indicators: is the target the sum over the target fiscal year, or since the baseline."""

    ANNUAL = "annual"
    CUMULATIVE = "cumulative"


class Status(StrEnum):
    """Progress status of an indicator against its expected path."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


class PdcaStage(StrEnum):
    """Stages of a PDCA cycle, in order."""

    PLAN = "plan"
    DO = "do"
    CHECK = "check"
    ACT = "act"
    CLOSED = "closed"


class PdcaCadence(StrEnum):
    """How long one PDCA cycle of a hub runs."""

    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


class ActionStatus(StrEnum):
    """Where an action item stands."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class ActionOrigin(StrEnum):
    """Where an action item came from: written in Plan, decided in Act, carried over, or decided in a verification."""

    PLAN = "plan"
    ACT = "act"
    CARRIED = "carried"
    VERIFICATION = "verification"  # an 改善 or 拡充 decision of the region's effect verification


class FutureCourse(StrEnum):
    """The course decided after a Check or an effect verification: 継続 / 改善 / 拡充 / 縮小 / 廃止 / 完了."""

    CONTINUE = "continue"
    IMPROVE = "improve"
    EXPAND = "expand"
    REDUCE = "reduce"
    STOP = "stop"
    DONE = "done"


class ComparedAs(StrEnum):
    """What the status engine sets against a target: the quarter-end value, the year to date, the total since."""

    QUARTER_END = "quarter_end"
    YEAR_TO_DATE = "year_to_date"
    SINCE_BASELINE = "since_baseline"


class SubmissionStatus(StrEnum):
    """Where a hub's submitted quarter stands with the secretariat's sign-off (services.signoff)."""

    SUBMITTED = "submitted"
    RETURNED = "returned"  # back with the hub manager, with the secretariat's comment
    CONFIRMED = "confirmed"
    SUPERSEDED = "superseded"  # confirmed, then a value was corrected: waits to be confirmed again


class VerificationStage(StrEnum):
    """Stages of an effect verification (効果検証), in order; a published one is frozen."""

    DRAFT = "draft"
    REVIEW = "review"  # under review by the outside experts
    DECIDED = "decided"
    PUBLISHED = "published"


class EffectRating(StrEnum):
    """The national four-step business-effect scale of the grant reports, best first."""

    VERY_EFFECTIVE = "very_effective"
    CONSIDERABLE = "considerable"
    EFFECTIVE = "effective"
    NOT_EFFECTIVE = "not_effective"


class RatingBasis(StrEnum):
    """What a region's achievement scale measures (domain.rating)."""

    OF_TARGET = "of_target"  # the actual as a share of the year's target (達成率)
    FROM_BASELINE = "from_baseline"  # how far from the baseline toward the year's target (基準値からの進捗)


class ExpertSector(StrEnum):
    """Where an outside expert comes from: 産官学金労言."""

    INDUSTRY = "industry"
    GOVERNMENT = "government"
    ACADEMIA = "academia"
    FINANCE = "finance"
    LABOUR = "labour"
    MEDIA = "media"


# i18n key prefix of each enum: t(f"{I18N_PREFIX[type(x)]}.{x.value}")
I18N_PREFIX: dict[type[StrEnum], str] = {
    Sector: "sector",
    Role: "role",
    Permission: "permission",
    IndicatorKind: "kind",
    Measure: "measure",
    Direction: "direction",
    Accumulation: "accumulation",
    Status: "status",
    PdcaStage: "stage",
    PdcaCadence: "cadence",
    ActionStatus: "action_status",
    ActionOrigin: "action_origin",
    FutureCourse: "future_course",
    SubmissionStatus: "submission_status",
    VerificationStage: "verification_stage",
    EffectRating: "effect",
    ExpertSector: "expert_sector",
    RatingBasis: "rating_basis",
    ComparedAs: "compared_as",
}
