"""Reading progress files: every accepted form, and every bad file named by row, column, value and reason."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from hubdash.domain.periods import FiscalQuarter
from hubdash.exports.tables import Sheet, write_csv, write_xlsx
from hubdash.readers.progress_file import ImportFileError, parse_number, read_progress_file

HEADER = "hub,indicator,period,value,note\n"


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def _errors(data: bytes, name: str = "f.csv") -> list[tuple[int, str, str]]:
    with pytest.raises(ImportFileError) as info:
        read_progress_file(data, name)
    return [(e.row, e.column, str(e.reason)) for e in info.value.errors]


def test_reads_a_plain_utf8_file() -> None:
    parsed = read_progress_file(_csv(HEADER + "H1,K01,FY2024Q1,12,first\nH1,K02,2024Q2,3.5,\n"))
    assert [(r.row, r.hub, r.indicator, r.period, r.value, r.note) for r in parsed.rows] == [
        (2, "H1", "K01", FiscalQuarter(2024, 1), 12.0, "first"),
        (3, "H1", "K02", FiscalQuarter(2024, 2), 3.5, ""),
    ]


def test_reads_cp932_with_japanese_headers_full_width_digits_and_separators() -> None:
    text = '地域,拠点,指標,期間,実績値,備考\nsample-ja,Ｈ１,Ｋ０１,令和6年度第1四半期,"１,２３４",速報値（①）\n'
    parsed = read_progress_file(text.encode("cp932"), "進捗.csv")
    (row,) = parsed.rows
    assert (row.region, row.hub, row.indicator, row.period, row.value) == (
        "sample-ja",
        "H1",
        "K01",
        FiscalQuarter(2024, 1),
        1234.0,
    )
    assert row.note == "速報値（①）", "notes keep their full-width characters"


def test_reads_utf8_with_bom_and_surrounding_spaces() -> None:
    parsed = read_progress_file(_csv(HEADER + " H1 , K01 , 2024-Q3 , 7 , \n", "utf-8-sig"))
    assert parsed.rows[0].hub == "H1" and parsed.rows[0].period == FiscalQuarter(2024, 3)


@pytest.mark.parametrize(
    ("text", "number"), [("−3", -3.0), ("－3", -3.0), ("△12", -12.0), ("1,234.5", 1234.5), ("１２", 12.0), (" 0 ", 0.0)]
)
def test_numbers_as_japanese_spreadsheets_write_them(text: str, number: float) -> None:
    assert parse_number(text) == number


def test_reads_xlsx_by_content_whatever_the_name() -> None:
    data = write_xlsx(
        [Sheet("progress", ("拠点", "指標", "期間", "実績値", "備考"), [("H1", "K01", "2024年度Q4", 5, "=SUM(A1)")])]
    )
    parsed = read_progress_file(data, "upload.csv")
    assert parsed.rows[0].period == FiscalQuarter(2024, 4)
    assert parsed.rows[0].note == "=SUM(A1)", "a formula-like note comes back as the text it was"


def test_blank_values_are_left_out_and_reported() -> None:
    parsed = read_progress_file(_csv(HEADER + "H1,K01,FY2024Q1,,\nH1,K02,FY2024Q1,4,\n"))
    assert [r.indicator for r in parsed.rows] == ["K02"]
    assert parsed.blank_rows == [2]


def test_wrong_encoding() -> None:
    data = HEADER.encode() + "H1,K01,FY2024Q1,1,速報\n".encode("euc-jp") + b"H1,K02,FY2024Q1,1,\x81\xff\n"
    assert _errors(data) == [(2, "", "the text is neither UTF-8 nor CP932 (Shift_JIS): save the CSV as UTF-8")]


def test_utf16_text_gets_advice() -> None:
    data = (HEADER + "H1,K01,FY2024Q1,1,\n").encode("utf-16")
    assert _errors(data) == [(0, "", "this is UTF-16 text (Excel's 'Unicode text'): save it as CSV UTF-8 or CSV")]


def test_missing_column() -> None:
    errors = _errors(_csv("hub,indicator,period,note\nH1,K01,FY2024Q1,x\n"))
    assert errors == [(1, "value", "the column 'value' (実績値) is missing (found: hub, indicator, period, note)")]


def test_bad_period_names_row_column_and_forms() -> None:
    with pytest.raises(ImportFileError) as info:
        read_progress_file(_csv(HEADER + "H1,K01,FY2024Q1,1,\nH1,K01,2024Q5,2,\n"))
    (error,) = info.value.errors
    assert (error.row, error.column, error.value) == (3, "period", "2024Q5")
    assert "FY2024Q1" in str(error.reason)


def test_non_numeric_value() -> None:
    assert _errors(_csv(HEADER + "H1,K01,FY2024Q1,twelve,\n")) == [(2, "value", "not a number")]


def test_the_same_hub_indicator_and_period_twice() -> None:
    errors = _errors(_csv(HEADER + "H1,K01,FY2024Q1,1,\nH1,K01,2024年度第1四半期,2,\n"))
    assert errors == [(3, "period", "H1 / K01 / FY2024 Q1 appears twice (first at row 2)")]


def test_every_bad_row_is_listed_not_only_the_first() -> None:
    errors = _errors(_csv(HEADER + "H1,K01,bad,1,\nH1,K02,FY2024Q1,x,\n,K03,FY2024Q1,1,\n"))
    assert [(row, column) for row, column, _ in errors] == [(2, "period"), (3, "value"), (4, "hub")]


def test_empty_file() -> None:
    assert _errors(b"") == [(0, "", "the file is empty")]
    assert _errors(_csv(HEADER)) == [(0, "", "the file has no rows with a value")]


def test_not_a_spreadsheet() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    assert _errors(png, "photo.csv") == [(0, "", "this is not a spreadsheet (CSV or XLSX)")]
    zipped = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert _errors(zipped.getvalue(), "a.xlsx") == [(0, "", "this is a ZIP file but not an Excel workbook (.xlsx)")]


def test_too_large_file() -> None:
    assert _errors(b"x" * (10 * 1024 * 1024 + 1)) == [(0, "", "the file is larger than 10 MB")]


def test_xlsx_rows_are_numbered_as_excel_shows_them() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["hub", "indicator", "period", "value"])
    sheet.append(["H1", "K01", "FY2024Q1", 1])
    sheet.append(["H1", "K01", "FY2024Q2", "n/a"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _errors(buffer.getvalue(), "x.xlsx") == [(3, "value", "not a number")]


def test_written_csv_reads_back_the_same() -> None:
    rows = [("r", "H1", "K01", "FY2024Q1", 1.5, "-minus note"), ("r", "H1", "K01", "FY2024Q2", 2.0, "@at")]
    data = write_csv(("region", "hub", "indicator", "period", "value", "note"), rows)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"'-minus note" in data and b"'@at" in data, "formula-like text is protected in the CSV"
    parsed = read_progress_file(data)
    assert [(r.value, r.note) for r in parsed.rows] == [(1.5, "-minus note"), (2.0, "@at")]


def test_written_xlsx_stores_formula_like_text_as_text() -> None:
    from openpyxl import load_workbook

    data = write_xlsx([Sheet("progress", ("hub", "note"), [("H1", '=HYPERLINK("http://x")'), ("H2", "+1")])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert [sheet.cell(row=r, column=2).data_type for r in (2, 3)] == ["s", "s"]
    assert data == write_xlsx([Sheet("progress", ("hub", "note"), [("H1", '=HYPERLINK("http://x")'), ("H2", "+1")])]), (
        "deterministic"
    )
