"""The one table writer: CSV (UTF-8 with BOM, so Excel in Japan opens it correctly), XLSX, and the workbook
that PowerPoint charts carry; pure, deterministic.

Every table hubdash writes goes through here. The same rows give the same bytes, so that export ->
import -> export gives an identical file. Text that Excel would run as a formula is never a formula:
in CSV text starting with = + - @ tab or CR (and not a number) gets a leading apostrophe, in XLSX every
text is stored as a text cell, and so is every text of a chart's embedded workbook (ChartData in
exports/chart_workbook.py, apart so that python-pptx loads only when a PowerPoint file is made).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from hubdash.domain.errors import UserError
from hubdash.readers.progress_file import FORMULA_STARTS

if TYPE_CHECKING:
    from openpyxl import Workbook

Cell = str | int | float | None
_FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def safe_text(value: str) -> str:
    """Text that Excel shows as text, never runs as a formula; a number written as text (-3) is left alone."""
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def format_number(value: float) -> str:
    """A number without float noise: 12.0 -> "12", 0.1 + 0.2 -> "0.3"."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(round(value, 10))


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format_number(float(value))
    return safe_text(value)


def write_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """CSV text in UTF-8 with a BOM and CRLF line ends, as Excel writes it."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook: its title, header row, rows and (optionally) column widths."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[int] | None = None


def workbook(sheets: Sequence[Sheet]) -> Workbook:
    """An openpyxl workbook with one sheet per table; text cells are always stored as text, never as formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    for index, table in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = table.title[:31]  # Excel's limit
        sheet.append(list(table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        for cells in sheet.iter_rows(min_row=1):
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
        sheet.freeze_panes = "A2"
        for column, width in enumerate(table.widths or [], start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    book.properties.creator = "hubdash"
    return book


def xlsx_bytes(book: Workbook) -> bytes:
    """A workbook as .xlsx bytes; equal content gives equal bytes."""
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue())


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX file of these tables."""
    return xlsx_bytes(workbook(sheets))


FORMATS: tuple[str, ...] = ("csv", "xlsx")


class UnknownFormat(UserError):
    """A file name or format hubdash does not write."""

    def __init__(self, fmt: str, formats: Sequence[str]) -> None:
        super().__init__("exports.error_format", format=fmt or "–", formats=", ".join(formats))


def table_file(fmt: str, table: Sheet) -> bytes:
    """One table as .csv or .xlsx."""
    if fmt == "csv":
        return write_csv(table.header, table.rows)
    if fmt == "xlsx":
        return write_xlsx([table])
    raise UnknownFormat(fmt, FORMATS)


def _stable_zip(data: bytes) -> bytes:
    # openpyxl stamps every zip entry with the current time; fix it so equal content gives equal bytes.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl writes the save time as "modified"
                content = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            target.writestr(fixed, content)
    return out.getvalue()
