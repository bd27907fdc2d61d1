"""Vision services: revisions, conflicts, restore, drafts, presence, endorsements, comments, export, permissions."""

from __future__ import annotations

import io
import threading
import time
from datetime import timedelta
from typing import NamedTuple

import pytest
from docx import Document
from sqlalchemy import Engine
from sqlmodel import Session, select

from hubdash.domain.enums import Role, Sector
from hubdash.domain.errors import EditConflict, NotFound
from hubdash.domain.permissions import OPEN_MODE_ADMIN, Actor, PermissionDenied
from hubdash.domain.vision_parts import UnknownPart
from hubdash.exports import vision as export
from hubdash.fmt import Display
from hubdash.models import AuditEvent, EditorPresence, VisionRevision, utcnow
from hubdash.services import vision as svc
from tests import factories

ADMIN = OPEN_MODE_ADMIN


class Outcome(NamedTuple):
    """What a save did: the new revision, or the conflict that stopped it."""

    revision: VisionRevision | None
    conflict: EditConflict | None


def _save(session: Session, actor: Actor, region_id: int, key: str, body: str, base: int, **extra: str) -> Outcome:
    try:
        revision = svc.save_part(
            session=session,
            actor=actor,
            region_id=region_id,
            part_key=key,
            body=body,
            base_version=base,
            reason=extra.pop("reason", "workshop"),
            **extra,
        )
    except EditConflict as conflict:
        return Outcome(None, conflict)
    return Outcome(revision, None)


@pytest.fixture
def region_id(session: Session) -> int:
    """A region with a statement (revision 1) and goal G1 (revision 2)."""
    region = factories.region(session)
    assert region.id is not None
    _save(session, ADMIN, region.id, svc.STATEMENT, "地域の大学と企業が連携する。", 0)
    _save(session, ADMIN, region.id, svc.goal_key("G1"), "共同研究を増やす", 0, title="産学連携")
    session.commit()
    return region.id


def test_a_save_makes_the_next_revision_with_a_full_snapshot(session: Session, region_id: int) -> None:
    result = _save(session, ADMIN, region_id, svc.STATEMENT, "地域の大学と金融機関が連携する。", 1, reason="金融を明記")
    session.commit()
    assert result.conflict is None and result.revision is not None
    assert result.revision.number == 3
    assert result.revision.changed_parts == ["statement"]
    assert result.revision.reason == "金融を明記"
    assert result.revision.snapshot["statement"] == "地域の大学と金融機関が連携する。"
    assert result.revision.snapshot["goals"] == {"G1": {"title": "産学連携", "description": "共同研究を増やす"}}
    vision = svc.current_vision(session=session, region_id=region_id)
    assert svc.part_text(vision, svc.STATEMENT) == (svc.PartText("地域の大学と金融機関が連携する。"), 2)
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "vision.save")).all()
    assert events[-1].before["body"] == "地域の大学と企業が連携する。"
    assert events[-1].after["body"] == "地域の大学と金融機関が連携する。"


def test_a_new_goal_takes_the_next_code_and_only_one_of_two_adders_gets_it(session: Session, region_id: int) -> None:
    code = svc.next_goal_code(session=session, region_id=region_id)
    assert code == "G2"
    first = _save(session, ADMIN, region_id, svc.goal_key(code), "地域金融の役割", 0, title="資金循環")
    second = _save(session, ADMIN, region_id, svc.goal_key(code), "人材の定着", 0, title="人財")
    session.commit()
    assert first.revision is not None and first.revision.snapshot["goals"]["G2"]["title"] == "資金循環"
    assert second.conflict is not None and second.conflict.theirs.title == "資金循環"
    assert svc.next_goal_code(session=session, region_id=region_id) == "G3"


def test_a_save_needs_a_reason_and_a_goal_a_title(session: Session, region_id: int) -> None:
    with pytest.raises(svc.VisionInputError, match="reason"):
        _save(session, ADMIN, region_id, svc.STATEMENT, "x", 1, reason="  ")
    with pytest.raises(svc.VisionInputError, match="goal:G1: a strategic goal needs a title"):
        _save(session, ADMIN, region_id, svc.goal_key("G1"), "x", 1, title="")
    with pytest.raises(UnknownPart, match="unknown part"):
        _save(session, ADMIN, region_id, "commitment:martians", "x", 0)
    assert len(svc.revision_history(session=session, region_id=region_id)) == 2


