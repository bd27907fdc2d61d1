"""The shared vision of a region: its parts, goals, revisions and endorsements (read side)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from hubdash import audit
from hubdash.domain.enums import Sector, Status
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.domain.status import worst
from hubdash.domain.vision_text import Segment, diff
from hubdash.models import (
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
    utcnow,
)
from hubdash.services.progress import region_progress

STATEMENT = "statement"


def commitment_key(sector: Sector) -> str:
    """The part key of one sector's commitment."""
    return f"commitment:{sector.value}"


@dataclass(frozen=True)
class Vision:
    """The current state of a region's vision."""

    statement: VisionPart | None
    commitments: dict[Sector, VisionPart]
    goals: list[StrategicGoal]
    latest_revision: VisionRevision | None


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


def current_vision(*, session: Session, region_id: int) -> Vision:
    """The statement, the sector commitments, the active goals and the newest revision."""
    parts = {p.key: p for p in session.exec(select(VisionPart).where(VisionPart.region_id == region_id)).all()}
    goals = session.exec(
        select(StrategicGoal)
        .where(StrategicGoal.region_id == region_id, StrategicGoal.is_active)
        .order_by(StrategicGoal.position, StrategicGoal.code)
    ).all()
    latest = _latest_revision(session, region_id)
    commitments = {s: parts[commitment_key(s)] for s in Sector if commitment_key(s) in parts}
    return Vision(parts.get(STATEMENT), commitments, list(goals), latest)


def endorsement_coverage(*, session: Session, region_id: int) -> list[EndorsementRow]:
    """Every council organisation with its newest endorsement and whether it is for the current revision."""
    latest = session.exec(
        select(VisionRevision.number)
        .where(VisionRevision.region_id == region_id)
        .order_by(col(VisionRevision.number).desc())
        .limit(1)
    ).first()
    newest: dict[int, tuple[Endorsement, int]] = {}
    for endorsement, number in session.exec(
        select(Endorsement, VisionRevision.number)
        .join(VisionRevision, col(VisionRevision.id) == Endorsement.revision_id)
        .where(Endorsement.region_id == region_id)
        .order_by(VisionRevision.number)
    ).all():
        newest[endorsement.organisation_id] = (endorsement, number)
    rows = []
    for org in session.exec(
        select(Organisation)
        .where(Organisation.region_id == region_id, Organisation.council_member)
        .order_by(Organisation.sector, Organisation.code)
    ).all():
        found = newest.get(org.id)  # type: ignore[arg-type]
        endorsement, number = found if found else (None, None)
        rows.append(
            EndorsementRow(
                organisation=org.name,
                sector=org.sector,
                revision_number=number,
                is_current=number is not None and number == latest,
                person_name=endorsement.person_name if endorsement else "",
                endorsed_at=endorsement.endorsed_at if endorsement else None,
                organisation_id=org.id,  # type: ignore[arg-type]
                comment=endorsement.comment if endorsement else "",
            )
        )
    return rows


# --- write side: parts, goals, revisions ------------------------------------------------------

GOAL_PREFIX = "goal:"
COMMITMENT_PREFIX = "commitment:"
TITLE_SUFFIX = "/title"  # the draft of a goal's title is kept next to the draft of its description
PRESENCE_SECONDS = 30
MAX_BODY = 20_000
MAX_COMMENT = 2_000


class VisionInputError(ValueError):
    """Input a vision service refuses; the message says which part or field and why."""


@dataclass(frozen=True)
class PartText:
    """The editable text of one part: the body, and for a goal its title."""

    body: str
    title: str = ""


@dataclass(frozen=True)
class Conflict:
    """Someone saved the part after the editor's base version: both texts, so that no words are lost."""

    part_key: str
    mine: PartText
    theirs: PartText
    current_version: int
    saved_by: str
    saved_revision: int | None


@dataclass(frozen=True)
class SaveResult:
    """Either the new revision or the conflict that stopped the save (nothing written then)."""

    revision: VisionRevision | None = None
    conflict: Conflict | None = None


def goal_key(code: str) -> str:
    """The part key of a strategic goal."""
    return f"{GOAL_PREFIX}{code}"


