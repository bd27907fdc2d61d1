"""Progress files: the values of a region or hub (CSV or XLSX, in the import columns) and the entry workbook,
both in the reader's language (the importer reads either language's headers and period forms)."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from hubdash import i18n
from hubdash.domain.periods import FiscalQuarter
from hubdash.exports.tables import FORMATS, Sheet, table_file, workbook, xlsx_bytes
from hubdash.fmt import Display
from hubdash.readers.progress_file import ENTRY_COLUMNS, EXPORT_COLUMNS, NOTE, VALUE, headers
from hubdash.services.measurements import EntryRow, ExportRow

__all__ = ["FORMATS", "entry_workbook", "values_file"]

ENTRY_WIDTHS = (8, 10, 20, 12, 30, 30, 8, 16, 18, 22)
_ENTRY_SHEET = "progress.entry_sheet"


def values_file(rows: Sequence[ExportRow], fmt: str, lang: str = "en") -> bytes:
    """Stored values as a .csv or .xlsx file, headers in `lang`, that imports back unchanged."""
    return table_file(fmt, Sheet("progress", headers(EXPORT_COLUMNS, lang), rows))


def entry_workbook(rows: Sequence[EntryRow], d: Display) -> bytes:
    """The pre-filled workbook a hub manager fills in offline for one quarter and uploads back.

    In the reader's language (sheet, headers, periods as they write them). The value column takes the
    quarter's own value, numbers only; the helper columns say what the status engine compares (the
    quarter-end value, the year to date or the total since the baseline) and the expected value of that.
    Only the value and note columns can be typed in (the sheet is protected without a password).
    """
    shown = [
        (*row[:2], d.period(FiscalQuarter.parse(row[2])), *row[3:8], i18n.label(row[8], d.lang), row[9]) for row in rows
    ]
    book = workbook([Sheet(d.t(_ENTRY_SHEET), headers(ENTRY_COLUMNS, d.lang), shown, ENTRY_WIDTHS)])
    sheet = book.worksheets[0]
    value_col = ENTRY_COLUMNS.index(VALUE) + 1
    note_col = ENTRY_COLUMNS.index(NOTE) + 1
    last = len(shown) + 1
    for row in sheet.iter_rows(min_row=2, max_row=last, min_col=value_col, max_col=note_col):
        for cell in row:
            cell.protection = Protection(locked=False)
    numbers = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1E+15",
        formula2="1E+15",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=d.t("progress.entry_value_title"),
        error=d.t("progress.value_help"),
    )
    letter = get_column_letter(value_col)
    numbers.add(f"{letter}2:{letter}{max(last, 2)}")
    sheet.add_data_validation(numbers)
    sheet.protection.sheet = True  # no password: it guards against slips, not against the hub manager
    sheet.protection.formatColumns = False
    return xlsx_bytes(book)
