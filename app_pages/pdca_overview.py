"""PDCA overview for the council: stages by hub and quarter, overdue actions, hubs not started, completion rate."""

from datetime import datetime

import streamlit as st

from hubdash import ui
from hubdash.services.pdca import pdca_overview
from hubdash.ui import pdca_board

region_id = ui.require_region()
ui.page_title("pdca_overview.title")

every_region = ui.actor().region_id is None and st.toggle(ui.t("pdca_overview.all_regions"), key="pdca_all_regions")
today = datetime.now(ui.display().tz).date()  # the reader's day, wherever the server runs
overview = ui.read_shared(pdca_overview, region_id=None if every_region else region_id, today=today)
if not overview.stages:
    st.info(ui.t("pdca_overview.empty"))
    st.stop()

current = ui.fmt.period(overview.current)
rates = overview.completion_pct()
last_done = rates[-2] if len(rates) > 1 else rates[-1]  # the current quarter's cycles are still running
st.caption(ui.md("pdca_overview.current", period=current, hubs=len(overview.hubs)))
left, middle, right = st.columns(3)
left.metric(ui.t("pdca_overview.metric_not_started"), len(overview.not_started))
middle.metric(ui.t("pdca_overview.overdue"), len(overview.overdue))
right.metric(ui.md("pdca_overview.completion_now", period=ui.fmt.period(last_done[0])), f"{last_done[1]:.0f}%")

st.subheader(ui.t("pdca_overview.board"))
st.caption(ui.t("pdca_overview.board_help"))
pdca_board.stage_board(overview, every_region)

st.subheader(ui.md("pdca_overview.not_started", period=current))
if overview.not_started:
    pdca_board.not_started(overview, every_region)
else:
    st.success(ui.t("pdca_overview.all_started"))

st.subheader(ui.t("pdca_overview.overdue"))
if overview.overdue:
    pdca_board.overdue(overview)
else:
    st.success(ui.t("pdca_overview.no_overdue"))

st.subheader(ui.t("pdca_overview.completion"))
pdca_board.completion_chart(overview, None if every_region else region_id, today)
