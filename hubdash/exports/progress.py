"""Progress files: the values of a region or hub (CSV or XLSX, in the import columns) and the entry workbook."""

from __future__ import annotations

from collections.abc import Sequence

from hubdash.exports.tables import FORMATS, Sheet, table_file, write_xlsx
from hubdash.readers.progress_file import ENTRY_COLUMNS, EXPORT_COLUMNS, headers
from hubdash.services.measurements import EntryRow, ExportRow

__all__ = ["FORMATS", "entry_workbook", "values_file"]

ENTRY_WIDTHS = (8, 10, 11, 10, 30, 30, 8, 12, 10)


def values_file(rows: Sequence[ExportRow], fmt: str, lang: str = "en") -> bytes:
    """Stored values as a .csv or .xlsx file that imports back unchanged."""
    return table_file(fmt, Sheet("progress", headers(EXPORT_COLUMNS, lang), rows))


def entry_workbook(rows: Sequence[EntryRow], lang: str) -> bytes:
    """The pre-filled workbook a hub manager fills in offline for one quarter and uploads back."""
    return write_xlsx([Sheet("progress", headers(ENTRY_COLUMNS, lang), rows, ENTRY_WIDTHS)])
