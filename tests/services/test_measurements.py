"""Writing quarterly values: imports and hand entry, corrections kept, conflicts caught, permissions checked."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hubdash import i18n
from hubdash.domain.enums import Measure, Role
from hubdash.domain.errors import EditConflict
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import OPEN_MODE_ADMIN, PermissionDenied
from hubdash.models import AuditEvent, Measurement, MeasurementCorrection
from hubdash.readers.progress_file import ImportFileError, ProgressRow, read_progress_file
from hubdash.services.measurements import (
    NOTE_JUMP,
    NOTE_OFF_TRACK,
    NoteRequired,
    ValueEntry,
    apply_import,
    export_rows,
    plan_import,
    record_values,
)
from tests import factories

Q1 = FiscalQuarter(2024, 1)


@pytest.fixture
def world(session: Session) -> dict:
    region = factories.region(session, "r1")
    other = factories.region(session, "r2")
    hub = factories.hub(session, region.id, "H1")
    twin = factories.hub(session, other.id, "H1")  # the same hub code in another region
    solo = factories.hub(session, region.id, "H2")
    level = factories.indicator(session, region.id, "K01", measure=Measure.LEVEL)
    factories.indicator(session, other.id, "K01")
    factories.target(session, level, hub, baseline_value=10, target_value=50)
    session.commit()
    return {"region": region, "other": other, "hub": hub, "twin": twin, "solo": solo, "level": level}


def _file(*lines: str, header: str = "region,hub,indicator,period,value,note") -> list:
    return read_progress_file(("\n".join([header, *lines]) + "\n").encode()).rows


def _values(session: Session) -> list[tuple[int, int, int, float, str, int]]:
    return [
        (m.hub_id, m.fiscal_year, m.quarter, m.value, m.note, m.version)
        for m in session.exec(select(Measurement).order_by(Measurement.fiscal_year, Measurement.quarter)).all()
    ]


def test_import_adds_then_corrects_with_history(session: Session, world: dict) -> None:
    rows = _file("r1,H1,K01,FY2024Q1,12,", "r1,H1,K01,FY2024Q2,14,")
    plan = plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=rows)
    assert (len(plan.new), len(plan.changed), len(plan.unchanged)) == (2, 0, 0)
    apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=plan, filename="a.csv")
    session.commit()

    plan = plan_import(
        session=session,
        actor=OPEN_MODE_ADMIN,
        rows=_file("r1,H1,K01,FY2024Q1,12,", "r1,H1,K01,FY2024Q2,15,late correction"),
    )
    assert [(v.label, v.period) for v in plan.changed] == [("H1 / K01", Q1 + 1)]
    assert [(v.label, v.period) for v in plan.unchanged] == [("H1 / K01", Q1)]
    result = apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=plan, filename="b.csv")
    session.commit()
    assert (result.added, result.corrected, result.unchanged) == (0, 1, 1)
    hub_id = world["hub"].id
    assert _values(session) == [(hub_id, 2024, 1, 12.0, "", 1), (hub_id, 2024, 2, 15.0, "late correction", 2)]
    (correction,) = session.exec(select(MeasurementCorrection)).all()
    assert (correction.old_value, correction.new_value, correction.source) == (14.0, 15.0, "import")
    actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert actions == ["measurement.import", "measurement.import"]


def test_unknown_hub_and_indicator_are_row_errors_and_nothing_is_written(session: Session, world: dict) -> None:
    rows = _file("r1,H1,K01,FY2024Q1,1,", "r1,H9,K01,FY2024Q1,1,", "r1,H1,K99,FY2024Q1,1,")
    with pytest.raises(ImportFileError) as info:
        plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=rows)
    assert [(e.row, e.column, e.value) for e in info.value.errors] == [(3, "hub", "H9"), (4, "indicator", "K99")]
    assert "no hub has this code" in str(info.value.errors[0].reason)
    assert _values(session) == []


def test_a_hub_code_used_in_two_regions_needs_the_region_column(session: Session, world: dict) -> None:
    rows = _file("H1,K01,FY2024Q1,1,", header="hub,indicator,period,value,note")
    with pytest.raises(ImportFileError, match="several regions have this hub code"):
        plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=rows)
    plan = plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=_file("r2,H1,K01,FY2024Q1,1,"))
    assert plan.new[0].hub_id == world["twin"].id


def test_hub_managers_import_only_for_their_hubs(session: Session, world: dict) -> None:
    manager = factories.user(session, "m", Role.HUB_MANAGER, region_id=world["region"].id, hub_ids=(world["hub"].id,))
    plan_import(session=session, actor=manager, rows=_file("r1,H1,K01,FY2024Q1,1,"))
    with pytest.raises(ImportFileError, match="may not enter progress for this hub"):
        plan_import(session=session, actor=manager, rows=_file("r1,H2,K01,FY2024Q1,1,"))
    viewer = factories.user(session, "v", Role.VIEWER, region_id=world["region"].id)
    with pytest.raises(PermissionDenied):
        plan_import(session=session, actor=viewer, rows=_file("r1,H1,K01,FY2024Q1,1,"))


def test_a_value_changed_between_plan_and_apply_is_a_conflict(session: Session, world: dict, engine) -> None:
    apply_import(
        session=session,
        actor=OPEN_MODE_ADMIN,
        plan=plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=_file("r1,H1,K01,FY2024Q1,1,slow start")),
    )
    session.commit()
    plan = plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=_file("r1,H1,K01,FY2024Q1,2,slow start"))
    with Session(engine) as other:  # someone else saves first
        record_values(
            session=other,
            actor=OPEN_MODE_ADMIN,
            hub_id=world["hub"].id,
            period=Q1,
            entries=[ValueEntry(world["level"].id, 3.0, "by hand")],
        )
        other.commit()
    with pytest.raises(EditConflict, match="H1 / K01 / FY2024 Q1"):  # the quarter as the reader writes it
        apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=plan)
    session.rollback()
    assert [v[3] for v in _values(session)] == [3.0]


def test_hand_entry_writes_only_changed_values(session: Session, world: dict) -> None:
    hub_id, level = world["hub"].id, world["level"]
    record_values(
        session=session, actor=OPEN_MODE_ADMIN, hub_id=hub_id, period=Q1, entries=[ValueEntry(level.id, 20.0)]
    )
    session.commit()
    result = record_values(
        session=session,
        actor=OPEN_MODE_ADMIN,
        hub_id=hub_id,
        period=Q1,
        entries=[ValueEntry(level.id, 20.0, version=1)],
    )
    assert (result.added, result.corrected, result.unchanged) == (0, 0, 1)
    assert [v[5] for v in _values(session)] == [1], "an unchanged value keeps its version"


def test_hand_entry_from_a_stale_version_is_a_conflict(session: Session, world: dict) -> None:
    hub_id, level = world["hub"].id, world["level"]
    record_values(session=session, actor=OPEN_MODE_ADMIN, hub_id=hub_id, period=Q1, entries=[ValueEntry(level.id, 20)])
    record_values(
        session=session, actor=OPEN_MODE_ADMIN, hub_id=hub_id, period=Q1, entries=[ValueEntry(level.id, 21, version=1)]
    )
    session.commit()
    with pytest.raises(EditConflict):
        record_values(
            session=session,
            actor=OPEN_MODE_ADMIN,
            hub_id=hub_id,
            period=Q1,
            entries=[ValueEntry(level.id, 22, version=1)],
        )


def test_a_jump_or_an_off_track_value_needs_a_note(session: Session, world: dict) -> None:
    hub_id, level = world["hub"].id, world["level"]
    record_values(
        session=session,
        actor=OPEN_MODE_ADMIN,
        hub_id=hub_id,
        period=FiscalQuarter(2023, 4) + 1,
        entries=[ValueEntry(level.id, 14.0)],
    )
    with pytest.raises(NoteRequired) as info:
        record_values(
            session=session, actor=OPEN_MODE_ADMIN, hub_id=hub_id, period=Q1 + 1, entries=[ValueEntry(level.id, 50.0)]
        )
    assert info.value.reasons == {level.id: NOTE_JUMP}
    with pytest.raises(NoteRequired) as info:  # expected ~15 by FY2024Q2; 10 is far behind
        record_values(
            session=session, actor=OPEN_MODE_ADMIN, hub_id=hub_id, period=Q1 + 1, entries=[ValueEntry(level.id, 10.0)]
        )
    assert info.value.reasons == {level.id: NOTE_OFF_TRACK}
    record_values(
        session=session,
        actor=OPEN_MODE_ADMIN,
        hub_id=hub_id,
        period=Q1 + 1,
        entries=[ValueEntry(level.id, 10.0, note="staff left in June")],
    )
    assert [v[3] for v in _values(session)] == [14.0, 10.0]


def test_hub_manager_enters_only_their_own_hub(session: Session, world: dict) -> None:
    manager = factories.user(session, "m", Role.HUB_MANAGER, region_id=world["region"].id, hub_ids=(world["hub"].id,))
    record_values(
        session=session, actor=manager, hub_id=world["hub"].id, period=Q1, entries=[ValueEntry(world["level"].id, 12.0)]
    )
    with pytest.raises(PermissionDenied):
        record_values(
            session=session,
            actor=manager,
            hub_id=world["solo"].id,
            period=Q1,
            entries=[ValueEntry(world["level"].id, 12.0)],
        )
    council = factories.user(session, "c", Role.COUNCIL_MEMBER, region_id=world["region"].id)
    with pytest.raises(PermissionDenied):
        record_values(
            session=session,
            actor=council,
            hub_id=world["hub"].id,
            period=Q1,
            entries=[ValueEntry(world["level"].id, 12.0)],
        )


def test_export_rows_are_ordered_and_scoped(session: Session, world: dict) -> None:
    apply_import(
        session=session,
        actor=OPEN_MODE_ADMIN,
        plan=plan_import(
            session=session,
            actor=OPEN_MODE_ADMIN,
            rows=_file("r1,H1,K01,FY2024Q2,2,b", "r1,H1,K01,FY2024Q1,1,a", "r2,H1,K01,FY2024Q1,9,"),
        ),
    )
    assert export_rows(session=session, actor=OPEN_MODE_ADMIN, region_code="r1") == [
        ("r1", "H1", "K01", "FY2024Q1", 1.0, "a"),
        ("r1", "H1", "K01", "FY2024Q2", 2.0, "b"),
    ]
    assert len(export_rows(session=session, actor=OPEN_MODE_ADMIN)) == 3


def test_a_plan_carrying_another_hubs_measurement_id_writes_nothing(session: Session, world: dict) -> None:
    """A manager of H1 hands in a plan whose changed row names H2's stored value: refused at apply time."""
    from hubdash.services.measurements import ImportPlan, ImportPlanMismatch

    solo, hub, level = world["solo"], world["hub"], world["level"]
    factories.quarterly_values(session, solo, level, {"FY2024Q1": 5.0})
    session.commit()
    theirs = session.exec(select(Measurement).where(Measurement.hub_id == solo.id)).one()
    manager = factories.user(session, "mgr", Role.HUB_MANAGER, region_id=world["region"].id, hub_ids=(hub.id,))
    mine = plan_import(session=session, actor=manager, rows=_file("r1,H1,K01,FY2024Q1,12,"))
    forged = ImportPlan(changed=[mine.new[0]._replace(existing_id=theirs.id, existing_value=5.0, existing_version=1)])
    events = len(session.exec(select(AuditEvent)).all())
    with pytest.raises(ImportPlanMismatch):
        apply_import(session=session, actor=manager, plan=forged)
    session.rollback()
    assert session.get(Measurement, theirs.id).value == 5.0  # type: ignore[union-attr]
    # the plan names H2 itself: the manager of H1 may not write there
    aimed = ImportPlan(changed=[forged.changed[0]._replace(hub_id=solo.id)])
    with pytest.raises(PermissionDenied):
        apply_import(session=session, actor=manager, plan=aimed)
    session.rollback()
    assert session.get(Measurement, theirs.id).value == 5.0  # type: ignore[union-attr]
    assert len(session.exec(select(AuditEvent)).all()) == events


