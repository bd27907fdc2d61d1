"""The bundled sample regions: complete, alike in both languages, and broken files named by file and row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session, select

from hubdash.domain.enums import IndicatorKind, Role, Sector, Status
from hubdash.domain.permissions import SYSTEM, PermissionDenied
from hubdash.models import AuditEvent, Endorsement, VisionRevision
from hubdash.readers.sample_files import SAMPLE_DIR, SampleDataError, read_sample
from hubdash.seed.sample import load_sample
from hubdash.services.progress import region_progress, status_counts
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
