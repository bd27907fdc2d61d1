"""Workshop participants: joining with the code, one workshop only, own vote budget, closing signs them out."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hubdash.domain.enums import Role, Sector
from hubdash.domain.permissions import SYSTEM, PermissionDenied
from hubdash.models import AuditEvent, Idea, IdeaVote, Workshop
from hubdash.services import accounts, participants, vision, workshop
from tests import factories


@pytest.fixture
def open_workshop(session: Session) -> Workshop:
    region = factories.region(session)
    vision.save_part(
        session=session, actor=SYSTEM, region_id=region.id, part_key="statement", body="v", base_version=0, reason="r"
    )
    row = workshop.open_workshop(
        session=session, actor=SYSTEM, region_id=region.id, title="WS", votes_per_participant=2
    )
    session.commit()
    return row


def _join(session: Session, code: str, name: str = "山田", organisation: str = "A大学") -> accounts.NewSession:
    joined = participants.join_workshop(
        session=session, code=code, name=name, organisation=organisation, sector=Sector.ACADEMIA
    )
    session.commit()
    return joined


def test_an_open_workshop_has_a_short_code_typed_in_any_form(session: Session, open_workshop: Workshop) -> None:
    code = open_workshop.join_code
    assert code and len(code) == participants.JOIN_CODE_LENGTH and set(code) <= set(participants.JOIN_ALPHABET)
    typed = " ".join(code.lower()).translate(
        str.maketrans(
            "abcdefghjkmnpqrstuvwxyz23456789", "ａｂｃｄｅｆｇｈｊｋｍｎｐｑｒｓｔｕｖｗｘｙｚ２３４５６７８９"
        )
    )
    joined = _join(session, typed)
    assert joined.actor.role is Role.WORKSHOP_PARTICIPANT and joined.actor.workshop_id == open_workshop.id
    assert joined.actor.name == "山田 (A大学)"
    with pytest.raises(participants.JoinRefused):
        _join(session, "ZZZZZZ")
    with pytest.raises(participants.JoinRefused):
        _join(session, code, name=" ")


def test_participants_post_and_vote_with_their_own_budget_and_show_their_name(
    session: Session, open_workshop: Workshop
) -> None:
    code = open_workshop.join_code or ""
    yamada, suzuki = _join(session, code).actor, _join(session, code, "鈴木", "B銀行").actor
    idea = workshop.post_idea(session=session, actor=yamada, workshop_id=open_workshop.id, body="案")  # type: ignore[arg-type]
    workshop.vote(session=session, actor=yamada, idea_id=idea.id)  # type: ignore[arg-type]
    workshop.vote(session=session, actor=suzuki, idea_id=idea.id)  # type: ignore[arg-type]
    board = workshop.ideas_board(session=session, region_id=open_workshop.region_id, voter_key=yamada.key)
    assert board.votes_left == 1 and board.ideas[0].author_name == "山田 (A大学)"
    assert board.ideas[0].voters == ("山田 (A大学)", "鈴木 (B銀行)")
    assert session.exec(select(Idea.author_key)).one() == yamada.key != suzuki.key


def test_a_participant_may_not_act_in_another_workshop_or_region(session: Session, open_workshop: Workshop) -> None:
    joined = _join(session, open_workshop.join_code or "").actor
    other_region = factories.region(session, "r2")
    other = workshop.open_workshop(
        session=session, actor=SYSTEM, region_id=other_region.id, title="B", votes_per_participant=2
    )
    idea = workshop.post_idea(session=session, actor=SYSTEM, workshop_id=other.id, body="x")  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        workshop.post_idea(session=session, actor=joined, workshop_id=other.id, body="y")  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        workshop.vote(session=session, actor=joined, idea_id=idea.id)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        vision.save_part(
            session=session,
            actor=joined,
            region_id=open_workshop.region_id,
            part_key="statement",
            body="mine",
            base_version=1,
            reason="r",
        )


def test_closing_the_workshop_signs_its_participants_out_and_retires_the_code(
    session: Session, open_workshop: Workshop
) -> None:
    code = open_workshop.join_code or ""
    joined = _join(session, code)
    assert accounts.session_actor(session=session, token=joined.token) is not None
    participants.close_workshop(session=session, actor=SYSTEM, workshop_id=open_workshop.id)  # type: ignore[arg-type]
    session.commit()
    assert accounts.session_actor(session=session, token=joined.token) is None
    with pytest.raises(participants.JoinRefused):
        _join(session, code)
    assert "workshop.close" in session.exec(select(AuditEvent.action)).all()
    assert session.exec(select(IdeaVote)).all() == []
