"""PDCA: the stage of every hub's cycle by quarter, and one cycle with its plan, check, act and actions."""

import pandas as pd
import streamlit as st

from hubdash import ui
from hubdash.services.pdca import cycle_board, cycle_detail, latest_cycle_period

region_id = ui.require_region()
ui.page_title("pdca.title")

last = ui.read(latest_cycle_period, region_id=region_id)
if last is None:
    st.info(ui.t("pdca.empty"))
    st.stop()
board = ui.read(cycle_board, region_id=region_id, first=last - 7, last=last)

st.subheader(ui.t("pdca.board"))
periods = sorted({c.period for c in board})
hubs = sorted({c.hub_code for c in board})
stage_of = {(c.hub_code, c.period): ui.label(c.stage) for c in board}
st.dataframe(
    pd.DataFrame(
        {ui.period_label(p): [stage_of.get((h, p), "–") for h in hubs] for p in periods},
        index=pd.Index(hubs, name=ui.t("col.hub")),
    ),
    width="stretch",
)

st.subheader(ui.t("pdca.cycle"))
cells = {(c.hub_code, c.period): c.cycle_id for c in board}
left, right = st.columns(2)
hub_code = left.selectbox(ui.t("col.hub"), hubs)
period = right.selectbox(ui.t("col.period"), list(reversed(periods)), format_func=ui.period_label)
cycle_id = cells.get((hub_code, period))
detail = ui.read(cycle_detail, cycle_id=cycle_id) if cycle_id else None
if detail is None:
    st.info(ui.t("pdca.no_cycle"))
    st.stop()

cycle = detail.cycle
st.markdown(f"**{detail.hub.name}** · {ui.t('pdca.core_institution')}: {detail.core_institution}")
st.markdown(f"{ui.t('col.stage')}: **{ui.label(cycle.stage)}**")
plan, do, check, act = st.tabs([ui.t("stage.plan"), ui.t("stage.do"), ui.t("stage.check"), ui.t("stage.act")])
plan.markdown(cycle.objectives or "–")
do.markdown(cycle.do_summary or "–")
check.markdown(cycle.check_evaluation or "–")
if cycle.effect_rating:
    check.caption(ui.t("pdca.effect_rating", rating=cycle.effect_rating))
if cycle.future_course:
    check.caption(f"{ui.t('pdca.future_course')}: {ui.label(cycle.future_course)}")
if cycle.external_opinion:
    check.caption(f"{ui.t('pdca.external_opinion')}: {cycle.external_opinion}")
act.markdown(cycle.act_summary or "–")

st.markdown(f"**{ui.t('pdca.actions')}**")
st.dataframe(
    pd.DataFrame(
        {
            ui.t("col.action"): [a.title for a, _ in detail.actions],
            ui.t("col.owner"): [owner for _, owner in detail.actions],
            ui.t("col.due"): [a.due_date.isoformat() if a.due_date else "–" for a, _ in detail.actions],
            ui.t("col.action_status"): [ui.label(a.status) for a, _ in detail.actions],
            ui.t("col.origin"): [ui.label(a.origin) for a, _ in detail.actions],
        }
    ),
    hide_index=True,
    width="stretch",
)
