"""Hostile and broken input files, built cheaply: the files of issue 11, written without a spreadsheet library."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from openpyxl import Workbook

from hubdash.exports.tables import xlsx_bytes

# Text that a spreadsheet would run as a formula, or that starts like a number but is not one.
FORMULAS = ('=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "=1+1")


def _small_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["hub", "indicator", "period", "value"])
    sheet.append(["H1", "K01", "FY2024Q1", 1])
    return xlsx_bytes(book)


def _replace_sheet(workbook: bytes, sheet_xml: bytes | None = None, *, dimension: bytes | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                if dimension is not None:
                    start = content.index(b"<dimension ")
                    end = content.index(b"/>", start) + 2
                    content = content[:start] + b'<dimension ref="' + dimension + b'"/>' + content[end:]
                if sheet_xml is not None:
                    content = sheet_xml
            target.writestr(info.filename, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def wide_dimension_xlsx(path: Path) -> Path:
    """A few kilobytes declaring 16,384 columns by 4,001 rows (A1:XFD4001)."""
    path.write_bytes(_replace_sheet(_small_workbook(), dimension=b"A1:XFD4001"))
    return path


def _rows_sheet(rows: int, *, declared: bool) -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    head += b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    if declared:
        head += b'<dimension ref="A1:D%d"/>' % (rows + 1)
    head += b"<sheetData>"
    header = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>hub</t></is></c><c r="B1" t="inlineStr"><is><t>indicator</t></is>'
        b'</c><c r="C1" t="inlineStr"><is><t>period</t></is></c><c r="D1" t="inlineStr"><is><t>value</t></is></c></row>'
    )
    # rows and cells without their (optional) r= positions: identical rows compress to almost nothing
    body = (
        b'<row><c t="inlineStr"><is><t>H1</t></is></c><c t="inlineStr"><is><t>K01</t></is></c><c/><c><v>1</v></c></row>'
    )
    return head + header + body * rows + b"</sheetData></worksheet>"


def many_rows_xlsx(path: Path, rows: int = 2_000_000, *, declared: bool = True) -> Path:
    """An XLSX of `rows` rows, the sheet XML written directly (about 1 MB compressed for two million rows)."""
    path.write_bytes(_replace_sheet(_small_workbook(), _rows_sheet(rows, declared=declared)))
    return path


def bad_rows_csv(path: Path, rows: int = 1_000_000) -> Path:
    """A CSV whose every row is bad in three ways (no hub, no indicator, bad period), one number each."""
    path.write_bytes(b"hub,indicator,period,value\n" + b",,x,1\n" * rows)
    return path


def sparse_file(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk space (truncate)."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def zip_bomb_xlsx(path: Path, cell_chars: int = 100 * 1024 * 1024) -> Path:
    """An XLSX whose one cell unpacks to `cell_chars` characters from a few hundred kilobytes."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        + b"a" * cell_chars
        + b"</t></is></c></row></sheetData></worksheet>"
    )
    path.write_bytes(_replace_sheet(_small_workbook(), sheet))
    return path


def rss_limit_mb() -> int:
    """The peak memory the server and the CLI may reach on any of these files."""
    return int(os.environ.get("HUBDASH_TEST_RSS_LIMIT_MB", "300"))
