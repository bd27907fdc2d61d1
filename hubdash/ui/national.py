"""The national picture at the head of the all-regions executive summary: how the regions stand, ranked by share
on track and by change since the quarter before, and the goals most behind across regions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from hubdash.charts import ChartView, detail_link
from hubdash.domain.enums import Status
from hubdash.services.executive import ExecutiveSummary, RegionSummary
from hubdash.ui import fmt
from hubdash.ui.chart_cache import ChartSpec
from hubdash.ui.executive import goals_most_behind
from hubdash.ui.session import t
from hubdash.ui.tables import table
from hubdash.ui.text import md
from hubdash.ui.widgets import chart_view, status_metrics

MOVERS = 5
LINK = {"executive.detail": "executive.open"}


def _link_config() -> dict[str, Any]:
    return {t(column): st.column_config.LinkColumn(display_text=t(text)) for column, text in LINK.items()}


def _movers(regions: list[RegionSummary]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("app.region"): [r.name for r in regions],
            t("national.change"): [f"{r.change:+.0f}" if r.change is not None else "–" for r in regions],
            t("rollup.on_track_share"): [fmt.share(r.rollup.on_track_share) for r in regions],
            t("col.status"): [fmt.status(r.rollup.status) for r in regions],
            t("executive.detail"): [detail_link(r.id) for r in regions],
        }
    )


def national_summary(summary: ExecutiveSummary, views: Mapping[str, ChartView | ChartSpec]) -> None:
    """The national summary: target statuses, regions by roll-up, the rankings and the goals most behind."""
    national = summary.national
    if national is None:
        return
    st.header(t("national.title"))
    share = fmt.share(summary.rollup.on_track_share)
    st.markdown(md("national.lead", share=share, regions=len(summary.regions), targets=summary.rollup.total))
    status_metrics(summary.counts)
    st.caption(t("national.regions_by_status"))
    for column, status in zip(st.columns(len(Status)), Status, strict=True):
        column.metric(fmt.status(status), national.regions_by_status[status], border=True)
    st.caption(fmt.rollup_rule())

    st.subheader(t("national.ranking"))
    chart_view(views["ranking"], column_config=_link_config(), key="chart-ranking")
    changed = [r for r in national.by_change if r.change is not None]
    if changed:
        st.subheader(t("national.movers"))
        up, down = st.columns(2)
        up.caption(t("national.risers"))
        table(_movers(changed[:MOVERS]), column_config=_link_config(), container=up)
        down.caption(t("national.fallers"))
        table(_movers(changed[::-1][:MOVERS]), column_config=_link_config(), container=down)

    st.subheader(t("national.goals_behind"))
    table(goals_most_behind(summary), column_config=_link_config(), max_rows=12)
    st.divider()
    st.header(t("national.detail"))
