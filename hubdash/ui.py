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
from hubdash.domain.enums import Accumulation, ActionStatus, Sector, Status
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import OPEN_MODE_ADMIN, SYSTEM, Actor, PermissionDenied
from hubdash.domain.status import STATUS_SYMBOLS
from hubdash.models import Hub, Indicator, Target
from hubdash.readers.progress_file import ImportFileError, RowError
from hubdash.seed.sample import load_sample
from hubdash.services import pdca
from hubdash.services import regions as region_service
from hubdash.services.indicators import CatalogueEntry
from hubdash.services.measurements import NOTE_JUMP, NOTE_OFF_TRACK, ImportPlan, NoteRequired
from hubdash.services.progress_entry import CorrectionRow
from hubdash.services.regions import GoalSummary, HubSummary
from hubdash.services.targets import TargetHistoryEntry
from hubdash.services.vision import EndorsementRow, SectorCoverage

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
    # folder in its older multipage mode: a page opened by its URL would run without app.py, and
    # the sidebar would list file names. config.toml hides that folder menu; here we switch to
    # app.py's navigation, show its (translated) menu and run again.
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.set_option("client.showSidebarNavigation", True)
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


def status_metrics(counts: dict[Status, int]) -> None:
    """Four metrics, one per status."""
    for column, status in zip(st.columns(len(Status)), Status, strict=True):
        column.metric(status_text(status), counts.get(status, 0))


def chart_view(view: Any, column_config: dict[str, Any] | None = None) -> None:
    """A chart (charts.ChartView) with a tab holding the table of the same numbers."""
    chart_tab, table_tab = st.tabs([t("common.chart"), t("common.table")])
    chart_tab.altair_chart(view.chart, width="stretch")
    table_tab.dataframe(view.table, hide_index=True, width="stretch", column_config=column_config)


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


# --- progress entry: errors that come with a table ------------------------------------------


def write_checked(fn: Callable[..., T], **kwargs: Any) -> tuple[T | None, ImportFileError | NoteRequired | None]:
    """Like write(), but a file's bad rows and values that need a note come back to the page as the error."""
    try:
        with db.session_scope(engine()) as session:
            result = fn(session=session, actor=actor(), **kwargs)
    except (ImportFileError, NoteRequired) as exc:
        return None, exc
    except PermissionDenied as exc:
        st.error(t("app.permission_denied", detail=str(exc)))
        return None, None
    except ValueError as exc:
        st.error(str(exc))
        return None, None
    clear_caches()
    return result, None


def row_errors_table(errors: list[RowError]) -> pd.DataFrame:
    """A file's bad rows: row as the spreadsheet shows it, column, value, reason."""
    return pd.DataFrame(
        {
            t("progress.error_row"): [e.row or "–" for e in errors],
            t("progress.error_column"): [e.column for e in errors],
            t("progress.error_value"): [e.value for e in errors],
            t("progress.error_reason"): [e.reason for e in errors],
        }
    )


def notes_needed_table(exc: NoteRequired) -> pd.DataFrame:
    """Which values need a note before they save, and why, in the user's language."""
    why = {NOTE_JUMP: t("progress.note_jump"), NOTE_OFF_TRACK: t("progress.note_off_track")}
    return pd.DataFrame(
        {
            t("col.indicator"): [exc.labels[i] for i in exc.reasons],
            t("progress.note_why"): [why.get(r, r) for r in exc.reasons.values()],
        }
    )


def plan_table(plan: ImportPlan) -> pd.DataFrame:
    """An upload's preview: each row of the file, new, changed or unchanged, with the stored and the new value."""
    kinds = (
        (plan.new, t("progress.new")),
        (plan.changed, t("progress.changed")),
        (plan.unchanged, t("progress.unchanged")),
    )
    rows = sorted(((v, kind) for values, kind in kinds for v in values), key=lambda pair: pair[0].row)
    return pd.DataFrame(
        {
            t("progress.error_row"): [v.row for v, _ in rows],
            t("progress.change"): [kind for _, kind in rows],
            t("progress.what"): [v.label for v, _ in rows],
            t("progress.stored"): [v.existing_value for v, _ in rows],
            t("col.value"): [v.value for v, _ in rows],
            t("col.note"): [v.note for v, _ in rows],
        }
    )


def corrections_table(rows: list[CorrectionRow]) -> pd.DataFrame:
    """Corrections of values: old and new value and note, who and when, typed or imported."""
    return pd.DataFrame(
        {
            t("col.indicator"): [f"{r.indicator_code} {r.indicator_name}" for r in rows],
            t("progress.old_value"): [r.old_value for r in rows],
            t("progress.new_value"): [r.new_value for r in rows],
            t("progress.old_note"): [r.old_note for r in rows],
            t("progress.new_note"): [r.new_note for r in rows],
            t("col.when"): [when(r.corrected_at) for r in rows],
            t("col.who"): [r.corrected_by for r in rows],
            t("progress.source"): [
                t("progress.source_import") if r.source == "import" else t("progress.source_manual") for r in rows
            ],
        }
    )


