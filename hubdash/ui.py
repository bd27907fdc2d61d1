"""The only hubdash module that imports streamlit: engine, language, region, actor, shared widgets."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar
from uuid import uuid4
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session
from streamlit.runtime.pages_manager import PagesManager

from hubdash import db, i18n
from hubdash.enums import Sector, Status
from hubdash.periods import FiscalQuarter
from hubdash.permissions import OPEN_MODE_ADMIN, SYSTEM, Actor, PermissionDenied
from hubdash.services import regions as region_service
from hubdash.services.regions import GoalSummary, HubSummary
from hubdash.services.samples import load_sample
from hubdash.services.vision import EndorsementRow, SectorCoverage
from hubdash.status import STATUS_COLORS, STATUS_SYMBOLS

T = TypeVar("T")
LANG_KEY = "lang"
REGION_KEY = "region_id"


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The process-wide engine, created once, with the schema upgraded to the newest migration."""
    eng = db.make_engine()
    db.upgrade(eng)
    return eng


def start() -> Engine:
    """Open the database, stopping the page with one readable line if it cannot be used."""
    _leave_folder_navigation()
    try:
        eng = engine()
    except db.DatabaseError as exc:
        st.error(t("app.database_error", error=str(exc)))
        st.stop()
    _ensure_some_region(eng, language())
    return eng


def _leave_folder_navigation() -> None:
    # Until app.py has called st.navigation once in this server process, Streamlit runs a pages/
    # folder in its older multipage mode, where a page opened by its URL runs without app.py (no
    # language switch, no region picker). Switch to app.py's navigation and run again.
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def _ensure_some_region(eng: Engine, lang: str) -> None:
    # On first start with an empty database the app shows the sample region of its language,
    # so `streamlit run app.py` opens on a living dashboard.
    if "regions_checked" in st.session_state:
        return
    with db.session_scope(eng) as session:
        if not region_service.list_regions(session=session):
            load_sample(session=session, actor=SYSTEM, lang=lang)
    st.session_state["regions_checked"] = True
    clear_caches()


def clear_caches() -> None:
    """Forget cached reads after a write."""
    st.cache_data.clear()


# --- language -----------------------------------------------------------------------------


def language() -> str:
    """The language of this browser session (chosen, else HUBDASH_LANG, else the browser's, else ja)."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.resolve_language(st.context.locale)
    return str(st.session_state[LANG_KEY])


def t(key: str, **values: object) -> str:
    """Translated UI text in the session's language."""
    return i18n.t(key, language(), **values)


def label(member: StrEnum) -> str:
    """Translated name of an enum member."""
    return i18n.label(member, language())


def period_label(period: FiscalQuarter | None) -> str:
    """A fiscal quarter as users write it: 2024年度 第1四半期 / FY2024 Q1."""
    return period.label(language()) if period else t("common.none")


def status_text(status: Status) -> str:
    """A status with its symbol, so colour is never the only cue."""
    return f"{STATUS_SYMBOLS[status]} {label(status)}"


def language_switch() -> None:
    """The 日本語 / English switch in the sidebar."""
    current = language()
    choice = st.sidebar.segmented_control(
        t("app.language"),
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGE_NAMES.__getitem__,
        default=current,
        key="language_switch",
    )
    if choice and choice != current:
        st.session_state[LANG_KEY] = choice
        st.rerun()


# --- actor ------------------------------------------------------------------------------


PARTICIPANT_KEY = "participant"


def participant() -> tuple[str, str]:
    """This browser's own (key, name): two browsers are two people for drafts, presence and votes.

    Kept in the URL (?who=&as=) as well, so that a reload keeps the same participant and drafts.
    """
    found = st.session_state.get(PARTICIPANT_KEY)
    if found is None:
        key, name = st.query_params.get("who", ""), st.query_params.get("as", "")
        found = (key if key.isalnum() and len(key) <= 32 else uuid4().hex[:16], name.strip()[:80])
        st.session_state[PARTICIPANT_KEY] = found
    for param, value in zip(("who", "as"), found, strict=True):
        if value and st.query_params.get(param) != value:
            st.query_params[param] = value
    return found


def set_participant_name(name: str) -> None:
    """The name this browser's participant goes by (typed once per workshop)."""
    st.session_state[PARTICIPANT_KEY] = (participant()[0], name.strip()[:80])
    participant()