def test_two_writers_from_one_base_one_wins_the_other_gets_both_texts(session: Session, region_id: int) -> None:
    alice = Actor(name="Alice", role=Role.ADMIN, username="open:alice")
    bob = Actor(name="Bob", role=Role.ADMIN, username="open:bob")
    first = _save(session, alice, region_id, svc.STATEMENT, "Aliceの文章", 1)
    session.commit()
    second = _save(session, bob, region_id, svc.STATEMENT, "Bobの文章", 1)
    session.commit()
    assert first.revision is not None and first.conflict is None
    assert second.revision is None and second.conflict is not None
    assert second.conflict.mine.body == "Bobの文章"
    assert second.conflict.theirs.body == "Aliceの文章"
    assert (second.conflict.saved_by, second.conflict.saved_revision, second.conflict.current_version) == (
        "Alice",
        3,
        2,
    )
    # nothing of Bob's was written; saving his text on the new base makes the next revision
    assert len(svc.revision_history(session=session, region_id=region_id)) == 3
    again = _save(session, bob, region_id, svc.STATEMENT, "Aliceの文章\nBobの文章", second.conflict.current_version)
    assert again.revision is not None and again.revision.number == 4


def test_the_version_check_is_in_the_write_even_while_the_other_transaction_is_open(
    engine: Engine, session: Session, region_id: int
) -> None:
    alice = Actor(name="Alice", role=Role.ADMIN, username="open:alice")
    bob = Actor(name="Bob", role=Role.ADMIN, username="open:bob")
    first = _save(session, alice, region_id, svc.STATEMENT, "Aliceの文章", 1)  # not committed yet
    outcome: dict[str, Outcome] = {}

    def bob_saves() -> None:
        with Session(engine, expire_on_commit=False) as other:
            outcome["bob"] = _save(other, bob, region_id, svc.STATEMENT, "Bobの文章", 1)
            other.commit()

    thread = threading.Thread(target=bob_saves)
    thread.start()
    time.sleep(0.5)  # Bob's UPDATE now waits for Alice's transaction
    session.commit()
    thread.join(timeout=30)
    assert first.revision is not None
    conflict = outcome["bob"].conflict
    assert outcome["bob"].revision is None and conflict is not None
    assert (conflict.mine.body, conflict.theirs.body) == ("Bobの文章", "Aliceの文章")
    session.expire_all()
    numbers = [r.number for r in session.exec(select(VisionRevision).where(VisionRevision.region_id == region_id))]
    assert sorted(numbers) == [1, 2, 3]


def test_compare_shows_changed_parts_with_a_character_diff_for_japanese(session: Session, region_id: int) -> None:
    _save(session, ADMIN, region_id, svc.STATEMENT, "地域の大学と金融機関が連携する。", 1)
    changes = svc.compare_revisions(session=session, region_id=region_id, old=2, new=3)
    assert [c.part_key for c in changes] == ["statement"]
    assert [(s.op, s.text) for s in changes[0].body] == [
        ("equal", "地域の大学と"),
        ("delete", "企業"),
        ("insert", "金融機関"),
        ("equal", "が連携する。"),
    ]
    with pytest.raises(NotFound, match="revision 9 does not exist"):
        svc.compare_revisions(session=session, region_id=region_id, old=1, new=9)


def test_restore_makes_a_new_revision_and_keeps_history(session: Session, region_id: int) -> None:
    _save(session, ADMIN, region_id, svc.STATEMENT, "新しい文章", 1)
    _save(session, ADMIN, region_id, svc.goal_key("G1"), "別の説明", 1, title="別の目標")
    restored = svc.restore_revision(session=session, actor=ADMIN, region_id=region_id, number=2, reason="戻す")
    assert restored.number == 5 and restored.restored_from_number == 2
    assert sorted(restored.changed_parts) == ["goal:G1", "statement"]
    vision = svc.current_vision(session=session, region_id=region_id)
    assert svc.part_text(vision, svc.STATEMENT)[0].body == "地域の大学と企業が連携する。"
    assert svc.part_text(vision, "goal:G1")[0] == svc.PartText("共同研究を増やす", "産学連携")
    assert [r.number for r in svc.revision_history(session=session, region_id=region_id)] == [5, 4, 3, 2, 1]
    with pytest.raises(svc.VisionInputError, match="nothing to restore"):
        svc.restore_revision(session=session, actor=ADMIN, region_id=region_id, number=5, reason="again")


