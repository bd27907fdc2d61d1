"""The audit trail as people read it: who changed what and when, which object by name, and what changed from
what to what, filtered, for those allowed to see it. The words themselves are chosen by exports.audit."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from hubdash.domain.enums import (
    Accumulation,
    ActionOrigin,
    ActionStatus,
    Direction,
    FutureCourse,
    IndicatorKind,
    Measure,
    PdcaCadence,
    PdcaStage,
    Role,
    Sector,
    SubmissionStatus,
)
from hubdash.domain.errors import Message
from hubdash.domain.periods import FiscalQuarter, PeriodError
from hubdash.domain.permissions import OPEN_MODE_ADMIN, SYSTEM, Actor, Permission, require
from hubdash.fmt import coded
from hubdash.models import (
    ActionItem,
    AuditEvent,
    Comment,
    Endorsement,
    Hub,
    Idea,
    IdeaVote,
    Indicator,
    Organisation,
    PdcaCycle,
    Region,
    StrategicGoal,
    Target,
    User,
    Verification,
    VerificationExpert,
    VerificationOpinion,
    VerificationPublication,
    VisionRevision,
    Workshop,
    WorkshopParticipant,
)


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show: by who (a name, in part), what (an action, in part), when and region.

    `also_actors`: stored actor names that match too (the open-mode administrator and the system, whose
    names the reader sees in their own language).
    """

    who: str = ""
    what: str = ""
    since: datetime | None = None
    until: datetime | None = None
    region_id: int | None = None
    also_actors: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldChange:
    """One field of an object before and after a change, typed for reading (enum members, periods, dates,
    names instead of ids); None where there was no value. `named`: the field is a label to show as written."""

    field: str
    before: object
    after: object
    named: bool = False


@dataclass(frozen=True)
class AuditLine:
    """One event as the change log shows and exports it."""

    occurred_at: datetime
    actor_name: str
    actor_kind: str  # "person", or ACTOR_OPEN_MODE / ACTOR_SYSTEM: named in the reader's language
    action: str
    entity_type: str
    entity_id: str
    region: str  # the region's name
    subject: Message  # which object, by name
    changes: list[FieldChange] = field(default_factory=list)
    before: dict[str, object] | None = None
    after: dict[str, object] | None = None


ACTOR_PERSON, ACTOR_OPEN_MODE, ACTOR_SYSTEM = "person", "open_mode", "system"

# what an event's snapshot holds that is no change anyone made, or that the subject already names
_NOT_SHOWN = frozenset(
    {
        "id",
        "version",
        "created_at",
        "updated_at",
        "entered_at",
        "position",
        "hub_id",
        "cycle_id",
        "indicator_id",
        "carried_from_id",
        "author_id",
        "author_key",
        "user_id",
        "submitted_by_id",
        "revision_id",
        "workshop_id",
        "participant_id",
        "snapshot",
        "join_code",
        "last_seen_at",
        "oidc_subject",
    }
)
ENUM_FIELDS: dict[str, type[StrEnum]] = {
    "stage": PdcaStage,
    "cadence": PdcaCadence,
    "pdca_cadence": PdcaCadence,
    "role": Role,
    "kind": IndicatorKind,
    "measure": Measure,
    "direction": Direction,
    "accumulation": Accumulation,
    "sector": Sector,
    "origin": ActionOrigin,
    "future_course": FutureCourse,
}
STATUS_ENUMS: dict[str, type[StrEnum]] = {"actionitem": ActionStatus, "quartersubmission": SubmissionStatus}
# fields that hold the id of another object, and the kind of object
REFERENCES = {
    "owner_organisation_id": "organisation",
    "organisation_id": "organisation",
    "core_institution_id": "organisation",
    "goal_id": "goal",
    "hub_ids": "hub",
    "indicator_ids": "indicator",
    "hubs": "hub",
}
# two fields that make one quarter
PERIODS = {"period": ("fiscal_year", "quarter"), "baseline_period": ("baseline_fy", "baseline_quarter")}
PERIODS["target_period"] = ("target_fy", "target_quarter")
_VALUE_KEY = re.compile(r"^(?P<hub>[^/]+) / (?P<what>.+) / (?P<period>FY\d{4}Q[1-4])$")  # "H1 / K01 / FY2026Q3"
_TEXT_SHOWN = 60  # characters of a long text kept in a name