def next_goal_code(*, session: Session, region_id: int) -> str:
    """The code a new strategic goal gets: G<n+1> after the highest G<n> ever used in the region."""
    numbers = [
        int(code[1:])
        for code in session.exec(select(StrategicGoal.code).where(StrategicGoal.region_id == region_id)).all()
        if code[:1] == "G" and code[1:].isdigit()
    ]
    return f"G{max(numbers, default=0) + 1}"


def part_keys(vision: Vision) -> list[str]:
    """Every editable part of the vision, in reading order."""
    return [STATEMENT, *(goal_key(g.code) for g in vision.goals), *(commitment_key(s) for s in Sector)]


def _check_part_key(part_key: str) -> None:
    if part_key == STATEMENT or part_key.startswith(GOAL_PREFIX) and len(part_key) > len(GOAL_PREFIX):
        return
    if part_key.startswith(COMMITMENT_PREFIX) and part_key[len(COMMITMENT_PREFIX) :] in {s.value for s in Sector}:
        return
    raise VisionInputError(f"unknown part of the vision: {part_key!r}")


def part_text(vision: Vision, part_key: str) -> tuple[PartText, int]:
    """The current text of a part and its version (0 for a part never written)."""
    if part_key.startswith(GOAL_PREFIX):
        code = part_key[len(GOAL_PREFIX) :]
        goal = next((g for g in vision.goals if g.code == code), None)
        return (PartText(goal.description, goal.title), goal.version) if goal else (PartText(""), 0)
    part = vision.statement if part_key == STATEMENT else None
    if part_key.startswith(COMMITMENT_PREFIX):
        part = vision.commitments.get(Sector(part_key[len(COMMITMENT_PREFIX) :]))
    return (PartText(part.body), part.version) if part else (PartText(""), 0)


def _snapshot(session: Session, region_id: int) -> dict[str, Any]:
    rows = session.exec(select(VisionPart.key, VisionPart.body).where(VisionPart.region_id == region_id)).all()
    bodies = dict(rows)
    goals = session.exec(
        select(StrategicGoal.code, StrategicGoal.title, StrategicGoal.description)
        .where(StrategicGoal.region_id == region_id, StrategicGoal.is_active)
        .order_by(StrategicGoal.position, StrategicGoal.code)
    ).all()
    return {
        "statement": bodies.get(STATEMENT, ""),
        "commitments": {
            k[len(COMMITMENT_PREFIX) :]: v for k, v in sorted(bodies.items()) if k.startswith(COMMITMENT_PREFIX) and v
        },
        "goals": {code: {"title": title, "description": description} for code, title, description in goals},
    }


def snapshot_text(snapshot: dict[str, Any], part_key: str) -> PartText:
    """The text of one part in a revision's snapshot."""
    if part_key == STATEMENT:
        return PartText(str(snapshot.get("statement") or ""))
    if part_key.startswith(COMMITMENT_PREFIX):
        return PartText(str((snapshot.get("commitments") or {}).get(part_key[len(COMMITMENT_PREFIX) :]) or ""))
    goal = (snapshot.get("goals") or {}).get(part_key[len(GOAL_PREFIX) :]) or {}
    return PartText(str(goal.get("description") or ""), str(goal.get("title") or ""))


def _latest_revision(session: Session, region_id: int) -> VisionRevision | None:
    return session.exec(
        select(VisionRevision)
        .where(VisionRevision.region_id == region_id)
        .order_by(col(VisionRevision.number).desc())
        .limit(1)
    ).first()


def _latest_number(session: Session, region_id: int) -> int:
    found = session.exec(select(func.max(VisionRevision.number)).where(VisionRevision.region_id == region_id)).one()
    return int(found or 0)