def test_drafts_are_kept_per_user_and_dropped_by_a_save(session: Session, region_id: int) -> None:
    alice = Actor(name="Alice", role=Role.ADMIN, username="open:alice")
    svc.save_draft(
        session=session, actor=alice, region_id=region_id, part_key="goal:G1", base_version=1, body="下書き", title="題"
    )
    svc.save_draft(
        session=session,
        actor=alice,
        region_id=region_id,
        part_key="goal:G1",
        base_version=1,
        body="下書き2",
        title="題",
    )
    drafts = svc.my_drafts(session=session, region_id=region_id, user_key="open:alice")
    assert drafts == {"goal:G1": svc.Draft(1, svc.PartText("下書き2", "題"))}
    assert svc.my_drafts(session=session, region_id=region_id, user_key="open:bob") == {}
    _save(session, alice, region_id, "goal:G1", "下書き2", 1, title="題")
    assert svc.my_drafts(session=session, region_id=region_id, user_key="open:alice") == {}


def test_presence_shows_other_editors_seen_in_the_last_30_seconds(session: Session, region_id: int) -> None:
    alice = Actor(name="Alice", role=Role.ADMIN, username="open:alice")
    bob = Actor(name="Bob", role=Role.ADMIN, username="open:bob")
    svc.touch_presence(session=session, actor=alice, region_id=region_id, part_keys=["statement"])
    svc.touch_presence(session=session, actor=bob, region_id=region_id, part_keys=["statement", "goal:G1"])
    assert svc.editors_now(session=session, region_id=region_id, exclude_key="open:alice") == {
        "statement": ["Bob"],
        "goal:G1": ["Bob"],
    }
    svc.touch_presence(session=session, actor=bob, region_id=region_id, part_keys=[])  # Bob stopped editing
    stale = session.exec(select(EditorPresence).where(EditorPresence.user_key == "open:alice")).one()
    stale.seen_at = utcnow() - timedelta(seconds=45)
    session.add(stale)
    session.flush()
    assert svc.editors_now(session=session, region_id=region_id, exclude_key="open:carol") == {}


def test_endorsements_turn_earlier_after_a_new_revision(session: Session, region_id: int) -> None:
    uni = factories.organisation(session, region_id, "U1", sector=Sector.ACADEMIA)
    bank = factories.organisation(session, region_id, "B1", sector=Sector.FINANCE)
    factories.organisation(session, region_id, "C1", sector=Sector.INDUSTRY)
    svc.endorse(session=session, actor=ADMIN, region_id=region_id, organisation_id=uni.id, person_name="鈴木")
    svc.endorse(session=session, actor=ADMIN, region_id=region_id, organisation_id=bank.id, person_name="伊藤")
    rows = {r.organisation: r for r in svc.endorsement_coverage(session=session, region_id=region_id)}
    assert rows["Org U1"].is_current and rows["Org U1"].revision_number == 2
    _save(session, ADMIN, region_id, svc.STATEMENT, "改訂", 1)
    svc.endorse(session=session, actor=ADMIN, region_id=region_id, organisation_id=bank.id, person_name="伊藤")
    rows = {r.organisation: r for r in svc.endorsement_coverage(session=session, region_id=region_id)}
    assert (rows["Org U1"].is_current, rows["Org U1"].revision_number) == (False, 2)
    assert (rows["Org B1"].is_current, rows["Org B1"].revision_number) == (True, 3)
    assert rows["Org C1"].revision_number is None
    coverage = {c.sector: c for c in svc.sector_coverage(list(rows.values()))}
    assert coverage[Sector.ACADEMIA] == svc.SectorCoverage(Sector.ACADEMIA, 0, 1, 0)
    assert coverage[Sector.FINANCE] == svc.SectorCoverage(Sector.FINANCE, 1, 0, 0)
    assert coverage[Sector.INDUSTRY] == svc.SectorCoverage(Sector.INDUSTRY, 0, 0, 1)
    with pytest.raises(svc.VisionInputError, match="name of the person"):
        svc.endorse(session=session, actor=ADMIN, region_id=region_id, organisation_id=uni.id, person_name=" ")


