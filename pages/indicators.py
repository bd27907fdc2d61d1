"""Indicators: the region's KPI catalogue and the baselines and targets of each hub."""

import pandas as pd
import streamlit as st

from hubdash import ui
from hubdash.periods import FiscalQuarter
from hubdash.services.indicators import indicator_catalogue, region_targets

region_id = ui.require_region()
ui.page_title("indicators.title")

catalogue = ui.read(indicator_catalogue, region_id=region_id)
st.subheader(ui.t("indicators.catalogue"))
st.dataframe(
    pd.DataFrame(
        {
            ui.t("col.code"): [e.indicator.code for e in catalogue],
            ui.t("col.indicator"): [e.indicator.name for e in catalogue],
            ui.t("col.unit"): [e.indicator.unit for e in catalogue],
            ui.t("col.kind"): [ui.label(e.indicator.kind) for e in catalogue],
            ui.t("col.measure"): [ui.label(e.indicator.measure) for e in catalogue],
            ui.t("col.direction"): [ui.label(e.indicator.direction) for e in catalogue],
            ui.t("col.goal"): [e.goal_code or "–" for e in catalogue],
            ui.t("col.targets"): [e.targets for e in catalogue],
            ui.t("col.definition"): [e.indicator.definition for e in catalogue],
        }
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(ui.t("indicators.targets"))
targets = ui.read(region_targets, region_id=region_id)
st.dataframe(
    pd.DataFrame(
        {
            ui.t("col.hub"): [hub.name if hub else ui.t("indicators.whole_region") for _, _, hub in targets],
            ui.t("col.indicator"): [f"{ind.code} {ind.name}" for _, ind, _ in targets],
            ui.t("col.baseline"): [ui.number(tg.baseline_value) for tg, _, _ in targets],
            ui.t("col.baseline_period"): [
                ui.period_label(FiscalQuarter(tg.baseline_fy, tg.baseline_quarter)) for tg, _, _ in targets
            ],
            ui.t("col.target"): [ui.number(tg.target_value) for tg, _, _ in targets],
            ui.t("col.target_period"): [
                ui.period_label(FiscalQuarter(tg.target_fy, tg.target_quarter)) for tg, _, _ in targets
            ],
            ui.t("col.unit"): [ind.unit for _, ind, _ in targets],
            ui.t("col.accumulation"): [
                ui.label(tg.accumulation) if ind.measure == "flow" else "–" for tg, ind, _ in targets
            ],
        }
    ),
    hide_index=True,
    width="stretch",
)