def _new_revision(
    session: Session,
    actor: Actor,
    region_id: int,
    changed: list[str],
    reason: str,
    *,
    idea_id: int | None = None,
    restored_from: int | None = None,
) -> VisionRevision:
    snapshot = _snapshot(session, region_id)
    # unique (region_id, number) guards the number: a writer that lost the race takes the next one
    for attempt in range(5):
        revision = VisionRevision(
            region_id=region_id,
            number=_latest_number(session, region_id) + 1,
            snapshot=snapshot,
            changed_parts=changed,
            reason=reason,
            author_id=actor.user_id,
            author_name=actor.name,
            restored_from_number=restored_from,
            idea_id=idea_id,
        )
        try:
            with session.begin_nested():
                session.add(revision)
        except IntegrityError:
            if attempt == 4:
                raise
            continue
        return revision
    raise AssertionError("unreachable")


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise VisionInputError("a reason is needed to save a revision of the vision")
    if len(reason) > 500:
        raise VisionInputError(f"the reason is {len(reason)} characters long; at most 500 are allowed")
    return reason


def _clean_text(text: PartText, part_key: str) -> PartText:
    body, title = text.body.strip(), text.title.strip()
    if len(body) > MAX_BODY:
        raise VisionInputError(f"{part_key}: the text is {len(body)} characters long; at most {MAX_BODY} are allowed")
    if part_key.startswith(GOAL_PREFIX):
        if not title:
            raise VisionInputError(f"{part_key}: a strategic goal needs a title")
        if len(title) > 300:
            raise VisionInputError(f"{part_key}: the title is {len(title)} characters long; at most 300 are allowed")
    return PartText(body, title)


def _write_part(
    session: Session, actor: Actor, region_id: int, part_key: str, text: PartText, base: int | None
) -> bool:
    """Write one part; with `base`, only if it is still at that version (the check is the UPDATE itself)."""
    now = utcnow()
    if part_key.startswith(GOAL_PREFIX):
        code = part_key[len(GOAL_PREFIX) :]
        goal_stmt = update(StrategicGoal).where(
            col(StrategicGoal.region_id) == region_id, col(StrategicGoal.code) == code
        )
        if base is not None:
            goal_stmt = goal_stmt.where(col(StrategicGoal.version) == base)
        goal_stmt = goal_stmt.values(
            title=text.title, description=text.body, version=StrategicGoal.version + 1, updated_at=now, is_active=True
        )
        if session.execute(goal_stmt.execution_options(synchronize_session=False)).rowcount == 1:  # type: ignore[attr-defined]
            return True
        if base:
            return False
        exists = session.exec(
            select(StrategicGoal.id).where(StrategicGoal.region_id == region_id, StrategicGoal.code == code)
        ).first()
        if exists is not None:
            return False
        position = session.exec(
            select(func.max(StrategicGoal.position)).where(StrategicGoal.region_id == region_id)
        ).one()
        row: StrategicGoal | VisionPart = StrategicGoal(
            region_id=region_id, code=code, title=text.title, description=text.body, position=(position or 0) + 1
        )
    else:
        part_stmt = update(VisionPart).where(col(VisionPart.region_id) == region_id, col(VisionPart.key) == part_key)
        if base is not None:
            part_stmt = part_stmt.where(col(VisionPart.version) == base)
        part_stmt = part_stmt.values(
            body=text.body, version=VisionPart.version + 1, updated_at=now, updated_by_id=actor.user_id
        )
        if session.execute(part_stmt.execution_options(synchronize_session=False)).rowcount == 1:  # type: ignore[attr-defined]
            return True
        if base:
            return False
        row = VisionPart(region_id=region_id, key=part_key, body=text.body, updated_by_id=actor.user_id)
    # a part never written before (base 0): the unique (region_id, key/code) lets only one writer create it
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def _current_text(session: Session, region_id: int, part_key: str) -> tuple[PartText, int]:
    if part_key.startswith(GOAL_PREFIX):
        goal_row = session.exec(
            select(StrategicGoal.description, StrategicGoal.title, StrategicGoal.version).where(
                StrategicGoal.region_id == region_id, StrategicGoal.code == part_key[len(GOAL_PREFIX) :]
            )
        ).first()
        return (PartText(goal_row[0], goal_row[1]), goal_row[2]) if goal_row else (PartText(""), 0)
    part_row = session.exec(
        select(VisionPart.body, VisionPart.version).where(VisionPart.region_id == region_id, VisionPart.key == part_key)
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
) -> SaveResult:
    """Save one part as a new revision if nobody saved it since `base_version`; else return the conflict."""
    require(actor, Permission.EDIT_VISION, region_id=region_id)
    _check_part_key(part_key)
    reason = _clean_reason(reason)
    text = _clean_text(PartText(body, title), part_key)
    # the write comes first: it is the version check, and on SQLite it takes the write lock before any read
    if not _write_part(session, actor, region_id, part_key, text, base_version):
        theirs, version = _current_text(session, region_id, part_key)
        latest = session.exec(
            select(VisionRevision.number, VisionRevision.author_name)
            .where(VisionRevision.region_id == region_id)
            .order_by(col(VisionRevision.number).desc())
            .limit(1)
        ).first()
        return SaveResult(
            conflict=Conflict(
                part_key=part_key,
                mine=text,
                theirs=theirs,
                current_version=version,
                saved_by=latest[1] if latest else "",
                saved_revision=latest[0] if latest else None,
            )
        )
    previous = session.exec(
        select(VisionRevision.snapshot)
        .where(VisionRevision.region_id == region_id)
        .order_by(col(VisionRevision.number).desc())
        .limit(1)
    ).first()
    revision = _new_revision(session, actor, region_id, [part_key], reason)
    _delete_drafts(session, actor.key, region_id, part_key)
    audit.record(
        session,
        actor,
        "vision.save",
        revision,
        before={"part": part_key, "version": base_version, **asdict(snapshot_text(previous or {}, part_key))},
        after={"part": part_key, "version": base_version + 1, "revision": revision.number, **asdict(text)},
    )
    return SaveResult(revision=revision)


