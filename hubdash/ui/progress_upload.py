"""Uploads on the progress page: a file of values is read and previewed first; the rows that need a note are
listed and get one typed in the preview; nothing is written before the user confirms."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from hubdash.readers.progress_file import MAX_BYTES, ImportFileError
from hubdash.services.measurements import ImportPlan, UploadPlan, apply_import, plan_upload
from hubdash.ui import fmt, runtime
from hubdash.ui.progress_tables import NOTE_REASONS, plan_table, row_errors_table
from hubdash.ui.session import t
from hubdash.ui.text import md

PLAN_KEY = "progress_plan"


def upload(round_number: int, done: Callable[..., None]) -> None:
    """A file of values: read and previewed first, written only when confirmed (and every needed note is there)."""
    state = st.session_state
    st.subheader(t("progress.upload"))
    st.caption(md("progress.upload_help", mb=MAX_BYTES // (1024 * 1024)))
    file = st.file_uploader(t("progress.upload"), type=["csv", "xlsx"], key=f"progress_upload_{round_number}")
    if file is None:
        return
    planned = state.get(PLAN_KEY)
    if planned is None or planned[0] != file.file_id:
        result, problem = runtime.attempt(plan_upload, data=file.getvalue(), filename=file.name)
        planned = state[PLAN_KEY] = (file.file_id, result, problem)
    file_id, upload_plan, problem = planned
    if isinstance(problem, ImportFileError):
        st.error(md("progress.file_errors", count=problem.total))
        st.dataframe(row_errors_table(problem.errors), hide_index=True, width="stretch")
        if problem.total > len(problem.errors):
            st.caption(md("progress.more_errors", shown=len(problem.errors)))
    elif problem is not None:
        runtime.show_error(problem)
    elif upload_plan is not None:
        _preview(upload_plan, file.name, file_id, done)


def _preview(upload_plan: UploadPlan, filename: str, file_id: str, done: Callable[..., None]) -> None:
    plan = upload_plan.plan
    counts = st.columns(3)
    counts[0].metric(t("progress.new"), len(plan.new))
    counts[1].metric(t("progress.changed"), len(plan.changed))
    counts[2].metric(t("progress.unchanged"), len(plan.unchanged))
    if upload_plan.blank_rows:
        st.caption(md("progress.blank_rows", rows=", ".join(map(str, upload_plan.blank_rows[:20]))))
    st.dataframe(plan_table(plan), hide_index=True, width="stretch")
    notes = _typed_notes(plan, file_id)
    missing = [row for row in plan.notes_needed if not notes.get(row)]
    quarters = ", ".join(f"{hub} {fmt.period(period)}" for hub, period in plan.hub_quarters)
    submit = st.checkbox(md("upload.submit", quarters=quarters), help=t("upload.submit_help"), key=f"submit_{file_id}")
    if not (plan.new or plan.changed or submit):
        return
    if missing:
        st.warning(md("upload.notes_missing", count=len(missing)), icon=":material/edit_note:")
    if st.button(t("progress.confirm"), type="primary", disabled=bool(missing)):
        bar = st.progress(0.0, text=t("progress.applying"))
        result = runtime.write(
            apply_import, plan=plan, filename=filename, progress=bar.progress, notes=notes, submit=submit
        )
        if result is not None:
            st.session_state.pop(PLAN_KEY, None)
            done("progress.imported", added=result.added, corrected=result.corrected)


def _typed_notes(plan: ImportPlan, file_id: str) -> dict[int, str]:
    """The rows that need a note, named, each with a note to type; returns file row -> typed note."""
    if not plan.notes_needed:
        return {}
    st.warning(md("upload.notes_needed", count=len(plan.notes_needed)), icon=":material/edit_note:")
    values = {v.row: v for v in [*plan.new, *plan.changed] if v.row in plan.notes_needed}
    rows = sorted(values)
    col_note = t("upload.note_to_type")
    frame = pd.DataFrame(
        {
            t("progress.error_row"): rows,
            t("progress.what"): [values[r].label for r in rows],
            t("col.value"): [values[r].value for r in rows],
            t("progress.note_why"): [t(NOTE_REASONS[plan.notes_needed[r]]) for r in rows],
            col_note: ["" for _ in rows],
        }
    )
    edited = st.data_editor(
        frame,
        disabled=[c for c in frame.columns if c != col_note],
        column_config={col_note: st.column_config.TextColumn(col_note, max_chars=1000)},
        hide_index=True,
        width="stretch",
        key=f"upload_notes_{file_id}",
    )
    return {row: str(note).strip() for row, note in zip(rows, edited[col_note].fillna(""), strict=True)}
