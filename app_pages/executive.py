"""Executive summary of one region or all regions, as of the latest complete quarter (or a chosen one): the national
picture, statuses, goals by the roll-up rule with their drill-down, top risks, trend, PDCA; reports."""

import streamlit as st

from hubdash import charts, ui
from hubdash.domain.permissions import Permission, allows
from hubdash.services.executive import executive_summary
from hubdash.services.reporting import reporting
from hubdash.ui import executive as executive_ui
from hubdash.ui import national as national_ui
from hubdash.ui import reports as reports_ui

region_id = ui.require_region()
ui.page_title("executive.title")
lang = ui.language()
link = {ui.t("executive.detail"): st.column_config.LinkColumn(display_text=ui.t("executive.open"))}

scope_col, quarter_col = st.columns(2)
scope = scope_col.segmented_control(
    ui.t("executive.scope"),
    ["region", "all"] if ui.actor().region_id is None else ["region"],  # a regional reader: their region only
    format_func=lambda s: ui.t("executive.this_region") if s == "region" else ui.t("executive.all_regions"),
    default="region",
    key="executive-scope",
)
scope_region = None if scope == "all" and ui.actor().region_id is None else region_id
latest = ui.read(reporting, region_id=scope_region).latest
at = quarter_col.selectbox(
    ui.t("executive.quarter"),
    [None, *([latest - n for n in range(12)] if latest else [])],
    format_func=lambda q: ui.fmt.period(q) if q else ui.t("executive.latest_complete"),
    placeholder=ui.t("common.choose"),
)
summary = ui.read_shared(executive_summary, region_id=scope_region, at=at)
views = executive_ui.cached_views(summary, scope_region, at)
name = summary.regions[0].name if scope_region and summary.regions else ui.t("executive.all_regions")
executive_ui.heading(summary, name)
national_ui.national_summary(summary, views)

st.subheader(ui.t("executive.statuses"))
ui.status_metrics(summary.counts)
ui.chart_view(views["counts"], key="chart-counts")
if scope_region:
    st.markdown(f"[{ui.t('executive.to_dashboard')}](dashboard?region={int(region_id)})")

st.subheader(ui.t("executive.traffic_lights"))
st.caption(ui.fmt.rollup_rule())
ui.chart_view(views["lights"], column_config=link, key="chart-lights")
if summary.goal_titles:
    st.caption(ui.literal(" / ".join(f"{code}: {title}" for code, title in summary.goal_titles.items())))
if scope_region:
    st.markdown(f"**{ui.t('rollup.drilldown')}**")
    executive_ui.goal_drilldown(summary)

st.subheader(ui.t("executive.top_risks"))
if summary.risks.empty:
    st.info(ui.t("executive.no_risks"))
else:
    executive_ui.risks(charts.risk_table(summary.risks, lang, with_region=not scope_region), link)
    st.caption(ui.t("executive.behind_help"))

st.subheader(ui.t("executive.by_quarter"))
trend_col, achievement_col = st.columns(2)
with trend_col:
    ui.chart_view(views["trend"], key="chart-trend")
with achievement_col:
    ui.chart_view(views["achievement"], key="chart-achievement")

st.subheader(ui.t("executive.pdca_completion"))
if summary.pdca.empty:
    st.info(ui.t("dashboard.no_cycles"))
else:
    ui.chart_view(views["pdca"], column_config=link, key="chart-pdca")
    st.caption(ui.t("executive.pdca_help"))

if allows(ui.actor(), Permission.EXPORT_REPORTS, region_id=scope_region):
    st.subheader(ui.t("executive.reports"))
    reports_ui.report_downloads(summary, scope_region, at)
