"""Progress files: the values of a region or hub (CSV or XLSX, in the import columns) and the entry workbook."""

from __future__ import annotations

from collections.abc import Sequence

from hubdash import i18n
from hubdash.exports.tables import FORMATS, Sheet, table_file, write_xlsx
from hubdash.readers.progress_file import ENTRY_COLUMNS, EXPORT_COLUMNS, headers
from hubdash.services.measurements import EntryRow, ExportRow

__all__ = ["FORMATS", "entry_workbook", "values_file"]

ENTRY_WIDTHS = (8, 10, 11, 10, 30, 30, 8, 16, 18, 22)


def values_file(rows: Sequence[ExportRow], fmt: str, lang: str = "en") -> bytes:
    """Stored values as a .csv or .xlsx file that imports back unchanged."""
    return table_file(fmt, Sheet("progress", headers(EXPORT_COLUMNS, lang), rows))


def entry_workbook(rows: Sequence[EntryRow], lang: str) -> bytes:
    """The pre-filled workbook a hub manager fills in offline for one quarter and uploads back.

    The value column takes the quarter's own value; the helper columns say what the status engine compares
    (the quarter-end value, the year to date or the total since the baseline) and the expected value of that.
    """
    shown = [(*row[:8], i18n.label(row[8], lang), row[9]) for row in rows]
    return write_xlsx([Sheet("progress", headers(ENTRY_COLUMNS, lang), shown, ENTRY_WIDTHS)])
