"""The shared vision of a region: its parts, goals, revisions, drafts, presence, endorsements and comments."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import Sector, Status
from hubdash.domain.errors import EditConflict, NotFound, UserError
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.domain.rollup import roll_up
from hubdash.domain.vision_parts import STATEMENT, PartKey, PartKind
from hubdash.domain.vision_text import Segment, diff
from hubdash.models import (
    AuditEvent,
    Comment,
    EditorPresence,
    Endorsement,
    Indicator,
    Organisation,
    Region,
    StrategicGoal,
    VisionDraft,
    VisionPart,
    VisionRevision,
    id_of,
    utcnow,
)
from hubdash.services.progress import region_progress
from hubdash.services.regions import active_goals
from hubdash.services.reporting import reporting

__all__ = ["STATEMENT", "PartKey", "PartKind", "Sector"]

TITLE_SUFFIX = "/title"  # the draft of a goal's title is kept next to the draft of its description
PRESENCE_SECONDS = 30
MAX_BODY = 20_000
MAX_TITLE = 300
MAX_REASON = 500
MAX_COMMENT = 2_000
MAX_NAME = 200


class VisionInputError(UserError):
    """Input a vision service refuses; the message says which part or field and why."""


def goal_key(code: str) -> PartKey:
    """The part key of a strategic goal."""
    return PartKey.goal(code)


def commitment_key(sector: Sector) -> PartKey:
    """The part key of one sector's commitment."""
    return PartKey.commitment(sector)


@dataclass(frozen=True)
class Vision:
    """The current state of a region's vision."""

    statement: VisionPart | None
    commitments: dict[Sector, VisionPart]
    goals: list[StrategicGoal]
    latest_revision: VisionRevision | None


@dataclass(frozen=True)
class PartText:
    """The editable text of one part: the body, and for a goal its title."""

    body: str
    title: str = ""


def latest_revision(*, session: Session, region_id: int) -> VisionRevision | None:
    """The region's newest revision of the vision (None before the first)."""
    return session.exec(
        select(VisionRevision)
        .where(VisionRevision.region_id == region_id)
        .order_by(col(VisionRevision.number).desc())
        .limit(1)
    ).first()


def current_vision(*, session: Session, region_id: int) -> Vision:
    """The statement, the sector commitments, the active goals and the newest revision."""
    parts = {p.key: p for p in session.exec(select(VisionPart).where(VisionPart.region_id == region_id)).all()}
    commitments = {s: parts[commitment_key(s)] for s in Sector if commitment_key(s) in parts}
    return Vision(
        parts.get(STATEMENT),
        commitments,
        active_goals(session=session, region_id=region_id),
        latest_revision(session=session, region_id=region_id),
    )


def part_keys(vision: Vision) -> list[PartKey]:
    """Every editable part of the vision, in reading order."""
    return [STATEMENT, *(goal_key(g.code) for g in vision.goals), *(commitment_key(s) for s in Sector)]


def part_text(vision: Vision, part: str) -> tuple[PartText, int]:
    """The current text of a part and its version (0 for a part never written)."""
    key = PartKey(part)
    if key.is_goal:
        goal = next((g for g in vision.goals if g.code == key.goal_code), None)
        return (PartText(goal.description, goal.title), goal.version) if goal else (PartText(""), 0)
    found = vision.statement if key.sector is None else vision.commitments.get(key.sector)
    return (PartText(found.body), found.version) if found else (PartText(""), 0)


def next_goal_code(*, session: Session, region_id: int) -> str:
    """The code a new strategic goal gets: G<n+1> after the highest G<n> ever used in the region."""
    numbers = [
        int(code[1:])
        for code in session.exec(select(StrategicGoal.code).where(StrategicGoal.region_id == region_id)).all()
        if code[:1] == "G" and code[1:].isdigit()
    ]
    return f"G{max(numbers, default=0) + 1}"


# --- revisions ------------------------------------------------------------------------------------


def _snapshot(session: Session, region_id: int) -> dict[str, Any]:
    bodies = dict(session.exec(select(VisionPart.key, VisionPart.body).where(VisionPart.region_id == region_id)).all())
    commitments = {}
    for key, body in sorted(bodies.items()):
        sector = PartKey(key).sector
        if sector is not None and body:
            commitments[sector.value] = body
    return {
        "statement": bodies.get(STATEMENT, ""),
        "commitments": commitments,
        "goals": {
            g.code: {"title": g.title, "description": g.description}
            for g in active_goals(session=session, region_id=region_id)
        },
    }


