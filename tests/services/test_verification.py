"""Effect verification: the table filled from the data and rated on the region's scale, stages, outside experts'
opinions and the council's answers, decisions, a frozen publication, corrections as new versions, and 改善 / 拡充
decisions as action items of the next fiscal year's first PDCA cycle."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from hubdash.domain.enums import (
    Accumulation,
    ActionOrigin,
    EffectRating,
    ExpertSector,
    FutureCourse,
    IndicatorKind,
    Measure,
    PdcaStage,
    Role,
    VerificationStage,
)
from hubdash.domain.errors import EditConflict
from hubdash.domain.permissions import OPEN_MODE_ADMIN, PermissionDenied
from hubdash.domain.rating import PRESETS
from hubdash.models import (
    ActionItem,
    AuditEvent,
    Measurement,
    PdcaCycle,
    Verification,
    VerificationPublication,
    VerificationStageChange,
)
from hubdash.services import region_settings
from hubdash.services import verification as service
from hubdash.services.users import actor_for
from hubdash.services.verification_record import live_record
from tests import factories

FY = 2024


@pytest.fixture
def world(session: Session) -> dict:
    """Region r1: goal G1; outcome K01 (annual flow) for H1 and H2 and the region, output K02 for H1;
    values of FY2024; the council, H1's manager and two outside experts' accounts."""
    r = factories.region(session, "r1")
    org = factories.organisation(session, r.id, "O1")
    goal = factories.goal(session, r.id, "G1", title="研究と開発の橋渡し")
    h1 = factories.hub(session, r.id, "H1", core_institution_id=org.id)
    h2 = factories.hub(session, r.id, "H2", core_institution_id=org.id)
    k01 = factories.indicator(session, r.id, "K01", measure=Measure.FLOW, goal_id=goal.id, name="共同研究契約件数")
    k02 = factories.indicator(session, r.id, "K02", kind=IndicatorKind.OUTPUT, goal_id=goal.id)
    annual = {"accumulation": Accumulation.ANNUAL, "baseline_value": 20.0, "target_value": 40.0}
    targets = {
        "H1": factories.target(session, k01, h1, **annual),
        "H2": factories.target(session, k01, h2, **annual),
        "region": factories.target(session, k01, None, **(annual | {"baseline_value": 40.0, "target_value": 80.0})),
    }
    factories.target(session, k02, h1)
    # the year's target of FY2024 on the way from 20 (FY2023) to 40 (FY2027): 25
    factories.quarterly_values(session, h1, k01, {"FY2024Q1": 5, "FY2024Q2": 5, "FY2024Q3": 5, "FY2024Q4": 10})
    factories.quarterly_values(session, h2, k01, {"FY2024Q1": 2, "FY2024Q2": 3, "FY2024Q3": 4, "FY2024Q4": 6})
    factories.quarterly_values(session, h1, k02, {"FY2024Q4": 1})
    council = factories.user(session, "council", Role.COUNCIL_MEMBER, region_id=r.id)
    manager = factories.user(session, "manager", Role.HUB_MANAGER, region_id=r.id, hub_ids=(h1.id,))
    for name in ("tanaka", "kimura"):
        factories.user(session, name, Role.OUTSIDE_EXPERT, region_id=r.id)
    session.commit()
    return {"region": r, "goal": goal, "H1": h1, "H2": h2, "k01": k01, "targets": targets, "council": council,
            "manager": manager}  # fmt: skip


def _open(session: Session, world: dict) -> int:
    verification = service.open_verification(
        session=session, actor=world["council"], region_id=world["region"].id, fiscal_year=FY
    )
    session.commit()
    return verification.id


def _record(session: Session, verification_id: int) -> service.VerificationRecord:
    return service.verification_record(session=session, actor=OPEN_MODE_ADMIN, verification_id=verification_id)


def _to(session: Session, world: dict, verification_id: int, stage: VerificationStage, reason: str = "") -> None:
    version = _record(session, verification_id).version
    service.move_stage(
        session=session, actor=world["council"], verification_id=verification_id, version=version, to_stage=stage,
        reason=reason,
    )  # fmt: skip
    session.commit()


def _publish(session: Session, world: dict, verification_id: int) -> VerificationPublication:
    version = _record(session, verification_id).version
    published = service.publish(
        session=session, actor=world["council"], verification_id=verification_id, version=version
    )
    session.commit()
    return published


def _decide(
    session: Session, world: dict, verification_id: int, target: str, course: FutureCourse, reason: str
) -> None:
    row = next(k for k in _record(session, verification_id).kpis if k.target_id == world["targets"][target].id)
    decision = service.Decision(EffectRating.EFFECTIVE, course, reason, row.decision_version)
    service.decide_target(
        session=session, actor=world["council"], verification_id=verification_id, target_id=row.target_id,
        decision=decision,
    )  # fmt: skip
    session.commit()


def _expert(session: Session, name: str):  # noqa: ANN202 - the expert's Actor, as signed in now
    found = actor_for(session=session, username=name)
    assert found is not None
    return found


def test_the_table_holds_every_outcome_target_filled_from_the_values_and_rated_on_the_regions_scale(
    session: Session, world: dict
) -> None:
    record = _record(session, _open(session, world))
    assert [(k.indicator_code, k.hub_code) for k in record.kpis] == [("K01", ""), ("K01", "H1"), ("K01", "H2")]
    region, h1, h2 = record.kpis
    assert (h1.baseline, h1.target, h1.baseline_period, h1.target_period) == (20, 40, "FY2023Q4", "FY2027Q4")
    assert (h1.year_target, h1.actual, h1.rating_pct, h1.rating) == (25, 25, 100, "A")  # A: 100 % of the year's target
    assert (h2.actual, h2.rating_pct, h2.rating) == (15, 60, "C")
    assert (region.actual, region.year_target, region.rating) == (40, 50, "B")  # 80 % of the year's target: B
    assert [h.hub_code for h in record.hubs] == ["H1", "H2"] and record.stage is VerificationStage.DRAFT

    region_settings.set_rating_scale(
        session=session, actor=world["council"], region_id=world["region"].id, scale=PRESETS["s_to_c"], version=0
    )
    session.commit()
    rescored = _record(session, record.verification_id)
    # from the baseline toward the year's target: the region stands at its baseline (B), H1 reached it (S),
    # H2 (15) fell below its baseline of 20 (C)
    assert [k.rating for k in rescored.kpis] == ["B", "S", "C"]
    assert rescored.scale == PRESETS["s_to_c"]


def test_stages_go_one_at_a_time_back_only_with_a_reason_and_each_move_is_recorded(
    session: Session, world: dict
) -> None:
    verification_id = _open(session, world)
    with pytest.raises(service.VerificationError) as refused:
        _to(session, world, verification_id, VerificationStage.DECIDED)
    assert refused.value.key == "verification.error_stage"
    session.rollback()
    _to(session, world, verification_id, VerificationStage.REVIEW)
    with pytest.raises(service.VerificationError) as refused:
        _to(session, world, verification_id, VerificationStage.DRAFT)
    assert refused.value.key == "verification.error_reason_back"
    session.rollback()
    _to(session, world, verification_id, VerificationStage.DRAFT, reason="表を直す")
    with pytest.raises(service.VerificationError) as refused:
        _publish(session, world, verification_id)
    assert refused.value.key == "verification.error_not_decided"
    session.rollback()
    moves = session.exec(select(VerificationStageChange).order_by(col(VerificationStageChange.id))).all()
    assert [(m.from_stage, m.to_stage, m.reason) for m in moves] == [
        (None, VerificationStage.DRAFT, ""),
        (VerificationStage.DRAFT, VerificationStage.REVIEW, ""),
        (VerificationStage.REVIEW, VerificationStage.DRAFT, "表を直す"),
    ]
    stale = _record(session, verification_id).version - 1
    with pytest.raises(EditConflict):
        service.move_stage(
            session=session, actor=world["council"], verification_id=verification_id, version=stale,
            to_stage=VerificationStage.REVIEW,
        )  # fmt: skip


def test_invited_experts_write_opinions_under_review_and_the_council_answers(session: Session, world: dict) -> None:
    verification_id = _open(session, world)
    tanaka = _expert(session, "tanaka")
    service.invite_expert(
        session=session, actor=world["council"], verification_id=verification_id, user_id=tanaka.user_id,
        organisation="湊原大学", sector=ExpertSector.ACADEMIA,
    )  # fmt: skip
    session.commit()
    tanaka, kimura = _expert(session, "tanaka"), _expert(session, "kimura")
    assert tanaka.verification_ids == {verification_id} and kimura.verification_ids == frozenset()
    with pytest.raises(service.VerificationError) as refused:
        service.write_opinion(session=session, actor=tanaka, verification_id=verification_id, body="早すぎる")
    assert refused.value.key == "verification.error_not_in_review"
    session.rollback()
    _to(session, world, verification_id, VerificationStage.REVIEW)
    opinion = service.write_opinion(
        session=session, actor=tanaka, verification_id=verification_id, body="H2 の契約件数は伸び悩んでいる。",
        target_id=world["targets"]["H2"].id,
    )  # fmt: skip
    service.write_opinion(
        session=session, actor=tanaka, verification_id=verification_id, body="全体として順調", goal_id=world["goal"].id
    )
    session.commit()
    for stranger in (kimura, world["manager"], world["council"]):  # not invited: nothing to write, nothing written
        with pytest.raises(PermissionDenied):
            service.write_opinion(session=session, actor=stranger, verification_id=verification_id, body="x")
        with pytest.raises(PermissionDenied):
            service.verification_record(session=session, actor=kimura, verification_id=verification_id)
    service.answer_opinion(
        session=session, actor=world["council"], opinion_id=opinion.id, version=opinion.version, answer="支援を強化する"
    )
    session.commit()
    record = service.verification_record(session=session, actor=tanaka, verification_id=verification_id)
    assert [(o.expert_name, o.subject, o.answer) for o in record.opinions] == [
        ("Tanaka", "K01 共同研究契約件数 (H2)", "支援を強化する"),
        ("Tanaka", "G1 研究と開発の橋渡し", ""),
    ]
    assert [(e.name, e.organisation, e.sector) for e in record.experts] == [
        ("Tanaka", "湊原大学", ExpertSector.ACADEMIA)
    ]
    actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert actions.count("verification.opinion") == 2 and actions.count("verification.answer") == 1


def test_a_decided_course_needs_its_reason_and_two_editors_from_one_version_do_not_overwrite(
    session: Session, world: dict
) -> None:
    verification_id = _open(session, world)
    target_id = world["targets"]["H2"].id
    with pytest.raises(service.VerificationError) as refused:
        service.decide_target(
            session=session, actor=world["council"], verification_id=verification_id, target_id=target_id,
            decision=service.Decision(None, FutureCourse.IMPROVE, " ", 0),
        )  # fmt: skip
    assert refused.value.key == "verification.error_reason_needed"
    session.rollback()
    _decide(session, world, verification_id, "H2", FutureCourse.IMPROVE, "企業訪問を増やす")
    with pytest.raises(EditConflict) as conflict:  # the form was opened before that save
        service.decide_target(
            session=session, actor=world["council"], verification_id=verification_id, target_id=target_id,
            decision=service.Decision(None, FutureCourse.CONTINUE, "このまま", 0),
        )  # fmt: skip
    assert conflict.value.saved_by == "Council"
    session.rollback()
    [row] = [k for k in _record(session, verification_id).kpis if k.target_id == target_id]
    assert (row.effect, row.course, row.reason, row.decision_version) == (
        EffectRating.EFFECTIVE, FutureCourse.IMPROVE, "企業訪問を増やす", 1,
    )  # fmt: skip
    [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "verification.decide")).all()
    assert event.after is not None and (event.after["effect"], event.after["course"]) == ("effective", "improve")


def test_publishing_freezes_the_verification_and_a_correction_is_a_new_version_with_its_reason(
    session: Session, world: dict
) -> None:
    verification_id = _open(session, world)
    _decide(session, world, verification_id, "H1", FutureCourse.CONTINUE, "計画どおり")
    _to(session, world, verification_id, VerificationStage.REVIEW)
    _to(session, world, verification_id, VerificationStage.DECIDED)
    first = _publish(session, world, verification_id)
    assert first.number == 1 and first.reason == ""
    with pytest.raises(service.VerificationError) as refused:
        _decide(session, world, verification_id, "H1", FutureCourse.EXPAND, "拡げる")
    assert refused.value.key == "verification.error_frozen"
    session.rollback()

    # a value corrected after publishing does not change what was published
    stored = session.exec(
        select(Measurement).where(
            Measurement.hub_id == world["H2"].id, Measurement.fiscal_year == FY, Measurement.quarter == 4
        )
    ).one()
    stored.value = 20
    session.commit()
    published = service.publication(session=session, verification_id=verification_id)
    assert published is not None and published.frozen and published.stage is VerificationStage.PUBLISHED
    assert published.published_by == "Council" and published.published_at is not None
    assert [k.actual for k in published.kpis if k.hub_code == "H2"] == [15]
    assert [k.actual for k in _record(session, verification_id).kpis if k.hub_code == "H2"] == [15]
    verification = session.get(Verification, verification_id)
    assert [k.actual for k in live_record(session, verification).kpis if k.hub_code == "H2"] == [29]

    with pytest.raises(service.VerificationError) as refused:
        service.start_correction(
            session=session, actor=world["council"], verification_id=verification_id, version=published.version + 1,
            reason="",
        )  # fmt: skip
    assert refused.value.key == "verification.error_reason_correction"
    session.rollback()
    current = _record(session, verification_id)
    service.start_correction(
        session=session, actor=world["council"], verification_id=verification_id, version=current.version,
        reason="H1 の方針の誤記",
    )  # fmt: skip
    session.commit()
    draft = _record(session, verification_id)
    assert (draft.number, draft.stage, draft.correction_reason) == (2, VerificationStage.DRAFT, "H1 の方針の誤記")
    assert [k.course for k in draft.kpis if k.hub_code == "H1"] == [FutureCourse.CONTINUE]  # decisions carried on
    _decide(session, world, verification_id, "H1", FutureCourse.EXPAND, "他地域へ拡げる")
    _to(session, world, verification_id, VerificationStage.REVIEW)
    _to(session, world, verification_id, VerificationStage.DECIDED)
    second = _publish(session, world, verification_id)
    assert (second.number, second.reason) == (2, "H1 の方針の誤記")

    v1 = service.publication(session=session, verification_id=verification_id, number=1)
    v2 = service.publication(session=session, verification_id=verification_id, number=2)
    assert v1 is not None and v2 is not None
    assert [k.course for k in v1.kpis if k.hub_code == "H1"] == [FutureCourse.CONTINUE]
    assert [k.course for k in v2.kpis if k.hub_code == "H1"] == [FutureCourse.EXPAND]
    assert v2.correction_reason == "H1 の方針の誤記"
    lines = service.published_versions(session=session, region_id=world["region"].id)
    assert [(p.fiscal_year, p.number) for p in lines] == [(FY, 2), (FY, 1)]


def test_improve_and_expand_become_action_items_of_the_next_years_first_cycle_of_the_hubs_concerned(
    session: Session, world: dict
) -> None:
    verification_id = _open(session, world)
    _decide(session, world, verification_id, "region", FutureCourse.IMPROVE, "地域全体で契約を増やす")
    _decide(session, world, verification_id, "H1", FutureCourse.CONTINUE, "計画どおり")
    for stage in (VerificationStage.REVIEW, VerificationStage.DECIDED):
        _to(session, world, verification_id, stage)
    _publish(session, world, verification_id)

    items = session.exec(
        select(ActionItem, PdcaCycle)
        .join(PdcaCycle, col(PdcaCycle.id) == ActionItem.cycle_id)
        .order_by(col(ActionItem.hub_id))
    ).all()
    # the region-wide target concerns both hubs with a K01 target; each gets FY2025's first cycle, opened in Plan
    assert [(i.hub_id, c.fiscal_year, c.quarter, c.stage) for i, c in items] == [
        (world["H1"].id, FY + 1, 1, PdcaStage.PLAN),
        (world["H2"].id, FY + 1, 1, PdcaStage.PLAN),
    ]
    item = items[0][0]
    assert item.title == "K01 共同研究契約件数: 地域全体で契約を増やす"
    assert (item.origin, item.indicator_ids, item.due_date.isoformat()) == (
        ActionOrigin.VERIFICATION, [world["k01"].id], "2026-03-31",
    )  # fmt: skip
    record = _record(session, verification_id)
    assert [(a.hub_code, a.cycle_period) for a in record.actions] == [("H1", "FY2025Q1"), ("H2", "FY2025Q1")]

    current = _record(session, verification_id)
    service.start_correction(
        session=session, actor=world["council"], verification_id=verification_id, version=current.version, reason="誤記"
    )
    session.commit()
    for stage in (VerificationStage.REVIEW, VerificationStage.DECIDED):
        _to(session, world, verification_id, stage)
    _publish(session, world, verification_id)
    assert len(session.exec(select(ActionItem)).all()) == 2  # the same decision is not added twice


def test_decided_after_the_first_cycle_closed_the_item_is_also_carried_into_the_hubs_current_cycle(
    session: Session, world: dict
) -> None:
    first = factories.pdca_cycle(session, world["H2"], FY + 1, 1, stage=PdcaStage.CLOSED)
    current = factories.pdca_cycle(session, world["H2"], FY + 1, 2, stage=PdcaStage.DO)
    session.commit()
    verification_id = _open(session, world)
    _decide(session, world, verification_id, "H2", FutureCourse.EXPAND, "県外企業にも広げる")
    for stage in (VerificationStage.REVIEW, VerificationStage.DECIDED):
        _to(session, world, verification_id, stage)
    _publish(session, world, verification_id)
    placed = session.exec(select(ActionItem).order_by(col(ActionItem.id))).all()
    assert [(i.cycle_id, i.carried_from_id) for i in placed] == [(first.id, None), (current.id, placed[0].id)]
    assert placed[1].title == placed[0].title == "K01 共同研究契約件数 (H2): 県外企業にも広げる"


def test_the_public_reads_hold_only_published_versions(session: Session, world: dict) -> None:
    verification_id = _open(session, world)
    assert service.published_versions(session=session, region_id=world["region"].id) == []
    assert service.publication(session=session, verification_id=verification_id) is None