def restore_revision(*, session: Session, actor: Actor, region_id: int, number: int, reason: str) -> VisionRevision:
    """Make the text of an old revision current again, as a new revision (history is never rewritten)."""
    require(actor, Permission.RESTORE, region_id=region_id)
    reason = _clean_reason(reason)
    old = session.exec(
        select(VisionRevision).where(VisionRevision.region_id == region_id, VisionRevision.number == number)
    ).first()
    if old is None:
        raise VisionInputError(f"revision {number} does not exist in this region")
    current = _snapshot(session, region_id)
    changed = []
    keys = [STATEMENT, *(commitment_key(s) for s in Sector), *(goal_key(c) for c in (old.snapshot.get("goals") or {}))]
    for key in keys:
        wanted = snapshot_text(old.snapshot, key)
        if wanted != snapshot_text(current, key):
            _write_part(session, actor, region_id, key, wanted, None)
            changed.append(key)
    if not changed:
        raise VisionInputError(f"revision {number} has the same text as the current vision; nothing to restore")
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


def revision_history(*, session: Session, region_id: int) -> list[RevisionLine]:
    """Every revision, newest first, without the snapshots."""
    rows = session.exec(
        select(
            VisionRevision.number,
            VisionRevision.created_at,
            VisionRevision.author_name,
            VisionRevision.reason,
            VisionRevision.changed_parts,
            VisionRevision.restored_from_number,
            VisionRevision.idea_id,
        )
        .where(VisionRevision.region_id == region_id)
        .order_by(col(VisionRevision.number).desc())
    ).all()
    return [RevisionLine(*row) for row in rows]


@dataclass(frozen=True)
class PartDiff:
    """How one part changed between two revisions."""

    part_key: str
    title: list[Segment]
    body: list[Segment]


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
        raise VisionInputError(f"revision {missing[0]} does not exist in this region")
    a, b = found[old].snapshot, found[new].snapshot
    codes = list(dict.fromkeys([*(a.get("goals") or {}), *(b.get("goals") or {})]))
    diffs = []
    for key in [STATEMENT, *(goal_key(c) for c in codes), *(commitment_key(s) for s in Sector)]:
        before, after = snapshot_text(a, key), snapshot_text(b, key)
        if before != after:
            diffs.append(PartDiff(key, diff(before.title, after.title), diff(before.body, after.body)))
    return diffs


# --- drafts and presence ----------------------------------------------------------------------


