"""Ideas board: posting, the vote budget enforced by the service, adoption into the vision, permissions."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from hubdash.domain.enums import Role
from hubdash.domain.permissions import OPEN_MODE_ADMIN, Actor, PermissionDenied
from hubdash.models import Idea
from hubdash.services import vision as vision_svc
from hubdash.services import workshop as svc
from tests import factories

ADMIN = OPEN_MODE_ADMIN


@pytest.fixture
def board(session: Session) -> tuple[int, int, int]:
    """(region id, workshop id with 2 votes each, goal G1 id)."""
    region = factories.region(session)
    for key, body, title in ((vision_svc.STATEMENT, "ビジョン", ""), ("goal:G1", "説明", "目標1")):
        vision_svc.save_part(
            session=session,
            actor=ADMIN,
            region_id=region.id,
            part_key=key,
            body=body,
            title=title,
            base_version=0,
            reason="初版",
        )
    goal_id = vision_svc.current_vision(session=session, region_id=region.id).goals[0].id
    workshop = svc.open_workshop(session=session, actor=ADMIN, region_id=region.id, title="WS", votes_per_participant=2)
    return region.id, workshop.id, goal_id  # type: ignore[return-value]


def _post(session: Session, actor: Actor, workshop_id: int, body: str, goal_id: int | None = None) -> Idea:
    return svc.post_idea(session=session, actor=actor, workshop_id=workshop_id, body=body, goal_id=goal_id)


def test_votes_are_limited_per_participant_and_ideas_sort_by_votes(session: Session, board) -> None:
    region_id, workshop_id, goal_id = board
    alice = Actor(name="Alice", role=Role.ADMIN, username="open:alice")
    bob = Actor(name="Bob", role=Role.ADMIN, username="open:bob")
    ideas = [_post(session, alice, workshop_id, f"idea {n}", goal_id) for n in range(3)]
    svc.vote(session=session, actor=alice, idea_id=ideas[2].id)
    svc.vote(session=session, actor=alice, idea_id=ideas[1].id)
    with pytest.raises(svc.VoteLimitReached, match="used all 2 votes"):
        svc.vote(session=session, actor=alice, idea_id=ideas[0].id)
    svc.vote(session=session, actor=bob, idea_id=ideas[2].id)
    with pytest.raises(svc.VisionInputError, match="already voted"):
        svc.vote(session=session, actor=bob, idea_id=ideas[2].id)
    seen = svc.ideas_board(session=session, region_id=region_id, voter_key="open:alice")
    assert [(i.body, i.votes, i.voted_by_me) for i in seen.ideas] == [
        ("idea 2", 2, True),
        ("idea 1", 1, True),
        ("idea 0", 0, False),
    ]
    assert seen.ideas[0].goal_code == "G1" and seen.votes_left == 0
    svc.unvote(session=session, actor=alice, idea_id=ideas[1].id)
    svc.vote(session=session, actor=alice, idea_id=ideas[0].id)  # a vote taken back can be given again
    svc.set_vote_budget(session=session, actor=ADMIN, workshop_id=workshop_id, votes_per_participant=3)
    assert svc.ideas_board(session=session, region_id=region_id, voter_key="open:alice").votes_left == 1


def test_adopting_an_idea_makes_a_revision_that_credits_it(session: Session, board) -> None:
    region_id, workshop_id, goal_id = board
    idea = _post(session, ADMIN, workshop_id, "クロスアポイントメントを制度化する", goal_id)
    result = svc.adopt_idea(session=session, actor=ADMIN, idea_id=idea.id, part_key="goal:G1", reason="採用")
    assert result.idea_id == idea.id
    assert result.snapshot["goals"]["G1"]["description"] == "説明\n\nクロスアポイントメントを制度化する"
    assert idea.adopted_at is not None
    with pytest.raises(svc.VisionInputError, match="adopted already"):
        svc.adopt_idea(session=session, actor=ADMIN, idea_id=idea.id, part_key="statement", reason="採用")


def test_ideas_need_text_and_an_open_workshop(session: Session, board) -> None:
    region_id, workshop_id, _ = board
    with pytest.raises(svc.VisionInputError, match="1 to 1000 characters"):
        _post(session, ADMIN, workshop_id, "  ")
    svc.open_workshop(session=session, actor=ADMIN, region_id=region_id, title="WS2", votes_per_participant=5)
    with pytest.raises(svc.VisionInputError, match="closed"):
        _post(session, ADMIN, workshop_id, "late idea")
    with pytest.raises(svc.VisionInputError, match="between 1 and 50"):
        svc.open_workshop(session=session, actor=ADMIN, region_id=region_id, title="WS3", votes_per_participant=0)


@pytest.mark.parametrize(
    ("role", "posts", "facilitates"),
    [
        (Role.ADMIN, True, True),
        (Role.COUNCIL_MEMBER, True, True),
        (Role.HUB_MANAGER, True, False),
        (Role.VIEWER, False, False),
    ],
)
def test_permissions_per_role(session: Session, board, role: Role, posts: bool, facilitates: bool) -> None:
    region_id, workshop_id, _ = board
    actor = factories.user(session, f"u-{role.value}", role, region_id=region_id)
    idea = _post(session, ADMIN, workshop_id, "an idea")

    def allowed(call) -> bool:
        try:
            with session.begin_nested():
                call()
        except PermissionDenied:
            return False
        return True

    assert allowed(lambda: _post(session, actor, workshop_id, "mine")) is posts
    assert allowed(lambda: svc.vote(session=session, actor=actor, idea_id=idea.id)) is posts
    assert (
        allowed(lambda: svc.adopt_idea(session=session, actor=actor, idea_id=idea.id, part_key="statement", reason="r"))
        is facilitates
    )
    assert (
        allowed(
            lambda: svc.set_vote_budget(session=session, actor=actor, workshop_id=workshop_id, votes_per_participant=3)
        )
        is facilitates
    )


def test_an_idea_is_adopted_into_its_own_goal_unless_told_otherwise(session: Session, board) -> None:
    region_id, workshop_id, goal_id = board
    tagged = _post(session, ADMIN, workshop_id, "共同研究の窓口を一本化する", goal_id)
    untagged = _post(session, ADMIN, workshop_id, "地域の若者が挑戦できる", None)
    into_goal = svc.adopt_idea(session=session, actor=ADMIN, idea_id=tagged.id, reason="採用")
    assert into_goal.changed_parts == ["goal:G1"]
    assert into_goal.snapshot["goals"]["G1"]["description"] == "説明\n\n共同研究の窓口を一本化する"
    into_vision = svc.adopt_idea(session=session, actor=ADMIN, idea_id=untagged.id, reason="採用")
    assert into_vision.changed_parts == ["statement"]
    assert into_vision.snapshot["statement"] == "ビジョン\n\n地域の若者が挑戦できる"
    cards = {c.body: c for c in svc.ideas_board(session=session, region_id=region_id, voter_key="").ideas}
    assert (cards["共同研究の窓口を一本化する"].adopted_into, cards["共同研究の窓口を一本化する"].adopted_revision) == (
        "goal:G1",
        into_goal.number,
    )
    assert cards["地域の若者が挑戦できる"].adopted_into == "statement"
    # the same rule for the page's default; a goal no longer active sends the idea to the vision statement
    assert svc.adopt_target("G1", ["G1", "G2"]) == "goal:G1"
    assert svc.adopt_target("G9", ["G1", "G2"]) == "statement"
    assert svc.adopt_target(None, ["G1"]) == "statement"


def test_an_idea_adopted_as_an_editorial_change_keeps_the_endorsements(session: Session, board) -> None:
    region_id, workshop_id, goal_id = board
    uni = factories.organisation(session, region_id, "U1")
    vision_svc.endorse(session=session, actor=ADMIN, region_id=region_id, organisation_id=uni.id, person_name="森田")
    small = _post(session, ADMIN, workshop_id, "言い回しを整える", goal_id)
    big = _post(session, ADMIN, workshop_id, "新しい柱を立てる", None)
    revision = svc.adopt_idea(session=session, actor=ADMIN, idea_id=small.id, reason="採用", editorial=True)
    assert revision.editorial and revision.idea_id == small.id
    assert vision_svc.coverage(session=session, region_id=region_id).endorsed == 1
    svc.adopt_idea(session=session, actor=ADMIN, idea_id=big.id, reason="採用")
    assert vision_svc.coverage(session=session, region_id=region_id).endorsed == 0
