"""The progress page's services: which typed rows are saved, correction history, uploads and downloads."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from hubdash.domain.enums import ComparedAs, Measure
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import SYSTEM
from hubdash.exports import progress as progress_files
from hubdash.fmt import Display
from hubdash.readers.progress_file import ImportFileError
from hubdash.services.measurements import (
    ValueEntry,
    apply_import,
    changed_entries,
    entry_rows,
    plan_upload,
    record_values,
    region_export_rows,
)
from hubdash.services.progress import entered_values, hub_quarter, quarter_corrections
from tests import factories

Q = FiscalQuarter(2024, 1)


@pytest.fixture
def hub_with_two_indicators(session: Session):
    region = factories.region(session, "r1")
    hub = factories.hub(session, region.id, "H1")
    k1 = factories.indicator(session, region.id, "K01", measure=Measure.LEVEL)
    k2 = factories.indicator(session, region.id, "K02", measure=Measure.LEVEL)
    factories.target(session, k1, hub, baseline_value=10, target_value=50)
    factories.target(session, k2, hub, baseline_value=10, target_value=50)
    session.commit()
    return region, hub, k1, k2


def test_only_changed_rows_are_entries_and_blank_cells_are_skipped(session: Session, hub_with_two_indicators) -> None:
    _, hub, k1, k2 = hub_with_two_indicators
    record_values(session=session, actor=SYSTEM, hub_id=hub.id, period=Q, entries=[ValueEntry(k1.id, 12)])
    session.commit()
    rows = hub_quarter(session=session, hub_id=hub.id, at=Q)
    stored = entered_values(session=session, hub_id=hub.id, at=Q)
    assert changed_entries(rows, {k1.id: 12.0, k2.id: float("nan")}, {}, stored) == []
    # version 0: no value was stored when the editor started, so one saved meanwhile is a conflict
    assert changed_entries(rows, {k1.id: 12.0, k2.id: 11.0}, {}, stored) == [ValueEntry(k2.id, 11.0, "", 0)]
    assert changed_entries(rows, {k1.id: 12.0}, {k1.id: " late invoice "}, stored) == [
        ValueEntry(k1.id, 12.0, "late invoice", 1)
    ]


def test_a_correction_keeps_the_old_value_in_the_quarter_history(session: Session, hub_with_two_indicators) -> None:
    _, hub, k1, _ = hub_with_two_indicators
    record_values(session=session, actor=SYSTEM, hub_id=hub.id, period=Q, entries=[ValueEntry(k1.id, 12)])
    session.commit()
    record_values(session=session, actor=SYSTEM, hub_id=hub.id, period=Q, entries=[ValueEntry(k1.id, 14, "", 1)])
    session.commit()
    [correction] = quarter_corrections(session=session, hub_id=hub.id, at=Q)
    assert (correction.indicator_code, correction.old_value, correction.new_value, correction.source) == (
        "K01",
        12.0,
        14.0,
        "manual",
    )
    assert quarter_corrections(session=session, hub_id=hub.id, at=Q.next()) == []


def test_a_cp932_upload_with_japanese_headers_is_planned_then_applied(
    session: Session, hub_with_two_indicators
) -> None:
    _, hub, k1, k2 = hub_with_two_indicators
    data = "拠点,指標,期間,実績値,備考\r\nH1,K01,２０２４年度第１四半期,１２,年度初め\r\nH1,K02,R6Q1,,\r\n".encode(
        "cp932"
    )
    upload = plan_upload(session=session, actor=SYSTEM, data=data, filename="進捗.csv")
    assert [(v.label, v.value, v.note) for v in upload.plan.new] == [("H1 / K01", 12.0, "年度初め")]
    assert upload.blank_rows == [3]
    shares: list[float] = []  # what the page's progress bar shows while the values are written
    apply_import(session=session, actor=SYSTEM, plan=upload.plan, filename="進捗.csv", progress=shares.append)
    session.commit()
    assert entered_values(session=session, hub_id=hub.id, at=Q)[k1.id].value == 12.0
    assert shares and shares == sorted(shares) and shares[-1] == 1.0


def test_a_bad_upload_lists_every_bad_row(session: Session, hub_with_two_indicators) -> None:
    data = b"hub,indicator,period,value\nH1,K01,2024Q1,abc\nH9,K01,2024Q1,3\n"
    with pytest.raises(ImportFileError) as caught:
        plan_upload(session=session, actor=SYSTEM, data=data, filename="bad.csv")
    assert [(e.row, e.column, e.value) for e in caught.value.errors] == [(2, "value", "abc"), (3, "hub", "H9")]


def test_exports_of_the_region_and_of_one_hub(session: Session, hub_with_two_indicators) -> None:
    region, hub, k1, _ = hub_with_two_indicators
    other = factories.hub(session, region.id, "H2")
    factories.target(session, k1, other)
    record_values(session=session, actor=SYSTEM, hub_id=hub.id, period=Q, entries=[ValueEntry(k1.id, 12, "=1+1")])
    record_values(session=session, actor=SYSTEM, hub_id=other.id, period=Q, entries=[ValueEntry(k1.id, 7)])
    session.commit()
    rows = region_export_rows(session=session, actor=SYSTEM, region_id=region.id, hub_id=None)
    csv_text = progress_files.values_file(rows, "csv").decode("utf-8-sig")
    assert csv_text.splitlines() == [
        "region,hub,indicator,period,value,note",
        "r1,H1,K01,FY2024Q1,12,'=1+1",
        "r1,H2,K01,FY2024Q1,7,",
    ]
    rows = region_export_rows(session=session, actor=SYSTEM, region_id=region.id, hub_id=other.id)
    workbook = load_workbook(io.BytesIO(progress_files.values_file(rows, "xlsx")))
    assert [list(r) for r in workbook.active.iter_rows(values_only=True)][1:] == [
        ["r1", "H2", "K01", "FY2024Q1", 7, None]
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_values_in_japanese_come_back_unchanged(session: Session, hub_with_two_indicators, file_format: str) -> None:
    region, hub, k1, k2 = hub_with_two_indicators
    entries = [ValueEntry(k1.id, 12, "="), ValueEntry(k2.id, -3.5, "減少（△3.5）")]
    record_values(session=session, actor=SYSTEM, hub_id=hub.id, period=Q, entries=entries)
    session.commit()
    rows = region_export_rows(session=session, actor=SYSTEM, region_id=region.id, hub_id=None)
    data = progress_files.values_file(rows, file_format, "ja")
    header = data.decode("utf-8-sig").splitlines()[0] if file_format == "csv" else None
    assert header in (None, "地域,拠点,指標,期間,実績値,備考")
    upload = plan_upload(session=session, actor=SYSTEM, data=data, filename=f"values.{file_format}")
    assert (len(upload.plan.unchanged), upload.plan.new, upload.plan.changed) == (2, [], [])
    again = region_export_rows(session=session, actor=SYSTEM, region_id=region.id, hub_id=None)
    assert progress_files.values_file(again, file_format, "ja") == data


@pytest.mark.parametrize(
    ("lang", "sheet_title", "header", "period"),
    [
        ("ja", "実績値入力", ("拠点", "指標", "期間", "実績値", "備考"), "2024年度 第2四半期"),
        ("en", "Values", ("hub", "indicator", "period", "value", "note"), "FY2024 Q2"),
    ],
)
def test_the_entry_workbook_is_in_the_readers_language_and_takes_only_values_and_notes(
    session: Session, hub_with_two_indicators, lang: str, sheet_title: str, header: tuple[str, ...], period: str
) -> None:
    _, hub, k1, k2 = hub_with_two_indicators
    record_values(session=session, actor=SYSTEM, hub_id=hub.id, period=Q, entries=[ValueEntry(k1.id, 12)])
    session.commit()
    rows = entry_rows(session=session, actor=SYSTEM, hub_id=hub.id, period=Q.next())
    book = load_workbook(io.BytesIO(progress_files.entry_workbook(rows, Display(lang))))
    sheet = book.active
    assert sheet.title == sheet_title
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][:5] == header
    assert [(r[0], r[1], r[2], r[3], r[7]) for r in cells[1:]] == [
        ("H1", "K01", period, None, 12),
        ("H1", "K02", period, None, None),
    ]
    # only the value and note cells can be typed in, and the value cell takes numbers only
    assert sheet.protection.sheet
    assert [c.protection.locked for c in sheet[2]][:5] == [True, True, True, False, False]
    [rule] = sheet.data_validations.dataValidation
    assert rule.type == "decimal" and str(rule.sqref) == "D2:D3"
    # filled in as a hub manager does, it uploads back: periods as people write them are read
    sheet["D2"], sheet["D3"], sheet["E3"] = 14, 3, "初回"
    filled = io.BytesIO()
    book.save(filled)
    upload = plan_upload(session=session, actor=SYSTEM, data=filled.getvalue(), filename="entry.xlsx")
    assert sorted((v.indicator_id, v.period, v.value, v.note) for v in upload.plan.new) == [
        (k1.id, Q.next(), 14.0, ""),
        (k2.id, Q.next(), 3.0, "初回"),
    ]


def test_the_entry_rows_say_what_is_compared_and_round_the_expected_value_to_the_indicators_precision(
    session: Session, hub_with_two_indicators
) -> None:
    region, hub, k1, k2 = hub_with_two_indicators
    flow = factories.indicator(session, region.id, "K03", measure=Measure.FLOW)
    factories.target(session, flow, hub, baseline_value=2, target_value=6.5, baseline_fy=2023, target_fy=2026)
    record_values(
        session=session,
        actor=SYSTEM,
        hub_id=hub.id,
        period=Q,
        entries=[ValueEntry(k1.id, 13), ValueEntry(k2.id, 12.25, "slow"), ValueEntry(flow.id, 1.5)],
    )
    session.commit()
    rows = {r.indicator_code: r for r in hub_quarter(session=session, hub_id=hub.id, at=Q)}
    # K01, K02: 10 -> 50 from FY2023Q4 to FY2027Q4: 12.5 expected by FY2024Q1
    assert (rows["K01"].compared_as, rows["K01"].decimals, rows["K01"].on_track_from) == (
        ComparedAs.QUARTER_END,
        0,
        13,
    )
    assert (rows["K02"].decimals, rows["K02"].on_track_from) == (2, 12.5)
    # K03: a fiscal-year flow, 3.5 expected for FY2024, a quarter of it by June: 0.875 at one decimal is 0.9
    assert rows["K03"].compared_as is ComparedAs.YEAR_TO_DATE
    assert (rows["K03"].expected, rows["K03"].on_track_from, rows["K03"].compared) == (0.875, 0.9, 1.5)


def test_the_entry_workbook_labels_last_quarter_and_the_compared_basis(session: Session, hub_with_two_indicators):
    _, hub, k1, _ = hub_with_two_indicators
    record_values(session=session, actor=SYSTEM, hub_id=hub.id, period=Q, entries=[ValueEntry(k1.id, 12)])
    session.commit()
    data = progress_files.entry_workbook(
        entry_rows(session=session, actor=SYSTEM, hub_id=hub.id, period=Q.next()), Display("en")
    )
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][5:] == (
        "indicator name",
        "unit",
        "last quarter (that quarter only)",
        "compared as",
        "expected, compared as (on track from)",
    )
    assert rows[1][7:] == (12, "Quarter-end value", 15)  # 15 expected by FY2024Q2 on the way from 10 to 50


def test_the_values_of_a_window_of_quarters_are_those_quarters_of_every_region(session: Session) -> None:
    from hubdash.services.progress import scope_actuals

    values = {"FY2023Q3": 1.0, "FY2023Q4": 2.0, "FY2024Q1": 3.0, "FY2024Q4": 4.0, "FY2025Q1": 5.0}
    hubs = []
    for code in ("r1", "r2"):
        region = factories.region(session, code)
        hubs.append(factories.hub(session, region.id))
        factories.quarterly_values(session, hubs[-1], factories.indicator(session, region.id), values)
    every = scope_actuals(session=session)
    first, last = FiscalQuarter(2023, 4).index, FiscalQuarter(2024, 4).index

    window = scope_actuals(session=session, quarters=(first, last))

    assert {r: {k: dict(v) for k, v in a.items()} for r, a in window.items()} == {
        r: {k: {i: x for i, x in v.items() if first <= i <= last} for k, v in a.items()} for r, a in every.items()
    }
    assert sorted(next(iter(window[hubs[0].region_id].values())).values()) == [2.0, 3.0, 4.0]
