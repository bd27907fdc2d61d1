"""The executive summary's parts: its heading (as of which quarter), the charts, the goals' drill-down and reports."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from hubdash import charts, i18n
from hubdash.charts import ChartView
from hubdash.domain.enums import Status
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.rollup import behind_order
from hubdash.services.executive import ExecutiveSummary, GoalStatus
from hubdash.ui import fmt
from hubdash.ui import reporting as reporting_ui
from hubdash.ui.chart_cache import ChartSpec
from hubdash.ui.chart_cache import cached_views as cached
from hubdash.ui.session import language, t
from hubdash.ui.tables import row_px_to_fit, table
from hubdash.ui.text import literal, md


def executive_views(summary: ExecutiveSummary, lang: str) -> dict[str, ChartView]:
    """Every chart of the executive summary page, built from the summary alone (no Streamlit call)."""
    row_title = i18n.t("col.hub" if summary.region_id is not None else "app.region", lang)
    views = {
        "counts": charts.status_counts(summary.counts, lang),
        "lights": charts.traffic_lights(summary.lights, lang, row_title),
        "trend": charts.status_trend(summary.trend, lang),
        "achievement": charts.achievement_by_quarter(summary.achievement, lang),
        "pdca": charts.pdca_completion(summary.pdca, lang, row_title),
    }
    if summary.national is not None:
        views["ranking"] = charts.region_ranking(ranking_frame(summary), lang)
    return views


def cached_views(summary: ExecutiveSummary, region_id: int | None, at: FiscalQuarter | None) -> dict[str, ChartSpec]:
    """executive_views of the summary of this scope and quarter, built once per data version and language."""
    lang = language()
    return cached(("executive", lang, region_id, at), lambda: executive_views(summary, lang))


def ranking_frame(summary: ExecutiveSummary) -> pd.DataFrame:
    """The regions in rank order by share on track, for charts.region_ranking."""
    regions = summary.national.by_share if summary.national else []
    return pd.DataFrame(
        [
            {
                "region": r.name,
                "region_id": r.id,
                "status": r.rollup.status.value,
                "on_track": None if r.rollup.on_track_share is None else round(r.rollup.on_track_share * 100),
                "change": None if r.change is None else round(r.change),
                "known": r.rollup.known,
            }
            for r in regions
        ],
        columns=["region", "region_id", "status", "on_track", "change", "known"],
    )


def heading(summary: ExecutiveSummary, scope: str) -> None:
    """Which quarter the summary is as of, whether every hub has submitted it, and the newer quarters."""
    st.markdown(f"**{md('executive.as_of', region=scope, period=fmt.period(summary.as_of))}**")
    reporting_ui.as_of(summary.as_of, summary.complete, summary.coverage)
    reporting_ui.newer_quarters(summary.newer)


def risks(frame: pd.DataFrame, link: dict[str, Any]) -> None:
    """The top risks with the column they are ranked by first, and every column in view at 1400 px."""
    # 935 px: every column and header in view at 1400 px (headers and units run longer in English)
    sizes = (115, 80, 215, 205, 75, 65, 65, 62, 48) if language() == "ja" else (110, 85, 185, 180, 105, 75, 70, 75, 40)
    widths = dict(zip(frame.columns, sizes, strict=False))
    table(
        frame,
        max_rows=10,
        column_config={c: st.column_config.Column(width=w) for c, w in widths.items()} | link,
        row_height=row_px_to_fit(frame, {c: w for c, w in widths.items() if c not in link}),  # a link reads 'open'
    )


def goal_label(goal: GoalStatus) -> str:
    """A goal as its drill-down names it: code, title, status and how many of its targets are on track."""
    counts = t("rollup.counts", on_track=goal.rollup.counts[Status.ON_TRACK], known=goal.rollup.known)
    return f"{goal.code} {goal.title} · {fmt.status(goal.status)} · {counts}"


def goal_drilldown(summary: ExecutiveSummary) -> None:
    """Each goal of the region with the targets that make its colour first, then the others."""
    for goal in (g for region in summary.regions for g in region.goals):
        # only an opened goal's table is built and sent
        expander = st.expander(literal(goal_label(goal)), key=f"goal-{goal.code}", on_change="rerun")
        if not expander.open:
            continue
        with expander:
            deciding = goal.deciding()
            if deciding:
                st.caption(md("rollup.deciding", count=len(deciding), status=fmt.status(goal.status)))
            others = sorted((x for x in goal.targets if x not in deciding), key=lambda x: -(x.behind or 0.0))
            table(
                pd.DataFrame(
                    {
                        t("col.hub"): [x.hub for x in deciding + others],
                        t("col.indicator"): [x.indicator for x in deciding + others],
                        t("col.status"): [fmt.status(x.status) for x in deciding + others],
                        t("col.compared"): [fmt.number(x.actual, 2) for x in deciding + others],
                        t("col.expected"): [fmt.number(x.expected, 2) for x in deciding + others],
                        t("executive.behind"): [fmt.number(x.behind) for x in deciding + others],
                    }
                ),
            )


def goals_most_behind(summary: ExecutiveSummary) -> pd.DataFrame:
    """The national list of goals most behind: region, goal, roll-up status, share on track, counts, link."""
    goals = summary.national.goals_behind if summary.national else []
    ranked = sorted(goals, key=lambda g: behind_order(g.goal.rollup))
    return pd.DataFrame(
        {
            t("app.region"): [g.region for g in ranked],
            t("col.goal"): [fmt.coded(g.goal.code, g.goal.title) for g in ranked],
            t("col.status"): [fmt.status(g.goal.status) for g in ranked],
            t("rollup.on_track_share"): [fmt.share(g.goal.rollup.on_track_share) for g in ranked],
            t("rollup.off_track_share"): [fmt.share(g.goal.rollup.off_track_share) for g in ranked],
            t("rollup.with_data"): [g.goal.rollup.known for g in ranked],
            t("executive.detail"): [charts.detail_link(g.region_id) for g in ranked],
        }
    )
