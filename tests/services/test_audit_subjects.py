"""The change log names a target by its indicator and hub (or the whole region), not by a stored id."""

from __future__ import annotations

from sqlmodel import Session

from hubdash import audit, i18n
from hubdash.domain.permissions import SYSTEM
from hubdash.services import audit_log

from .. import factories


def test_a_target_is_named_by_its_indicator_and_its_hub_or_the_whole_region(session: Session) -> None:
    region = factories.region(session, "r1")
    hub = factories.hub(session, region.id, "H1", name="北の拠点")  # type: ignore[arg-type]  # flushed: has an id
    indicator = factories.indicator(session, region.id, "K01", name="共同研究契約件数")  # type: ignore[arg-type]
    for target in (factories.target(session, indicator, hub), factories.target(session, indicator, None)):
        audit.record(session, SYSTEM, "target.update", target, region_id=region.id, before={}, after={})
    session.commit()
    trail = audit_log.audit_trail(session=session, actor=SYSTEM, where=audit_log.AuditFilter(what="target"))
    assert sorted(i18n.render(line.subject, "ja") for line in trail) == [
        "H1 北の拠点 の指標 K01 共同研究契約件数 の目標値",
        "地域全体 の指標 K01 共同研究契約件数 の目標値",
    ]


def test_an_effect_verification_reads_in_words_in_the_change_log(session: Session) -> None:
    from hubdash.domain.enums import EffectRating, FutureCourse, Measure, Role, VerificationStage
    from hubdash.exports.audit import ACTION_KEYS
    from hubdash.services import verification

    region = factories.region(session, "r1")
    hub = factories.hub(session, region.id, "H1", name="北の拠点")  # type: ignore[arg-type]  # flushed: has an id
    indicator = factories.indicator(session, region.id, "K01", measure=Measure.FLOW, name="共同研究契約件数")  # type: ignore[arg-type]
    target = factories.target(session, indicator, hub)
    council = factories.user(session, "council", Role.COUNCIL_MEMBER, region_id=region.id)
    session.commit()
    opened = verification.open_verification(session=session, actor=council, region_id=region.id, fiscal_year=2024)  # type: ignore[arg-type]
    session.commit()
    vid = opened.id
    decision = verification.Decision(EffectRating.EFFECTIVE, FutureCourse.CONTINUE, "計画どおり", 0)
    verification.decide_target(
        session=session, actor=council, verification_id=vid, target_id=target.id, decision=decision
    )  # type: ignore[arg-type]
    session.commit()
    for stage in (VerificationStage.REVIEW, VerificationStage.DECIDED):
        version = verification.verification_record(session=session, actor=council, verification_id=vid).version  # type: ignore[arg-type]
        verification.move_stage(
            session=session, actor=council, verification_id=vid, version=version, to_stage=stage, reason=""
        )  # type: ignore[arg-type]
        session.commit()
    version = verification.verification_record(session=session, actor=council, verification_id=vid).version  # type: ignore[arg-type]
    verification.publish(session=session, actor=council, verification_id=vid, version=version)  # type: ignore[arg-type]
    session.commit()

    trail = audit_log.audit_trail(session=session, actor=SYSTEM, where=audit_log.AuditFilter(what="verification"))
    assert {line.action for line in trail} == {
        "verification.open", "verification.decide", "verification.stage", "verification.publish"
    }  # fmt: skip
    assert all(line.action in ACTION_KEYS for line in trail)
    subjects = {i18n.render(line.subject, "ja") for line in trail}
    assert "2024年度の効果検証" in subjects
    assert "2024年度の効果検証 第1版" in subjects
    assert not any("#" in s for s in subjects), subjects  # no "verificationtargetdecision #…"
