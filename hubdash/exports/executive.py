"""The executive report as a file: PowerPoint (editable charts) or Excel (the numbers), for the page and the CLI;
one file per region bundled as a ZIP on request."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence

from hubdash.exports.tables import UnknownFormat
from hubdash.fmt import Display
from hubdash.services.executive import ExecutiveSummary

REPORT_FORMATS: tuple[str, ...] = ("pptx", "xlsx")
MIME_TYPES = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_file(
    summary: ExecutiveSummary, fmt: str, display: Display, progress: Callable[[float], None] | None = None
) -> bytes:
    """The executive report of a summary as .pptx or .xlsx; `progress` hears the share done (0..1) as it goes."""
    # imported when a report is made: python-pptx costs every app server memory it rarely needs
    if fmt == "pptx":
        from hubdash.exports.executive_pptx import executive_pptx

        return executive_pptx(summary, display, progress)
    if fmt == "xlsx":
        from hubdash.exports.executive_xlsx import executive_xlsx

        data = executive_xlsx(summary, display)
        if progress:
            progress(1.0)
        return data
    raise UnknownFormat(fmt, REPORT_FORMATS)


def region_file_name(region_code: str, fmt: str) -> str:
    """A file name for one region's report: hubdash-<code>.<fmt>, with only safe characters."""
    return f"hubdash-{re.sub(r'[^A-Za-z0-9_-]+', '_', region_code)}.{fmt}"


def zip_files(files: Sequence[tuple[str, bytes]]) -> bytes:
    """Files bundled in one ZIP archive, in the order given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return out.getvalue()