def participant_name_input() -> None:
    """A sidebar field where a workshop participant types their name once."""
    _, name = participant()
    typed = st.sidebar.text_input(t("vision.your_name"), value=name, max_chars=80, key="participant_name")
    if typed.strip() != name:
        set_participant_name(typed)


def actor() -> Actor:
    """Who is using this session: until sign-in exists, the local open-mode administrator (as this participant)."""
    key, name = participant()
    return replace(OPEN_MODE_ADMIN, name=name or OPEN_MODE_ADMIN.name, username=f"open:{key}")


def actor_badge() -> None:
    """Tell the user, in the sidebar, who they act as."""
    who = actor()
    if who.open_mode:
        st.sidebar.warning(t("app.open_mode"), icon=":material/lock_open:")
    else:
        st.sidebar.caption(t("app.signed_in_as", name=who.name, role=label(who.role)))


# --- region -----------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def regions_table(_engine: Engine) -> dict[int, str]:
    """Region id -> name, for the picker."""
    with Session(_engine) as session:
        return {r.id: r.name for r in region_service.list_regions(session=session) if r.id is not None}


def region_picker() -> int | None:
    """The region selectbox in the sidebar; remembers the choice in the URL (?region=<id>)."""
    names = regions_table(engine())
    if not names:
        return None
    wanted = st.query_params.get("region")
    current = st.session_state.get(REGION_KEY)
    if wanted and wanted.isdigit() and int(wanted) in names:
        current = int(wanted)
    if current not in names:
        current = next(iter(names))
    chosen = st.sidebar.selectbox(
        t("app.region"), options=list(names), format_func=names.__getitem__, index=list(names).index(current)
    )
    st.session_state[REGION_KEY] = chosen
    if st.query_params.get("region") != str(chosen):
        st.query_params["region"] = str(chosen)
    return chosen


def current_region_id() -> int | None:
    """The region chosen in the sidebar (the first region when a page runs on its own)."""
    names = regions_table(engine())
    current = st.session_state.get(REGION_KEY)
    if current in names:
        return int(current)
    wanted = st.query_params.get("region")
    if wanted and wanted.isdigit() and int(wanted) in names:
        return int(wanted)
    return next(iter(names), None)


def require_region() -> int:
    """The current region id, or an explanation and a stop when there is none."""
    start()
    region_id = current_region_id()
    if region_id is None:
        st.info(t("app.no_region"))
        st.stop()
    return region_id


# --- reading ----------------------------------------------------------------------------


# Cached reads are shared by every session of this server; writes clear them (clear_caches), and
# the TTL bounds how stale another app server's writes can look.
READ_TTL_SECONDS = 30


@st.cache_data(show_spinner=False, ttl=READ_TTL_SECONDS, max_entries=1000)
def _cached_read(module: str, name: str, kwargs: dict[str, Any]) -> Any:
    fn = getattr(importlib.import_module(module), name)
    with Session(engine()) as session:
        return fn(session=session, **kwargs)