def snapshot_text(snapshot: dict[str, Any], part: str) -> PartText:
    """The text of one part in a revision's snapshot."""
    key = PartKey(part)
    if key.kind is PartKind.STATEMENT:
        return PartText(str(snapshot.get("statement") or ""))
    if key.sector is not None:
        return PartText(str((snapshot.get("commitments") or {}).get(key.sector.value) or ""))
    goal = (snapshot.get("goals") or {}).get(key.goal_code) or {}
    return PartText(str(goal.get("description") or ""), str(goal.get("title") or ""))


def lock_vision(session: Session, region_id: int) -> None:
    """Take turns with every other change of the region's vision (see db.lock_for_write)."""
    # Every change of a region's vision goes one at a time, from its first read to its commit: a new
    # revision's snapshot then holds everything committed before it, and its number is the next one.
    db.lock_for_write(session, f"vision:{region_id}")


def _new_revision(
    session: Session,
    actor: Actor,
    region_id: int,
    changed: list[str],
    reason: str,
    *,
    idea_id: int | None = None,
    restored_from: int | None = None,
    editorial: bool = False,
) -> VisionRevision:
    """The next revision of the region's vision, taken under lock_vision (unique (region_id, number) backs it)."""
    latest = session.exec(select(func.max(VisionRevision.number)).where(VisionRevision.region_id == region_id))
    revision = VisionRevision(
        region_id=region_id,
        number=int(latest.one() or 0) + 1,
        snapshot=_snapshot(session, region_id),
        changed_parts=changed,
        reason=reason,
        author_id=actor.user_id,
        author_name=actor.name,
        restored_from_number=restored_from,
        idea_id=idea_id,
        editorial=editorial,
    )
    session.add(revision)
    session.flush()
    return revision


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise VisionInputError("vision.error_reason_missing")
    if len(reason) > MAX_REASON:
        raise VisionInputError("vision.error_reason_long", length=len(reason), limit=MAX_REASON)
    return reason


def _clean_text(text: PartText, key: PartKey) -> PartText:
    body, title = text.body.strip(), text.title.strip()
    if len(body) > MAX_BODY:
        raise VisionInputError("vision.error_text_long", part=key, length=len(body), limit=MAX_BODY)
    if key.is_goal:
        if not title:
            raise VisionInputError("vision.error_goal_title", part=key)
        if len(title) > MAX_TITLE:
            raise VisionInputError("vision.error_title_long", part=key, length=len(title), limit=MAX_TITLE)
    return PartText(body, title)


def _write_part(session: Session, actor: Actor, region_id: int, key: PartKey, text: PartText, base: int | None) -> bool:
    """Write one part; with `base`, only if it is still at that version (the check is the UPDATE itself)."""
    now = utcnow()
    row: StrategicGoal | VisionPart
    if key.is_goal:
        written = db.update_checked(
            session,
            StrategicGoal,
            where={"region_id": region_id, "code": key.goal_code},
            version=base,
            values={"title": text.title, "description": text.body, "updated_at": now, "is_active": True},
        )
        if written or base:
            return written
        exists = session.exec(
            select(StrategicGoal.id).where(StrategicGoal.region_id == region_id, StrategicGoal.code == key.goal_code)
        ).first()
        if exists is not None:
            return False
        position = session.exec(
            select(func.max(StrategicGoal.position)).where(StrategicGoal.region_id == region_id)
        ).one()
        row = StrategicGoal(
            region_id=region_id,
            code=key.goal_code,
            title=text.title,
            description=text.body,
            position=(position or 0) + 1,
        )
    else:
        written = db.update_checked(
            session,
            VisionPart,
            where={"region_id": region_id, "key": str(key)},
            version=base,
            values={"body": text.body, "updated_at": now, "updated_by_id": actor.user_id},
        )
        if written or base:
            return written
        row = VisionPart(region_id=region_id, key=str(key), body=text.body, updated_by_id=actor.user_id)
    # a part never written before (base 0): the unique (region_id, key/code) lets only one writer create it
    return db.add_unique(session, row)


