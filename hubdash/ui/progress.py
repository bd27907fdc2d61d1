"""The progress page's parts: the entry table of a hub's quarter, the upload with its preview, and downloads."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from hubdash.domain.periods import FiscalQuarter
from hubdash.exports import progress as progress_files
from hubdash.exports.names import file_name
from hubdash.models import Hub
from hubdash.readers.progress_file import MAX_BYTES, ImportFileError
from hubdash.services.measurements import (
    NoteRequired,
    UploadPlan,
    apply_import,
    changed_entries,
    entry_rows,
    plan_upload,
    record_values,
    region_export_rows,
)
from hubdash.services.progress import EnteredValue, QuarterRow
from hubdash.ui import fmt, runtime
from hubdash.ui.progress_tables import notes_needed_table, plan_table, row_errors_table
from hubdash.ui.session import actor, display, t

ROUND_KEY, FLASH_KEY, NOTES_KEY, PLAN_KEY = "progress_round", "progress_flash", "progress_notes_needed", "progress_plan"


def _next_round(flash: str) -> None:
    # a new round gives the editor and the uploader new keys, so that they start from what is stored
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.session_state[FLASH_KEY] = flash
    st.rerun()


def _numbers(values: list[float | None]) -> list[float]:
    """Numbers for the editor, blank (NaN) where nothing is entered, so that the column stays numeric."""
    return [float("nan") if v is None else v for v in values]


def entry_table(hub: Hub, period: FiscalQuarter, rows: list[QuarterRow], stored: dict[int, EnteredValue]) -> None:
    """The hub's indicators in one quarter as an editable table, saved with one button (notes where needed)."""
    state = st.session_state
    editor_key = f"progress_editor_{hub.id}_{period.index}_{state.get(ROUND_KEY, 0)}"
    col_value, col_note = t("col.value"), t("col.note")
    edited = st.data_editor(
        pd.DataFrame(
            {
                t("col.code"): [r.indicator_code for r in rows],
                t("col.indicator"): [r.indicator_name for r in rows],
                t("col.unit"): [r.unit for r in rows],
                t("col.previous"): _numbers([r.previous for r in rows]),
                col_value: _numbers([r.value for r in rows]),
                col_note: [r.note for r in rows],
                t("col.compared"): _numbers([r.assessment.actual if r.assessment else None for r in rows]),
                t("col.expected"): _numbers([r.expected for r in rows]),
                t("col.status"): [fmt.status(r.assessment.status) if r.assessment else "–" for r in rows],
            },
            index=[r.indicator_id for r in rows],
        ),
        column_config={
            col_value: st.column_config.NumberColumn(col_value, help=t("progress.value_help"), format="%g"),
            col_note: st.column_config.TextColumn(col_note, max_chars=1000),
        },
        disabled=[t(f"col.{c}") for c in ("code", "indicator", "unit", "previous", "expected", "compared", "status")],
        hide_index=True,
        width="stretch",
        placeholder="–",
        key=editor_key,
    )
    st.caption(t("progress.compared_help"))
    notes_needed = state.get(NOTES_KEY)
    if notes_needed and notes_needed[0] == editor_key:
        st.warning(t("progress.notes_needed"))
        st.dataframe(notes_needed_table(notes_needed[1]), hide_index=True)
    if st.button(t("progress.save"), type="primary", icon=":material/save:"):
        # the editor keeps the rows in order (no rows added or removed)
        typed = {
            r.indicator_id: (None if pd.isna(v) else float(v)) for r, v in zip(rows, edited[col_value], strict=True)
        }
        notes = {r.indicator_id: str(v) for r, v in zip(rows, edited[col_note].fillna(""), strict=True)}
        entries = changed_entries(rows, typed, notes, stored)
        if not entries:
            st.info(t("progress.nothing_changed"))
            return
        result, problem = runtime.attempt(record_values, hub_id=hub.id, period=period, entries=entries)
        if isinstance(problem, NoteRequired):
            state[NOTES_KEY] = (editor_key, problem)
            st.rerun()
        if problem is not None:
            runtime.show_error(problem)
        if result is not None:
            state.pop(NOTES_KEY, None)
            _next_round(t("progress.saved", added=result.added, corrected=result.corrected))