def _delete_drafts(session: Session, user_key: str, region_id: int, part_key: str) -> None:
    session.execute(
        delete(VisionDraft).where(
            col(VisionDraft.user_key) == user_key,
            col(VisionDraft.region_id) == region_id,
            col(VisionDraft.part_key).in_([part_key, part_key + TITLE_SUFFIX]),
        )
    )


def save_draft(
    *, session: Session, actor: Actor, region_id: int, part_key: str, base_version: int, body: str, title: str = ""
) -> None:
    """Keep the editor's unsaved text on the server, so that it survives a reload.

    Drafts are private scratch text, not changes to the vision, so they are not audited.
    """
    require(actor, Permission.EDIT_VISION, region_id=region_id)
    _check_part_key(part_key)
    fields = {part_key: body}
    if part_key.startswith(GOAL_PREFIX):
        fields[part_key + TITLE_SUFFIX] = title
    for key, text in fields.items():
        updated = session.execute(
            update(VisionDraft)
            .where(
                col(VisionDraft.user_key) == actor.key,
                col(VisionDraft.region_id) == region_id,
                col(VisionDraft.part_key) == key,
            )
            .values(body=text[:MAX_BODY], base_version=base_version, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if updated.rowcount == 0:  # type: ignore[attr-defined]
            session.add(
                VisionDraft(user_key=actor.key, region_id=region_id, part_key=key, base_version=base_version, body=text)
            )
            session.flush()


def discard_draft(*, session: Session, actor: Actor, region_id: int, part_key: str) -> None:
    """Forget the editor's unsaved text of one part."""
    require(actor, Permission.EDIT_VISION, region_id=region_id)
    _delete_drafts(session, actor.key, region_id, part_key)


@dataclass(frozen=True)
class Draft:
    """Unsaved text of one part and the version it started from."""

    base_version: int
    text: PartText


def my_drafts(*, session: Session, region_id: int, user_key: str) -> dict[str, Draft]:
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
        drafts[key] = Draft(row.base_version, PartText(row.body, title.body if title else ""))
    return drafts


def touch_presence(*, session: Session, actor: Actor, region_id: int, part_keys: list[str]) -> None:
    """Say that the actor is editing these parts now (and no others); presence is a heartbeat, not audited."""
    session.execute(
        delete(EditorPresence).where(
            col(EditorPresence.user_key) == actor.key,
            col(EditorPresence.region_id) == region_id,
            col(EditorPresence.part_key).not_in(part_keys),
        )
    )
    now = utcnow()
    for key in part_keys:
        updated = session.execute(
            update(EditorPresence)
            .where(
                col(EditorPresence.user_key) == actor.key,
                col(EditorPresence.region_id) == region_id,
                col(EditorPresence.part_key) == key,
            )
            .values(seen_at=now, display_name=actor.name)
            .execution_options(synchronize_session=False)
        )
        if updated.rowcount == 0:  # type: ignore[attr-defined]
            try:
                with session.begin_nested():
                    session.add(
                        EditorPresence(
                            user_key=actor.key, display_name=actor.name, region_id=region_id, part_key=key, seen_at=now
                        )
                    )
            except IntegrityError:
                pass  # the same editor's other tab wrote it a moment ago


def editors_now(*, session: Session, region_id: int, exclude_key: str = "") -> dict[str, list[str]]:
    """Who else is editing which part (seen in the last PRESENCE_SECONDS), by part key."""
    since = utcnow() - timedelta(seconds=PRESENCE_SECONDS)
    rows = session.exec(
        select(EditorPresence.part_key, EditorPresence.display_name)
        .where(
            EditorPresence.region_id == region_id,
            col(EditorPresence.seen_at) >= since,
            EditorPresence.user_key != exclude_key,
        )
        .order_by(EditorPresence.display_name)
    ).all()
    found: dict[str, list[str]] = {}
    for key, name in rows:
        found.setdefault(key, []).append(name)
    return found


# --- endorsements -----------------------------------------------------------------------------


def endorse(
    *, session: Session, actor: Actor, region_id: int, organisation_id: int, person_name: str, comment: str = ""
) -> Endorsement:
    """Endorse (賛同) the current revision for an organisation; endorsing again renews the person and comment."""
    require(actor, Permission.ENDORSE, region_id=region_id, organisation_id=organisation_id)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.region_id != region_id or not organisation.council_member:
        raise VisionInputError(f"organisation {organisation_id} is not a council member of this region")
    person_name, comment = person_name.strip(), comment.strip()
    if not person_name:
        raise VisionInputError("an endorsement needs the name of the person endorsing")
    if len(person_name) > 200 or len(comment) > MAX_COMMENT:
        raise VisionInputError(f"the name may have 200 characters and the comment {MAX_COMMENT}")
    latest = _latest_revision(session, region_id)
    if latest is None:
        raise VisionInputError("this region has no revision of the vision to endorse yet")
    existing = session.exec(
        select(Endorsement).where(Endorsement.revision_id == latest.id, Endorsement.organisation_id == organisation_id)
    ).first()
    before = audit.snapshot(existing)
    row = existing or Endorsement(
        region_id=region_id, revision_id=latest.id, organisation_id=organisation_id, person_name=person_name
    )
    row.person_name, row.comment, row.user_id, row.endorsed_at = person_name, comment, actor.user_id, utcnow()
    session.add(row)
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


# --- comments ---------------------------------------------------------------------------------


def add_comment(*, session: Session, actor: Actor, region_id: int, subject: str, body: str) -> Comment:
    """Comment on a part or goal of the vision."""
    require(actor, Permission.COMMENT, region_id=region_id)
    _check_part_key(subject)
    body = body.strip()
    if not body:
        raise VisionInputError(f"{subject}: the comment is empty")
    if len(body) > MAX_COMMENT:
        raise VisionInputError(f"{subject}: the comment has {len(body)} characters; at most {MAX_COMMENT}")
    row = Comment(region_id=region_id, subject=subject, body=body, author_id=actor.user_id, author_name=actor.name)
    session.add(row)
    audit.record(session, actor, "comment.add", row)
    return row


def resolve_comment(*, session: Session, actor: Actor, comment_id: int) -> Comment:
    """Mark a comment as resolved (it stays readable)."""
    row = session.get(Comment, comment_id)
    if row is None:
        raise VisionInputError(f"comment {comment_id} does not exist")
    require(actor, Permission.COMMENT, region_id=row.region_id)
    if row.resolved_at is not None:
        return row
    before = audit.snapshot(row)
    row.resolved_at, row.resolved_by_name = utcnow(), actor.name
    session.add(row)
    audit.record(session, actor, "comment.resolve", row, before=before)
    return row


def vision_comments(*, session: Session, region_id: int) -> dict[str, list[Comment]]:
    """The comments on the vision by subject, oldest first (PDCA comments left out)."""
    rows = session.exec(
        select(Comment)
        .where(Comment.region_id == region_id, col(Comment.subject).not_like("pdca:%"))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    found: dict[str, list[Comment]] = {}
    for row in rows:
        found.setdefault(row.subject, []).append(row)
    return found


# --- indicators of goals, the whole document --------------------------------------------------


@dataclass(frozen=True)
class GoalIndicator:
    """An indicator linked to a goal and its worst current status over its targets."""

    code: str
    name: str
    status: Status


def goal_indicators(*, session: Session, region_id: int) -> dict[str, list[GoalIndicator]]:
    """The indicators of each goal (by goal code) with their current status."""
    statuses: dict[int, list[Status]] = {}
    for p in region_progress(session=session, region_id=region_id):
        statuses.setdefault(p.indicator_id, []).append(p.status)
    rows = session.exec(
        select(StrategicGoal.code, Indicator.id, Indicator.code, Indicator.name)
        .join(StrategicGoal, col(StrategicGoal.id) == Indicator.goal_id)
        .where(Indicator.region_id == region_id)
        .order_by(Indicator.position, Indicator.code)
    ).all()
    found: dict[str, list[GoalIndicator]] = {}
    for goal_code, indicator_id, code, name in rows:
        found.setdefault(goal_code, []).append(GoalIndicator(code, name, worst(statuses.get(indicator_id, []))))
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