def _current_text(session: Session, region_id: int, key: PartKey) -> tuple[PartText, int]:
    if key.is_goal:
        goal_row = session.exec(
            select(StrategicGoal.description, StrategicGoal.title, StrategicGoal.version).where(
                StrategicGoal.region_id == region_id, StrategicGoal.code == key.goal_code
            )
        ).first()
        return (PartText(goal_row[0], goal_row[1]), goal_row[2]) if goal_row else (PartText(""), 0)
    part_row = session.exec(
        select(VisionPart.body, VisionPart.version).where(VisionPart.region_id == region_id, VisionPart.key == key)
    ).first()
    return (PartText(part_row[0]), part_row[1]) if part_row else (PartText(""), 0)


def save_part(
    *,
    session: Session,
    actor: Actor,
    region_id: int,
    part_key: str,
    body: str,
    base_version: int,
    reason: str,
    title: str = "",
    editorial: bool = False,
) -> VisionRevision:
    """Save one part as a new revision if nobody saved it since `base_version`.

    `editorial`: a change of wording that keeps the endorsements (a part written for the first time is
    never editorial). Raises EditConflict with both texts (theirs: what is saved now, mine: this
    editor's) otherwise; nothing is written then.
    """
    require(actor, Permission.EDIT_VISION, region_id=region_id)
    key = PartKey(part_key)
    reason = _clean_reason(reason)
    text = _clean_text(PartText(body, title), key)
    lock_vision(session, region_id)
    previous = latest_revision(session=session, region_id=region_id)
    if editorial and (base_version == 0 or previous is None):
        raise VisionInputError("vision_journeys.error_editorial_new_part", part=key)
    # the write is the version check: it matches no row when someone saved the part since base_version
    if not _write_part(session, actor, region_id, key, text, base_version):
        theirs, version = _current_text(session, region_id, key)
        latest = latest_revision(session=session, region_id=region_id)
        raise EditConflict(
            key,
            current_version=version,
            saved_by=latest.author_name if latest else "",
            theirs=theirs,
            mine=text,
            saved_revision=latest.number if latest else None,
        )
    revision = _new_revision(session, actor, region_id, [str(key)], reason, editorial=editorial)
    _delete_drafts(session, actor.key, region_id, key)
    audit.record(
        session,
        actor,
        "vision.save",
        revision,
        before={
            "part": key,
            "version": base_version,
            **asdict(snapshot_text(previous.snapshot if previous else {}, key)),
        },
        after={
            "part": key,
            "version": base_version + 1,
            "revision": revision.number,
            "editorial": editorial,
            **asdict(text),
        },
    )
    return revision


def restore_revision(*, session: Session, actor: Actor, region_id: int, number: int, reason: str) -> VisionRevision:
    """Make the text of an old revision current again, as a new revision (history is never rewritten)."""
    require(actor, Permission.RESTORE, region_id=region_id)
    reason = _clean_reason(reason)
    lock_vision(session, region_id)
    old = session.exec(
        select(VisionRevision).where(VisionRevision.region_id == region_id, VisionRevision.number == number)
    ).first()
    if old is None:
        raise NotFound("vision.error_no_revision", number=number)
    current = _snapshot(session, region_id)
    changed = []
    keys = [STATEMENT, *(commitment_key(s) for s in Sector), *(goal_key(c) for c in (old.snapshot.get("goals") or {}))]
    for key in keys:
        wanted = snapshot_text(old.snapshot, key)
        if wanted != snapshot_text(current, key):
            _write_part(session, actor, region_id, key, wanted, None)
            changed.append(str(key))
    if not changed:
        raise VisionInputError("vision.error_restore_same", number=number)
    revision = _new_revision(session, actor, region_id, changed, reason, restored_from=number)
    audit.record(session, actor, "vision.restore", revision, before=current, after=revision.snapshot)
    return revision


@dataclass(frozen=True)
class RevisionLine:
    """One row of the history (without the snapshot, which can be large)."""

    number: int
    created_at: datetime
    author_name: str
    reason: str
    changed_parts: list[str]
    restored_from_number: int | None
    idea_id: int | None
    editorial: bool = False