def test_a_plan_with_another_regions_indicator_writes_nothing(session: Session, world: dict) -> None:
    from hubdash.services.measurements import ImportPlan, ImportPlanMismatch

    plan = plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=_file("r1,H1,K01,FY2024Q1,12,"))
    foreign = session.exec(select(Measurement.id)).all()
    assert foreign == []
    other_indicator = factories.indicator(session, world["other"].id, "K99")
    forged = ImportPlan(new=[plan.new[0]._replace(indicator_id=other_indicator.id)])
    with pytest.raises(ImportPlanMismatch):
        apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=forged)


# --- notes on imports -------------------------------------------------------------------------


def test_an_import_with_a_jump_and_no_note_writes_nothing_and_names_the_row(session: Session, world: dict) -> None:
    # last quarter's value comes from the file itself: 12, then 120 (a tenfold jump), on a 10 -> 50 level target
    rows = _file("r1,H1,K01,FY2024Q1,12,", "r1,H1,K01,FY2024Q2,120,")
    plan = plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=rows)
    assert plan.notes_needed == {3: NOTE_JUMP}
    with pytest.raises(NoteRequired) as info:
        apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=plan, filename="jump.csv")
    assert {row: i18n.render(name, "ja") for row, name in info.value.labels.items()} == {
        3: "H1 / K01 / 2024年度 第2四半期"
    }
    assert "H1 / K01 / FY2024 Q2" in str(info.value)
    session.rollback()
    assert _values(session) == []

    apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=plan, notes={3: "  a large order came in  "})
    session.commit()
    assert [(v[3], v[4]) for v in _values(session)] == [(12.0, ""), (120.0, "a large order came in")]


