"""The progress page's parts: the entry table of a hub's quarter and the downloads (uploads: ui.progress_upload)."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from hubdash.domain.periods import FiscalQuarter
from hubdash.exports import progress as progress_files
from hubdash.exports.names import file_name
from hubdash.models import Hub
from hubdash.services.measurements import (
    NoteRequired,
    changed_entries,
    entry_rows,
    record_values,
    region_export_rows,
)
from hubdash.services.progress import EnteredValue, QuarterRow
from hubdash.ui import fmt, runtime
from hubdash.ui.identity import actor
from hubdash.ui.progress_tables import notes_needed_table
from hubdash.ui.session import display, label, t
from hubdash.ui.tables import ROW_PX, height, row_px_to_fit, table
from hubdash.ui.text import flash, literal, md

ROUND_KEY, NOTES_KEY = "progress_round", "progress_notes_needed"
# the entry table's columns, in order, and the catalogue keys of their headers (the unit is in the indicator's)
ENTRY_COLUMNS = {
    "code": "col.code",
    "indicator": "col.indicator",
    "previous": "entry.previous",
    "value": "entry.value",
    "note": "col.note",
    "compared_as": "entry.compared_as",
    "compared": "entry.compared",
    "expected": "entry.expected",
    "status": "col.status",
}
# pixel widths that keep every column and header in view at 1400 px (headers run longer in English)
ENTRY_WIDTHS = {
    "ja": (55, 270, 72, 90, 130, 115, 62, 62, 78),
    "en": (50, 210, 88, 105, 110, 130, 70, 70, 85),
}


def next_round(key: str, /, **values: object) -> None:
    """Start the editor and the uploader again from what is stored, with a message (catalogue key) after the rerun."""
    # a new round gives the editor and the uploader new keys
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    flash(key, **values)
    st.rerun()


def _numbers(values: list[float | None]) -> list[float]:
    """Numbers for the editor, blank (NaN) where nothing is entered, so that the column stays numeric."""
    return [float("nan") if v is None else v for v in values]


def entry_table(
    hub: Hub, period: FiscalQuarter, rows: list[QuarterRow], stored: dict[int, EnteredValue], *, editable: bool = True
) -> None:
    """The hub's indicators in one quarter as an editable table, saved with one button (notes where needed).

    The quarter's own values (last quarter's, this quarter's to type) stand apart from what the status engine
    compares (the quarter-end value, the year to date or the total since the baseline) and its expected value.
    Read only, without the button, for someone who may not enter this hub's values.
    """
    state = st.session_state
    editor_key = f"progress_editor_{hub.id}_{period.index}_{state.get(ROUND_KEY, 0)}"
    names = {c: t(key) for c, key in ENTRY_COLUMNS.items()}
    col_value, col_note = names["value"], names["note"]
    widths = dict(zip(ENTRY_COLUMNS, ENTRY_WIDTHS.get(display().lang, ENTRY_WIDTHS["en"]), strict=True))
    helps = {
        "previous": t("entry.previous_help"),
        "value": t("entry.value_help"),
        "note": t("entry.note_help"),
        "compared": t("entry.compared_help"),
        "expected": t("entry.expected_help"),
    }
    number = {"previous", "value", "compared", "expected"}
    frame = pd.DataFrame(
        {
            names["code"]: [r.indicator_code for r in rows],
            names["indicator"]: [t("entry.with_unit", name=r.indicator_name, unit=r.unit) for r in rows],
            names["previous"]: _numbers([r.previous for r in rows]),
            col_value: _numbers([r.value for r in rows]),
            col_note: [r.note for r in rows],
            names["compared_as"]: [label(r.compared_as) for r in rows],
            names["compared"]: _numbers([r.compared for r in rows]),
            names["expected"]: _numbers([r.on_track_from for r in rows]),
            names["status"]: [fmt.status(r.assessment.status) if r.assessment else "–" for r in rows],
        },
        index=[r.indicator_id for r in rows],
    )
    # long names (English ones, with their unit) wrap onto a second line instead of being cut
    row_px = row_px_to_fit(frame, {names["indicator"]: widths["indicator"]})
    edited = st.data_editor(
        frame,
        column_config={
            names[c]: (
                st.column_config.NumberColumn(names[c], help=helps.get(c), format="%g", width=widths[c])
                if c in number
                else st.column_config.TextColumn(
                    names[c], help=helps.get(c), width=widths[c], max_chars=1000 if c == "note" else None
                )
            )
            for c in ENTRY_COLUMNS
        },
        disabled=[names[c] for c in ENTRY_COLUMNS if c not in ("value", "note")] if editable else True,
        hide_index=True,
        width="stretch",
        height=height(len(rows), row_px=row_px or ROW_PX),  # every indicator in view: a region has up to 25
        row_height=row_px,
        placeholder="–",
        key=editor_key,
    )
    st.caption(md("entry.help", period=fmt.period(period)))
    if not editable:
        st.info(md("accounts.read_only"))
        return
    notes_needed = state.get(NOTES_KEY)
    if notes_needed and notes_needed[0] == editor_key:
        st.warning(t("progress.notes_needed"))
        table(notes_needed_table(notes_needed[1]))
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
            next_round("progress.saved", added=result.added, corrected=result.corrected)


def downloads(region_name: str, region_id: int, hub: Hub, period: FiscalQuarter) -> None:
    """The values of the region or hub (CSV, Excel) and the hub's entry workbook for the quarter, made when clicked."""
    st.subheader(t("progress.downloads"))
    who, reader = actor(), display()
    scope = st.segmented_control(
        t("progress.export_scope"),
        options=[None, hub.id],
        format_func=lambda h: t("progress.scope_region") if h is None else literal(fmt.coded(hub.code, hub.name)),
        default=None,
    )

    def values(file_format: str) -> bytes:
        rows = runtime.read(region_export_rows, actor=who, region_id=region_id, hub_id=scope)
        return progress_files.values_file(rows, file_format, reader.lang)

    def workbook() -> bytes:
        return progress_files.entry_workbook(runtime.read(entry_rows, actor=who, hub_id=hub.id, period=period), reader)

    values_name = [region_name, *([hub.code] if scope else []), t("files.values")]

    buttons = st.columns([1, 1, 2])  # the workbook button names its hub and quarter: room to read it
    for column, file_format in zip(buttons, progress_files.FORMATS, strict=False):
        column.download_button(
            md("progress.export", format=file_format.upper()),
            data=partial(values, file_format),
            file_name=file_name(*values_name, ext=file_format),
            on_click="ignore",
            icon=":material/download:",
        )
    buttons[2].download_button(
        md("progress.entry_workbook", hub=hub.code, period=fmt.period(period)),
        data=workbook,
        file_name=file_name(hub.code, t("files.entry_workbook"), fmt.period(period), ext="xlsx"),
        on_click="ignore",
        icon=":material/download:",
    )
