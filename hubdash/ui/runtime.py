"""The app's runtime: the engine, cached reads, writes in one transaction, and errors shown in the user's language."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from hubdash import db
from hubdash.domain.errors import UserError
from hubdash.domain.permissions import SYSTEM
from hubdash.seed.sample import load_sample
from hubdash.services import regions as region_service
from hubdash.ui import identity, session

T = TypeVar("T")
E = TypeVar("E", bound=UserError)

# Cached reads are shared by every session of this server; writes clear them (clear_caches), and
# the TTL bounds how stale another app server's writes can look.
READ_TTL_SECONDS = 30


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The process-wide engine, created once, with the schema upgraded to the newest migration."""
    eng = db.make_engine()
    db.upgrade(eng)
    return eng


def start() -> Engine:
    """Open the database and find who is signed in, stopping the page with a readable line when either fails."""
    try:
        eng = engine()
    except db.DatabaseError as exc:
        st.error(session.t("app.database_error", error=str(exc)))
        st.stop()
    _ensure_some_region(eng, session.language())
    found = identity.resolve(eng)
    identity.remember(found)
    if found is None:
        identity.sign_in_prompt()
    return eng


def _ensure_some_region(eng: Engine, lang: str) -> None:
    # On first start with an empty database the app shows the sample region of its language,
    # so `streamlit run app.py` opens on a living dashboard.
    if "regions_checked" in st.session_state:
        return
    with db.session_scope(eng) as s:
        if not region_service.list_regions(session=s, include_archived=True):
            load_sample(session=s, actor=SYSTEM, lang=lang)
    st.session_state["regions_checked"] = True
    clear_caches()


def clear_caches() -> None:
    """Forget cached reads after a write."""
    st.cache_data.clear()


@st.cache_data(show_spinner=False, ttl=READ_TTL_SECONDS, max_entries=1000)
def _cached_read(module: str, name: str, kwargs: dict[str, Any]) -> Any:
    fn = getattr(importlib.import_module(module), name)
    with Session(engine()) as s:
        return fn(session=s, **kwargs)


def read(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run a read service (keyword arguments: scalars, periods) in its own session, cached."""
    result: T = _cached_read(fn.__module__, fn.__qualname__, kwargs)
    return result


def read_fresh(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run a read service without the cache (for live views that must show others' changes at once)."""
    with Session(engine()) as s:
        return fn(session=s, **kwargs)


def attempt(fn: Callable[..., T], *, keep_cache: bool = False, **kwargs: Any) -> tuple[T | None, UserError | None]:
    """Run one mutating service as the current actor in one transaction; return its result or the user error.

    Nothing is changed when the service refuses. keep_cache: the write changes nothing a cached read
    shows (drafts, presence).
    """
    who = identity.resolve(engine())  # afresh: a session ended in another tab writes nothing more
    if who is None:
        return None, UserError("accounts.error_signed_out")
    identity.remember(who)
    try:
        with db.session_scope(engine()) as s:
            result = fn(session=s, actor=who, **kwargs)
    except UserError as exc:
        return None, exc
    if not keep_cache:
        clear_caches()
    return result, None


def write(fn: Callable[..., T], *, keep_cache: bool = False, **kwargs: Any) -> T | None:
    """attempt(), with a refusal shown to the user as one message in their language; the caller gets None."""
    result, problem = attempt(fn, keep_cache=keep_cache, **kwargs)
    if problem is not None:
        show_error(problem)
    return result


def show_error(problem: UserError) -> None:
    """A user error as one message in the user's language."""
    st.error(session.display().message(problem), icon=":material/error:")
