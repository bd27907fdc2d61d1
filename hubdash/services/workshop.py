"""The ideas board of a vision workshop: sticky notes (付箋), a fixed vote budget, adoption into the vision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.errors import NotFound
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.domain.vision_parts import STATEMENT, PartKey
from hubdash.models import Idea, IdeaVote, StrategicGoal, VisionRevision, Workshop, id_of, utcnow
from hubdash.services.participants import end_workshops, new_join_code
from hubdash.services.vision import VisionInputError, current_vision, goal_key, lock_vision, part_text, save_part

MAX_VOTES = 50
MAX_IDEA = 1000


class VoteLimitReached(VisionInputError):
    """A participant has used every vote of the workshop."""


def current_workshop(*, session: Session, region_id: int) -> Workshop | None:
    """The region's open workshop, else its newest one."""
    return session.exec(
        select(Workshop)
        .where(Workshop.region_id == region_id)
        .order_by(col(Workshop.is_open).desc(), col(Workshop.created_at).desc(), col(Workshop.id).desc())
    ).first()


def _check_budget(votes: int) -> None:
    if not 1 <= votes <= MAX_VOTES:
        raise VisionInputError("ideas.error_budget", votes=votes, limit=MAX_VOTES)


def open_workshop(
    *, session: Session, actor: Actor, region_id: int, title: str, votes_per_participant: int
) -> Workshop:
    """Start a new session of the ideas board with a fresh join code (earlier ones close, their participants leave)."""
    require(actor, Permission.FACILITATE_WORKSHOP, region_id=region_id)
    title = title.strip()
    if not title or len(title) > 200:
        raise VisionInputError("ideas.error_workshop_title", limit=200)
    _check_budget(votes_per_participant)
    db.lock_for_write(session, f"workshops:{region_id}")  # one open workshop per region
    still_open = session.exec(
        select(Workshop.id).where(col(Workshop.region_id) == region_id, col(Workshop.is_open))
    ).all()
    end_workshops(session, [w for w in still_open if w is not None])
    row = Workshop(
        region_id=region_id,
        title=title,
        votes_per_participant=votes_per_participant,
        created_by_name=actor.name,
        join_code=new_join_code(),
    )
    session.add(row)
    audit.record(session, actor, "workshop.open", row)
    return row


def set_vote_budget(*, session: Session, actor: Actor, workshop_id: int, votes_per_participant: int) -> Workshop:
    """Change how many votes each participant has in a workshop."""
    db.lock_for_write(session)
    row = _workshop(session, workshop_id, lock=True)
    require(actor, Permission.FACILITATE_WORKSHOP, region_id=row.region_id)
    _check_budget(votes_per_participant)
    before = audit.snapshot(row)
    row.votes_per_participant = votes_per_participant
    session.add(row)
    audit.record(session, actor, "workshop.set_votes", row, before=before)
    return row


def _workshop(session: Session, workshop_id: int, *, lock: bool = False) -> Workshop:
    query = select(Workshop).where(Workshop.id == workshop_id).execution_options(populate_existing=True)
    # votes of one workshop are counted and added one writer at a time: the workshop's row lock on
    # PostgreSQL; on SQLite the voter's transaction holds the write lock from its start (db.lock_for_write)
    row = session.exec(query.with_for_update(key_share=True) if lock else query).first()
    if row is None:
        raise NotFound("ideas.error_no_workshop", workshop=workshop_id)
    return row


def post_idea(*, session: Session, actor: Actor, workshop_id: int, body: str, goal_id: int | None = None) -> Idea:
    """Post a sticky note to an open workshop, optionally tagged to a goal."""
    db.lock_for_write(session)
    workshop = _workshop(session, workshop_id)
    require(actor, Permission.POST_IDEA, region_id=workshop.region_id, workshop_id=workshop_id)
    if not workshop.is_open:
        raise VisionInputError("ideas.error_closed", title=workshop.title)
    body = body.strip()
    if not body or len(body) > MAX_IDEA:
        raise VisionInputError("ideas.error_idea_length", limit=MAX_IDEA)
    if goal_id is not None:
        goal = session.get(StrategicGoal, goal_id)
        if goal is None or goal.region_id != workshop.region_id:
            raise VisionInputError("ideas.error_goal", goal=goal_id)
    row = Idea(
        workshop_id=workshop_id,
        region_id=workshop.region_id,
        goal_id=goal_id,
        body=body,
        author_key=actor.key,
        author_name=actor.name,
    )
    session.add(row)
    audit.record(session, actor, "idea.post", row)
    return row