def revision_history(*, session: Session, region_id: int) -> list[RevisionLine]:
    """Every revision, newest first, without the snapshots."""
    rows = session.execute(
        sa_select(
            col(VisionRevision.number),
            col(VisionRevision.created_at),
            col(VisionRevision.author_name),
            col(VisionRevision.reason),
            col(VisionRevision.changed_parts),
            col(VisionRevision.restored_from_number),
            col(VisionRevision.idea_id),
            col(VisionRevision.editorial),
        )
        .where(col(VisionRevision.region_id) == region_id)
        .order_by(col(VisionRevision.number).desc())
    ).all()
    return [RevisionLine(*row) for row in rows]


@dataclass(frozen=True)
class PartDiff:
    """How one part changed between two revisions."""

    part_key: PartKey
    title: list[Segment]
    body: list[Segment]
    before: PartText = PartText("")
    after: PartText = PartText("")


def compare_revisions(*, session: Session, region_id: int, old: int, new: int) -> list[PartDiff]:
    """The parts that differ between two revisions, each with its title and body diff."""
    found = {
        r.number: r
        for r in session.exec(
            select(VisionRevision).where(
                VisionRevision.region_id == region_id, col(VisionRevision.number).in_([old, new])
            )
        ).all()
    }
    missing = [n for n in (old, new) if n not in found]
    if missing:
        raise NotFound("vision.error_no_revision", number=missing[0])
    a, b = found[old].snapshot, found[new].snapshot
    codes = list(dict.fromkeys([*(a.get("goals") or {}), *(b.get("goals") or {})]))
    diffs = []
    for key in [STATEMENT, *(goal_key(c) for c in codes), *(commitment_key(s) for s in Sector)]:
        before, after = snapshot_text(a, key), snapshot_text(b, key)
        if before != after:
            diffs.append(PartDiff(key, diff(before.title, after.title), diff(before.body, after.body), before, after))
    return diffs


# --- drafts and presence ----------------------------------------------------------------------


def _delete_drafts(session: Session, user_key: str, region_id: int, key: PartKey) -> None:
    session.execute(
        delete(VisionDraft).where(
            col(VisionDraft.user_key) == user_key,
            col(VisionDraft.region_id) == region_id,
            col(VisionDraft.part_key).in_([str(key), key + TITLE_SUFFIX]),
        )
    )


def save_draft(
    *, session: Session, actor: Actor, region_id: int, part_key: str, base_version: int, body: str, title: str = ""
) -> None:
    """Keep the editor's unsaved text on the server, so that it survives a reload.

    Drafts are private scratch text, not changes to the vision, so they are not audited.
    """
    require(actor, Permission.EDIT_VISION, region_id=region_id)
    key = PartKey(part_key)
    fields = {str(key): body}
    if key.is_goal:
        fields[key + TITLE_SUFFIX] = title
    for name, text in fields.items():
        db.upsert(
            session,
            VisionDraft,
            keys={"user_key": actor.key, "region_id": region_id, "part_key": name},
            values={"body": text[:MAX_BODY], "base_version": base_version, "updated_at": utcnow()},
        )


def discard_draft(*, session: Session, actor: Actor, region_id: int, part_key: str) -> None:
    """Forget the editor's unsaved text of one part."""
    require(actor, Permission.EDIT_VISION, region_id=region_id)
    _delete_drafts(session, actor.key, region_id, PartKey(part_key))


@dataclass(frozen=True)
class Draft:
    """Unsaved text of one part and the version it started from."""

    base_version: int
    text: PartText


def my_drafts(*, session: Session, region_id: int, user_key: str) -> dict[PartKey, Draft]:
    """The unsaved drafts of one editor, by part key."""
    rows = session.exec(
        select(VisionDraft).where(VisionDraft.region_id == region_id, VisionDraft.user_key == user_key)
    ).all()
    by_key = {r.part_key: r for r in rows}
    drafts = {}
    for key, row in by_key.items():
        if key.endswith(TITLE_SUFFIX):
            continue
        title = by_key.get(key + TITLE_SUFFIX)
        drafts[PartKey(key)] = Draft(row.base_version, PartText(row.body, title.body if title else ""))
    return drafts


