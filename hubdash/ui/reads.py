"""Cached reads shared by every session of this server, and the process-wide engine they read through."""

from __future__ import annotations

import functools
import gc
import importlib
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from hubdash import db
from hubdash.services.audit_log import change_stamp

T = TypeVar("T")

# Cached reads are shared by every session of this server; its own writes clear them (clear_caches),
# and another app server's writes show within CHANGE_CHECK_SECONDS: each cached read is keyed on the
# newest audit event, which every change writes. READ_TTL_SECONDS only bounds how long a read that depends on
# the clock (days to a deadline) may lag, and lets a page visited again within it open warm.
READ_TTL_SECONDS = 120
CHANGE_CHECK_SECONDS = 2


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The process-wide engine, created once, with the schema upgraded to the newest migration."""
    eng = db.make_engine()
    db.upgrade(eng)
    _settle()
    return eng


@functools.cache
def _settle() -> None:
    """Leave what the process holds for its whole life (modules, classes, the engine) out of the garbage
    collector's full passes, once: a page run that builds many objects (the all-regions summary) sets one off,
    and it then walks only what the runs made (milliseconds) instead of every object of the libraries too."""
    gc.collect()
    gc.freeze()


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