def _idea(session: Session, idea_id: int) -> Idea:
    row = session.get(Idea, idea_id)
    if row is None:
        raise NotFound("ideas.error_no_idea", idea=idea_id)
    return row


def votes_used(*, session: Session, workshop_id: int, voter_key: str) -> int:
    """How many votes a participant has given in a workshop."""
    return session.exec(
        select(func.count()).where(IdeaVote.workshop_id == workshop_id, IdeaVote.voter_key == voter_key)
    ).one()


def vote(*, session: Session, actor: Actor, idea_id: int) -> IdeaVote:
    """Give one of the participant's votes to an idea (one vote per idea), within the workshop's budget."""
    db.lock_for_write(session)
    idea = _idea(session, idea_id)
    require(actor, Permission.VOTE_IDEA, region_id=idea.region_id, workshop_id=idea.workshop_id)
    workshop = _workshop(session, idea.workshop_id, lock=True)
    if not workshop.is_open:
        raise VisionInputError("ideas.error_closed", title=workshop.title)
    mine = session.exec(select(IdeaVote.id).where(IdeaVote.idea_id == idea_id, IdeaVote.voter_key == actor.key)).first()
    if mine is not None:
        raise VisionInputError("ideas.error_voted", name=actor.name)
    used = votes_used(session=session, workshop_id=id_of(workshop), voter_key=actor.key)
    if used >= workshop.votes_per_participant:
        raise VoteLimitReached("ideas.error_no_votes_left", name=actor.name, budget=workshop.votes_per_participant)
    row = IdeaVote(workshop_id=id_of(workshop), idea_id=idea_id, voter_key=actor.key, voter_name=actor.name)
    if not db.add_unique(session, row):  # unique (idea, voter) backs the check above
        raise VisionInputError("ideas.error_voted", name=actor.name)
    audit.record(session, actor, "idea.vote", row, region_id=idea.region_id)
    return row


def unvote(*, session: Session, actor: Actor, idea_id: int) -> None:
    """Take back the participant's vote for an idea."""
    db.lock_for_write(session)
    idea = _idea(session, idea_id)
    require(actor, Permission.VOTE_IDEA, region_id=idea.region_id, workshop_id=idea.workshop_id)
    removed = session.execute(
        delete(IdeaVote).where(col(IdeaVote.idea_id) == idea_id, col(IdeaVote.voter_key) == actor.key)
    )
    if removed.rowcount:  # type: ignore[attr-defined]  # a DELETE's result is a CursorResult
        audit.record(session, actor, "idea.unvote", entity_type="idea", entity_id=idea_id, region_id=idea.region_id)


def adopt_target(goal_code: str | None, goal_codes: Iterable[str]) -> PartKey:
    """Where an idea is adopted unless the facilitator says otherwise: its own goal while that goal is active, else
    the vision statement."""
    return goal_key(goal_code) if goal_code and goal_code in set(goal_codes) else STATEMENT