def touch_presence(*, session: Session, actor: Actor, region_id: int, part_keys: list[str]) -> None:
    """Say that the actor is editing these parts now (and no others); presence is a heartbeat, not audited."""
    require(actor, Permission.EDIT_VISION, region_id=region_id)
    keys = [str(PartKey(k)) for k in part_keys]
    session.execute(
        delete(EditorPresence).where(
            col(EditorPresence.user_key) == actor.key,
            col(EditorPresence.region_id) == region_id,
            col(EditorPresence.part_key).not_in(keys),
        )
    )
    now = utcnow()
    for key in keys:  # the same editor's other tab may write the same row at the same moment: one upsert each
        db.upsert(
            session,
            EditorPresence,
            keys={"user_key": actor.key, "region_id": region_id, "part_key": key},
            values={"display_name": actor.name, "seen_at": now},
        )


def editors_now(*, session: Session, region_id: int, exclude_key: str = "") -> dict[PartKey, list[str]]:
    """Who else is editing which part (seen in the last PRESENCE_SECONDS), by part key."""
    since = utcnow() - timedelta(seconds=PRESENCE_SECONDS)
    rows = session.exec(
        select(EditorPresence.part_key, EditorPresence.display_name)
        .where(
            EditorPresence.region_id == region_id,
            col(EditorPresence.seen_at) >= since,
            EditorPresence.user_key != exclude_key,
        )
        .order_by(col(EditorPresence.display_name))
    ).all()
    found: dict[PartKey, list[str]] = {}
    for key, name in rows:
        found.setdefault(PartKey(key), []).append(name)
    return found


# --- endorsements -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EndorsementRow:
    """One organisation and its newest endorsement, if any."""

    organisation: str
    sector: Sector
    revision_number: int | None
    is_current: bool
    person_name: str
    endorsed_at: datetime | None
    organisation_id: int = 0
    comment: str = ""


def endorsement_basis(*, session: Session, region_id: int) -> int | None:
    """The newest substantive revision's number: endorsing it or any later (editorial) revision is current."""
    found = session.exec(
        select(func.max(VisionRevision.number)).where(
            VisionRevision.region_id == region_id, col(VisionRevision.editorial).is_(False)
        )
    ).one()
    if found is not None:
        return int(found)
    first = session.exec(select(func.min(VisionRevision.number)).where(VisionRevision.region_id == region_id)).one()
    return None if first is None else int(first)


def endorsement_coverage(*, session: Session, region_id: int) -> list[EndorsementRow]:
    """Every council organisation with its newest endorsement and whether it endorses the current content: the
    newest substantive revision or a later, editorial one."""
    basis = endorsement_basis(session=session, region_id=region_id)
    newest: dict[int, tuple[Endorsement, int]] = {}
    for endorsement, number in session.exec(
        select(Endorsement, VisionRevision.number)
        .join(VisionRevision, col(VisionRevision.id) == Endorsement.revision_id)
        .where(Endorsement.region_id == region_id)
        .order_by(col(VisionRevision.number))
    ).all():
        newest[endorsement.organisation_id] = (endorsement, number)
    rows = []
    for org in session.exec(
        select(Organisation)
        .where(Organisation.region_id == region_id, Organisation.council_member)
        .where(col(Organisation.archived_at).is_(None))
        .order_by(col(Organisation.sector), col(Organisation.code))
    ).all():
        endorsed, number = newest.get(id_of(org), (None, None))  # type: ignore[assignment]  # (None, None): not endorsed
        rows.append(
            EndorsementRow(
                organisation=org.name,
                sector=org.sector,
                revision_number=number,
                is_current=basis is not None and number is not None and number >= basis,
                person_name=endorsed.person_name if endorsed else "",
                endorsed_at=endorsed.endorsed_at if endorsed else None,
                organisation_id=id_of(org),
                comment=endorsed.comment if endorsed else "",
            )
        )
    return rows


