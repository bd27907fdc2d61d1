"""Change log (administrators): who changed what and when, filtered by who, what, when and region; CSV export."""

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from hubdash import ui
from hubdash.domain.permissions import Permission
from hubdash.exports.audit import audit_file
from hubdash.services.audit_log import AuditFilter, audit_actions, audit_trail

region_id = ui.require_region()
ui.require_permission(Permission.READ_AUDIT)
ui.page_title("audit.title")
display = ui.display()

who_col, what_col, region_col = st.columns(3)
who = who_col.text_input(ui.t("audit.filter_who"), max_chars=80)
actions = ui.read_fresh(audit_actions, actor=ui.actor())
what = what_col.selectbox(ui.t("audit.filter_what"), ["", *actions], format_func=lambda a: a or ui.t("audit.any"))
only_region = region_col.toggle(ui.t("audit.only_this_region"), value=False)
since_col, until_col = st.columns(2)
since = since_col.date_input(ui.t("audit.since"), value=None)
until = until_col.date_input(ui.t("audit.until"), value=None)


def _start_of(day: object, days: int = 0) -> datetime | None:
    # a day as the reader means it: midnight in their time zone
    return datetime.combine(day, time(), display.tz) + timedelta(days=days) if day else None  # type: ignore[arg-type]


where = AuditFilter(
    who=who, what=what, since=_start_of(since), until=_start_of(until, 1), region_id=region_id if only_region else None
)
lines = ui.read_fresh(audit_trail, actor=ui.actor(), where=where)
st.caption(ui.t("audit.caption", count=len(lines)))
st.dataframe(
    pd.DataFrame(
        {
            ui.t("col.when"): [ui.fmt.when(e.occurred_at) for e in lines],
            ui.t("col.who"): [e.actor_name for e in lines],
            ui.t("col.action"): [e.action for e in lines],
            ui.t("col.entity"): [f"{e.entity_type} #{e.entity_id}" for e in lines],
            ui.t("col.region"): [e.region for e in lines],
        }
    ),
    hide_index=True,
    width="stretch",
)
st.download_button(
    ui.t("audit.export_csv"),
    lambda: audit_file(ui.read_fresh(audit_trail, actor=ui.actor(), where=where), "csv", display),
    "audit.csv",
    icon=":material/download:",
)
