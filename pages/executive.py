"""Executive summary: status counts, hubs by strategic goal as traffic lights, the top risks."""

import pandas as pd
import streamlit as st

from hubdash import charts, ui
from hubdash.enums import IndicatorKind, Status
from hubdash.services.progress import traffic_lights
from hubdash.services.regions import region_overview

region_id = ui.require_region()
ui.page_title("executive.title")
overview = ui.read(region_overview, region_id=region_id)
if overview is None:
    st.stop()

st.caption(ui.t("executive.as_of", region=overview.region.name, period=ui.period_label(overview.latest)))
ui.status_metrics(overview.statuses)
st.altair_chart(charts.status_bar(ui.status_frame(overview.statuses), ui.t("home.targets")), width="stretch")

st.subheader(ui.t("executive.traffic_lights"))
lights = traffic_lights(overview.progress)
st.dataframe(
    pd.DataFrame(
        {
            goal.code: [
                ui.status_text(lights[(hub.code, goal.code)]) if (hub.code, goal.code) in lights else ""
                for hub in overview.hubs
            ]
            for goal in overview.goals
        },
        index=pd.Index([f"{h.code} {h.name}" for h in overview.hubs], name=ui.t("col.hub")),
    ),
    width="stretch",
)
st.caption(" / ".join(f"{g.code}: {g.title}" for g in overview.goals))

st.subheader(ui.t("executive.top_risks"))
risks = sorted(
    (p for p in overview.progress if p.kind is IndicatorKind.OUTCOME and p.status is Status.OFF_TRACK),
    key=lambda p: p.assessment.achievement_pct if p.assessment.achievement_pct is not None else 0.0,
)[:10]
st.dataframe(
    pd.DataFrame(
        {
            ui.t("col.hub"): [p.hub_name or ui.t("indicators.whole_region") for p in risks],
            ui.t("col.indicator"): [f"{p.indicator_code} {p.indicator_name}" for p in risks],
            ui.t("col.compared"): [ui.number(p.assessment.actual) for p in risks],
            ui.t("col.expected"): [ui.number(p.assessment.expected) for p in risks],
            ui.t("col.achievement"): [ui.number(p.assessment.achievement_pct, 0) + " %" for p in risks],
            ui.t("col.unit"): [p.unit for p in risks],
        }
    ),
    hide_index=True,
    width="stretch",
)
