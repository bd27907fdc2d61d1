"""The progress page's tables, in the user's language: a file's bad rows, values that need a note, an upload's
preview and the correction history."""

from __future__ import annotations

import pandas as pd

from hubdash.domain.errors import Message
from hubdash.readers.progress_file import COLUMNS, RowError
from hubdash.services.measurements import NOTE_JUMP, NOTE_OFF_TRACK, NoteRequired, PlannedValue, UploadPlan
from hubdash.services.progress import CorrectionRow
from hubdash.ui import fmt
from hubdash.ui.session import display, t


def row_errors_table(errors: list[RowError]) -> pd.DataFrame:
    """A file's bad rows: row as the spreadsheet shows it, column, value, reason, in the user's language."""
    d = display()
    names = {c.name: c.header(d.lang) for c in COLUMNS}
    return pd.DataFrame(
        {
            t("progress.error_row"): [e.row or "–" for e in errors],
            t("progress.error_column"): [names.get(e.column, e.column) for e in errors],
            t("progress.error_value"): [e.value for e in errors],
            t("progress.error_reason"): [d.message(e.reason) for e in errors],
        }
    )


NOTE_REASONS = {NOTE_JUMP: "progress.note_jump", NOTE_OFF_TRACK: "progress.note_off_track"}


def notes_needed_table(exc: NoteRequired) -> pd.DataFrame:
    """Which values need a note before they save, and why, in the user's language."""
    d = display()
    why = {reason: t(key) for reason, key in NOTE_REASONS.items()}
    named = {i: d.message(name) if isinstance(name, Message) else str(name) for i, name in exc.labels.items()}
    return pd.DataFrame(
        {
            t("col.indicator"): [named[i] for i in exc.reasons],
            t("progress.note_why"): [why.get(r, r) for r in exc.reasons.values()],
        }
    )


def value_columns(upload: UploadPlan, values: list[PlannedValue]) -> dict[str, list[object]]:
    """Which value each row holds, in words: the row as the spreadsheet numbers it, hub, indicator, quarter."""
    return {
        t("progress.error_row"): [v.row for v in values],
        t("col.hub"): [upload.hubs.get(v.hub_id, v.label.split(" / ")[0]) for v in values],
        t("col.indicator"): [upload.indicators.get(v.indicator_id, v.label) for v in values],
        t("col.period"): [fmt.period(v.period) for v in values],
    }


def plan_table(upload: UploadPlan) -> pd.DataFrame:
    """An upload's preview: each row of the file, new, changed or unchanged, with the stored and the new value
    (a dash where nothing is stored)."""
    plan = upload.plan
    kinds = (
        (plan.new, t("progress.new")),
        (plan.changed, t("progress.changed")),
        (plan.unchanged, t("progress.unchanged")),
    )
    rows = sorted(((v, kind) for values, kind in kinds for v in values), key=lambda pair: pair[0].row)
    values = [v for v, _ in rows]
    return pd.DataFrame(
        {
            **value_columns(upload, values),
            t("progress.change"): [kind for _, kind in rows],
            t("progress.stored"): [fmt.number(v.existing_value, 6) for v in values],
            t("col.value"): [fmt.number(v.value, 6) for v in values],
            t("col.note"): [v.note for v in values],
        }
    )


def preview_widths() -> dict[str, int]:
    """Pixel widths that keep every column of an upload's preview in view at 1400 px."""
    keys = ("progress.error_row", "col.hub", "col.indicator", "col.period", "progress.change", "progress.stored")
    widths = dict(zip(keys, (45, 275, 220, 130, 70, 100), strict=True)) | {"col.value": 90}
    return {t(key): w for key, w in widths.items()}


def corrections_table(rows: list[CorrectionRow]) -> pd.DataFrame:
    """Corrections of values: old and new value and note, who and when, typed or imported."""
    return pd.DataFrame(
        {
            t("col.indicator"): [fmt.coded(r.indicator_code, r.indicator_name) for r in rows],
            t("progress.old_value"): [r.old_value for r in rows],
            t("progress.new_value"): [r.new_value for r in rows],
            t("progress.old_note"): [r.old_note for r in rows],
            t("progress.new_note"): [r.new_note for r in rows],
            t("col.when"): [fmt.when(r.corrected_at) for r in rows],
            t("col.who"): [fmt.person(r.corrected_by) for r in rows],
            t("progress.source"): [
                t("progress.source_import") if r.source == "import" else t("progress.source_manual") for r in rows
            ],
        }
    )
