"""The executive report as a file: PowerPoint (editable charts) or Excel (the numbers), for the page and the CLI."""

from __future__ import annotations

from hubdash.exports.executive_pptx import executive_pptx
from hubdash.exports.executive_xlsx import executive_xlsx
from hubdash.exports.tables import UnknownFormat
from hubdash.fmt import Display
from hubdash.services.executive import ExecutiveSummary

REPORT_FORMATS: tuple[str, ...] = ("pptx", "xlsx")
MIME_TYPES = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_file(summary: ExecutiveSummary, fmt: str, display: Display) -> bytes:
    """The executive report of a summary as .pptx or .xlsx."""
    if fmt == "pptx":
        return executive_pptx(summary, display)
    if fmt == "xlsx":
        return executive_xlsx(summary, display)
    raise UnknownFormat(fmt, REPORT_FORMATS)