def test_a_note_in_the_file_is_enough_and_off_track_values_need_one_too(session: Session, world: dict) -> None:
    factories.quarterly_values(session, world["hub"], world["level"], {"FY2023Q4": 10})
    plan = plan_import(
        session=session,
        actor=OPEN_MODE_ADMIN,
        rows=_file("r1,H1,K01,FY2024Q1,30,new lab opened", "r1,H1,K01,FY2024Q2,10.5,"),
    )
    # 30 against last quarter's stored 10 jumps, but has a note; 10.5 is no jump from 30 (more than a third),
    # but 4.5 behind the 15 expected by FY2024Q2, beyond the band of 4: off track
    assert plan.notes_needed == {3: NOTE_OFF_TRACK}
    with pytest.raises(NoteRequired):
        apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=plan, notes={3: "   "})


def test_an_import_can_submit_its_quarters(session: Session, world: dict) -> None:
    from hubdash.services.reporting import SubmissionError, reporting

    plan = plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=_file("r1,H1,K01,FY2024Q1,12,"))
    apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=plan, submit=True)
    session.commit()
    assert reporting(session=session, region_id=world["region"].id).complete == Q1

    other = factories.indicator(session, world["region"].id, "K02")
    factories.target(session, other, world["hub"], baseline_value=10, target_value=50)
    session.commit()
    plan = plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=_file("r1,H1,K01,FY2024Q2,13,"))
    with pytest.raises(SubmissionError, match="K02"):  # K02 has no value for FY2024Q2: nothing is written
        apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=plan, submit=True)
    session.rollback()
    assert [v[2] for v in _values(session)] == [1]