def recent_events(
    *, session: Session, actor: Actor, region_id: int | None = None, limit: int = 200
) -> list[AuditEvent]:
    """The newest audit events, of one region (and the events of no region) or of all."""
    require(actor, Permission.READ_AUDIT, region_id=region_id)
    query = select(AuditEvent)
    if region_id is not None:
        query = query.where(or_(col(AuditEvent.region_id) == region_id, col(AuditEvent.region_id).is_(None)))
    return list(session.exec(query.order_by(col(AuditEvent.occurred_at).desc()).limit(limit)).all())


def change_stamp(*, session: Session) -> int:
    """The id of the newest audit event (0 before any): every change writes one, so it moves with every change."""
    return session.exec(select(func.max(AuditEvent.id))).one() or 0


def audit_trail(*, session: Session, actor: Actor, where: AuditFilter, limit: int = 5000) -> list[AuditLine]:
    """The events matching the filter, newest first (at most `limit`), with their objects named."""
    require(actor, Permission.READ_AUDIT, region_id=where.region_id)
    query = select(AuditEvent, Region.name).join(Region, col(Region.id) == AuditEvent.region_id, isouter=True)
    if where.region_id is not None:
        query = query.where(col(AuditEvent.region_id) == where.region_id)
    if where.who.strip():
        named = func.lower(col(AuditEvent.actor_name)).contains(where.who.strip().lower())
        special = col(AuditEvent.user_id).is_(None) & col(AuditEvent.actor_name).in_(where.also_actors)
        query = query.where(or_(named, special) if where.also_actors else named)
    if where.what.strip():
        query = query.where(func.lower(col(AuditEvent.action)).contains(where.what.strip().lower()))
    if where.since is not None:
        query = query.where(col(AuditEvent.occurred_at) >= where.since)
    if where.until is not None:
        query = query.where(col(AuditEvent.occurred_at) < where.until)
    rows = session.exec(query.order_by(col(AuditEvent.occurred_at).desc(), col(AuditEvent.id).desc()).limit(limit))
    events = rows.all()
    names = _Names(session, [e for e, _ in events])
    return [
        AuditLine(
            e.occurred_at,
            e.actor_name,
            _actor_kind(e),
            e.action,
            e.entity_type,
            e.entity_id,
            region or "",
            names.subject(e),
            names.changes(e),
            e.before,
            e.after,
        )
        for e, region in events
    ]


def audit_actions(*, session: Session, actor: Actor) -> list[str]:
    """Every kind of action in the trail, for the filter."""
    require(actor, Permission.READ_AUDIT)
    return list(session.exec(select(AuditEvent.action).distinct().order_by(col(AuditEvent.action))).all())


def audit_span(*, session: Session, actor: Actor) -> tuple[datetime, datetime] | None:
    """When the first and the newest event happened (None before any), for the change log's date filter."""
    require(actor, Permission.READ_AUDIT)
    first, last = session.exec(select(func.min(AuditEvent.occurred_at), func.max(AuditEvent.occurred_at))).one()
    return (first, last) if first is not None and last is not None else None


def _m(key: str, **values: object) -> Message:
    return Message(key, values)


def _actor_kind(event: AuditEvent) -> str:
    if event.user_id is None and event.actor_name == OPEN_MODE_ADMIN.name:
        return ACTOR_OPEN_MODE
    if event.user_id is None and event.actor_name == SYSTEM.name:
        return ACTOR_SYSTEM
    return ACTOR_PERSON


def _short(text: object) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= _TEXT_SHOWN else words[: _TEXT_SHOWN - 1] + "…"


def _ids(values: Iterable[object]) -> set[int]:
    found = set()
    for value in values:
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            found.add(int(value))
    return found


def _hub_period(entity_id: str) -> tuple[str, FiscalQuarter] | None:
    """A hub's quarter as events name it: "H1:FY2026Q3"."""
    code, _, period = entity_id.rpartition(":")
    try:
        return (code, FiscalQuarter.parse(period)) if code else None
    except PeriodError:
        return None


