"""Progress: one hub's indicators in one quarter, with last quarter, the expected value and the status."""

import pandas as pd
import streamlit as st

from hubdash import ui
from hubdash.periods import FiscalQuarter, current_quarter
from hubdash.services.progress import hub_quarter, latest_quarter
from hubdash.services.regions import list_hubs

region_id = ui.require_region()
ui.page_title("progress.title")

hubs = ui.read(list_hubs, region_id=region_id)
if not hubs:
    st.info(ui.t("progress.no_hubs"))
    st.stop()
latest = ui.read(latest_quarter, region_id=region_id) or current_quarter().previous()
quarters = [latest + 1 - n for n in range(0, 13)]

left, right = st.columns(2)
hub = left.selectbox(ui.t("col.hub"), hubs, format_func=lambda h: f"{h.code} {h.name}")
period: FiscalQuarter = right.selectbox(ui.t("col.period"), quarters, index=1, format_func=ui.period_label)

rows = ui.read(hub_quarter, hub_id=hub.id, at=period)
entered = sum(r.value is not None for r in rows)
st.caption(ui.t("progress.entered", entered=entered, total=len(rows), period=ui.period_label(period)))
st.dataframe(
    pd.DataFrame(
        {
            ui.t("col.code"): [r.indicator_code for r in rows],
            ui.t("col.indicator"): [r.indicator_name for r in rows],
            ui.t("col.unit"): [r.unit for r in rows],
            ui.t("col.previous"): [ui.number(r.previous) for r in rows],
            ui.t("col.value"): [ui.number(r.value) for r in rows],
            ui.t("col.compared"): [ui.number(r.assessment.actual if r.assessment else None) for r in rows],
            ui.t("col.expected"): [ui.number(r.expected) for r in rows],
            ui.t("col.status"): [ui.status_text(r.assessment.status) if r.assessment else "–" for r in rows],
            ui.t("col.note"): [r.note for r in rows],
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption(ui.t("progress.compared_help"))
