"""The change log's parts: the filters (who, what in words, dates, region) and the table of events in words with
the chosen event in full (the words: exports.audit, the same as in the file)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from hubdash.domain.permissions import OPEN_MODE_ADMIN, SYSTEM
from hubdash.exports import audit as words
from hubdash.services.audit_log import AuditFilter, AuditLine
from hubdash.ui.session import display, t
from hubdash.ui.tables import ROW_PX, height, row_px_to_fit
from hubdash.ui.text import literal, md

DATE_FORMAT = "YYYY/MM/DD"


def _start_of(day: date | None, days: int = 0) -> datetime | None:
    # a day as the reader means it: midnight in their time zone
    return datetime.combine(day, time(), display().tz) + timedelta(days=days) if day else None


def filters(actions: list[str], span: tuple[datetime, datetime] | None, region_id: int) -> AuditFilter:
    """The filter row; the dates start as the whole trail (an empty date field would read yyyy/mm/dd)."""
    d = display()
    who_col, what_col, dates_col, region_col = st.columns([1.5, 2, 2, 1.8], vertical_alignment="bottom")
    who = who_col.text_input(t("audit.filter_who"), max_chars=80)
    what = what_col.selectbox(
        t("audit.filter_what"),
        ["", *actions],
        format_func=lambda a: words.action(a, d) if a else t("audit.any"),
        placeholder=t("common.choose"),
    )
    today = datetime.now(d.tz).date()
    first = span[0].astimezone(d.tz).date() if span else today
    chosen = dates_col.date_input(
        t("audit.dates"), value=(first, today), min_value=min(first, today), max_value=today, format=DATE_FORMAT
    )
    only_region = region_col.toggle(t("audit.only_this_region"), value=False)
    days = list(chosen) if isinstance(chosen, tuple | list) else [chosen]
    since = days[0] if days else None
    until = days[1] if len(days) > 1 else None
    typed = who.strip().lower()
    also = tuple(
        stored
        for stored, key in ((OPEN_MODE_ADMIN.name, "audit.open_mode_admin"), (SYSTEM.name, "audit.system"))
        if typed and typed in t(key).lower()
    )
    return AuditFilter(
        who=who,
        what=what,
        since=_start_of(since),
        until=_start_of(until, 1),
        region_id=region_id if only_region else None,
        also_actors=also,
    )


def trail(lines: list[AuditLine]) -> None:
    """The events as a table in words; the row the reader selects is shown in full below it."""
    if not lines:
        st.info(t("audit.no_events"))
        return
    d = display()
    headers = [t(c) for c in words.COLUMNS]
    frame = pd.DataFrame([words.row(line, d) for line in lines], columns=headers)
    # pixel widths that keep every column in view at 1400 px; the region is in the details and the file
    widths = (125, 140, 165, 215, 255)  # with the row picker, 932 px
    # who, what and which object read whole (on two lines if need be); what changed is read whole below
    row_px = row_px_to_fit(frame, dict(zip(headers[1:4], widths[1:4], strict=True))) or ROW_PX
    picked = st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=min(height(len(lines), row_px=row_px), 490),
        row_height=row_px,
        column_order=headers[: len(widths)],
        column_config={h: st.column_config.TextColumn(width=w) for h, w in zip(headers, widths, strict=False)},
        on_select="rerun",
        selection_mode="single-row",
        key="audit_table",
    )
    rows = picked.selection.rows if picked else []
    if not rows:
        st.caption(t("audit.pick_row"))
        return
    line = lines[rows[0]]
    with st.container(border=True):
        st.markdown(f"**{t('audit.details')}**")
        st.markdown(
            md(
                "audit.detail_line",
                when=d.when(line.occurred_at),
                who=words.who(line, d),
                what=words.action(line.action, d),
                subject=d.message(line.subject),
                region=line.region or "–",
            )
        )
        changed = words.changes(line, d)
        st.markdown("\n".join(f"- {literal(c)}" for c in changed) if changed else t("audit.no_changes"))
