"""The revision history's parts: the table of revisions, how a revision is offered in a picker, the diff view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hubdash.domain.vision_parts import PartKey
from hubdash.services import vision as svc
from hubdash.ui import fmt, tables
from hubdash.ui.session import t
from hubdash.ui.text import literal, md, show_diff
from hubdash.ui.vision import part_name

MOST_ROWS = 15  # the table shows up to MOST_ROWS revisions before it scrolls
REASON_SHOWN = 40  # characters of the reason in a picker


def _note(r: svc.RevisionLine) -> str:
    notes = []
    if r.restored_from_number:
        notes.append(t("vision_history.restored_from", number=r.restored_from_number))
    if r.idea_id:
        notes.append(t("vision_history.from_idea"))
    if r.editorial:
        notes.append(t("vision_journeys.editorial_note"))
    return "・".join(notes)


def table(revisions: list[svc.RevisionLine]) -> None:
    """Every revision: number, time, author, reason, the parts it changed, and whether it was editorial."""
    frame = pd.DataFrame(
        {
            t("col.revision"): [r.number for r in revisions],
            t("col.when"): [fmt.when(r.created_at) for r in revisions],
            t("col.author"): [r.author_name for r in revisions],
            t("vision_history.note"): [_note(r) for r in revisions],
            t("vision_history.changed"): [", ".join(part_name(PartKey(k)) for k in r.changed_parts) for r in revisions],
            t("col.reason"): [r.reason for r in revisions],  # last: the longest, it takes the rest of the width
        }
    )
    # in view at 1400 px; the author, the parts and the reason read whole, on more lines if need be
    widths = dict(zip(frame.columns, (70, 130, 120, 200, 160, 250), strict=True))
    tables.table(
        frame,
        max_rows=MOST_ROWS,
        column_config={c: st.column_config.Column(width=w) for c, w in widths.items()},
        row_height=tables.row_px_to_fit(frame, {c: widths[c] for c in list(frame.columns)[2:]}),
    )


def option(r: svc.RevisionLine) -> str:
    """A revision as a picker offers it: number · date · author · reason."""
    reason = r.reason if len(r.reason) <= REASON_SHOWN else r.reason[: REASON_SHOWN - 1] + "…"
    return " · ".join([str(r.number), fmt.when(r.created_at), r.author_name, reason])


def changes(diffs: list[svc.PartDiff], older: int, newer: int) -> None:
    """Each changed part, the older text on the left with deletions struck through, the newer on the right with
    additions marked, both rendered as the vision is."""
    if not diffs:
        st.caption(t("vision_history.no_changes"))
        return
    st.caption(t("vision_journeys.diff_legend"))
    for change in diffs:
        key = change.part_key.replace(":", "-")
        with st.container(border=True, key=f"diff-{key}"):
            title = change.after.title or change.before.title
            name = part_name(change.part_key)
            st.markdown(f"**{literal(f'{name}　{title}' if title else name)}**")
            left, right = st.columns(2)
            left.caption(md("vision_journeys.revision_number", number=older))
            right.caption(md("vision_journeys.revision_number", number=newer))
            if change.before.title != change.after.title:
                show_diff(
                    change.before.title,
                    change.after.title,
                    columns=(left, right),
                    keys=(f"old-t-{key}", f"new-t-{key}"),
                )
            show_diff(change.before.body, change.after.body, columns=(left, right), keys=(f"old-{key}", f"new-{key}"))
