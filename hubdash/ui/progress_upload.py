"""Uploads on the progress page: a file of values is read and previewed first; the rows that need a note are
listed and get one typed in the preview; nothing is written before the user confirms."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from hubdash.readers.progress_file import MAX_BYTES, ImportFileError
from hubdash.services.measurements import UploadPlan, apply_import, plan_upload
from hubdash.ui import fmt, runtime, widgets
from hubdash.ui.progress_tables import NOTE_REASONS, plan_table, preview_widths, row_errors_table, value_columns
from hubdash.ui.session import t
from hubdash.ui.tables import WRAP_PX, height, row_px_to_fit, table
from hubdash.ui.text import md

PLAN_KEY = "progress_plan"


def upload(round_number: int, done: Callable[..., None], region_id: int) -> None:
    """A file of values: read and previewed first, written only when confirmed (and every needed note is there).

    A hub code used in several regions means the hub of `region_id` (the page's region) in a file without a
    region column."""
    state = st.session_state
    st.subheader(t("progress.upload"))
    st.caption(md("progress.upload_help", mb=MAX_BYTES // (1024 * 1024)))
    file = widgets.file_uploader(
        "progress.upload",
        types=["csv", "xlsx"],
        max_mb=MAX_BYTES // (1024 * 1024),  # the product's limit, whatever server.maxUploadSize says
        key=f"progress_upload_{round_number}",
    )
    if file is None:
        return
    planned = state.get(PLAN_KEY)
    if planned is None or planned[0] != f"{file.file_id}:{region_id}":
        result, problem = runtime.attempt(plan_upload, data=file.getvalue(), filename=file.name, region_id=region_id)
        planned = state[PLAN_KEY] = (f"{file.file_id}:{region_id}", result, problem)
    _, upload_plan, problem = planned
    file_id = file.file_id
    if isinstance(problem, ImportFileError):
        st.error(md("progress.file_errors", count=problem.total))
        errors = row_errors_table(problem.errors)
        reason = t("progress.error_reason")
        long = errors[reason].str.len().max() > 40  # e.g. the quarter formats that are understood: wrapped, not cut
        widths = dict(zip(errors.columns, (50, 90, 170, 620), strict=True))
        config = {c: st.column_config.Column(width=w) for c, w in widths.items()}
        table(errors, column_config=config, row_height=WRAP_PX if long else None)
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
    preview, widths = plan_table(upload_plan), preview_widths()
    config = {c: st.column_config.Column(width=w) for c, w in widths.items()}
    table(preview, column_config=config, row_height=row_px_to_fit(preview, widths))  # names read whole
    notes = _typed_notes(upload_plan, file_id)
    missing = [row for row in plan.notes_needed if not notes.get(row)]
    quarters = ", ".join(f"{hub} {fmt.period(period)}" for hub, period in plan.hub_quarters)
    submit = st.checkbox(md("upload.submit", quarters=quarters), help=t("upload.submit_help"), key=f"submit_{file_id}")
    if not (plan.new or plan.changed or submit):
        return
    if missing:
        st.warning(md("upload.notes_missing", count=len(missing)), icon=":material/edit_note:")
    if st.button(t("progress.confirm"), type="primary", disabled=bool(missing)):
        bar = st.progress(0.0, text=t("progress.applying"))

        def written(share: float) -> None:
            bar.progress(share, text=t("progress.applying_share", percent=round(share * 100)))

        result = runtime.write(apply_import, plan=plan, filename=filename, progress=written, notes=notes, submit=submit)
        if result is not None:
            bar.progress(1.0, text=t("progress.refreshing"))  # the page is read again with the new values
            st.session_state.pop(PLAN_KEY, None)
            done("progress.imported", added=result.added, corrected=result.corrected)


def _typed_notes(upload_plan: UploadPlan, file_id: str) -> dict[int, str]:
    """The rows that need a note, named, each with a note to type; returns file row -> typed note."""
    plan = upload_plan.plan
    if not plan.notes_needed:
        return {}
    st.warning(md("upload.notes_needed", count=len(plan.notes_needed)), icon=":material/edit_note:")
    values = {v.row: v for v in [*plan.new, *plan.changed] if v.row in plan.notes_needed}
    rows = sorted(values)
    col_note = t("upload.note_to_type")
    columns = value_columns(upload_plan, [values[r] for r in rows])
    col_value, col_why = t("col.value"), t("progress.note_why")
    frame = pd.DataFrame(
        {
            **columns,
            col_value: [fmt.number(values[r].value, 6) for r in rows],
            col_note: ["" for _ in rows],
            col_why: [t(NOTE_REASONS[plan.notes_needed[r]]) for r in rows],
        }
    )
    # the note to type right after the value, every column in view at 1400 px
    widths = dict(zip(columns, (45, 140, 190, 130), strict=True)) | {col_value: 70, col_why: 185}  # with the note: 930
    edited = st.data_editor(
        frame,
        disabled=[c for c in frame.columns if c != col_note],
        column_config={c: st.column_config.Column(width=w) for c, w in widths.items()}
        | {col_note: st.column_config.TextColumn(col_note, max_chars=1000, width=170)},
        hide_index=True,
        width="stretch",
        height=height(len(rows), row_px=WRAP_PX),
        row_height=WRAP_PX,  # why a note is needed, read whole
        placeholder="–",
        key=f"upload_notes_{file_id}",
    )
    return {row: str(note).strip() for row, note in zip(rows, edited[col_note].fillna(""), strict=True)}
