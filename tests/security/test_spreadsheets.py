"""No file hubdash writes runs a formula or loads a picture from user text (issue 11, "Formulas").

Every free-text column of the sample region is overwritten with text that Excel would run (=HYPERLINK,
+1, -1+2, @SUM, tab or CR then =) or Markdown and HTML that would load a picture; then every export is made
and opened the way a reader's program opens it: XLSX and the PowerPoint charts' workbooks with openpyxl
(no formula cell, no <f> in the XML), CSV by its leading apostrophe, Markdown by rendering it with HTML on.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator

import pytest
from docx import Document
from markdown_it import MarkdownIt
from openpyxl import load_workbook
from pptx import Presentation
from sqlalchemy import Engine, Table, select, update
from sqlmodel import Session, SQLModel

from hubdash import db
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import SYSTEM
from hubdash.exports import executive, pdca, progress, vision
from hubdash.fmt import Display
from hubdash.models import Hub, Measurement, Region
from hubdash.readers.progress_file import FORMULA_STARTS
from hubdash.seed.sample import load_sample
from hubdash.services import executive as executive_svc
from hubdash.services import measurements
from hubdash.services import pdca as pdca_svc
from hubdash.services import vision as vision_svc
from tests.security.hostile import FORMULAS

PICTURES = ("![p](http://127.0.0.1:9/p.png)", '<img src="http://127.0.0.1:9/i.png">', "[j](javascript:alert(1))")
# Every column people type into, by table; codes get the row id appended (they are unique per region).
FREE_TEXT = {
    "region": ("code", "name", "description"),
    "organisation": ("code", "name"),
    "strategicgoal": ("title", "description"),
    "hub": ("code", "name", "theme", "description"),
    "indicator": ("code", "name", "unit", "definition", "data_source"),
    "measurement": ("note", "entered_by_name"),
    "pdcacycle": ("objectives", "do_summary", "check_evaluation", "external_opinion", "act_summary", "opened_by_name"),
    "actionitem": ("title", "evidence"),
    "pdcastagechange": ("reason", "changed_by_name"),
    "comment": ("body", "author_name"),
    "endorsement": ("person_name", "comment"),
    "visionpart": ("body",),
    "visionrevision": ("reason", "author_name"),
    "targetchange": ("reason", "changed_by_name"),
}
CODES = {"code"}
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _poison(engine: Engine) -> None:
    tables: dict[str, Table] = {t.name: t for t in SQLModel.metadata.sorted_tables}  # type: ignore[misc]
    payloads = [*FORMULAS, *PICTURES]
    with engine.begin() as conn:
        for name, columns in FREE_TEXT.items():
            table = tables[name]
            for n, (row_id,) in enumerate(conn.execute(select(table.c.id)).all()):
                values = {}
                for k, column in enumerate(columns):
                    payload = payloads[(n + k) % len(payloads)] if column not in CODES else FORMULAS[n % 3]
                    values[column] = f"{payload}{row_id}" if column in CODES else payload
                conn.execute(update(table).where(table.c.id == row_id).values(**values))
        # every value of the first hub far below its path: its goals go off track and get a slide whose chart
        # names the hubs' codes (and a negative number must stay a number)
        first = conn.execute(select(Measurement.hub_id).order_by(Measurement.id)).first()  # type: ignore[arg-type]
        assert first is not None
        conn.execute(update(Measurement).where(Measurement.hub_id == first[0]).values(value=-3.0))  # type: ignore[arg-type]


@pytest.fixture
def files(engine: Engine) -> Iterator[dict[str, bytes | str]]:
    """Every export of a sample region whose free text is hostile: name -> bytes (or text for Markdown)."""
    with db.session_scope(engine) as session:
        load_sample(session=session, actor=SYSTEM, lang="en")
    _poison(engine)
    d = Display("en")
    with Session(engine) as session:
        region = session.exec(select(Region)).scalars().one()  # type: ignore[call-overload]
        hubs = session.exec(select(Hub).order_by(Hub.id)).scalars().all()  # type: ignore[call-overload, arg-type]
        rows = measurements.export_rows(session=session, actor=SYSTEM)
        entry = measurements.entry_rows(session=session, actor=SYSTEM, hub_id=hubs[0].id, period=FiscalQuarter(2025, 1))
        made: dict[str, bytes | str] = {
            "values.csv": progress.values_file(rows, "csv"),
            "values.xlsx": progress.values_file(rows, "xlsx"),
            "entry.xlsx": progress.entry_workbook(entry, Display("ja")),
        }
        for hub in hubs:
            for year in (2024, 2025):
                record = pdca_svc.hub_year_record(session=session, hub_id=hub.id, fiscal_year=year)
                assert record is not None
                made[f"pdca-{hub.id}-{year}.xlsx"] = pdca.xlsx(record, d)
                made[f"pdca-{hub.id}-{year}.md"] = pdca.markdown(record, d)
        document = vision_svc.vision_document(session=session, region_id=region.id)
        made["vision.md"] = vision.to_markdown(document, d)
        made["vision.docx"] = vision.to_docx(document, d)
        for scope in (region.id, None):
            report = executive_svc.executive_report(session=session, actor=SYSTEM, region_id=scope)
            for fmt in executive.REPORT_FORMATS:
                made[f"report-{scope}.{fmt}"] = executive.report_file(report, fmt, d)
    yield made


def _no_formula(workbook: bytes, name: str) -> list[str]:
    """The text cells of a workbook, after asserting that it holds no formula."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        for part in archive.namelist():
            if part.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(part) and b"<f " not in archive.read(part), f"{name}: {part}"
    book = load_workbook(io.BytesIO(workbook))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{name}: {sheet.title}!{cell.coordinate} = {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def _starts_like_a_formula(texts: list[str]) -> list[str]:
    return [v for v in texts if v.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(v)]


def test_no_workbook_holds_a_formula_though_its_text_starts_like_one(files: dict[str, bytes | str]) -> None:
    workbooks = {name: data for name, data in files.items() if name.endswith(".xlsx")}
    assert len(workbooks) >= 8
    hostile = []
    for name, data in workbooks.items():
        assert isinstance(data, bytes)
        hostile += _starts_like_a_formula(_no_formula(data, name))
    assert {v[:2] for v in hostile} >= {"=H", "+1", "-1", "@S", "\t=", "\r="}, "the test text reached the files"


def test_numbers_stay_numbers(files: dict[str, bytes | str]) -> None:
    book = load_workbook(io.BytesIO(files["values.xlsx"]))  # type: ignore[arg-type]
    assert any(cell.value == -3 and cell.data_type == "n" for row in book.active.iter_rows() for cell in row)
    text = files["values.csv"]
    assert isinstance(text, bytes)
    assert any(row[4] == "-3" for row in csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_every_csv_cell_that_starts_like_a_formula_starts_with_an_apostrophe(files: dict[str, bytes | str]) -> None:
    data = files["values.csv"]
    assert isinstance(data, bytes)
    cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]
    assert _starts_like_a_formula(cells) == []
    assert any(cell.startswith("'=HYPERLINK") for cell in cells) and any(cell.startswith("'\t=") for cell in cells)


def test_the_powerpoint_charts_carry_workbooks_without_formulas(files: dict[str, bytes | str]) -> None:
    hostile = []
    reports = {name: data for name, data in files.items() if name.endswith(".pptx")}
    assert len(reports) == 2  # one region, every region
    for name, data in reports.items():
        assert isinstance(data, bytes)
        charts = [
            shape.chart for slide in Presentation(io.BytesIO(data)).slides for shape in slide.shapes if shape.has_chart
        ]
        assert charts, name
        for chart in charts:
            hostile += _starts_like_a_formula(_no_formula(chart.part.chart_workbook.xlsx_part.blob, name))
    assert any(v.startswith("=HYPERLINK") for v in hostile), "hub codes reach the charts as text"


def test_markdown_and_word_files_load_nothing(files: dict[str, bytes | str]) -> None:
    renderer = MarkdownIt("commonmark", {"html": True})  # as a permissive viewer would show the file
    documents = {name: text for name, text in files.items() if name.endswith(".md")}
    assert len(documents) >= 7
    for name, text in documents.items():
        assert isinstance(text, str)
        html = renderer.render(text)
        assert "<img" not in html and "<script" not in html and 'href="javascript' not in html, name
        assert all(h.startswith(("http://", "https://")) for h in re.findall(r'href="([^"]*)"', html)), name
    assert "127.0.0.1:9/p.png" in documents["vision.md"], "the picture's address stays readable"
    docx = files["vision.docx"]
    assert isinstance(docx, bytes)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert "image" not in rels and "hyperlink" not in rels
    assert "![p](http://127.0.0.1:9/p.png)" in "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
