"""Demo data: counts by formula, idempotent re-runs, determinism, and a realistic mix of statuses."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from hubdash import db
from hubdash.domain.enums import (
    Accumulation,
    Direction,
    IndicatorKind,
    Measure,
    PdcaStage,
    Role,
    Sector,
    Status,
)
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import SYSTEM, Actor, PermissionDenied
from hubdash.domain.status import assess
from hubdash.models import (
    ActionItem,
    AuditEvent,
    Endorsement,
    Hub,
    HubMember,
    Indicator,
    Measurement,
    Organisation,
    PdcaCycle,
    Region,
    StrategicGoal,
    Target,
    User,
    UserHubScope,
    VisionPart,
    VisionRevision,
)
from hubdash.seed.demo import (
    PREFECTURES,
    DemoSummary,
    default_end,
    generate_demo_data,
    region_code,
    region_name,
)
from hubdash.services.measurements import export_rows
from hubdash.services.progress import target_spec

END = FiscalQuarter(2025, 3)
SMALL: dict[str, Any] = {"regions": 2, "hubs_per_region": 2, "indicators": 6, "years": 2, "end": END}


def run(engine: Engine, **kwargs: Any) -> DemoSummary:
    with Session(engine) as session:
        summary = generate_demo_data(session=session, actor=SYSTEM, **kwargs)
        session.commit()
    return summary


def count(session: Session, model: type, *where: Any) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def measurement_values(engine: Engine) -> list[tuple[str, str, str, str, float, str]]:
    with Session(engine) as session:
        return export_rows(session=session, actor=SYSTEM)


def test_counts_match_the_formula(engine: Engine) -> None:
    summary = run(engine, **SMALL)

    regions, hubs, indicators, quarters = 2, 2, 6, 4 * 2
    outcome_indicators = 2  # K01 and K06 among the first six
    assert summary == DemoSummary(
        regions_created=regions,
        regions_skipped=0,
        hubs=regions * hubs,
        indicators=regions * indicators,
        targets=regions * (hubs * indicators + outcome_indicators),
        measurements=regions * hubs * indicators * quarters,
        cycles=regions * hubs * quarters,
        action_items=summary.action_items,
        users=regions * (1 + hubs),
    )
    assert summary.cycles <= summary.action_items <= 3 * summary.cycles
    with Session(engine) as s:
        assert count(s, Hub) == summary.hubs
        assert count(s, Indicator) == summary.indicators
        assert count(s, Target) == summary.targets
        assert count(s, Target, col(Target.hub_id).is_(None)) == regions * outcome_indicators
        assert count(s, Measurement) == summary.measurements
        assert count(s, PdcaCycle) == summary.cycles
        assert count(s, ActionItem) == summary.action_items
        assert count(s, User) == summary.users
        periods = s.exec(select(Measurement.fiscal_year, Measurement.quarter).distinct()).all()
    assert sorted(FiscalQuarter(fy, q) for fy, q in periods) == [END - n for n in range(7, -1, -1)]
    assert "192 measurements" in str(summary)


def test_regions_are_prefectures_with_vision_users_and_cycles(engine: Engine) -> None:
    run(engine, **SMALL)

    with Session(engine) as s:
        regions = s.exec(select(Region).order_by(Region.code)).all()
        assert [(r.code, r.name) for r in regions] == [("demo-01", "北海道"), ("demo-02", "青森県")]
        assert all("デモ" in r.description for r in regions)  # says it is made up, in the language of its names
        rid = regions[1].id
        assert {o.sector for o in s.exec(select(Organisation).where(Organisation.region_id == rid))} == set(Sector)
        assert s.exec(select(StrategicGoal.code).where(StrategicGoal.region_id == rid)).all() == [
            f"G{n}" for n in range(1, 6)
        ]
        parts = s.exec(select(VisionPart.key).where(VisionPart.region_id == rid)).all()
        assert sorted(parts) == sorted(["statement", *(f"commitment:{sector.value}" for sector in Sector)])
        revisions = s.exec(
            select(VisionRevision).where(VisionRevision.region_id == rid).order_by(VisionRevision.number)
        ).all()
        assert [r.number for r in revisions] == [1, 2]
        for revision in revisions:
            assert set(revision.snapshot) == {"statement", "commitments", "goals"}
            assert set(revision.snapshot["goals"]) == {f"G{n}" for n in range(1, 6)}
        assert count(s, Endorsement, Endorsement.region_id == rid) >= 3

        users = {u.username: u for u in s.exec(select(User))}
        assert users["demo-02-council"].role is Role.COUNCIL_MEMBER
        managers = [u for u in users.values() if u.role is Role.HUB_MANAGER]
        assert len(managers) == 4
        scopes = s.exec(select(UserHubScope)).all()
        assert sorted(scope.user_id for scope in scopes) == sorted(u.id for u in managers)

        hubs = s.exec(select(Hub)).all()
        assert all(hub.core_institution_id is not None for hub in hubs)
        members = {(m.hub_id, m.organisation_id) for m in s.exec(select(HubMember))}
        assert all((hub.id, hub.core_institution_id) in members for hub in hubs)
        for hub in hubs:
            cycles = s.exec(
                select(PdcaCycle).where(PdcaCycle.hub_id == hub.id).order_by(PdcaCycle.fiscal_year, PdcaCycle.quarter)
            ).all()
            *past, last = cycles
            assert all(c.stage is PdcaStage.CLOSED and c.closed_at is not None for c in past)
            assert last.stage in (PdcaStage.CHECK, PdcaStage.ACT) and last.closed_at is None
            assert (last.fiscal_year, last.quarter) == (END.fiscal_year, END.quarter)
        owners = s.exec(select(ActionItem.hub_id, ActionItem.owner_organisation_id)).all()
        assert set(owners) <= members


def test_a_second_run_skips_every_region_and_adds_nothing(engine: Engine) -> None:
    run(engine, **SMALL)
    with Session(engine) as s:
        before = [count(s, model) for model in (Region, Measurement, PdcaCycle, ActionItem, User, AuditEvent)]
    messages: list[str] = []

    again = run(engine, **SMALL, progress=messages.append)

    assert again == DemoSummary(regions_skipped=2)
    assert len(messages) == 2 and all("skipped" in m for m in messages)
    with Session(engine) as s:
        after = [count(s, model) for model in (Region, Measurement, PdcaCycle, ActionItem, User, AuditEvent)]
    assert after == before


def test_more_regions_later_adds_only_the_new_ones(engine: Engine) -> None:
    run(engine, **{**SMALL, "regions": 1})

    summary = run(engine, **SMALL)

    assert (summary.regions_created, summary.regions_skipped) == (1, 1)
    with Session(engine) as s:
        assert s.exec(select(Region.code).order_by(Region.code)).all() == ["demo-01", "demo-02"]


def test_same_seed_gives_the_same_values_and_another_seed_does_not(engine: Engine, tmp_path: Path) -> None:
    def fresh(name: str) -> Engine:
        other = db.make_engine(f"sqlite:///{tmp_path}/{name}.db")
        db.upgrade(other)
        return other

    run(engine, **SMALL, seed=7)
    same, different = fresh("same"), fresh("different")
    run(same, **SMALL, seed=7)
    run(different, **SMALL, seed=8)

    values = measurement_values(engine)
    assert len(values) == 192
    assert measurement_values(same) == values
    assert measurement_values(different) != values
    same.dispose()
    different.dispose()


def test_every_indicator_kind_both_measures_and_a_lower_is_better_indicator(engine: Engine) -> None:
    run(engine, **SMALL)

    with Session(engine) as s:
        indicators = s.exec(select(Indicator).join(Region).where(Region.code == "demo-01")).all()
        accumulations = set(s.exec(select(Target.accumulation).join(Indicator).where(Indicator.measure == "flow")))
    assert {i.kind for i in indicators} == set(IndicatorKind)
    assert {i.measure for i in indicators} == set(Measure)
    assert Direction.LOWER in {i.direction for i in indicators}
    assert accumulations == set(Accumulation)


def test_statuses_at_the_last_quarter_mix_like_a_real_region(engine: Engine) -> None:
    run(engine, regions=2, hubs_per_region=4, indicators=25, years=3, end=END)

    with Session(engine) as s:
        actuals: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
        for hub_id, indicator_id, fy, q, value in s.exec(
            select(
                Measurement.hub_id,
                Measurement.indicator_id,
                Measurement.fiscal_year,
                Measurement.quarter,
                Measurement.value,
            )
        ):
            actuals[(hub_id, indicator_id)][FiscalQuarter(fy, q).index] = value
        rows = s.exec(select(Target, Indicator).join(Indicator).where(col(Target.hub_id).is_not(None))).all()
    statuses: Counter[Status] = Counter()
    toward = 0
    for target, indicator in rows:
        assessment = assess(target_spec(target, indicator), actuals[(target.hub_id, indicator.id)], END.index)
        statuses[assessment.status] += 1
        achieved = assessment.achievement_pct
        toward += achieved is not None and achieved > 0

    total = sum(statuses.values())
    assert total == 2 * 4 * 25
    assert statuses[Status.NO_DATA] == 0
    assert 0.4 <= statuses[Status.ON_TRACK] / total <= 0.6
    assert 0.15 <= statuses[Status.AT_RISK] / total <= 0.35
    assert 0.15 <= statuses[Status.OFF_TRACK] / total <= 0.35
    assert toward / total > 0.8  # most hubs have moved from the baseline toward the target


def test_one_audit_event_per_created_region(engine: Engine) -> None:
    run(engine, **SMALL)
    run(engine, **{**SMALL, "regions": 3})

    with Session(engine) as s:
        events = s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        region_ids = s.exec(select(Region.id).order_by(Region.code)).all()
    assert [(e.action, e.entity_type, e.region_id) for e in events] == [
        ("region.demo_data", "region", rid) for rid in region_ids
    ]
    assert events[0].actor_name == SYSTEM.name
    assert events[0].after is not None and events[0].after["measurements"] == 96


def test_only_those_who_manage_regions_may_generate(engine: Engine) -> None:
    council = Actor(name="council", role=Role.COUNCIL_MEMBER, region_id=1)

    with Session(engine) as session, pytest.raises(PermissionDenied):
        generate_demo_data(session=session, actor=council, regions=1)

    with Session(engine) as s:
        assert count(s, Region) == 0


def test_progress_is_reported_per_region(engine: Engine) -> None:
    messages: list[str] = []

    run(engine, **SMALL, progress=messages.append)

    assert [m.split()[0] for m in messages] == ["demo-01", "demo-02"]
    assert "96 measurements" in messages[0]


def test_by_default_the_data_ends_the_quarter_before_today(engine: Engine) -> None:
    run(engine, regions=1, hubs_per_region=1, indicators=4, years=1)

    with Session(engine) as s:
        fy, q = s.exec(
            select(Measurement.fiscal_year, Measurement.quarter).order_by(
                col(Measurement.fiscal_year).desc(), col(Measurement.quarter).desc()
            )
        ).first()
    assert FiscalQuarter(fy, q) == default_end()
    assert default_end(date(2026, 4, 1)) == FiscalQuarter(2025, 4)
    assert default_end(date(2026, 3, 31)) == FiscalQuarter(2025, 3)


def test_region_codes_and_names_beyond_the_47_prefectures() -> None:
    assert len(PREFECTURES) == len(set(PREFECTURES)) == 47
    assert (PREFECTURES[0], PREFECTURES[12], PREFECTURES[46]) == ("北海道", "東京都", "沖縄県")
    assert [region_code(n) for n in (1, 47, 100)] == ["demo-01", "demo-47", "demo-100"]
    assert [region_name(n) for n in (47, 48, 95)] == ["沖縄県", "北海道 2", "北海道 3"]


@pytest.mark.parametrize("field", ["hubs_per_region", "indicators", "years"])
def test_sizes_below_one_are_refused(engine: Engine, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        run(engine, **{**SMALL, field: 0})


def test_every_demo_hub_has_submitted_every_quarter(engine: Engine) -> None:
    from hubdash.services.reporting import reporting

    run(engine, **SMALL)
    with Session(engine) as s:
        state = reporting(session=s)
        assert (state.hubs, state.complete, state.newer) == (4, END, ())
        first = s.exec(select(Region).order_by(Region.code)).first()
        assert first is not None and reporting(session=s, region_id=first.id).complete == END
