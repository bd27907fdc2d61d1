"""Change log (administrators): who changed what and when, which object by name, before → after in words,
filtered by who, what, when and region; CSV export with the same words."""

import streamlit as st

from hubdash import ui
from hubdash.domain.permissions import Permission
from hubdash.exports.audit import audit_file
from hubdash.exports.names import file_name
from hubdash.services.audit_log import audit_actions, audit_span, audit_trail
from hubdash.ui import audit as audit_ui

region_id = ui.require_region()
ui.require_permission(Permission.READ_AUDIT)
ui.page_title("audit.title")
display = ui.display()

actor = ui.actor()  # named once: the file is made outside this run, where the session is not known
where = audit_ui.filters(ui.read_fresh(audit_actions, actor=actor), ui.read_fresh(audit_span, actor=actor), region_id)
lines = ui.read_fresh(audit_trail, actor=actor, where=where)
st.caption(ui.t("audit.caption", count=len(lines)))
audit_ui.trail(lines)
st.download_button(
    ui.t("audit.export_csv"),
    lambda: audit_file(ui.read_fresh(audit_trail, actor=actor, where=where), "csv", display),
    file_name(ui.t("audit.file_name"), ext="csv"),
    on_click="ignore",
    icon=":material/download:",
)
