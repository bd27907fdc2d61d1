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
    # the outside expert (外部有識者) of one effect verification comes with that feature


ACCOUNT_ROLES = (Role.ADMIN, Role.COUNCIL_MEMBER, Role.HUB_MANAGER, Role.VIEWER)
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
    """Where an action item came from: written in Plan, decided in Act, or carried over unfinished."""

    PLAN = "plan"
    ACT = "act"
    CARRIED = "carried"


class FutureCourse(StrEnum):
    """The decided course after a Check (効果検証): continue, improve, expand or stop."""

    CONTINUE = "continue"
    IMPROVE = "improve"
    EXPAND = "expand"
    STOP = "stop"


class ComparedAs(StrEnum):
    """What the status engine sets against a target: the quarter-end value, the year to date, the total since."""

    QUARTER_END = "quarter_end"
    YEAR_TO_DATE = "year_to_date"
    SINCE_BASELINE = "since_baseline"


class SubmissionStatus(StrEnum):
    """Where a hub's submitted quarter stands (the secretariat's confirmation comes with a later feature)."""

    SUBMITTED = "submitted"


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
    ComparedAs: "compared_as",
}