def _national(session: Session, hubs: int = 3, indicators: int = 4, quarters: int = 6) -> list[str]:
    """A region of several hubs and indicators with every value stored: the lines of its export file."""
    region = factories.region(session, "rn")
    made = [factories.hub(session, region.id, f"N{h}") for h in range(hubs)]
    codes = [factories.indicator(session, region.id, f"X{i:02}").code for i in range(indicators)]
    session.commit()
    lines = [
        f"rn,{hub.code},{code},{(Q1 + q).canonical()},{100 + h * 10 + i + q},"
        for h, hub in enumerate(made)
        for i, code in enumerate(codes)
        for q in range(quarters)
    ]
    apply_import(
        session=session,
        actor=OPEN_MODE_ADMIN,
        plan=plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=_file(*lines)),
    )
    session.commit()
    return lines


def _stored(session: Session) -> dict[tuple[int, int, int, int], tuple[float, str, int]]:
    return {
        (m.hub_id, m.indicator_id, m.fiscal_year, m.quarter): (m.value, m.note, m.version)
        for m in session.exec(select(Measurement)).all()
    }


def test_an_unchanged_re_upload_changes_nothing_and_says_so(session: Session, world: dict) -> None:
    lines = _national(session)
    before = _stored(session)
    plan = plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=_file(*reversed(lines)))
    assert (len(plan.new), len(plan.changed), len(plan.unchanged), plan.notes_needed) == (0, 0, len(lines), {})
    result = apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=plan, filename="again.csv")
    session.commit()
    assert (result.added, result.corrected, result.unchanged) == (0, 0, len(lines))
    assert _stored(session) == before, "no value, note or version moved"
    assert session.exec(select(MeasurementCorrection)).all() == []
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_id == "again.csv")).one()
    assert (event.after["added"], event.after["corrected"], event.after["unchanged"]) == (0, 0, len(lines))