def read(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run a read service (keyword arguments: scalars, periods) in its own session, cached."""
    return _cached_read(fn.__module__, fn.__qualname__, kwargs)


def read_fresh(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run a read service without the cache (for live views that must show others' changes at once)."""
    with Session(engine()) as session:
        return fn(session=session, **kwargs)


def write(fn: Callable[..., T], keep_cache: bool = False, **kwargs: Any) -> T | None:
    """Run one mutating service as the current actor in one transaction, then clear cached reads.

    Refusals and invalid input are shown to the user as one message and change nothing; the
    caller gets None. keep_cache: the write changes nothing a cached read shows (drafts, presence).
    """
    try:
        with db.session_scope(engine()) as session:
            result = fn(session=session, actor=actor(), **kwargs)
    except PermissionDenied as exc:
        st.error(t("app.permission_denied", detail=str(exc)))
        return None
    except ValueError as exc:  # the services' validation errors say what is wrong
        st.error(_error_text(exc))
        return None
    if not keep_cache:
        clear_caches()
    return result


def _error_text(exc: ValueError) -> str:
    # A validation error may carry a catalogue key and values, to be shown in the user's language.
    key = getattr(exc, "i18n_key", None)
    if not key:
        return str(exc)
    values = {k: label(v) if isinstance(v, StrEnum) else v for k, v in getattr(exc, "i18n_values", {}).items()}
    return t(key, **values)


def status_frame(counts: dict[Status, int]) -> pd.DataFrame:
    """Status counts as rows (status, label, count, colour), in display order."""
    return pd.DataFrame(
        [
            {"status": s.value, "label": status_text(s), "count": counts.get(s, 0), "color": STATUS_COLORS[s]}
            for s in Status
        ]
    )


def status_metrics(counts: dict[Status, int]) -> None:
    """Four metrics, one per status."""
    for column, status in zip(st.columns(len(Status)), Status, strict=True):
        column.metric(status_text(status), counts.get(status, 0))


def page_title(key: str) -> None:
    """The page's h1, from the catalogue."""
    st.title(t(key))


def _counts_text(counts: dict[Status, int]) -> str:
    return "  ".join(f"{STATUS_SYMBOLS[s]}{counts.get(s, 0)}" for s in Status)


def hub_table(hubs: list[HubSummary]) -> pd.DataFrame:
    """Hubs with theme, core institution and status counts, with translated headers."""
    return pd.DataFrame(
        {
            t("col.code"): [h.code for h in hubs],
            t("col.hub"): [h.name for h in hubs],
            t("col.theme"): [h.theme for h in hubs],
            t("col.core_institution"): [h.core_institution for h in hubs],
            t("col.statuses"): [_counts_text(h.statuses) for h in hubs],
        }
    )


def hub_status_frame(hubs: list[HubSummary]) -> pd.DataFrame:
    """One row per hub and status with the number of targets, for charts.status_by_hub."""
    return pd.DataFrame(
        [{"hub": f"{h.code} {h.name}", "status": s.value, "count": h.statuses.get(s, 0)} for h in hubs for s in Status]
    )


def goal_table(goals: list[GoalSummary]) -> pd.DataFrame:
    """Strategic goals with indicator counts and status counts, with translated headers."""
    return pd.DataFrame(
        {
            t("col.code"): [g.code for g in goals],
            t("col.goal"): [g.title for g in goals],
            t("col.indicators"): [g.indicators for g in goals],
            t("col.statuses"): [_counts_text(g.statuses) for g in goals],
        }
    )


def sector_table(counts: dict[Sector, int]) -> pd.DataFrame:
    """Organisations per sector."""
    return pd.DataFrame({t("col.sector"): [label(s) for s in counts], t("col.organisations"): list(counts.values())})


def number(value: float | None, digits: int = 1) -> str:
    """A number for display (thousands separators, trailing zeros dropped), or a dash."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def when(moment: datetime | None, *, with_time: bool = True) -> str:
    """A stored UTC timestamp in the browser's time zone (Japan when unknown)."""
    if moment is None:
        return "–"
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they were stored in UTC
        moment = moment.replace(tzinfo=UTC)
    try:
        zone = ZoneInfo(st.context.timezone or "Asia/Tokyo")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("Asia/Tokyo")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def coverage_frame(coverage: list[SectorCoverage]) -> pd.DataFrame:
    """One row per sector and endorsement state (current | earlier | none), for charts.endorsement_coverage."""
    return pd.DataFrame(
        [
            {"sector": c.sector.value, "state": state, "organisations": getattr(c, state)}
            for c in coverage
            for state in ("current", "earlier", "none")
        ],
        columns=["sector", "state", "organisations"],
    )


def endorsement_table(rows: list[EndorsementRow]) -> pd.DataFrame:
    """Every council organisation with its endorsement state, person, time and comment."""
    return pd.DataFrame(
        {
            t("col.organisation"): [r.organisation for r in rows],
            t("col.sector"): [label(r.sector) for r in rows],
            t("col.endorsement"): [
                t("vision.endorsed")
                if r.is_current
                else t("vision.endorsed_earlier", number=r.revision_number)
                if r.revision_number
                else t("vision.not_endorsed")
                for r in rows
            ],
            t("col.person"): [r.person_name for r in rows],
            t("col.when"): [when(r.endorsed_at) if r.endorsed_at else "" for r in rows],
            t("vision.endorse_comment"): [r.comment for r in rows],
        }
    )
