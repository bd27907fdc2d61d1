"""The administration page's accounts: the list, adding, changing role and scope, disabling, resetting a password."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hubdash.domain.enums import ACCOUNT_ROLES, Role
from hubdash.services import users as user_service
from hubdash.services.places import RegionPlaces
from hubdash.ui import fmt, runtime
from hubdash.ui.identity import actor
from hubdash.ui.session import label, t
from hubdash.ui.tables import row_px_to_fit, table
from hubdash.ui.text import md

TEMPORARY_KEY = "admin_temporary_password"


def _table(lines: list[user_service.UserLine], places: list[RegionPlaces]) -> pd.DataFrame:
    regions = {p.region.id: p.region.name for p in places}
    hubs = {h.id: h.code for p in places for h in p.hubs}
    roles, every = {r: label(r) for r in Role}, t("admin.every_region")
    return pd.DataFrame(
        {
            t("admin.username"): [u.username for u in lines],
            t("admin.display_name"): [u.display_name for u in lines],
            t("admin.email"): [u.email or "" for u in lines],
            t("admin.role"): [roles[Role(u.role)] for u in lines],
            t("col.region"): [regions.get(u.region_id, "–") if u.region_id else every for u in lines],
            t("col.hub"): [", ".join(hubs.get(h, "?") for h in u.hub_ids) for u in lines],
            t("admin.active"): [u.is_active for u in lines],
            t("admin.last_sign_in"): [fmt.when(u.last_sign_in_at) if u.last_sign_in_at else "" for u in lines],
        }
    )


def _form(key: str, places: list[RegionPlaces], current: user_service.UserLine | None) -> user_service.UserInput:
    by_region = {p.region.id: p for p in places if p.region.id is not None}
    left, right = st.columns(2)
    username = left.text_input(t("admin.username"), value=current.username if current else "", key=f"{key}-username")
    name = right.text_input(t("admin.display_name"), value=current.display_name if current else "", key=f"{key}-name")
    email = left.text_input(t("admin.email"), value=(current.email or "") if current else "", key=f"{key}-email")
    roles = list(ACCOUNT_ROLES)
    role = right.selectbox(
        t("admin.role"),
        roles,
        roles.index(current.role) if current else 3,
        format_func=label,
        key=f"{key}-role",
        placeholder=t("common.choose"),
    )
    options = [None, *by_region]
    region_id = left.selectbox(
        t("col.region"),
        options,
        options.index(current.region_id) if current and current.region_id in by_region else 0,
        format_func=lambda r: (
            t("admin.every_region") if r is None else fmt.coded(by_region[r].region.code, by_region[r].region.name)
        ),
        key=f"{key}-region",
        placeholder=t("common.choose"),
    )
    place = by_region.get(region_id) if region_id is not None else None
    organisations = {o.id: o.name for o in place.organisations} if place else {}
    org_options = [None, *organisations]
    organisation_id = right.selectbox(
        t("col.organisation"),
        org_options,
        org_options.index(current.organisation_id) if current and current.organisation_id in organisations else 0,
        format_func=lambda o: "–" if o is None else organisations[o],
        key=f"{key}-organisation-{region_id}",
        placeholder=t("common.choose"),
    )
    hubs = {h.id: fmt.coded(h.code, h.name) for h in place.hubs} if place else {}
    hub_ids = st.multiselect(
        t("admin.hubs"),
        list(hubs),
        [h for h in (current.hub_ids if current else ()) if h in hubs],
        format_func=hubs.__getitem__,
        key=f"{key}-hubs-{region_id}",
        help=t("admin.hubs_help"),
        placeholder=t("common.choose"),
        select_all=False,  # its "Select all" row is Streamlit's own English
    )
    return user_service.UserInput(
        username, name, Role(role), email, region_id, organisation_id, tuple(h for h in hub_ids if h is not None)
    )


def users_tab(places: list[RegionPlaces]) -> None:
    """Every account, a form to add one, and the changes an administrator makes to one."""
    if (temporary := st.session_state.pop(TEMPORARY_KEY, None)) is not None:
        st.success(md("admin.temporary_password", username=temporary[0]))
        st.code(temporary[1], language=None)  # shown once, to be handed over
    lines = runtime.read_fresh(user_service.list_users, actor=actor())
    frame = _table(lines, places)
    widths = dict(zip(frame.columns, (165, 140, 135, 130, 150, 50, 50, 110), strict=True))  # in view at 1400 px
    names = {c: widths[c] for c in list(frame.columns)[:5]}  # read whole, on two lines if need be
    table(
        frame,
        column_config={c: st.column_config.Column(width=w) for c, w in widths.items()},
        row_height=row_px_to_fit(frame, names),
    )
    with st.expander(t("admin.add_user"), icon=":material/person_add:"):
        data = _form("add", places, None)
        password = st.text_input(t("admin.first_password"), type="password", key="add-password")
        if st.button(t("admin.add_user"), type="primary", key="add-user"):
            if runtime.write(user_service.add_user, data=data, password=password or None):
                st.rerun()
    by_id = {u.id: u for u in lines}
    if not by_id:
        return
    st.subheader(t("admin.change_user"))
    chosen = st.selectbox(
        t("admin.username"),
        list(by_id),
        format_func=lambda u: by_id[u].username,
        key="edit-user",
        placeholder=t("common.choose"),
    )
    current = by_id[chosen]
    data = _form(f"edit-{chosen}", places, current)
    save, active, reset = st.columns(3)
    if save.button(t("admin.save_user"), type="primary", key="save-user"):
        if runtime.write(user_service.update_user, user_id=chosen, data=data):
            st.rerun()
    toggle = t("admin.disable") if current.is_active else t("admin.enable")
    if active.button(toggle, key="toggle-user"):
        if runtime.write(user_service.set_active, user_id=chosen, active=not current.is_active):
            st.rerun()
    if reset.button(t("admin.reset_password"), key="reset-password"):
        if temporary := runtime.write(user_service.reset_password, user_id=chosen):
            st.session_state[TEMPORARY_KEY] = (current.username, temporary.value)
            st.rerun()
