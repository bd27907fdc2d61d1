"""The region a session looks at: the sidebar picker (only the regions in the person's scope), kept in the URL."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from hubdash.domain.enums import Role
from hubdash.domain.permissions import Permission, allows
from hubdash.services import regions as region_service
from hubdash.ui import identity, runtime, session

REGION_KEY = "region_id"


@st.cache_data(show_spinner=False)
def regions_table(_engine: Engine) -> dict[int, str]:
    """Region id -> name of the regions that are not archived, for the picker."""
    with Session(_engine) as s:
        return {r.id: r.name for r in region_service.list_regions(session=s) if r.id is not None}


def _mine(names: dict[int, str]) -> dict[int, str]:
    # a person of one region (and a workshop participant) sees that region only
    scope = identity.actor().region_id
    return names if scope is None else {i: n for i, n in names.items() if i == scope}


def _from_url(names: dict[int, str]) -> int | None:
    wanted = st.query_params.get("region")
    return int(wanted) if wanted and wanted.isdigit() and int(wanted) in names else None


def region_picker() -> int | None:
    """The region selectbox in the sidebar."""
    names = _mine(regions_table(runtime.engine()))
    if not names:
        return None
    current = _from_url(names) or st.session_state.get(REGION_KEY)
    if current not in names:
        current = next(iter(names))
    chosen: int = st.sidebar.selectbox(
        session.t("app.region"),
        options=list(names),
        format_func=names.__getitem__,
        index=list(names).index(current),
        placeholder=session.t("common.choose"),
    )
    st.session_state[REGION_KEY] = chosen
    if st.query_params.get("region") != str(chosen):
        st.query_params["region"] = str(chosen)
    return chosen


def current_region_id() -> int | None:
    """The region chosen in the sidebar (the first region in scope when a page runs on its own)."""
    names = _mine(regions_table(runtime.engine()))
    current = st.session_state.get(REGION_KEY)
    if current in names:
        return int(current)
    return _from_url(names) or next(iter(names), None)


def region_name(region_id: int) -> str:
    """The name of a region, for headings and file names."""
    return regions_table(runtime.engine()).get(region_id, "")


def require_region(*, participants: bool = False) -> int:
    """Open the database, check who is signed in and may see this page, and return the current region id.

    Every page calls this first, so that a page opened by its URL checks the person itself. `participants`:
    workshop participants may see the page (the ideas board, the presentation and the vision).
    """
    runtime.start()
    who = identity.actor()
    participant_page = participants and who.role is Role.WORKSHOP_PARTICIPANT
    if not participant_page and not allows(who, Permission.READ):
        st.warning(session.t("accounts.page_not_for_you"))
        st.stop()
    region_id = current_region_id()
    if region_id is None:
        st.info(session.t("app.no_region"))
        st.stop()
    return region_id


def require_permission(permission: Permission) -> None:
    """Stop the page unless the signed-in person holds the permission (administration pages)."""
    if not allows(identity.actor(), permission):
        st.warning(session.t("accounts.page_not_for_you"))
        st.stop()