# --- indicators and targets -----------------------------------------------------------------

_ENUM_T = TypeVar("_ENUM_T", bound=StrEnum)
MILESTONE_FY, MILESTONE_VALUE = "fy", "value"


def coded(row: Any) -> str:
    """A hub, goal or indicator as "code name"."""
    return f"{row.code} {getattr(row, 'name', None) or getattr(row, 'title', '')}"


def enum_select(container: Any, key: str, enum: type[_ENUM_T], current: _ENUM_T | None) -> _ENUM_T:
    """A selectbox over an enum's members with translated labels, starting at `current`."""
    options = list(enum)
    return container.selectbox(t(key), options, options.index(enum(current)) if current else 0, format_func=label)


def catalogue_table(entries: list[CatalogueEntry]) -> pd.DataFrame:
    """The indicator catalogue with translated headers and labels."""
    return pd.DataFrame(
        {
            t("col.code"): [e.indicator.code for e in entries],
            t("col.indicator"): [e.indicator.name for e in entries],
            t("col.unit"): [e.indicator.unit for e in entries],
            t("col.kind"): [label(e.indicator.kind) for e in entries],
            t("col.measure"): [label(e.indicator.measure) for e in entries],
            t("col.direction"): [label(e.indicator.direction) for e in entries],
            t("col.goal"): [e.goal_code or "–" for e in entries],
            t("col.targets"): [e.targets for e in entries],
            t("col.definition"): [e.indicator.definition for e in entries],
            t("indicators.data_source"): [e.indicator.data_source for e in entries],
        }
    )


def targets_table(targets: list[tuple[Target, Indicator, Hub | None]]) -> pd.DataFrame:
    """Targets with baseline, target, periods, milestones and tolerance, with translated headers."""
    return pd.DataFrame(
        {
            t("col.hub"): [hub.name if hub else t("indicators.whole_region") for _, _, hub in targets],
            t("col.indicator"): [coded(ind) for _, ind, _ in targets],
            t("col.baseline"): [number(tg.baseline_value) for tg, _, _ in targets],
            t("col.baseline_period"): [
                period_label(FiscalQuarter(tg.baseline_fy, tg.baseline_quarter)) for tg, _, _ in targets
            ],
            t("col.target"): [number(tg.target_value) for tg, _, _ in targets],
            t("col.target_period"): [
                period_label(FiscalQuarter(tg.target_fy, tg.target_quarter)) for tg, _, _ in targets
            ],
            t("col.unit"): [ind.unit for _, ind, _ in targets],
            t("col.accumulation"): [label(tg.accumulation) if ind.measure == "flow" else "–" for tg, ind, _ in targets],
            t("indicators.milestones"): [
                ", ".join(f"FY{fy}: {number(v)}" for fy, v in sorted((tg.milestones or {}).items()))
                for tg, _, _ in targets
            ],
            t("indicators.tolerance"): [number(tg.tolerance * 100) for tg, _, _ in targets],
        }
    )


def target_form(existing: Target | None, *, is_flow: bool) -> dict[str, Any]:
    """The fields of a target (inside the caller's st.form), prefilled from `existing`; TargetInput keywords."""
    this_year = FiscalQuarter.from_date(datetime.now(UTC).date()).fiscal_year
    quarters = [FiscalQuarter(fy, q) for fy in range(this_year - 10, this_year + 11) for q in (1, 2, 3, 4)]
    baseline = (
        FiscalQuarter(existing.baseline_fy, existing.baseline_quarter) if existing else FiscalQuarter(this_year - 1, 4)
    )
    deadline = (
        FiscalQuarter(existing.target_fy, existing.target_quarter) if existing else FiscalQuarter(this_year + 3, 4)
    )
    left, right = st.columns(2)
    values: dict[str, Any] = {
        "baseline_value": left.number_input(t("col.baseline"), value=existing.baseline_value if existing else 0.0),
        "baseline_period": right.selectbox(
            t("col.baseline_period"),
            quarters,
            quarters.index(baseline) if baseline in quarters else 0,
            format_func=period_label,
        ),
        "target_value": left.number_input(t("col.target"), value=existing.target_value if existing else 0.0),
        "target_period": right.selectbox(
            t("col.target_period"),
            quarters,
            quarters.index(deadline) if deadline in quarters else 0,
            format_func=period_label,
        ),
    }
    accumulation = Accumulation(existing.accumulation) if existing else Accumulation.ANNUAL
    options = list(Accumulation)
    values["accumulation"] = left.selectbox(
        t("col.accumulation"),
        options,
        options.index(accumulation),
        format_func=label,
        disabled=not is_flow,
        help=t("indicators.accumulation_help"),
    )
    percent = right.number_input(
        t("indicators.tolerance"),
        min_value=0,
        max_value=100,
        value=round((existing.tolerance if existing else 0.1) * 100),
        help=t("indicators.tolerance_help"),
    )
    values["tolerance"] = percent / 100
    st.caption(t("indicators.milestones_help"))
    frame = pd.DataFrame(
        {
            MILESTONE_FY: [int(fy) for fy in sorted((existing.milestones or {}) if existing else {})],
            MILESTONE_VALUE: [float(v) for _, v in sorted(((existing.milestones or {}) if existing else {}).items())],
        },
        dtype="float64",
    )
    edited = st.data_editor(
        frame,
        num_rows="dynamic",
        hide_index=True,
        column_config={
            MILESTONE_FY: st.column_config.NumberColumn(t("indicators.milestone_fy"), format="%d", step=1),
            MILESTONE_VALUE: st.column_config.NumberColumn(t("indicators.milestone_value")),
        },
        key=f"milestones_{existing.id if existing else 'new'}_{existing.version if existing else 0}",
    )
    values["milestones"] = {
        int(row[MILESTONE_FY]): float(row[MILESTONE_VALUE]) for _, row in edited.dropna().iterrows()
    }
    return values


