"""Progress: enter one hub's values for a quarter, upload a file of values, download values and entry workbooks."""

import pandas as pd
import streamlit as st

from hubdash import ui
from hubdash.domain.periods import FiscalQuarter, current_quarter
from hubdash.readers.progress_file import MAX_BYTES
from hubdash.services.measurements import apply_import, record_values
from hubdash.services.progress import hub_quarter, latest_quarter
from hubdash.services.progress_entry import (
    changed_entries,
    entered_values,
    entry_workbook,
    export_file,
    plan_upload,
    quarter_corrections,
)
from hubdash.services.regions import list_hubs

region_id = ui.require_region()
ui.page_title("progress.title")
state = st.session_state
if flash := state.pop("progress_flash", None):
    st.success(flash)

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
stored = ui.read(entered_values, hub_id=hub.id, at=period)
entered = sum(r.value is not None for r in rows)
st.caption(ui.t("progress.entered", entered=entered, total=len(rows), period=ui.period_label(period)))
editor_key = f"progress_editor_{hub.id}_{period.index}_{state.get('progress_round', 0)}"
COL_VALUE, COL_NOTE = ui.t("col.value"), ui.t("col.note")


def numbers(values: list[float | None]) -> list[float]:
    """Numbers for the editor, blank (NaN) where nothing is entered, so that the column stays numeric."""
    return [float("nan") if v is None else v for v in values]


edited = st.data_editor(
    pd.DataFrame(
        {
            ui.t("col.code"): [r.indicator_code for r in rows],
            ui.t("col.indicator"): [r.indicator_name for r in rows],
            ui.t("col.unit"): [r.unit for r in rows],
            ui.t("col.previous"): numbers([r.previous for r in rows]),
            COL_VALUE: numbers([r.value for r in rows]),
            COL_NOTE: [r.note for r in rows],
            ui.t("col.compared"): numbers([r.assessment.actual if r.assessment else None for r in rows]),
            ui.t("col.expected"): numbers([r.expected for r in rows]),
            ui.t("col.status"): [ui.status_text(r.assessment.status) if r.assessment else "–" for r in rows],
        },
        index=[r.indicator_id for r in rows],
    ),
    column_config={
        COL_VALUE: st.column_config.NumberColumn(COL_VALUE, help=ui.t("progress.value_help"), format="%g"),
        COL_NOTE: st.column_config.TextColumn(COL_NOTE, max_chars=1000),
    },
    disabled=[ui.t(f"col.{c}") for c in ("code", "indicator", "unit", "previous", "expected", "compared", "status")],
    hide_index=True,
    width="stretch",
    placeholder="–",
    key=editor_key,
)
st.caption(ui.t("progress.compared_help"))
notes_needed = state.get("progress_notes_needed")
if notes_needed and notes_needed[0] == editor_key:
    st.warning(ui.t("progress.notes_needed"))
    st.dataframe(ui.notes_needed_table(notes_needed[1]), hide_index=True)
if st.button(ui.t("progress.save"), type="primary", icon=":material/save:"):
    entries = changed_entries(rows, edited[COL_VALUE].to_dict(), edited[COL_NOTE].fillna("").to_dict(), stored)
    if not entries:
        st.info(ui.t("progress.nothing_changed"))
    else:
        result, problem = ui.write_checked(record_values, hub_id=hub.id, period=period, entries=entries)
        if problem is not None:
            state["progress_notes_needed"] = (editor_key, problem)
            st.rerun()
        if result is not None:
            state.pop("progress_notes_needed", None)
            state["progress_round"] = state.get("progress_round", 0) + 1
            state["progress_flash"] = ui.t("progress.saved", added=result.added, corrected=result.corrected)
            st.rerun()

corrections = ui.read(quarter_corrections, hub_id=hub.id, at=period)
with st.expander(ui.t("progress.corrections", count=len(corrections))):
    st.dataframe(ui.corrections_table(corrections), hide_index=True, width="stretch")

st.subheader(ui.t("progress.upload"))
st.caption(ui.t("progress.upload_help", mb=MAX_BYTES // (1024 * 1024)))
upload = st.file_uploader(
    ui.t("progress.upload"), type=["csv", "xlsx"], key=f"progress_upload_{state.get('progress_round', 0)}"
)
if upload is not None:
    planned = state.get("progress_plan")
    if planned is None or planned[0] != upload.file_id:
        result, problem = ui.write_checked(plan_upload, data=upload.getvalue(), filename=upload.name)
        planned = state["progress_plan"] = (upload.file_id, result, problem)
    _, upload_plan, problem = planned
    if problem is not None:
        st.error(ui.t("progress.file_errors", count=len(problem.errors)))
        st.dataframe(ui.row_errors_table(problem.errors), hide_index=True, width="stretch")
    elif upload_plan is not None:
        plan = upload_plan.plan
        counts = st.columns(3)
        counts[0].metric(ui.t("progress.new"), len(plan.new))
        counts[1].metric(ui.t("progress.changed"), len(plan.changed))
        counts[2].metric(ui.t("progress.unchanged"), len(plan.unchanged))
        if upload_plan.blank_rows:
            st.caption(ui.t("progress.blank_rows", rows=", ".join(map(str, upload_plan.blank_rows[:20]))))
        st.dataframe(ui.plan_table(plan), hide_index=True, width="stretch")
        if (plan.new or plan.changed) and st.button(ui.t("progress.confirm"), type="primary"):
            bar = st.progress(0.0, text=ui.t("progress.applying"))
            result, _ = ui.write_checked(
                apply_import, plan=plan, filename=upload.name, progress=lambda done: bar.progress(done)
            )
            if result is not None:
                state.pop("progress_plan", None)
                state["progress_round"] = state.get("progress_round", 0) + 1
                state["progress_flash"] = ui.t("progress.imported", added=result.added, corrected=result.corrected)
                st.rerun()

st.subheader(ui.t("progress.downloads"))
actor = ui.actor()
scope = st.segmented_control(
    ui.t("progress.export_scope"),
    options=[None, hub.id],
    format_func=lambda h: ui.t("progress.scope_region") if h is None else f"{hub.code} {hub.name}",
    default=None,
)
buttons = st.columns(3)
for column, fmt in zip(buttons, ("csv", "xlsx"), strict=False):
    column.download_button(
        ui.t("progress.export", format=fmt.upper()),
        data=lambda fmt=fmt: ui.read(export_file, actor=actor, region_id=region_id, hub_id=scope, fmt=fmt),
        file_name=f"progress{'-' + hub.code if scope else ''}.{fmt}",
        on_click="ignore",
        icon=":material/download:",
    )
buttons[2].download_button(
    ui.t("progress.entry_workbook", hub=hub.code, period=ui.period_label(period)),
    data=lambda lang=ui.language(): ui.read(entry_workbook, actor=actor, hub_id=hub.id, at=period, lang=lang),
    file_name=f"entry-{hub.code}-{period.canonical()}.xlsx",
    on_click="ignore",
    icon=":material/download:",
)
