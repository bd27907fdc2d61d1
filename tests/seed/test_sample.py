"""The bundled sample regions: complete, alike in both languages, and broken files named by file and row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session, select

from hubdash.domain.enums import IndicatorKind, Role, Sector, Status
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import SYSTEM, PermissionDenied
from hubdash.fmt import Display, zone
from hubdash.models import (
    AuditEvent,
    Endorsement,
    PdcaCycle,
    PdcaStageChange,
    QuarterSubmission,
    Target,
    VisionRevision,
)
from hubdash.readers.sample_files import SAMPLE_DIR, SampleDataError, read_sample
from hubdash.seed.sample import load_sample
from hubdash.services.progress import region_progress, status_counts
from hubdash.services.reporting import reporting
from tests import factories


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sample_has_what_the_product_needs(lang: str) -> None:
    sample = read_sample(lang)
    assert len(sample.organisations) >= 10
    assert {o["sector"] for o in sample.organisations} == set(Sector)
    assert len(sample.hubs) == 3
    assert len({h["core_institution"] for h in sample.hubs}) == 3
    assert len(sample.revisions) >= 3 and sample.endorsements
    assert 4 <= len(sample.revisions[0]["goals"]) <= 6
    assert len(sample.indicators) >= 12
    assert {i["kind"] for i in sample.indicators} == set(IndicatorKind)
    hubs_with_targets = {t["hub"] for t in sample.targets if t.get("hub")}
    assert hubs_with_targets == {h["code"] for h in sample.hubs}
    fiscal_years = {m["period"].fiscal_year for m in sample.measurements}
    assert len(fiscal_years) >= 3
    cycles = {(c["hub"], c["period"]) for c in sample.cycles}
    quarters = {m["period"] for m in sample.measurements}
    assert cycles == {(h["code"], q) for h in sample.hubs for q in quarters}


def test_both_languages_share_structure_and_numbers() -> None:
    ja, en = read_sample("ja"), read_sample("en")
    assert [o["code"] for o in ja.organisations] == [o["code"] for o in en.organisations]
    assert [(i["code"], i["kind"], i["measure"]) for i in ja.indicators] == [
        (i["code"], i["kind"], i["measure"]) for i in en.indicators
    ]
    assert [(m["hub"], m["indicator"], m["period"], m["value"]) for m in ja.measurements] == [
        (m["hub"], m["indicator"], m["period"], m["value"]) for m in en.measurements
    ]
    assert ja.region["name"] != en.region["name"]


def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "ja"
    shutil.copytree(SAMPLE_DIR / "ja", folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_broken_measurement_row_names_file_and_row(tmp_path: Path) -> None:
    folder = tmp_path / "ja"
    shutil.copytree(SAMPLE_DIR / "ja", folder)
    lines = (folder / "measurements.csv").read_text(encoding="utf-8").splitlines()
    fields = lines[4].split(",")
    fields[2] = "2024Q5"
    lines[4] = ",".join(fields)
    (folder / "measurements.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SampleDataError) as info:
        read_sample("ja", folder)
    message = str(info.value)
    assert "measurements.csv" in message and "line 5" in message and "2024Q5" in message


def test_unknown_sector_names_file_and_line(tmp_path: Path) -> None:
    folder = _broken_copy(tmp_path, "region.yaml", "sector: finance", "sector: banking")
    with pytest.raises(SampleDataError, match=r"region\.yaml, row at line \d+: 'sector' is 'banking'"):
        read_sample("ja", folder)


def test_unknown_reference_names_file_and_line(tmp_path: Path) -> None:
    folder = _broken_copy(tmp_path, "pdca.yaml", "owner: ORG", "owner: XORG")
    with pytest.raises(SampleDataError, match=r"pdca\.yaml, row at line \d+: 'owner' names an unknown organisation"):
        read_sample("ja", folder)


def test_loaded_sample_statuses_mix_as_designed(session: Session) -> None:
    result = load_sample(session=session, actor=SYSTEM, lang="ja")
    session.commit()
    hub_progress = [p for p in region_progress(session=session, region_id=result.region_id) if p.hub_id]
    counts = status_counts(hub_progress)
    assert counts[Status.ON_TRACK] > counts[Status.AT_RISK] > 0
    assert counts[Status.OFF_TRACK] > 0
    assert counts[Status.NO_DATA] == 0
    off_track_outcomes = {
        p.hub_code for p in hub_progress if p.status is Status.OFF_TRACK and p.kind is IndicatorKind.OUTCOME
    }
    assert len(off_track_outcomes) == 3, "every hub has an off-track outcome"


def test_loaded_sample_keeps_revisions_and_stale_endorsements(session: Session) -> None:
    region_id = load_sample(session=session, actor=SYSTEM, lang="en").region_id
    numbers = session.exec(
        select(VisionRevision.number).where(VisionRevision.region_id == region_id).order_by(VisionRevision.number)
    ).all()
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3
    endorsed = session.exec(
        select(VisionRevision.number).join(Endorsement, Endorsement.revision_id == VisionRevision.id)
    ).all()
    assert max(numbers) in endorsed and any(n < max(numbers) for n in endorsed)


def test_loading_records_one_audit_event_in_the_same_transaction(session: Session) -> None:
    load_sample(session=session, actor=SYSTEM, lang="ja")
    session.rollback()
    assert session.exec(select(AuditEvent)).all() == []
    load_sample(session=session, actor=SYSTEM, lang="ja")
    session.commit()
    events = session.exec(select(AuditEvent)).all()
    assert [e.action for e in events] == ["region.load_sample"]
    assert events[0].actor_name == SYSTEM.name


def test_only_administrators_load_samples(session: Session) -> None:
    region = factories.region(session)
    council = factories.user(session, "sato", Role.COUNCIL_MEMBER, region_id=region.id)
    with pytest.raises(PermissionDenied):
        load_sample(session=session, actor=council, lang="ja")


def test_both_languages_share_profiles_and_submissions() -> None:
    ja, en = read_sample("ja"), read_sample("en")
    assert [(t["indicator"], t["hub"], t.get("profile")) for t in ja.targets] == [
        (t["indicator"], t["hub"], t.get("profile")) for t in en.targets
    ]
    assert [(s["hub"], s["through"], s["by"]) for s in ja.submissions] == [
        (s["hub"], s["through"], s["by"]) for s in en.submissions
    ]
    assert sum(t.get("profile") is not None for t in ja.targets) >= 10


def _statuses(session: Session, region_id: int, at: FiscalQuarter) -> dict[tuple[str | None, str], Status]:
    return {
        (p.hub_code, p.indicator_code): p.status for p in region_progress(session=session, region_id=region_id, at=at)
    }


def test_the_samples_mid_year_lights_follow_their_seasonal_paths(session: Session) -> None:
    region_id = load_sample(session=session, actor=SYSTEM, lang="ja").region_id
    session.commit()
    assert reporting(session=session, region_id=region_id).complete == FiscalQuarter(2026, 2)
    seasonal_q2, seasonal_q1 = (_statuses(session, region_id, FiscalQuarter(2026, q)) for q in (2, 1))
    for target in session.exec(select(Target).where(Target.region_id == region_id)).all():
        target.profile = None  # the same targets on the straight path
        session.add(target)
    session.flush()
    linear_q2, linear_q1 = (_statuses(session, region_id, FiscalQuarter(2026, q)) for q in (2, 1))
    # mid-year: licences (H1) and equipment use and new products (H2) land mostly late in the year
    for key in (("H1", "K09"), ("H2", "K05"), ("H2", "K11")):
        assert (linear_q2[key], seasonal_q2[key]) == (Status.AT_RISK, Status.ON_TRACK), key
    # after the first quarter, contracts and training look far behind on a straight path, not on their own
    for key in (("H1", "K01"), ("H2", "K01"), ("H2", "K03"), ("H3", "K03")):
        assert (linear_q1[key], seasonal_q1[key]) == (Status.OFF_TRACK, Status.ON_TRACK), key
    # a profile is no free pass: H1's sales and H3's loans stay off track mid-year
    assert seasonal_q2[("H1", "K14")] is seasonal_q2[("H3", "K15")] is Status.OFF_TRACK


def test_the_samples_times_read_in_japan_time_as_written(session: Session) -> None:
    region_id = load_sample(session=session, actor=SYSTEM, lang="ja").region_id
    session.commit()
    japan = Display("ja", zone("Asia/Tokyo"))
    first = session.exec(
        select(VisionRevision).where(VisionRevision.region_id == region_id, VisionRevision.number == 1)
    ).one()
    assert japan.when(first.created_at) == read_sample("ja").revisions[0]["created_at"].strftime("%Y-%m-%d %H:%M")
    cycle = session.exec(
        select(PdcaCycle).where(PdcaCycle.fiscal_year == 2023, PdcaCycle.quarter == 1).order_by(PdcaCycle.id)
    ).first()
    assert cycle is not None and japan.when(cycle.opened_at) == "2023-04-01 09:00"
    assert japan.when(cycle.closed_at) == "2023-07-28 16:00"
    changes = session.exec(select(PdcaStageChange).where(PdcaStageChange.cycle_id == cycle.id)).all()
    assert sorted(japan.when(c.changed_at) for c in changes) == ["2023-04-01 09:00", "2023-07-28 16:00"]
    submission = session.exec(
        select(QuarterSubmission).where(QuarterSubmission.fiscal_year == 2026, QuarterSubmission.quarter == 2)
    ).first()
    assert submission is not None and japan.when(submission.submitted_at) == "2026-10-21 17:30"
    assert Display("en", zone("Europe/London")).when(submission.submitted_at) == "2026-10-21 09:30"
