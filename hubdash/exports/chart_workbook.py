"""The workbook a PowerPoint chart carries, written by the rules of the one table writer (exports/tables.py):
every category and series name is a text cell, never a formula or a hyperlink.

Apart from tables.py so that python-pptx (and xlsxwriter) load only when a PowerPoint file is made.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter


class _InertChartWorkbook(CategoryWorkbookWriter):
    # python-pptx writes a chart's data with xlsxwriter, whose write() turns text starting with "=" into a
    # formula and text that looks like an address into a hyperlink: open the workbook with both off.
    def __init__(self, chart_data: CategoryChartData) -> None:
        super().__init__(chart_data)  # type: ignore[no-untyped-call]  # untyped in python-pptx

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple[Any, Any]]:
        from xlsxwriter import Workbook as XlsxWorkbook  # type: ignore[import-untyped]  # ships no types

        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        book = XlsxWorkbook(xlsx_file, options)
        sheet = book.add_worksheet()
        yield book, sheet
        book.close()


class ChartData(CategoryChartData):
    """python-pptx's CategoryChartData whose embedded workbook stores every category and series name as text."""

    def __init__(self, number_format: str = "General") -> None:
        super().__init__(number_format=number_format)  # type: ignore[no-untyped-call]  # untyped in python-pptx

    @property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return _InertChartWorkbook(self)