def upload() -> None:
    """A file of values: read and previewed first, written only when confirmed."""
    state = st.session_state
    st.subheader(t("progress.upload"))
    st.caption(t("progress.upload_help", mb=MAX_BYTES // (1024 * 1024)))
    file = st.file_uploader(
        t("progress.upload"), type=["csv", "xlsx"], key=f"progress_upload_{state.get(ROUND_KEY, 0)}"
    )
    if file is None:
        return
    planned = state.get(PLAN_KEY)
    if planned is None or planned[0] != file.file_id:
        result, problem = runtime.attempt(plan_upload, data=file.getvalue(), filename=file.name)
        planned = state[PLAN_KEY] = (file.file_id, result, problem)
    _, upload_plan, problem = planned
    if isinstance(problem, ImportFileError):
        st.error(t("progress.file_errors", count=problem.total))
        st.dataframe(row_errors_table(problem.errors), hide_index=True, width="stretch")
    elif problem is not None:
        runtime.show_error(problem)
    elif upload_plan is not None:
        _preview(upload_plan, file.name)


def _preview(upload_plan: UploadPlan, filename: str) -> None:
    plan = upload_plan.plan
    counts = st.columns(3)
    counts[0].metric(t("progress.new"), len(plan.new))
    counts[1].metric(t("progress.changed"), len(plan.changed))
    counts[2].metric(t("progress.unchanged"), len(plan.unchanged))
    if upload_plan.blank_rows:
        st.caption(t("progress.blank_rows", rows=", ".join(map(str, upload_plan.blank_rows[:20]))))
    st.dataframe(plan_table(plan), hide_index=True, width="stretch")
    if (plan.new or plan.changed) and st.button(t("progress.confirm"), type="primary"):
        bar = st.progress(0.0, text=t("progress.applying"))
        result = runtime.write(apply_import, plan=plan, filename=filename, progress=lambda done: bar.progress(done))
        if result is not None:
            st.session_state.pop(PLAN_KEY, None)
            _next_round(t("progress.imported", added=result.added, corrected=result.corrected))


def downloads(region_name: str, region_id: int, hub: Hub, period: FiscalQuarter) -> None:
    """The values of the region or hub (CSV, Excel) and the hub's entry workbook for the quarter, made when clicked."""
    st.subheader(t("progress.downloads"))
    who, reader = actor(), display()
    scope = st.segmented_control(
        t("progress.export_scope"),
        options=[None, hub.id],
        format_func=lambda h: t("progress.scope_region") if h is None else fmt.coded(hub.code, hub.name),
        default=None,
    )

    def values(file_format: str) -> bytes:
        rows = runtime.read(region_export_rows, actor=who, region_id=region_id, hub_id=scope)
        return progress_files.values_file(rows, file_format, reader.lang)

    def workbook() -> bytes:
        return progress_files.entry_workbook(runtime.read(entry_rows, actor=who, hub_id=hub.id, period=period), reader)

    values_name = [region_name, *([hub.code] if scope else []), t("files.values")]

    buttons = st.columns(3)
    for column, file_format in zip(buttons, progress_files.FORMATS, strict=False):
        column.download_button(
            t("progress.export", format=file_format.upper()),
            data=partial(values, file_format),
            file_name=file_name(*values_name, ext=file_format),
            on_click="ignore",
            icon=":material/download:",
        )
    buttons[2].download_button(
        t("progress.entry_workbook", hub=hub.code, period=fmt.period(period)),
        data=workbook,
        file_name=file_name(hub.code, t("files.entry_workbook"), fmt.period(period), ext="xlsx"),
        on_click="ignore",
        icon=":material/download:",
    )
