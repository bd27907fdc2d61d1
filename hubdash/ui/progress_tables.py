"""The progress page's tables, in the user's language: a file's bad rows, values that need a note, an upload's
preview and the correction history."""

from __future__ import annotations

import pandas as pd

from hubdash.readers.progress_file import COLUMNS, RowError
from hubdash.services.measurements import NOTE_JUMP, NOTE_OFF_TRACK, ImportPlan, NoteRequired
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
    why = {reason: t(key) for reason, key in NOTE_REASONS.items()}
    return pd.DataFrame(
        {
            t("col.indicator"): [exc.labels[i] for i in exc.reasons],
            t("progress.note_why"): [why.get(r, r) for r in exc.reasons.values()],
        }
    )


def plan_table(plan: ImportPlan) -> pd.DataFrame:
    """An upload's preview: each row of the file, new, changed or unchanged, with the stored and the new value."""
    kinds = (
        (plan.new, t("progress.new")),
        (plan.changed, t("progress.changed")),
        (plan.unchanged, t("progress.unchanged")),
    )
    rows = sorted(((v, kind) for values, kind in kinds for v in values), key=lambda pair: pair[0].row)
    return pd.DataFrame(
        {
            t("progress.error_row"): [v.row for v, _ in rows],
            t("progress.change"): [kind for _, kind in rows],
            t("progress.what"): [v.label for v, _ in rows],
            t("progress.stored"): [v.existing_value for v, _ in rows],
            t("col.value"): [v.value for v, _ in rows],
            t("col.note"): [v.note for v, _ in rows],
        }
    )


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
            t("col.who"): [r.corrected_by for r in rows],
            t("progress.source"): [
                t("progress.source_import") if r.source == "import" else t("progress.source_manual") for r in rows
            ],
        }
    )
