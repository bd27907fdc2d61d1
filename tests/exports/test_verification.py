"""A published effect verification as DOCX and XLSX: the same tables in both, in Japanese and English, and text that
looks like a formula stays text."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from hubdash.domain.enums import EffectRating, ExpertSector, FutureCourse, Status, VerificationStage
from hubdash.domain.rating import PRESETS
from hubdash.exports import verification as export
from hubdash.fmt import Display
from hubdash.services.verification_record import (
    ActionLink,
    ExpertRow,
    HubRow,
    KpiRow,
    OpinionRow,
    VerificationRecord,
    from_json,
    to_json,
)

WHEN = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
RECORD = VerificationRecord(
    verification_id=1, region_id=1, region_code="r1", region_name="湊原地域", fiscal_year=2025, number=2,
    stage=VerificationStage.PUBLISHED, version=7, correction_reason="誤記の訂正", scale=PRESETS["a_to_d"],
    kpis=(
        KpiRow(1, "G2", "事業化", 14, "K14", "拠点関連製品売上高", "百万円", 1, "H1", "先端素材", 40.0, "FY2022Q4",
               200.0, "FY2027Q4", 136.0, 105.0, 40.6, Status.OFF_TRACK, 77.2, "C", EffectRating.EFFECTIVE,
               FutureCourse.IMPROVE, "=HYPERLINK(\"http://x\") 販路を広げる", 1),
    ),
    hubs=(HubRow(1, "H1", "先端素材", "湊原大学", EffectRating.CONSIDERABLE, FutureCourse.CONTINUE, "順調", 1),),
    experts=(ExpertRow(1, 9, "田中 一郎", "湊原大学", ExpertSector.ACADEMIA),),
    opinions=(OpinionRow(1, 2, 1, "田中 一郎", "湊原大学", "K14 拠点関連製品売上高 (H1)", None, 1, "量産が課題", WHEN,
                         "支援を集中する", WHEN, "佐藤"),),
    actions=(ActionLink(5, "H1", "K14 拠点関連製品売上高 (H1): 販路を広げる", "FY2026Q1"),),
    published_at=WHEN, published_by="佐藤", frozen=True,
)  # fmt: skip


def _docx_text(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]


def _xlsx_cells(data: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_docx_and_xlsx_hold_the_same_tables(lang: str) -> None:
    d = Display(lang)
    docx, xlsx = _docx_text(export.to_docx(RECORD, d)), _xlsx_cells(export.to_xlsx(RECORD, d))
    tables = export.tables(RECORD, d)
    assert list(xlsx)[1:] == [t.title[:31] for t in tables]  # Excel's limit
    assert export.title(RECORD, d) in docx and xlsx[list(xlsx)[0]][0] == [export.title(RECORD, d)]
    for table in tables:
        assert xlsx[table.title[:31]][0] == list(table.header)
        assert all(h in docx for h in table.header)
        for row, stored in zip(table.rows, xlsx[table.title[:31]][1:], strict=True):
            assert stored == [None if v is None else v for v in row]
            texts = [v for v in row if isinstance(v, str)]
            assert all(t in docx for t in texts)
    assert d.label(FutureCourse.IMPROVE) in docx and d.label(EffectRating.EFFECTIVE) in docx
    assert any("誤記の訂正" in line for line in docx)


def test_a_reason_that_looks_like_a_formula_stays_text() -> None:
    book = load_workbook(io.BytesIO(export.to_xlsx(RECORD, Display("ja"))))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    formula = [c for c in cells if c.value.startswith("=HYPERLINK")]
    assert formula and all(c.data_type == "s" for c in formula)


def test_the_frozen_snapshot_reads_back_as_it_was_published() -> None:
    assert from_json(to_json(RECORD)) == RECORD
