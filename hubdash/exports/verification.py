"""A published effect verification (効果検証) as municipalities publish it, in the reader's language: the KPI table
with ratings and decided courses, the hubs' ratings and courses, the outside experts, their opinions with the
council's answers, and next year's actions. DOCX and XLSX hold the same tables (XLSX through exports.tables)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from hubdash.domain.enums import RatingBasis
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.rating import RatingScale
from hubdash.exports.tables import Cell, Sheet, write_xlsx
from hubdash.fmt import Display, coded, number
from hubdash.services.verification_record import VerificationRecord


@dataclass(frozen=True)
class Table:
    """One table of the document: its heading, header row, rows and column widths (XLSX)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[int]


def title(record: VerificationRecord, d: Display) -> str:
    """湊原地域 効果検証 2025年度（第1版） / Minatohara Region — effect verification FY2025 (version 1)."""
    return d.t(
        "verification.document_title",
        region=record.region_name,
        year=d.fiscal_year(record.fiscal_year),
        number=record.number,
    )


def scale_text(scale: RatingScale, d: Display) -> str:
    """The scale as its legend reads: "A: 100 % or more · B: 80 % or more · … · D: below"."""
    steps = [
        d.t("verification.grade_at_least", grade=g.label, percent=number(g.minimum))
        if g.minimum is not None
        else d.t("verification.grade_below", grade=g.label)
        for g in scale.grades
    ]
    return f"{d.label(scale.basis)}: " + " · ".join(steps)


def _period(text: str, d: Display) -> str:
    return d.period(FiscalQuarter.parse(text))


def _pct(value: float | None) -> Cell:
    return None if value is None else round(value, 1)


# the percentage column says what the region's scale measures
PERCENT_COLUMN = {
    RatingBasis.OF_TARGET: "verification.col_pct_of_target",
    RatingBasis.FROM_BASELINE: "verification.col_pct_from_baseline",
}


def _value(value: float | None) -> Cell:
    # sums of quarterly values carry float noise (125.30000000000001): indicators are written with at most 3 decimals
    return None if value is None else round(value, 3)


def tables(record: VerificationRecord, d: Display) -> list[Table]:
    """The document's tables, in order; the same for DOCX and XLSX."""
    region_wide = d.t("verification.region_wide")
    kpis = Table(
        d.t("verification.kpi_table"),
        [
            d.t("col.goal"),
            d.t("col.indicator"),
            d.t("col.hub"),
            d.t("col.unit"),
            d.t("col.baseline"),
            d.t("col.baseline_period"),
            d.t("col.target"),
            d.t("col.target_period"),
            d.t("verification.col_year_target"),
            d.t("verification.col_actual"),
            d.t(PERCENT_COLUMN[record.scale.basis]),
            d.t("verification.col_rating"),
            d.t("col.status"),
            d.t("verification.col_effect"),
            d.t("verification.col_course"),
            d.t("col.reason"),
        ],
        [
            [
                coded(r.goal_code, r.goal_title),
                coded(r.indicator_code, r.indicator_name),
                r.hub_code or region_wide,
                r.unit,
                _value(r.baseline),
                _period(r.baseline_period, d),
                _value(r.target),
                _period(r.target_period, d),
                _value(r.year_target),
                _value(r.actual),
                _pct(r.rating_pct),
                r.rating or "–",
                d.status(r.status),
                d.label(r.effect) if r.effect else "–",
                d.label(r.course) if r.course else "–",
                r.reason or "–",
            ]
            for r in record.kpis
        ],
        [24, 28, 8, 8, 10, 16, 10, 16, 12, 10, 10, 8, 12, 22, 12, 40],
    )
    hubs = Table(
        d.t("verification.hub_table"),
        [
            d.t("col.hub"),
            d.t("col.core_institution"),
            d.t("verification.col_effect"),
            d.t("verification.col_course"),
            d.t("col.reason"),
        ],  # fmt: skip
        [
            [
                coded(h.hub_code, h.hub_name),
                h.core_institution,
                d.label(h.effect) if h.effect else "–",
                d.label(h.course) if h.course else "–",
                h.reason or "–",
            ]  # fmt: skip
            for h in record.hubs
        ],
        [36, 28, 22, 12, 50],
    )
    experts = Table(
        d.t("verification.experts"),
        [d.t("verification.col_expert"), d.t("col.organisation"), d.t("col.sector")],
        [[e.name, e.organisation, d.label(e.sector)] for e in record.experts],
        [24, 36, 16],
    )
    opinions = Table(
        d.t("verification.opinions"),
        [
            d.t("verification.col_expert"),
            d.t("verification.col_subject"),
            d.t("verification.col_opinion"),
            d.t("verification.col_answer"),
        ],  # fmt: skip
        [
            [o.expert_name, o.subject or d.t("verification.subject_all"), o.body, o.answer or "–"]
            for o in record.opinions
        ],
        [20, 30, 60, 60],
    )
    actions = Table(
        d.t("verification.next_actions"),
        [d.t("col.hub"), d.t("col.action"), d.t("verification.col_cycle")],
        [[a.hub_code, a.title, _period(a.cycle_period, d)] for a in record.actions],
        [8, 70, 20],
    )
    return [kpis, hubs, experts, opinions, actions]


def lines(record: VerificationRecord, d: Display) -> list[str]:
    """The lines under the title: published when and by whom, a correction's reason, the quarter, the scale."""
    found = []
    if record.published_at is not None:
        found.append(
            d.t(
                "verification.published_line",
                when=d.when(record.published_at, with_time=False),
                who=record.published_by,
            )
        )
    if record.correction_reason:
        found.append(d.t("verification.correction_line", reason=record.correction_reason))
    found.append(d.t("verification.as_of_line", period=d.period(record.period)))
    found.append(d.t("verification.scale_line", scale=scale_text(record.scale, d)))
    return found


def _cell_text(value: Cell, d: Display) -> str:
    if value is None:
        return "–"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(float(value), 2)
    return str(value)


def to_docx(record: VerificationRecord, d: Display) -> bytes:
    """The verification as a Word document (landscape, one table per section)."""
    out = Document()
    section = out.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    out.add_heading(title(record, d), level=0)
    for line in lines(record, d):
        out.add_paragraph(line)
    for table in tables(record, d):
        out.add_heading(table.title, level=1)
        if not table.rows:
            out.add_paragraph(d.t("common.none"))
            continue
        grid = out.add_table(rows=1, cols=len(table.header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
            cell.text = text
        for row in table.rows:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = _cell_text(value, d)
        for row in grid.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(8)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def to_xlsx(record: VerificationRecord, d: Display) -> bytes:
    """The verification as a workbook: an overview sheet, then one sheet per table."""
    overview = Sheet(d.t("verification.overview"), [title(record, d)], [[line] for line in lines(record, d)], [100])
    return write_xlsx([overview, *(Sheet(t.title, t.header, t.rows, t.widths) for t in tables(record, d))])