def test_a_re_upload_with_a_few_changed_values_writes_exactly_those(session: Session, world: dict) -> None:
    lines = _national(session)
    before = _stored(session)
    edited = list(lines)
    changed_at = range(0, len(lines), 10)  # every tenth value a little higher, with a note; one only a new note
    for at in changed_at:
        region, hub, indicator, period, value, _ = edited[at].split(",")
        bump = 0 if at == 0 else 0.5
        edited[at] = f"{region},{hub},{indicator},{period},{float(value) + bump},checked again"
    plan = plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=_file(*edited))
    assert sorted(v.row for v in plan.changed) == [at + 2 for at in changed_at]
    assert (len(plan.new), len(plan.unchanged)) == (0, len(lines) - len(changed_at))
    apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=plan, filename="edited.csv")
    session.commit()
    after = _stored(session)
    moved = {key for key in after if after[key] != before[key]}
    assert len(moved) == len(changed_at)
    assert all(after[k][1:] == ("checked again", 2) for k in moved), "each changed value written once, with its note"
    corrections = session.exec(select(MeasurementCorrection)).all()
    assert sorted((c.old_value, c.new_value, c.new_note) for c in corrections) == sorted(
        (before[k][0], after[k][0], "checked again") for k in moved
    )
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_id == "edited.csv")).one()
    assert (event.after["added"], event.after["corrected"]) == (0, len(changed_at))


def test_an_imported_note_loses_a_nul_character_on_both_databases(session: Session, world: dict) -> None:
    row = ProgressRow(2, "r1", "H1", "K01", Q1, 12.0, "pasted\x00 note")  # the bulk INSERT drops it itself
    apply_import(
        session=session, actor=OPEN_MODE_ADMIN, plan=plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=[row])
    )
    session.commit()
    assert [v[4] for v in _values(session)] == ["pasted note"]


def test_a_value_added_between_plan_and_apply_is_a_conflict_and_the_file_writes_nothing(
    session: Session, world: dict, engine
) -> None:
    rows = _file("r1,H1,K01,FY2024Q1,1,first", "r1,H1,K01,FY2024Q2,2,second", "r1,H2,K01,FY2024Q1,5,other hub")
    plan = plan_import(session=session, actor=OPEN_MODE_ADMIN, rows=rows)
    session.rollback()
    with Session(engine) as other:  # someone else saves one of the file's new values first
        record_values(
            session=other,
            actor=OPEN_MODE_ADMIN,
            hub_id=world["hub"].id,
            period=Q1 + 1,
            entries=[ValueEntry(world["level"].id, 3.0, "by hand")],
        )
        other.commit()
    with pytest.raises(EditConflict, match="H1 / K01 / FY2024 Q2") as info:  # the bulk INSERT met their row
        apply_import(session=session, actor=OPEN_MODE_ADMIN, plan=plan)
    assert info.value.theirs == {"H1 / K01 / FY2024Q2": (3.0, "by hand")}
    session.rollback()
    assert [(v[2], v[3], v[4]) for v in _values(session)] == [(2, 3.0, "by hand")], "none of the file's values"