def target_history_table(history: list[TargetHistoryEntry]) -> pd.DataFrame:
    """Re-baselinings: when, who, which target, why, and each changed field as before -> after."""

    names = {
        "baseline_value": t("col.baseline"),
        "baseline_period": t("col.baseline_period"),
        "target_value": t("col.target"),
        "target_period": t("col.target_period"),
        "accumulation": t("col.accumulation"),
        "tolerance": t("indicators.tolerance"),
        "milestones": t("indicators.milestones"),
    }

    def shown(key: str, value: object) -> str:
        if key == "tolerance" and isinstance(value, int | float):
            return f"{number(value * 100)} %"  # stored as a fraction, entered and shown in percent
        return str(value)

    def changes(entry: TargetHistoryEntry) -> str:
        keys = [k for k in entry.after if entry.before.get(k) != entry.after.get(k)]
        return "; ".join(
            f"{names.get(k, k)}: {shown(k, entry.before.get(k))} → {shown(k, entry.after.get(k))}" for k in keys
        )

    return pd.DataFrame(
        {
            t("col.when"): [when(h.changed_at) for h in history],
            t("col.who"): [h.changed_by for h in history],
            t("col.hub"): [h.hub_code or t("indicators.whole_region") for h in history],
            t("col.indicator"): [h.indicator_code for h in history],
            t("col.reason"): [h.reason for h in history],
            t("indicators.change"): [changes(h) for h in history],
        }
    )


def action_table(
    detail: pdca.CycleDetail, choices: pdca.ActionChoices, *, editable: bool, key: str
) -> list[pdca.ActionInput]:
    """A cycle's action items as a table (editable for its managers); returns the rows the user changed."""
    owner_of = {name: oid for oid, name in choices.organisations.items()}
    status_of = {label(s): s for s in ActionStatus}
    items = [a.item for a in detail.actions]
    frame = pd.DataFrame(
        {
            "title": [a.title for a in items],
            "owner": [a.owner for a in detail.actions],
            "due": [a.due_date for a in items],
            "status": [label(a.status) for a in items],
            "evidence": [a.evidence for a in items],
            "origin": [label(a.origin) for a in items],
            "indicators": [
                ", ".join(choices.indicators.get(i, "?").split(" ")[0] for i in a.indicator_ids) for a in items
            ],
        }
    )
    columns = {
        "title": st.column_config.TextColumn(t("col.action"), required=True),
        "owner": st.column_config.SelectboxColumn(t("col.owner"), options=list(owner_of)),
        "due": st.column_config.DateColumn(t("col.due")),
        "status": st.column_config.SelectboxColumn(t("col.action_status"), options=list(status_of), required=True),
        "evidence": st.column_config.TextColumn(t("pdca.evidence")),
        "origin": st.column_config.TextColumn(t("col.origin")),
        "indicators": st.column_config.TextColumn(t("col.indicators")),
    }
    if not editable:
        st.dataframe(frame, column_config=columns, hide_index=True, width="stretch")
        return []
    edited = st.data_editor(
        frame,
        column_config=columns,
        disabled=["origin", "indicators"],
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        key=key,
    )
    return [
        pdca.ActionInput(
            title=row.title or "",
            owner_organisation_id=owner_of.get(row.owner),
            due_date=pd.Timestamp(row.due).date() if pd.notna(row.due) else None,
            indicator_ids=tuple(item.indicator_ids),
            status=status_of[row.status],
            evidence=row.evidence or "",
            action_id=item.id,
        )
        for item, row, old in zip(items, edited.itertuples(), frame.itertuples(), strict=True)
        if row[1:] != old[1:]
    ]