def endorse(
    *, session: Session, actor: Actor, region_id: int, organisation_id: int, person_name: str, comment: str = ""
) -> Endorsement:
    """Endorse (賛同) the current revision for an organisation; endorsing again renews the person and comment."""
    require(actor, Permission.ENDORSE, region_id=region_id, organisation_id=organisation_id)
    lock_vision(session, region_id)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.region_id != region_id or not organisation.council_member:
        raise VisionInputError("vision.error_not_council_member", organisation=organisation_id)
    person_name, comment = person_name.strip(), comment.strip()
    if not person_name:
        raise VisionInputError("vision.error_endorser_name")
    if len(person_name) > MAX_NAME or len(comment) > MAX_COMMENT:
        raise VisionInputError("vision.error_endorsement_long", name_limit=MAX_NAME, comment_limit=MAX_COMMENT)
    latest = latest_revision(session=session, region_id=region_id)
    if latest is None:
        raise VisionInputError("vision.error_nothing_to_endorse")
    existing = session.exec(
        select(Endorsement).where(Endorsement.revision_id == latest.id, Endorsement.organisation_id == organisation_id)
    ).first()
    before = audit.snapshot(existing)
    # endorsing again, or at the same moment as a colleague, renews the one endorsement of the revision
    endorsement_id = db.upsert(
        session,
        Endorsement,
        keys={"revision_id": id_of(latest), "organisation_id": organisation_id},
        values={
            "region_id": region_id,
            "person_name": person_name,
            "comment": comment,
            "user_id": actor.user_id,
            "endorsed_at": utcnow(),
        },
    )
    row = session.get(Endorsement, endorsement_id, populate_existing=True)
    assert row is not None  # written by the upsert above
    audit.record(session, actor, "endorsement.save", row, before=before)
    return row


@dataclass(frozen=True)
class SectorCoverage:
    """How many council organisations of a sector endorse the current revision, an earlier one, or none."""

    sector: Sector
    current: int
    earlier: int
    none: int


def sector_coverage(rows: list[EndorsementRow]) -> list[SectorCoverage]:
    """Endorsement counts per sector (sectors without council organisations left out)."""
    result = []
    for sector in Sector:
        mine = [r for r in rows if r.sector == sector]
        if mine:
            current = sum(r.is_current for r in mine)
            earlier = sum(r.revision_number is not None and not r.is_current for r in mine)
            result.append(SectorCoverage(sector, current, earlier, len(mine) - current - earlier))
    return result


@dataclass(frozen=True)
class Coverage:
    """Who endorses the current content of the vision, by organisation and by sector, and since which revision."""

    basis: int | None  # the newest substantive revision: endorsing it or a later (editorial) one is current
    latest: int | None  # the newest revision: what an endorsement made now endorses
    rows: list[EndorsementRow]
    sectors: list[SectorCoverage]

    @property
    def endorsed(self) -> int:
        """How many council organisations endorse the current content."""
        return sum(r.is_current for r in self.rows)


def coverage(*, session: Session, region_id: int) -> Coverage:
    """The endorsement coverage of the current content, with the revision it counts from."""
    rows = endorsement_coverage(session=session, region_id=region_id)
    latest = latest_revision(session=session, region_id=region_id)
    return Coverage(
        endorsement_basis(session=session, region_id=region_id),
        latest.number if latest else None,
        rows,
        sector_coverage(rows),
    )


# --- live pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveVersion:
    """What a live page compares on each refresh: the region's newest change and who edits which part now."""

    change: int
    editing: tuple[tuple[str, str, str], ...] = ()  # (part key, user key, name), sorted

    def seen_by(self, user_key: str, *, presence: bool = True) -> LiveVersion:
        """The version as one person sees it: without their own presence (or without presence at all)."""
        return LiveVersion(self.change, tuple(e for e in self.editing if presence and e[1] != user_key))

    def editors(self) -> dict[PartKey, list[str]]:
        """Who edits which part, by part key (names sorted)."""
        found: dict[PartKey, list[str]] = {}
        for key, _, name in sorted(self.editing, key=lambda e: (e[0], e[2])):
            found.setdefault(PartKey(key), []).append(name)
        return found


def live_version(*, session: Session, region_id: int) -> LiveVersion:
    """The region's newest audit event (every change writes one) and the editors seen in the last PRESENCE_SECONDS.

    Two index lookups: the one question a live page asks the database on each refresh.
    """
    change = session.exec(select(func.max(AuditEvent.id)).where(AuditEvent.region_id == region_id)).one()
    since = utcnow() - timedelta(seconds=PRESENCE_SECONDS)
    editing = session.exec(
        select(EditorPresence.part_key, EditorPresence.user_key, EditorPresence.display_name).where(
            EditorPresence.region_id == region_id, col(EditorPresence.seen_at) >= since
        )
    ).all()
    return LiveVersion(int(change or 0), tuple(sorted((str(k), str(u), str(n)) for k, u, n in editing)))


