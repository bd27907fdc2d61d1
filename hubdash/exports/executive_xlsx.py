"""The numbers of the executive report as an Excel workbook (openpyxl), one sheet per part."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hubdash import i18n
from hubdash.domain.enums import Status
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.status import STATUS_COLORS, STATUS_ORDER, STATUS_SYMBOLS
from hubdash.services.reports import ExecutiveSummary


def _status(status: Status, lang: str) -> str:
    return f"{STATUS_SYMBOLS[status]} {i18n.label(status, lang)}"


def _period(fiscal_year: int, quarter: int, lang: str) -> str:
    return FiscalQuarter(int(fiscal_year), int(quarter)).label(lang)


def _cell_value(value: object) -> object:
    # Text a user typed (names, titles) must never run as a formula in Excel.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _sheet(wb: Workbook, title: str, header: list[str], rows: Iterable[list[object]], lang: str) -> Worksheet:
    ws = wb.create_sheet(title[:31])
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    labels = {_status(s, lang): s for s in Status}
    for row in rows:
        ws.append([_cell_value(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value in labels:
                color = STATUS_COLORS[labels[cell.value]].lstrip("#")
                cell.fill = PatternFill("solid", fgColor=color)
                cell.font = Font(color="FFFFFF" if labels[cell.value] is not Status.AT_RISK else "000000")
    for n, title_text in enumerate(header, start=1):
        width = max([len(str(title_text)), *(len(str(c.value or "")) for c in ws[get_column_letter(n)][1:200])])
        ws.column_dimensions[get_column_letter(n)].width = min(60, width * 1.6 + 2)
    ws.freeze_panes = "A2"
    return ws


def executive_xlsx(summary: ExecutiveSummary, lang: str) -> bytes:
    """The executive report's numbers as an .xlsx workbook."""
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    _sheet(
        wb,
        t("report.sheet_regions"),
        [t("col.code"), t("app.region"), t("col.period"), *(_status(s, lang) for s in STATUS_ORDER)],
        (
            [r.code, r.name, _period_or_none(r.as_of, lang), *(r.counts[s] for s in STATUS_ORDER)]
            for r in summary.regions
        ),
        lang,
    )
    _sheet(
        wb,
        t("report.sheet_goals"),
        [t("app.region"), t("col.code"), t("col.goal"), t("col.status")],
        ([r.name, g.code, g.title, _status(g.status, lang)] for r in summary.regions for g in r.goals),
        lang,
    )
    _sheet(
        wb,
        t("report.sheet_targets"),
        [
            t("app.region"),
            t("col.goal"),
            t("col.hub"),
            t("col.indicator"),
            t("col.unit"),
            t("col.compared"),
            t("col.expected"),
            f"{t('col.achievement')} (%)",
            t("col.status"),
        ],
        (
            [
                r.name,
                g.code,
                x.hub,
                x.indicator,
                x.unit,
                x.actual,
                x.expected,
                _round(x.achievement),
                _status(x.status, lang),
            ]
            for r in summary.regions
            for g in r.goals
            for x in g.targets
        ),
        lang,
    )
    trend = summary.trend.pivot_table(index=["fiscal_year", "quarter"], columns="status", values="targets")
    median = summary.achievement.set_index(["fiscal_year", "quarter"])["achievement"]
    _sheet(
        wb,
        t("report.sheet_quarters"),
        [t("col.period"), *(_status(s, lang) for s in STATUS_ORDER), t("executive.median_achievement")],
        (
            [_period(fy, q, lang), *(int(trend.loc[(fy, q), s.value]) for s in STATUS_ORDER), median.get((fy, q))]
            for fy, q in trend.index
        ),
        lang,
    )
    _sheet(
        wb,
        t("report.sheet_risks"),
        [
            t("app.region"),
            t("col.hub"),
            t("col.indicator"),
            t("col.compared"),
            t("col.expected"),
            t("col.unit"),
            f"{t('col.achievement')} (%)",
            t("executive.behind"),
            t("col.status"),
        ],  # fmt: skip
        (
            [
                r.region,
                r.hub,
                r.indicator,
                r.actual,
                r.expected,
                r.unit,
                r.achievement,
                r.behind,
                _status(Status(r.status), lang),
            ]
            for r in summary.risks.itertuples()
        ),
        lang,
    )
    _sheet(
        wb,
        t("report.sheet_pdca"),
        [
            t("col.hub") if summary.region_id else t("app.region"),
            t("executive.closed_cycles"),
            t("executive.cycles"),
            t("executive.pdca_completion_axis"),
        ],  # fmt: skip
        ([r.row, r.closed, r.cycles, r.completion] for r in summary.pdca.itertuples()),
        lang,
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _period_or_none(period: FiscalQuarter | None, lang: str) -> str:
    return period.label(lang) if period else i18n.t("common.none", lang)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
