"""Dashboard: one target's actual values against its expected path, quarter by quarter."""

import pandas as pd
import streamlit as st

from hubdash import charts, ui
from hubdash.enums import Status
from hubdash.services.indicators import region_targets
from hubdash.services.progress import target_series

region_id = ui.require_region()
ui.page_title("dashboard.title")

targets = ui.read(region_targets, region_id=region_id)
if not targets:
    st.info(ui.t("dashboard.empty"))
    st.stop()
scopes = list(dict.fromkeys(hub.code if hub else "" for _, _, hub in targets))
hub_names = {hub.code: hub.name for _, _, hub in targets if hub}
left, right = st.columns(2)
scope = left.selectbox(ui.t("col.hub"), scopes, format_func=lambda c: hub_names.get(c, ui.t("indicators.whole_region")))
choices = [(tg, ind) for tg, ind, hub in targets if (hub.code if hub else "") == scope]
target, indicator = right.selectbox(ui.t("col.indicator"), choices, format_func=lambda p: f"{p[1].code} {p[1].name}")

spec, points = ui.read(target_series, target_id=target.id)
labels = {s: ui.label(s) for s in Status}
frame = pd.DataFrame(
    {
        "period": [ui.period_label(p.period) for p in points],
        "actual": [p.actual for p in points],
        "expected": [p.expected for p in points],
        "status_label": [labels[p.status] for p in points],
    }
)
titles = {
    "period": ui.t("col.period"),
    "value": f"{indicator.name} ({indicator.unit})",
    "expected": ui.t("col.expected"),
    "actual": ui.t("col.compared"),
}
chart_tab, table_tab = st.tabs([ui.t("common.chart"), ui.t("common.table")])
chart_tab.altair_chart(charts.target_path(frame, labels, titles), width="stretch")
table_tab.dataframe(
    frame.rename(
        columns={
            "period": titles["period"],
            "actual": titles["actual"],
            "expected": titles["expected"],
            "status_label": ui.t("col.status"),
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption(ui.t("progress.compared_help"))
