"""Executive summary of one region or all regions: statuses, traffic lights, top risks, trend, PDCA; reports."""

import streamlit as st

from hubdash import charts, ui
from hubdash.domain.periods import fiscal_year_label
from hubdash.domain.permissions import Permission, allows
from hubdash.services.dashboard import dashboard_options
from hubdash.services.executive import executive_summary
from hubdash.ui import executive as executive_ui

region_id = ui.require_region()
ui.page_title("executive.title")
lang = ui.language()
link = {ui.t("executive.detail"): st.column_config.LinkColumn(display_text=ui.t("executive.open"))}

scope_col, year_col = st.columns(2)
scope = scope_col.segmented_control(
    ui.t("executive.scope"),
    ["region", "all"],
    format_func=lambda s: ui.t("executive.this_region") if s == "region" else ui.t("executive.all_regions"),
    default="region",
)
years = ui.read(dashboard_options, region_id=region_id).fiscal_years
fiscal_year = year_col.selectbox(
    ui.t("dashboard.fiscal_year"),
    [None, *reversed(years)],
    format_func=lambda y: fiscal_year_label(y, lang) if y else ui.t("dashboard.latest"),
)
scope_region = None if scope == "all" else region_id
summary = ui.read(executive_summary, region_id=scope_region, fiscal_year=fiscal_year)
views = executive_ui.executive_views(summary, lang)
name = summary.regions[0].name if scope_region and summary.regions else ui.t("executive.all_regions")
st.caption(ui.t("executive.as_of", region=name, period=ui.fmt.period(summary.as_of)))

st.subheader(ui.t("executive.statuses"))
ui.status_metrics(summary.counts)
ui.chart_view(views["counts"])
if scope_region:
    st.markdown(f"[{ui.t('executive.to_dashboard')}](dashboard?region={region_id})")

st.subheader(ui.t("executive.traffic_lights"))
ui.chart_view(views["lights"], column_config=link)
if summary.goal_titles:
    st.caption(" / ".join(f"{code}: {title}" for code, title in summary.goal_titles.items()))

st.subheader(ui.t("executive.top_risks"))
if summary.risks.empty:
    st.info(ui.t("executive.no_risks"))
else:
    st.dataframe(charts.risk_table(summary.risks, lang), hide_index=True, width="stretch", column_config=link)
    st.caption(ui.t("executive.behind_help"))

st.subheader(ui.t("executive.by_quarter"))
trend_col, achievement_col = st.columns(2)
with trend_col:
    ui.chart_view(views["trend"])
with achievement_col:
    ui.chart_view(views["achievement"])

st.subheader(ui.t("executive.pdca_completion"))
if summary.pdca.empty:
    st.info(ui.t("dashboard.no_cycles"))
else:
    ui.chart_view(views["pdca"], column_config=link)
    st.caption(ui.t("executive.pdca_help"))

if allows(ui.actor(), Permission.EXPORT_REPORTS, region_id=scope_region):
    st.subheader(ui.t("executive.reports"))
    executive_ui.report_downloads(summary, scope_region, fiscal_year)