class _Names:
    """Names of the objects a page of events is about, read in a few queries (one per kind of object)."""

    def __init__(self, session: Session, events: list[AuditEvent]) -> None:
        self.session = session
        by_type: dict[str, list[AuditEvent]] = defaultdict(list)
        for event in events:
            by_type[event.entity_type].append(event)
        self.subjects: dict[tuple[str, str], Message] = {}
        for entity_type, found in by_type.items():
            resolve = self._resolvers().get(entity_type)
            if resolve is not None:
                self.subjects.update({(entity_type, k): v for k, v in resolve(found).items()})
        self.references = self._references(events)

    # --- which object ---------------------------------------------------------------------------

    def subject(self, event: AuditEvent) -> Message:
        found = self.subjects.get((event.entity_type, event.entity_id))
        if found is not None:
            return found
        if event.entity_type == "measurement_import":
            return _m("audit.subject_file", name=event.entity_id)
        if event.entity_type == "session":
            return _m("audit.subject_session")
        if event.entity_type in ("verificationtargetdecision", "verificationhubdecision"):
            return _m("audit.subject_decision", subject=event.entity_id)  # stored as the target or hub it is on
        return _m("audit.subject_other", kind=event.entity_type, id=event.entity_id)

    def _resolvers(self) -> dict[str, Callable[[list[AuditEvent]], dict[str, Message]]]:
        return {
            "region": self._regions,
            "hub": self._hubs,
            "organisation": self._organisations,
            "hub_user": self._users,
            "indicator": self._indicators,
            "target": self._targets,
            "pdcacycle": self._cycles,
            "actionitem": self._actions,
            "quartersubmission": lambda found: self._hub_quarters(found, "audit.subject_submission"),
            "hub_quarter": lambda found: self._hub_quarters(found, "audit.subject_hub_quarter"),
            "visionrevision": self._revisions,
            "endorsement": self._endorsements,
            "idea": self._ideas,
            "ideavote": self._votes,
            "comment": self._comments,
            "workshop": self._workshops,
            "workshopparticipant": self._participants,
            "verification": self._verifications,
            "verificationexpert": self._experts,
            "verificationopinion": self._opinions,
            "verificationpublication": self._publications,
            "regionsetting": self._region_settings,
        }

    def _rows(self, model: Any, events: list[AuditEvent]) -> list[Any]:
        ids = _ids(e.entity_id for e in events)
        return list(self.session.exec(select(model).where(col(model.id).in_(ids))).all()) if ids else []

    def _regions(self, events: list[AuditEvent]) -> dict[str, Message]:
        return {str(r.id): _m("audit.subject_region", name=r.name) for r in self._rows(Region, events)}

    def _hubs(self, events: list[AuditEvent]) -> dict[str, Message]:
        return {str(h.id): _m("audit.subject_hub", hub=coded(h.code, h.name)) for h in self._rows(Hub, events)}

    def _organisations(self, events: list[AuditEvent]) -> dict[str, Message]:
        rows = self._rows(Organisation, events)
        return {str(o.id): _m("audit.subject_organisation", name=o.name) for o in rows}

    def _users(self, events: list[AuditEvent]) -> dict[str, Message]:
        rows = self._rows(User, events)
        return {str(u.id): _m("audit.subject_user", name=u.display_name or u.username) for u in rows}

    def _indicators(self, events: list[AuditEvent]) -> dict[str, Message]:
        rows = self._rows(Indicator, events)
        return {str(i.id): _m("audit.subject_indicator", indicator=coded(i.code, i.name)) for i in rows}

    def _targets(self, events: list[AuditEvent]) -> dict[str, Message]:
        ids = _ids(e.entity_id for e in events)
        query = (
            select(Target, Indicator, Hub)
            .join(Indicator, col(Indicator.id) == Target.indicator_id)
            .join(Hub, col(Hub.id) == Target.hub_id, isouter=True)
            .where(col(Target.id).in_(ids))
        )
        return {
            str(target.id): _m(
                "audit.subject_target",
                indicator=coded(indicator.code, indicator.name),
                hub=coded(hub.code, hub.name) if hub else _m("indicators.whole_region"),
            )
            for target, indicator, hub in self.session.exec(query).all()
        }

    def _cycles(self, events: list[AuditEvent]) -> dict[str, Message]:
        ids = _ids(e.entity_id for e in events)
        query = select(PdcaCycle, Hub).join(Hub, col(Hub.id) == PdcaCycle.hub_id).where(col(PdcaCycle.id).in_(ids))
        return {
            str(c.id): _m(
                "audit.subject_pdca_cycle",
                hub=coded(h.code, h.name),
                period=FiscalQuarter(c.fiscal_year, c.quarter),
            )
            for c, h in self.session.exec(query).all()
        }

    def _actions(self, events: list[AuditEvent]) -> dict[str, Message]:
        ids = _ids(e.entity_id for e in events)
        query = (
            select(ActionItem, PdcaCycle, Hub)
            .join(PdcaCycle, col(PdcaCycle.id) == ActionItem.cycle_id)
            .join(Hub, col(Hub.id) == ActionItem.hub_id)
            .where(col(ActionItem.id).in_(ids))
        )
        return {
            str(a.id): _m(
                "audit.subject_action_item",
                title=_short(a.title),
                hub=coded(h.code, h.name),
                period=FiscalQuarter(c.fiscal_year, c.quarter),
            )
            for a, c, h in self.session.exec(query).all()
        }

    def _hub_quarters(self, events: list[AuditEvent], key: str) -> dict[str, Message]:
        wanted = {e.entity_id: (e.region_id, found) for e in events if (found := _hub_period(e.entity_id))}
        codes = {code for _, (code, _) in wanted.values()}
        hubs = self.session.exec(select(Hub).where(col(Hub.code).in_(codes))).all() if codes else []
        by_code: dict[tuple[int | None, str], Hub] = {(h.region_id, h.code): h for h in hubs}
        named = {}
        for entity_id, (region_id, (code, period)) in wanted.items():
            hub = by_code.get((region_id, code))
            named[entity_id] = _m(key, hub=coded(code, hub.name) if hub else code, period=period)
        return named

    def _revisions(self, events: list[AuditEvent]) -> dict[str, Message]:
        rows = self._rows(VisionRevision, events)
        return {str(r.id): _m("audit.subject_revision", number=r.number) for r in rows}

    def _endorsements(self, events: list[AuditEvent]) -> dict[str, Message]:
        ids = _ids(e.entity_id for e in events)
        query = (
            select(Endorsement.id, Organisation.name)
            .join(Organisation, col(Organisation.id) == Endorsement.organisation_id)
            .where(col(Endorsement.id).in_(ids))
        )
        return {str(i): _m("audit.subject_endorsement", name=n) for i, n in self.session.exec(query).all()}

    def _ideas(self, events: list[AuditEvent]) -> dict[str, Message]:
        return {str(i.id): _m("audit.subject_idea", text=_short(i.body)) for i in self._rows(Idea, events)}

    def _votes(self, events: list[AuditEvent]) -> dict[str, Message]:
        ids = _ids(e.entity_id for e in events)
        query = select(IdeaVote.id, Idea.body).join(Idea, col(Idea.id) == IdeaVote.idea_id)
        rows = self.session.exec(query.where(col(IdeaVote.id).in_(ids))).all() if ids else []
        return {str(i): _m("audit.subject_vote", text=_short(body)) for i, body in rows}

    def _comments(self, events: list[AuditEvent]) -> dict[str, Message]:
        rows = self._rows(Comment, events)
        return {str(c.id): _m("audit.subject_comment", text=_short(c.body)) for c in rows}

    def _workshops(self, events: list[AuditEvent]) -> dict[str, Message]:
        rows = self._rows(Workshop, events)
        return {str(w.id): _m("audit.subject_workshop", title=_short(w.title)) for w in rows}

    def _participants(self, events: list[AuditEvent]) -> dict[str, Message]:
        rows = self._rows(WorkshopParticipant, events)
        return {str(p.id): _m("audit.subject_participant", name=p.name) for p in rows}

    def _verifications(self, events: list[AuditEvent]) -> dict[str, Message]:
        rows = self._rows(Verification, events)
        return {str(v.id): _m("audit.subject_verification", year=v.fiscal_year) for v in rows}

    def _experts(self, events: list[AuditEvent]) -> dict[str, Message]:
        rows = self._rows(VerificationExpert, events)
        return {str(e.id): _m("audit.subject_expert", name=e.name) for e in rows}

    def _opinions(self, events: list[AuditEvent]) -> dict[str, Message]:
        rows = self._rows(VerificationOpinion, events)
        return {str(o.id): _m("audit.subject_opinion", text=_short(o.body)) for o in rows}

    def _publications(self, events: list[AuditEvent]) -> dict[str, Message]:
        ids = _ids(e.entity_id for e in events)
        query = (
            select(VerificationPublication.id, Verification.fiscal_year, VerificationPublication.number)
            .join(Verification, col(Verification.id) == VerificationPublication.verification_id)
            .where(col(VerificationPublication.id).in_(ids))
        )
        rows = self.session.exec(query).all() if ids else []
        return {str(i): _m("audit.subject_publication", year=year, number=n) for i, year, n in rows}

    def _region_settings(self, events: list[AuditEvent]) -> dict[str, Message]:
        rows = self._rows(Region, events)  # stored under the region's id
        return {str(r.id): _m("audit.subject_region_setting", name=r.name) for r in rows}

    # --- what changed -----------------------------------------------------------------------------

    def _references(self, events: list[AuditEvent]) -> dict[str, dict[int, str]]:
        """The names behind every id a snapshot field refers to (organisations, goals, hubs, indicators, regions)."""
        wanted: dict[str, set[int]] = defaultdict(set)
        for event in events:
            for snapshot in (event.before, event.after):
                for key, value in (snapshot or {}).items():
                    kind = _reference(key, value)
                    if kind:
                        wanted[kind] |= _ids(value if isinstance(value, list) else [value])
        models: dict[str, tuple[Any, Callable[[Any], str]]] = {
            "organisation": (Organisation, lambda o: o.name),
            "goal": (StrategicGoal, lambda g: coded(g.code, g.title)),
            "hub": (Hub, lambda h: h.code),
            "indicator": (Indicator, lambda i: i.code),
            "region": (Region, lambda r: r.name),
        }
        names: dict[str, dict[int, str]] = {}
        for kind, ids in wanted.items():
            model, name = models[kind]
            rows = self.session.exec(select(model).where(col(model.id).in_(ids))).all() if ids else []
            names[kind] = {row.id: name(row) for row in rows}
        return names

    def changes(self, event: AuditEvent) -> list[FieldChange]:
        """What changed, field by field (for a new object: what it was created with)."""
        before, after = dict(event.before or {}), dict(event.after or {})
        if not after and not before:
            return []
        if event.entity_type == "hub_quarter" or all(_VALUE_KEY.match(k) for k in [*before, *after]):
            return self._values(before, after)
        typed_before = self._typed(event, before)
        typed_after = self._typed(event, after)
        changed = []
        for key in dict.fromkeys([*typed_before, *typed_after]):
            old, new = typed_before.get(key), typed_after.get(key)
            if event.before is not None and event.after is not None and old == new:
                continue
            if event.before is None and new in (None, "", [], False):
                continue  # a new object: only what it was given
            changed.append(FieldChange(key, old if event.before is not None else None, new))
        return changed

    def _values(self, before: Mapping[str, object], after: Mapping[str, object]) -> list[FieldChange]:
        # quarterly values keyed "H1 / K01 / FY2026Q3": the subject names the hub and the quarter
        changed = []
        for key in dict.fromkeys([*before, *after]):
            match = _VALUE_KEY.match(key)
            name = match["what"] if match else key
            if before.get(key) != after.get(key):
                changed.append(FieldChange(name, before.get(key), after.get(key), named=True))
        return changed

    def _typed(self, event: AuditEvent, snapshot: Mapping[str, object]) -> dict[str, object]:
        """The snapshot's fields as people read them: quarters joined, enum members, dates, names for ids."""
        typed: dict[str, object] = {}
        joined = {part for pair in PERIODS.values() for part in pair}
        for name, (year, quarter) in PERIODS.items():
            fiscal_year, number = snapshot.get(year), snapshot.get(quarter)
            if isinstance(fiscal_year, int) and isinstance(number, int):
                typed[name] = FiscalQuarter(fiscal_year, number)
        for key, value in snapshot.items():
            if key in _NOT_SHOWN or key in joined or (key == "region_id" and event.entity_type != "hub_user"):
                continue
            typed[key] = self._value(event.entity_type, key, value)
        return typed

    def _value(self, entity_type: str, key: str, value: object) -> object:
        enum = STATUS_ENUMS.get(entity_type) if key == "status" else ENUM_FIELDS.get(key)
        if enum is not None and isinstance(value, str):
            try:
                return enum(value)
            except ValueError:
                return value
        kind = _reference(key, value)
        if kind is not None:
            names = self.references.get(kind, {})
            if isinstance(value, list):
                return [names.get(v, str(v)) if isinstance(v, int) else str(v) for v in value]
            return names.get(value, str(value)) if isinstance(value, int) else value
        if key == "tolerance" and isinstance(value, int | float):
            return round(value * 100, 3)  # kept as a fraction, entered and shown in percent
        if isinstance(value, str) and (key.endswith("_at") or key.endswith("_date")):
            return _moment(value)
        return value


def _reference(key: str, value: object) -> str | None:
    """The kind of object a snapshot field refers to by id, if it does ("hubs" of an import is a list of ids,
    "hubs" of a demo region a count)."""
    if key == "region_id":
        return "region"
    kind = REFERENCES.get(key)
    return kind if kind and (key.endswith("_id") or isinstance(value, list)) else None


def _moment(text: str) -> object:
    """A stored ISO date or time, typed; the text itself if it is neither."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # stored times are UTC
