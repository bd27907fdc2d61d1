"""Write tables as CSV (UTF-8 with BOM, so Excel in Japan opens it correctly) or XLSX: pure, deterministic.

The same rows give the same bytes, so that export -> import -> export gives an identical file. Text
cells that Excel would run as a formula (starting with = + - @) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime

from hubdash.readers.progress_file import FORMULA_STARTS

Cell = str | int | float | None
_FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def safe_text(value: str) -> str:
    """Text that Excel shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


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


def write_xlsx(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    sheet_title: str = "progress",
    widths: Sequence[int] | None = None,
    extra_sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Cell]]]] = (),
) -> bytes:
    """An XLSX workbook with one table per sheet; text cells are always stored as text."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheets = [(sheet_title, header, rows), *extra_sheets]
    for index, (title, sheet_header, sheet_rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title
        sheet.append(list(sheet_header))
        for row in sheet_rows:
            sheet.append([None if v is None else v for v in row])
        for cells in sheet.iter_rows(min_row=1):
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
        sheet.freeze_panes = "A2"
        for column, width in enumerate(widths or [], start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    workbook.properties.created = _FIXED_TIME
    workbook.properties.modified = _FIXED_TIME
    workbook.properties.creator = "hubdash"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _stable_zip(buffer.getvalue())


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
