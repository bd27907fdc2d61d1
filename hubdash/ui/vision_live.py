"""Live pages (vision, ideas board, presentation): one cheap question per refresh, everything else from caches.

A page calls follow() before it reads, reads through read() (cached on the version it follows), and ends with
ticker(): every few seconds the ticker asks for the region's version (cached for the whole server for a moment,
so thirty people watching cost one lookup) and re-runs the page only when it moved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlmodel import Session

from hubdash.services import vision as svc
from hubdash.ui import runtime
from hubdash.ui.identity import actor

T = TypeVar("T")
REFRESH_SECONDS = 2
CHECK_SECONDS = 1.0  # how long one answer serves every session of this server
SEEN_KEY = "live_seen"


@st.cache_data(show_spinner=False, ttl=CHECK_SECONDS, max_entries=500)
def _version(region_id: int) -> svc.LiveVersion:
    with Session(runtime.engine()) as s:
        return svc.live_version(session=s, region_id=region_id)


def follow(region_id: int, *, presence: bool = False) -> svc.LiveVersion:
    """The version of the region this run shows (with who edits what, if `presence`), remembered for the ticker."""
    seen = _version(region_id).seen_by(actor().key, presence=presence)
    st.session_state[SEEN_KEY] = (region_id, presence, seen)
    return seen


def read(version: svc.LiveVersion, fn: Callable[..., T], **kwargs: Any) -> T:
    """A read service of the region, cached until the version moves (kwargs: scalars)."""
    return runtime.read_at(("live", version.change), fn, **kwargs)


@st.fragment(run_every=REFRESH_SECONDS)
@runtime.guarded
def ticker(heartbeat: Callable[[], None] | None = None) -> None:
    """Re-run the page when its region changed since this run showed it; `heartbeat` runs on every tick."""
    if heartbeat is not None:
        heartbeat()
    region_id, presence, seen = st.session_state.get(SEEN_KEY, (None, False, None))
    if region_id is not None and _version(region_id).seen_by(actor().key, presence=presence) != seen:
        st.rerun()
