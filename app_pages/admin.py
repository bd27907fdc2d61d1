"""Administration (administrators only): accounts and their roles and scopes; regions, hubs and organisations."""

import streamlit as st

from hubdash import ui
from hubdash.domain.permissions import Permission
from hubdash.services.places import all_places
from hubdash.ui.admin_places import places_tab
from hubdash.ui.admin_users import users_tab

ui.require_region()
ui.require_permission(Permission.MANAGE_USERS)
ui.page_title("admin.title")
places = ui.read_fresh(all_places, actor=ui.actor())
# only the open tab is built and sent
users, regions = st.tabs([ui.t("admin.users"), ui.t("admin.places")], key="admin-tab", on_change="rerun")
if users.open:
    with users:
        users_tab(places)
if regions.open:
    with regions:
        places_tab(places)
st.caption(ui.t("admin.audit_hint"))
