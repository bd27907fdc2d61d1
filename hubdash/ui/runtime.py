"""The app's runtime: the engine, cached reads, writes in one transaction, and errors shown in the user's language."""

from __future__ import annotations

import functools
import importlib
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
from hubdash.services.audit_log import change_stamp
from hubdash.ui import identity, session, text

T = TypeVar("T")
E = TypeVar("E", bound=UserError)
P = ParamSpec("P")
LOG = logging.getLogger("hubdash")

# Cached reads are shared by every session of this server; its own writes clear them (clear_caches),
# and another app server's writes show within CHANGE_CHECK_SECONDS: each cached read is keyed on the
# newest audit event, which every change writes.
READ_TTL_SECONDS = 30
CHANGE_CHECK_SECONDS = 2


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


def clear_caches() -> None:
    """Forget cached reads after a write."""
    st.cache_data.clear()
    _shared_read.clear()


@st.cache_data(show_spinner=False, ttl=CHANGE_CHECK_SECONDS)
def _change_stamp() -> int:
    with Session(engine()) as s:
        return change_stamp(session=s)


@st.cache_data(show_spinner=False, ttl=READ_TTL_SECONDS, max_entries=1000)
def _cached_read(module: str, name: str, kwargs: dict[str, Any], stamp: object) -> Any:
    fn = getattr(importlib.import_module(module), name)
    with Session(engine()) as s:
        return fn(session=s, **kwargs)


def data_version() -> int:
    """The change stamp cached reads are keyed on: it moves with every change (on any server, within seconds)."""
    return _change_stamp()


def read(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run a read service (keyword arguments: scalars, periods) in its own session, cached until a change."""
    result: T = _cached_read(fn.__module__, fn.__qualname__, kwargs, _change_stamp())
    return result


def read_at(version: object, fn: Callable[..., T], **kwargs: Any) -> T:
    """A read service cached until `version` moves: a live page's own change stamp (ui.vision_live)."""
    result: T = _cached_read(fn.__module__, fn.__qualname__, kwargs, version)
    return result


@st.cache_resource(show_spinner=False, ttl=READ_TTL_SECONDS, max_entries=100)
def _shared_read(module: str, name: str, kwargs: dict[str, Any], stamp: int) -> Any:
    fn = getattr(importlib.import_module(module), name)
    with Session(engine()) as s:
        return fn(session=s, **kwargs)


def read_shared(fn: Callable[..., T], **kwargs: Any) -> T:
    """read(), for a large read model every session shares as is (not copied on each run): never change it."""
    result: T = _shared_read(fn.__module__, fn.__qualname__, kwargs, _change_stamp())
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
