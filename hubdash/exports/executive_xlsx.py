"""The numbers of the executive report as an Excel workbook, one sheet per part, written by exports.tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from hubdash.domain.enums import Status
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.status import STATUS_COLORS, STATUS_ORDER
from hubdash.exports.report_text import as_of_text, coverage_text
from hubdash.exports.tables import Cell, Sheet, workbook, xlsx_bytes
from hubdash.fmt import Display
from hubdash.services.executive import ExecutiveSummary


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as plain dicts (missing values as None), for a sheet."""
    return [{str(k): (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def _sheets(summary: ExecutiveSummary, d: Display) -> list[Sheet]:
    def sheet(key: str, header: list[str], rows: Iterable[Sequence[Cell]]) -> Sheet:
        return Sheet(d.t(key), header, list(rows))

    achievement = f"{d.t('col.achievement')} (%)"
    trend = summary.trend.pivot_table(index=["fiscal_year", "quarter"], columns="status", values="targets")
    median = summary.achievement.set_index(["fiscal_year", "quarter"])["achievement"]
    regions = summary.national.by_share if summary.national else summary.regions
    about = [
        [
            d.t("report.about_scope"),
            summary.regions[0].name if summary.region_id and summary.regions else d.t("executive.all_regions"),
        ]
    ]
    about.append([d.t("report.about_as_of"), d.period(summary.as_of)])
    about.append([d.t("report.about_state"), as_of_text(summary, d)])
    about += [[d.t("report.about_newer"), coverage_text(d, c)] for c in summary.newer]
    about.append([d.t("report.about_rule"), d.rollup_rule()])
    sheets = [
        sheet("report.sheet_about", [d.t("report.about_item"), d.t("report.about_value")], about),
        sheet(
            "report.sheet_regions",
            [
                d.t("col.code"),
                d.t("app.region"),
                d.t("col.period"),
                d.t("col.status"),
                d.t("rollup.on_track_share"),
                d.t("national.change"),
                *(d.status(s) for s in STATUS_ORDER),
            ],
            (
                [
                    r.code,
                    r.name,
                    d.period(r.as_of),
                    d.status(r.rollup.status),
                    _percent(r.rollup.on_track_share),
                    None if r.change is None else round(r.change, 1),
                    *(r.counts[s] for s in STATUS_ORDER),
                ]
                for r in regions
            ),
        ),
        sheet(
            "report.sheet_goals",
            [
                d.t("app.region"),
                d.t("col.code"),
                d.t("col.goal"),
                d.t("col.status"),
                d.t("rollup.on_track_share"),
                *(d.status(s) for s in STATUS_ORDER),
            ],
            (
                [
                    r.name,
                    g.code,
                    g.title,
                    d.status(g.status),
                    _percent(g.rollup.on_track_share),
                    *(g.rollup.counts[s] for s in STATUS_ORDER),
                ]
                for r in summary.regions
                for g in r.goals
            ),
        ),
        sheet(
            "report.sheet_targets",
            [
                d.t("app.region"),
                d.t("col.goal"),
                d.t("col.hub"),
                d.t("col.indicator"),
                d.t("col.unit"),
                d.t("col.compared"),
                d.t("col.expected"),
                achievement,
                d.t("col.status"),
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
                    None if x.achievement is None else round(x.achievement, 1),
                    d.status(x.status),
                ]
                for r in summary.regions
                for g in r.goals
                for x in g.targets
            ),
        ),
        sheet(
            "report.sheet_quarters",
            [d.t("col.period"), *(d.status(s) for s in STATUS_ORDER), d.t("executive.median_achievement")],
            (
                [
                    d.period(FiscalQuarter(int(fy), int(q))),
                    *(int(trend.loc[(fy, q), s.value]) for s in STATUS_ORDER),
                    median.get((fy, q)),
                ]
                for fy, q in trend.index
            ),
        ),
        sheet(
            "report.sheet_risks",
            [
                d.t("app.region"),
                d.t("col.hub"),
                d.t("col.indicator"),
                d.t("col.compared"),
                d.t("col.expected"),
                d.t("col.unit"),
                achievement,
                d.t("executive.behind"),
                d.t("col.status"),
            ],
            (
                [
                    r["region"],
                    r["hub"],
                    r["indicator"],
                    r["actual"],
                    r["expected"],
                    r["unit"],
                    r["achievement"],
                    r["behind"],
                    d.status(Status(r["status"])),
                ]
                for r in _records(summary.risks)
            ),
        ),
        sheet(
            "report.sheet_pdca",
            [
                d.t("col.hub") if summary.region_id else d.t("app.region"),
                d.t("executive.closed_cycles"),
                d.t("executive.cycles"),
                d.t("executive.pdca_completion_axis"),
            ],
            ([r["row"], r["closed"], r["cycles"], r["completion"]] for r in _records(summary.pdca)),
        ),
    ]
    if summary.national is not None:
        sheets.insert(
            3,
            sheet(
                "report.sheet_goals_behind",
                [d.t("app.region"), d.t("col.code"), d.t("col.goal"), d.t("col.status"), d.t("rollup.on_track_share")],
                (
                    [
                        g.region,
                        g.goal.code,
                        g.goal.title,
                        d.status(g.goal.status),
                        _percent(g.goal.rollup.on_track_share),
                    ]
                    for g in summary.national.goals_behind
                ),
            ),
        )
    return sheets


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def executive_xlsx(summary: ExecutiveSummary, d: Display) -> bytes:
    """The executive report's numbers as an .xlsx workbook, statuses coloured as on the page."""
    book = workbook(_sheets(summary, d))
    labels = {d.status(s): s for s in Status}
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value in labels:
                    status = labels[cell.value]
                    cell.fill = PatternFill("solid", fgColor=STATUS_COLORS[status].lstrip("#"))
                    cell.font = Font(color="000000" if status is Status.AT_RISK else "FFFFFF")
        for n, cells in enumerate(ws.iter_cols(max_row=200), start=1):
            width = max(len(str(c.value or "")) for c in cells)
            ws.column_dimensions[get_column_letter(n)].width = min(60, width * 1.6 + 2)
    return xlsx_bytes(book)
