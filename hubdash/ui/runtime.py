"""The app's runtime: the engine, cached reads, writes in one transaction, and errors shown in the user's language."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar
from uuid import uuid4

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session
from streamlit.errors import FragmentHandledException

from hubdash import db
from hubdash.domain.errors import UserError
from hubdash.domain.permissions import SYSTEM
from hubdash.seed.sample import load_sample_if_empty
from hubdash.services import regions as region_service
from hubdash.ui import identity, session, text
from hubdash.ui.reads import (  # re-exported: runtime.read() and friends are how pages and ui modules read
    CHANGE_CHECK_SECONDS as CHANGE_CHECK_SECONDS,
)
from hubdash.ui.reads import READ_TTL_SECONDS as READ_TTL_SECONDS
from hubdash.ui.reads import clear_caches as clear_caches
from hubdash.ui.reads import data_version as data_version
from hubdash.ui.reads import engine as engine
from hubdash.ui.reads import read as read
from hubdash.ui.reads import read_at as read_at
from hubdash.ui.reads import read_fresh as read_fresh
from hubdash.ui.reads import read_shared as read_shared

T = TypeVar("T")
E = TypeVar("E", bound=UserError)
P = ParamSpec("P")
LOG = logging.getLogger("hubdash")


def start() -> Engine:
    """Open the database and find who is signed in, stopping the page with a readable line when either fails."""
    try:
        eng = engine()
    except db.DatabaseError as exc:
        st.error(text.md("app.database_error", error=str(exc)))
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
    # Several servers may start on one empty database together: one loads the sample, the others find it.
    if "regions_checked" in st.session_state:
        return
    with Session(eng) as s:
        empty = not region_service.list_regions(session=s, include_archived=True)
    if empty:
        with db.startup_lock(eng):
            db.run_in_transaction(eng, lambda s: load_sample_if_empty(session=s, actor=SYSTEM, lang=lang))
        clear_caches()
    st.session_state["regions_checked"] = True


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
        result = db.run_in_transaction(engine(), lambda s: fn(session=s, actor=who, **kwargs))
    except UserError as exc:
        return None, exc
    except db.Busy:
        return None, UserError("app.database_busy")
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
    st.error(text.message(problem), icon=":material/error:")


def _log() -> logging.Logger:
    # Streamlit configures only its own loggers: give ours a handler (stderr, the server's log) once.
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)
        LOG.propagate = False
    return LOG


@contextmanager
def guard() -> Iterator[None]:
    """Run page code so that nothing unexpected shows a traceback.

    A user error nobody handled is shown as one message; any other error as one translated line with a
    short incident number, while the log holds the traceback under that number. st.rerun and st.stop
    (BaseExceptions) and Streamlit's own signal that it has handled a fragment's error pass through.
    """
    try:
        yield
    except FragmentHandledException:
        raise
    except UserError as problem:
        show_error(problem)
    except Exception:
        incident = uuid4().hex[:8]
        _log().exception("incident %s: unexpected error on page %r", incident, st.context.url)
        with st.container(key=f"incident-{incident}"):
            st.error(text.md("app.unexpected", incident=incident), icon=":material/error:")


def guarded(fn: Callable[P, None]) -> Callable[P, None]:
    """`fn` run inside guard(): for fragments (which re-run without the page) and widget callbacks."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        with guard():
            fn(*args, **kwargs)

    return run
