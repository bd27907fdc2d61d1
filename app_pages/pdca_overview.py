"""PDCA overview for the council: stages by hub and quarter, overdue actions, hubs not started, completion rate."""

from datetime import date

import pandas as pd
import streamlit as st

from hubdash import charts, ui
from hubdash.services.pdca import pdca_overview

region_id = ui.require_region()
ui.page_title("pdca_overview.title")

every_region = ui.actor().region_id is None and st.toggle(ui.t("pdca_overview.all_regions"), key="pdca_all_regions")
overview = ui.read(pdca_overview, region_id=None if every_region else region_id, today=date.today())
if not overview.stages:
    st.info(ui.t("pdca_overview.empty"))
    st.stop()

current = ui.fmt.period(overview.current)
rates = overview.completion_pct()
last_done = rates[-2] if len(rates) > 1 else rates[-1]  # the current quarter's cycles are still running
left, middle, right = st.columns(3)
left.metric(ui.md("pdca_overview.not_started", period=current), len(overview.not_started))
middle.metric(ui.t("pdca_overview.overdue"), len(overview.overdue))
right.metric(ui.md("pdca_overview.completion_now", period=ui.fmt.period(last_done[0])), f"{last_done[1]:.0f}%")

st.subheader(ui.t("pdca_overview.board"))
st.dataframe(
    pd.DataFrame(
        {
            ui.fmt.period(p): [ui.label(s) if (s := overview.stages.get((h, p))) else "–" for h in overview.hubs]
            for p in overview.periods
        },
        index=pd.Index(overview.hubs, name=ui.t("col.hub")),
    ),
    width="stretch",
)

st.subheader(ui.md("pdca_overview.not_started", period=current))
if overview.not_started:
    st.markdown(ui.literal(" · ".join(overview.not_started)))
else:
    st.success(ui.t("pdca_overview.all_started"))

st.subheader(ui.t("pdca_overview.overdue"))
if overview.overdue:
    st.dataframe(
        pd.DataFrame(
            {
                ui.t("col.hub"): [a.hub_code for a in overview.overdue],
                ui.t("col.period"): [ui.fmt.period(a.cycle_period) for a in overview.overdue],
                ui.t("col.action"): [a.title for a in overview.overdue],
                ui.t("col.owner"): [a.owner for a in overview.overdue],
                ui.t("col.due"): [a.due_date.isoformat() for a in overview.overdue],
                ui.t("col.action_status"): [ui.label(a.status) for a in overview.overdue],
            }
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.success(ui.t("pdca_overview.no_overdue"))

st.subheader(ui.t("pdca_overview.completion"))
frame = pd.DataFrame({"period": [ui.fmt.period(p) for p, _ in rates], "rate": [r for _, r in rates]})
titles = {"period": ui.t("col.period"), "rate": ui.t("pdca_overview.completion_axis")}
st.altair_chart(charts.completion_rate(frame, titles), width="stretch")