# --- comments ---------------------------------------------------------------------------------


def add_comment(*, session: Session, actor: Actor, region_id: int, subject: str, body: str) -> Comment:
    """Comment on a part or goal of the vision."""
    require(actor, Permission.COMMENT, region_id=region_id)
    db.lock_for_write(session)
    key = PartKey(subject)
    body = body.strip()
    if not body:
        raise VisionInputError("vision.error_comment_empty")
    if len(body) > MAX_COMMENT:
        raise VisionInputError("vision.error_comment_long", length=len(body), limit=MAX_COMMENT)
    row = Comment(region_id=region_id, subject=str(key), body=body, author_id=actor.user_id, author_name=actor.name)
    session.add(row)
    audit.record(session, actor, "comment.add", row)
    return row


def resolve_comment(*, session: Session, actor: Actor, comment_id: int) -> Comment:
    """Mark a comment as resolved (it stays readable)."""
    db.lock_for_write(session)
    row = session.get(Comment, comment_id, populate_existing=True)
    if row is None:
        raise NotFound("vision.error_no_comment", comment=comment_id)
    require(actor, Permission.RESOLVE_COMMENT, region_id=row.region_id)
    if row.resolved_at is not None:
        return row
    before = audit.snapshot(row)
    row.resolved_at, row.resolved_by_name = utcnow(), actor.name
    session.add(row)
    audit.record(session, actor, "comment.resolve", row, before=before)
    return row


def vision_comments(*, session: Session, region_id: int) -> dict[PartKey, list[Comment]]:
    """The comments on the vision by part, oldest first (PDCA comments left out)."""
    rows = session.exec(
        select(Comment)
        .where(Comment.region_id == region_id, col(Comment.subject).not_like("pdca:%"))
        .order_by(col(Comment.created_at), col(Comment.id))
    ).all()
    found: dict[PartKey, list[Comment]] = {}
    for row in rows:
        found.setdefault(PartKey(row.subject), []).append(row)
    return found


# --- indicators of goals, the whole document --------------------------------------------------


@dataclass(frozen=True)
class GoalIndicator:
    """An indicator linked to a goal and its targets rolled up (domain.rollup), as of the latest complete quarter."""

    code: str
    name: str
    status: Status


def goal_indicators(*, session: Session, region_id: int) -> dict[str, list[GoalIndicator]]:
    """The indicators of each goal (by goal code) with their current status."""
    statuses: dict[int, list[Status]] = {}
    at = reporting(session=session, region_id=region_id).headline
    for p in region_progress(session=session, region_id=region_id, at=at):
        statuses.setdefault(p.indicator_id, []).append(p.status)
    rows = session.exec(
        select(StrategicGoal.code, Indicator.id, Indicator.code, Indicator.name)
        .join(StrategicGoal, col(StrategicGoal.id) == Indicator.goal_id)
        .where(Indicator.region_id == region_id)
        .order_by(col(Indicator.position), col(Indicator.code))
    ).all()
    found: dict[str, list[GoalIndicator]] = {}
    for goal_code, indicator_id, code, name in rows:
        assert indicator_id is not None  # read from the database
        rollup = roll_up(statuses.get(indicator_id, []))
        found.setdefault(goal_code, []).append(GoalIndicator(code, name, rollup.status))
    return found


@dataclass(frozen=True)
class VisionDocument:
    """Everything an export of the vision holds."""

    region_name: str
    vision: Vision
    indicators: dict[str, list[GoalIndicator]]
    endorsements: list[EndorsementRow]


def vision_document(*, session: Session, region_id: int) -> VisionDocument:
    """The vision, its goals with indicators, and the endorsements, for export."""
    region = session.get(Region, region_id)
    return VisionDocument(
        region_name=region.name if region else "",
        vision=current_vision(session=session, region_id=region_id),
        indicators=goal_indicators(session=session, region_id=region_id),
        endorsements=endorsement_coverage(session=session, region_id=region_id),
    )
