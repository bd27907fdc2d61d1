"""Quarterly sign-off: the council secretariat confirms submitted quarters or returns them with a comment; whether
the region's summaries count only confirmed quarters."""

import streamlit as st

from hubdash import ui
from hubdash.domain.permissions import Permission, allows
from hubdash.services import signoff
from hubdash.services.region_settings import region_settings
from hubdash.ui import signoff as signoff_ui

region_id = ui.require_region()
ui.page_title("signoff.title")
ui.show_flash()
editable = allows(ui.actor(), Permission.SIGN_OFF, region_id=region_id)

signoff_ui.setting(ui.read(region_settings, region_id=region_id), editable=editable)

st.subheader(ui.t("signoff.waiting"))
signoff_ui.waiting(
    ui.read(signoff.region_submissions, region_id=region_id, statuses=signoff.WAITING), editable=editable
)

st.subheader(ui.t("signoff.all"))
signoff_ui.history(ui.read(signoff.region_submissions, region_id=region_id, limit=60))
