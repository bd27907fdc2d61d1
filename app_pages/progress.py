"""Progress: enter one hub's values for a quarter and submit it, upload a file of values, download values and
entry workbooks."""

import streamlit as st

from hubdash import ui
from hubdash.domain.periods import FiscalQuarter, current_quarter
from hubdash.domain.permissions import Permission, allows
from hubdash.services.progress import entered_values, hub_quarter, latest_quarter, quarter_corrections
from hubdash.services.regions import list_hubs
from hubdash.services.reporting import hub_quarter_state
from hubdash.ui import progress as progress_ui
from hubdash.ui import progress_tables, progress_upload
from hubdash.ui import reporting as reporting_ui
from hubdash.ui.tables import table

region_id = ui.require_region()
ui.page_title("progress.title")
ui.show_flash()

hubs = ui.read(list_hubs, region_id=region_id)
if not hubs:
    st.info(ui.t("progress.no_hubs"))
    st.stop()
latest = ui.read(latest_quarter, region_id=region_id) or current_quarter().previous()
quarters = [latest + 1 - n for n in range(0, 13)]

left, right = st.columns(2)
hub = left.selectbox(
    ui.t("col.hub"), hubs, format_func=lambda h: ui.fmt.coded(h.code, h.name), placeholder=ui.t("common.choose")
)
period: FiscalQuarter = right.selectbox(
    ui.t("col.period"), quarters, index=1, format_func=ui.fmt.period, placeholder=ui.t("common.choose")
)

rows = ui.read(hub_quarter, hub_id=hub.id, at=period)
stored = ui.read(entered_values, hub_id=hub.id, at=period)
entered = sum(r.value is not None for r in rows)
st.caption(ui.md("progress.entered", entered=entered, total=len(rows), period=ui.fmt.period(period)))
who = ui.actor()
editable = allows(who, Permission.ENTER_PROGRESS, region_id=region_id, hub_id=hub.id)
progress_ui.entry_table(hub, period, rows, stored, editable=editable)
if editable:
    state = ui.read(hub_quarter_state, hub_id=hub.id, period=period)
    reporting_ui.submit_box(hub, period, state, progress_ui.next_round)

corrections = ui.read(quarter_corrections, hub_id=hub.id, at=period)
with st.expander(ui.t("progress.corrections", count=len(corrections))):
    table(progress_tables.corrections_table(corrections), empty="progress.no_corrections")

if any(allows(who, Permission.ENTER_PROGRESS, region_id=region_id, hub_id=h.id) for h in hubs):
    progress_upload.upload(st.session_state.get(progress_ui.ROUND_KEY, 0), progress_ui.next_round, region_id)
progress_ui.downloads(ui.region_name(region_id), region_id, hub, period)
