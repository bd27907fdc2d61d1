"""The PDCA overview's tables and chart: the stage board (the newest quarter first, hubs by name), the hubs that
have not started this quarter's cycle (by region when the overview covers every region), the completion rate."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pandas as pd
import streamlit as st

from hubdash import charts
from hubdash.charts import ChartView
from hubdash.domain.enums import PdcaStage
from hubdash.services.pdca import PdcaOverview
from hubdash.ui import fmt
from hubdash.ui.chart_cache import cached_view
from hubdash.ui.session import display, label, language, t
from hubdash.ui.tables import row_px_to_fit, table

BOARD_ROWS = 20  # rows in view before the board scrolls (a region has a few hubs, the country 188)


def _names(overview: PdcaOverview, every_region: bool) -> dict[str, list[str]]:
    """The columns that name each hub: its region (across regions) and the hub as "H1 name"."""
    hub_names = [overview.names[name][1] for name in overview.hubs]
    named = {t("col.hub"): hub_names}
    return {t("col.region"): [overview.regions.get(h, "") for h in overview.hubs]} | named if every_region else named


def stage_board(overview: PdcaOverview, every_region: bool) -> None:
    """The stage of every hub's cycle by quarter, the newest quarter first so that it is always in view."""
    names = _names(overview, every_region)
    periods = sorted(overview.periods, reverse=True)
    shown = {stage: label(stage) for stage in PdcaStage}  # translated once, not once per cell (188 hubs x 8)
    stages = {
        fmt.period(p): [shown[s] if (s := overview.stages.get((h, p))) else "–" for h in overview.hubs] for p in periods
    }
    # the names pinned, then the five (Japanese) or six newest quarters in view at 1400 px, older ones to the right
    widths = {t("col.region"): 110, t("col.hub"): 280}
    frame = pd.DataFrame(names | stages)
    table(
        frame,
        max_rows=BOARD_ROWS,
        column_config={name: st.column_config.Column(width=widths[name], pinned=True) for name in names}
        | {name: st.column_config.Column(width=124 if display().lang == "ja" else 95) for name in stages},
        row_height=row_px_to_fit(frame, {name: widths[name] for name in names}),
    )


def not_started(overview: PdcaOverview, every_region: bool) -> None:
    """The hubs without a cycle for this quarter: by name, or per region with their count across regions."""
    if not every_region:
        table(pd.DataFrame({t("col.hub"): overview.not_started}), max_rows=10)
        return
    by_region: dict[str, list[str]] = defaultdict(list)
    for hub in overview.not_started:
        by_region[overview.regions.get(hub, "")].append(overview.names[hub][0])
    table(
        pd.DataFrame(
            {
                t("col.region"): list(by_region),
                t("pdca_overview.hub_count"): [len(codes) for codes in by_region.values()],
                t("col.hub"): [", ".join(codes) for codes in by_region.values()],
            }
        ),
        max_rows=10,
        column_config={t("col.region"): st.column_config.Column(width=140)},
    )


def overdue(overview: PdcaOverview) -> None:
    """The open action items past their due date: when and how far first, then whose and what."""
    late = overview.overdue
    statuses = {status: label(status) for status in {a.status for a in late}}  # each translated once
    periods = {period: fmt.period(period) for period in {a.cycle_period for a in late}}
    columns = {
        t("col.due"): [a.due_date.isoformat() for a in late],
        t("col.action_status"): [statuses[a.status] for a in late],
        t("col.hub"): [a.hub for a in late],
        t("col.action"): [a.title for a in late],
        t("col.owner"): [a.owner for a in late],
        t("col.period"): [periods[a.cycle_period] for a in late],
    }
    # 935 px: every column in view at 1400 px (statuses run longer in English)
    sizes = (95, 60, 280, 230, 130, 135) if display().lang == "ja" else (95, 95, 250, 250, 155, 85)
    widths = dict(zip(columns, sizes, strict=True))
    frame = pd.DataFrame(columns)
    table(
        frame,
        max_rows=15,
        column_config={name: st.column_config.Column(width=w) for name, w in widths.items()},
        row_height=row_px_to_fit(frame, widths),
    )


def completion_chart(overview: PdcaOverview, region_id: int | None, today: date) -> None:
    """The completion rate by quarter, its chart built once per data version, scope, day and language."""

    def build() -> ChartView:
        rates = overview.completion_pct()
        frame = pd.DataFrame({"period": [fmt.period(p) for p, _ in rates], "rate": [r for _, r in rates]})
        titles = {"period": t("col.period"), "rate": t("pdca_overview.completion_axis")}
        return ChartView(charts.completion_rate(frame, titles), frame)

    st.vega_lite_chart(cached_view(("pdca_overview", language(), region_id, today), build).spec, width="stretch")