def test_comments_can_be_resolved(session: Session, region_id: int) -> None:
    comment = svc.add_comment(session=session, actor=ADMIN, region_id=region_id, subject="goal:G1", body="担い手は？")
    svc.resolve_comment(session=session, actor=ADMIN, comment_id=comment.id)
    found = svc.vision_comments(session=session, region_id=region_id)
    assert [(c.body, c.resolved_by_name) for c in found["goal:G1"]] == [("担い手は？", ADMIN.name)]
    with pytest.raises(svc.VisionInputError, match="comment is empty"):
        svc.add_comment(session=session, actor=ADMIN, region_id=region_id, subject="statement", body=" ")


def test_export_holds_vision_goals_commitments_and_endorsements(session: Session, region_id: int) -> None:
    _save(session, ADMIN, region_id, svc.commitment_key(Sector.FINANCE), "伴走支援を行う <script>x</script>", 0)
    bank = factories.organisation(session, region_id, "B1", name="湊銀行", sector=Sector.FINANCE)
    svc.endorse(session=session, actor=ADMIN, region_id=region_id, organisation_id=bank.id, person_name="伊藤")
    document = svc.vision_document(session=session, region_id=region_id)
    markdown = export.to_markdown(document, Display("ja"))
    assert "地域の大学と企業が連携する。" in markdown
    assert "### G1 産学連携" in markdown
    assert "### 金" in markdown or "金融" in markdown
    assert "\\<script\\>x\\</script\\>" in markdown and "<script>" not in markdown
    assert "| 湊銀行 |" in markdown and "賛同済み" in markdown
    assert "Endorsed" in export.to_markdown(document, Display("en"))
    docx = Document(io.BytesIO(export.to_docx(document, Display("en"))))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "G1 産学連携" in text and "伴走支援を行う" in text
    assert docx.tables[0].rows[1].cells[0].text == "湊銀行"


@pytest.mark.parametrize(
    ("role", "edits", "endorses", "comments"),
    [
        (Role.ADMIN, True, True, True),
        (Role.COUNCIL_MEMBER, True, True, True),
        (Role.HUB_MANAGER, False, False, True),
        (Role.VIEWER, False, False, False),
    ],
)
def test_permissions_per_role(
    session: Session, region_id: int, role: Role, edits: bool, endorses: bool, comments: bool
) -> None:
    own = factories.organisation(session, region_id, "U1")
    other = factories.organisation(session, region_id, "U2")
    actor = factories.user(session, f"u-{role.value}", role, region_id=region_id, organisation_id=own.id)

    def allowed(call) -> bool:
        try:
            with session.begin_nested():
                call()
        except PermissionDenied:
            return False
        return True

    assert allowed(lambda: _save(session, actor, region_id, svc.STATEMENT, "x", 1)) is edits
    assert allowed(
        lambda: svc.restore_revision(session=session, actor=actor, region_id=region_id, number=1, reason="r")
    ) is (role is Role.ADMIN)
    assert (
        allowed(
            lambda: svc.endorse(
                session=session, actor=actor, region_id=region_id, organisation_id=own.id, person_name="p"
            )
        )
        is endorses
    )
    # a council member endorses only for their own organisation; an administrator for any
    assert allowed(
        lambda: svc.endorse(
            session=session, actor=actor, region_id=region_id, organisation_id=other.id, person_name="p"
        )
    ) is (role is Role.ADMIN)
    assert (
        allowed(
            lambda: svc.add_comment(session=session, actor=actor, region_id=region_id, subject="statement", body="c")
        )
        is comments
    )
    elsewhere = factories.region(session, "r2")
    member_elsewhere = factories.user(session, f"m-{role.value}", Role.COUNCIL_MEMBER, region_id=elsewhere.id)
    assert not allowed(lambda: _save(session, member_elsewhere, region_id, svc.STATEMENT, "x", 1))