def adopt_idea(
    *,
    session: Session,
    actor: Actor,
    idea_id: int,
    reason: str,
    part_key: str | None = None,
    editorial: bool = False,
) -> VisionRevision:
    """Add an idea's text to a goal or the vision statement, as a revision that credits the idea.

    `part_key`: where; by default the idea's own goal (adopt_target). `editorial`: the addition keeps the
    endorsements (see vision.save_part). Raises EditConflict when someone saves that part at the same moment
    (nothing is adopted then).
    """
    db.lock_for_write(session)
    idea = _idea(session, idea_id)
    require(actor, Permission.FACILITATE_WORKSHOP, region_id=idea.region_id)
    lock_vision(session, idea.region_id)
    session.refresh(idea)  # as it is now that nobody else changes the vision
    vision = current_vision(session=session, region_id=idea.region_id)
    if part_key is None:
        own = next((g.code for g in vision.goals if g.id == idea.goal_id), None)
        key = adopt_target(own, [g.code for g in vision.goals])
    else:
        key = PartKey(part_key)
    if key != STATEMENT and not key.is_goal:
        raise VisionInputError("ideas.error_adopt_where", part=key)
    if idea.adopted_at is not None:
        raise VisionInputError("ideas.error_adopted")
    text, version = part_text(vision, key)
    if version == 0:
        raise NotFound("ideas.error_no_part", part=key)
    body = f"{text.body}\n\n{idea.body}" if text.body else idea.body
    revision = save_part(
        session=session,
        actor=actor,
        region_id=idea.region_id,
        part_key=key,
        body=body,
        title=text.title,
        base_version=version,
        reason=reason,
        editorial=editorial,
    )
    revision.idea_id = idea.id
    idea.adopted_at = utcnow()
    session.add_all([revision, idea])
    audit.record(
        session, actor, "idea.adopt", idea, after={"part": key, "revision": revision.number, "editorial": editorial}
    )
    return revision


@dataclass(frozen=True)
class IdeaCard:
    """One sticky note on the board with its votes."""

    id: int
    body: str
    goal_code: str | None
    author_name: str
    votes: int
    voted_by_me: bool
    adopted_at: datetime | None
    voters: tuple[str, ...] = ()  # the names of those who voted, as they signed in (name and organisation)
    adopted_into: str | None = None  # the part key it was adopted into
    adopted_revision: int | None = None  # the revision that adopted it


@dataclass(frozen=True)
class Board:
    """A workshop's ideas, most votes first, and the viewer's remaining votes."""

    workshop: Workshop | None
    ideas: list[IdeaCard]
    votes_left: int


def ideas_board(*, session: Session, region_id: int, voter_key: str, limit: int | None = None) -> Board:
    """The current workshop's ideas sorted by votes (then oldest first), with the voter's own votes marked."""
    workshop = current_workshop(session=session, region_id=region_id)
    if workshop is None:
        return Board(None, [], 0)
    counts = (
        select(IdeaVote.idea_id, func.count().label("votes"))
        .where(IdeaVote.workshop_id == workshop.id)
        .group_by(col(IdeaVote.idea_id))
        .subquery()
    )
    query = (
        sa_select(
            col(Idea.id),
            col(Idea.body),
            col(StrategicGoal.code),
            col(Idea.author_name),
            func.coalesce(counts.c.votes, 0),
            col(Idea.adopted_at),
            col(VisionRevision.number),
            col(VisionRevision.changed_parts),
        )
        .join(counts, counts.c.idea_id == Idea.id, isouter=True)
        .join(StrategicGoal, col(StrategicGoal.id) == Idea.goal_id, isouter=True)
        .join(VisionRevision, col(VisionRevision.idea_id) == Idea.id, isouter=True)
        .where(col(Idea.workshop_id) == workshop.id)
        .order_by(func.coalesce(counts.c.votes, 0).desc(), col(Idea.created_at), col(Idea.id))
    )
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    mine = set(
        session.exec(
            select(IdeaVote.idea_id).where(IdeaVote.workshop_id == workshop.id, IdeaVote.voter_key == voter_key)
        ).all()
    )
    voters: dict[int, list[str]] = {}
    for idea_id, name in session.exec(
        select(IdeaVote.idea_id, IdeaVote.voter_name)
        .where(IdeaVote.workshop_id == workshop.id)
        .order_by(col(IdeaVote.created_at), col(IdeaVote.id))
    ).all():
        if name:
            voters.setdefault(idea_id, []).append(name)
    ideas = [
        IdeaCard(
            id_of_row,
            body,
            code,
            author,
            int(votes),
            id_of_row in mine,
            adopted_at,
            tuple(voters.get(id_of_row, [])),
            adopted_into=(parts or [None])[0] if adopted_at else None,
            adopted_revision=number if adopted_at else None,
        )
        for id_of_row, body, code, author, votes, adopted_at, number, parts in rows
        if id_of_row is not None
    ]
    left = max(0, workshop.votes_per_participant - len(mine))
    return Board(workshop, ideas, left)
