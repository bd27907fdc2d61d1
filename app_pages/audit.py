"""Audit log: who changed what and when, newest first."""

import pandas as pd
import streamlit as st

from hubdash import ui
from hubdash.services.audit_log import recent_events

region_id = ui.require_region()
ui.page_title("audit.title")
events = ui.read(recent_events, actor=ui.actor(), region_id=region_id)
st.caption(ui.t("audit.caption", count=len(events)))
st.dataframe(
    pd.DataFrame(
        {
            ui.t("col.when"): [ui.fmt.when(e.occurred_at) for e in events],
            ui.t("col.who"): [e.actor_name for e in events],
            ui.t("col.action"): [e.action for e in events],
            ui.t("col.entity"): [f"{e.entity_type} #{e.entity_id}" for e in events],
        }
    ),
    hide_index=True,
    width="stretch",
)