def test_an_editorial_revision_keeps_the_endorsements_and_a_substantive_one_needs_them_renewed(
    session: Session, region_id: int
) -> None:
    uni = factories.organisation(session, region_id, "U1", sector=Sector.ACADEMIA)
    bank = factories.organisation(session, region_id, "B1", sector=Sector.FINANCE)
    for org in (uni, bank):
        svc.endorse(session=session, actor=ADMIN, region_id=region_id, organisation_id=org.id, person_name="担当")
    typo = _save(session, ADMIN, region_id, svc.STATEMENT, "地域の大学と企業が連携します。", 1, editorial=True)
    assert typo.revision is not None and typo.revision.editorial and typo.revision.number == 3
    found = svc.coverage(session=session, region_id=region_id)
    assert (found.basis, found.latest, found.endorsed) == (2, 3, 2)
    assert [r.revision_number for r in found.rows if r.is_current] == [2, 2]
    # endorsing now endorses the newest revision; the coverage still counts from revision 2
    svc.endorse(session=session, actor=ADMIN, region_id=region_id, organisation_id=bank.id, person_name="担当")
    assert svc.coverage(session=session, region_id=region_id).endorsed == 2
    history = svc.revision_history(session=session, region_id=region_id)
    assert [(r.number, r.editorial) for r in history] == [(3, True), (2, False), (1, False)]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "vision.save")).all()[-1]
    assert event.after["editorial"] is True and event.after["revision"] == 3

    content = _save(session, ADMIN, region_id, svc.STATEMENT, "地域の大学と金融機関が連携します。", 2)
    assert content.revision is not None and not content.revision.editorial
    found = svc.coverage(session=session, region_id=region_id)
    assert (found.basis, found.latest, found.endorsed) == (4, 4, 0)
    assert {c.sector: (c.current, c.earlier) for c in found.sectors} == {
        Sector.ACADEMIA: (0, 1),
        Sector.FINANCE: (0, 1),
    }


def test_a_part_written_for_the_first_time_is_never_editorial(session: Session, region_id: int) -> None:
    with pytest.raises(svc.VisionInputError, match="not been written yet"):
        _save(session, ADMIN, region_id, svc.goal_key("G2"), "新しい目標", 0, title="新目標", editorial=True)
    empty = factories.region(session, "r-empty")
    with pytest.raises(svc.VisionInputError, match="not been written yet"):
        _save(session, ADMIN, empty.id, svc.STATEMENT, "初版", 0, editorial=True)
    assert svc.endorsement_basis(session=session, region_id=empty.id) is None
    assert len(svc.revision_history(session=session, region_id=region_id)) == 2


def test_the_live_version_moves_with_every_change_of_the_region_and_with_who_edits(
    session: Session, region_id: int
) -> None:
    elsewhere = factories.region(session, "r-other")
    before = svc.live_version(session=session, region_id=region_id)
    _save(session, ADMIN, elsewhere.id, svc.STATEMENT, "よその地域", 0)
    assert svc.live_version(session=session, region_id=region_id) == before  # another region's change
    svc.add_comment(session=session, actor=ADMIN, region_id=region_id, subject="statement", body="賛成です")
    after_comment = svc.live_version(session=session, region_id=region_id)
    assert after_comment.change > before.change and after_comment.editing == ()
    alice = Actor(name="Alice", role=Role.ADMIN, username="open:alice")
    svc.touch_presence(session=session, actor=alice, region_id=region_id, part_keys=["goal:G1"])
    editing = svc.live_version(session=session, region_id=region_id)
    assert editing.change == after_comment.change
    assert editing.editors() == {svc.goal_key("G1"): ["Alice"]}
    assert editing.seen_by("open:alice") == after_comment  # one's own editing is no news to oneself
    assert editing.seen_by("open:bob", presence=False) == after_comment
    assert editing.seen_by("open:bob") == editing
