"""Reporting on the pages: which quarter a view is as of, how far the hubs are with newer quarters, who has
submitted, and a hub's submit button."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from hubdash.domain.enums import SubmissionStatus
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import Permission, allows
from hubdash.exports import report_text
from hubdash.models import Hub
from hubdash.services.reporting import Coverage, HubReporting, QuarterState, submit_quarter
from hubdash.ui import fmt, runtime
from hubdash.ui.identity import actor
from hubdash.ui.session import display, label, t
from hubdash.ui.tables import row_px_to_fit, table
from hubdash.ui.text import md


def coverage_text(coverage: Coverage) -> str:
    """A quarter's coverage, e.g. FY2026 Q3 (provisional): 1 of 3 hubs reported (0 submitted)."""
    return report_text.coverage_text(display(), coverage)


def as_of(period: FiscalQuarter | None, complete: bool, coverage: Coverage | None = None) -> None:
    """Say which quarter the view is as of, and whether every hub has submitted it."""
    if period is None:
        st.info(t("reporting.nothing_reported"))
    elif complete:
        st.caption(t("reporting.as_of_complete", period=fmt.period(period)))
    else:
        detail = coverage_text(coverage) if coverage is not None else ""
        text = t("reporting.as_of_provisional", period=fmt.period(period), detail=detail)
        st.warning(text, icon=":material/warning:")


def newer_quarters(newer: Iterable[Coverage]) -> None:
    """One line per quarter after the as-of quarter that hubs have started to report."""
    for coverage in newer:
        st.info(coverage_text(coverage), icon=":material/hourglass_top:")


def _state_text(state: QuarterState) -> str:
    if state.status is not None and state.status is not SubmissionStatus.SUBMITTED:  # the secretariat's word
        when = fmt.when(state.submitted_at, with_time=False)
        return f"{t('reporting.cell_submitted', when=when, who=fmt.person(state.submitted_by))} ({label(state.status)})"
    if state.submitted:
        return t(
            "reporting.cell_submitted",
            when=fmt.when(state.submitted_at, with_time=False),
            who=fmt.person(state.submitted_by),
        )
    if state.entered:
        return t("reporting.cell_entered", entered=state.entered, total=state.targets)
    return "–"


def reporting_table(rows: list[HubReporting]) -> pd.DataFrame:
    """Who has submitted: each hub and its recent quarters, the newest first so that it is always in view
    (submitted when and by whom, or how far entered)."""
    if not rows:
        return pd.DataFrame()
    periods = [state.period for state in rows[0].quarters]
    newest_first = sorted(enumerate(periods), key=lambda pair: pair[1], reverse=True)
    return pd.DataFrame(
        {
            t("col.hub"): [fmt.coded(row.code, row.name) for row in rows],
            **{fmt.period(p): [_state_text(row.quarters[i]) for row in rows] for i, p in newest_first},
        }
    )


def reporting_table_view(frame: pd.DataFrame) -> None:
    """Who has submitted, the hub pinned and the three newest quarters in view at 1400 px (older ones to the right),
    each name and cell read whole."""
    hub = t("col.hub")
    widths = {c: 275 if c == hub else 220 for c in frame.columns}
    table(
        frame,
        column_config={c: st.column_config.Column(width=w, pinned=c == hub) for c, w in widths.items()},
        row_height=row_px_to_fit(frame, widths),
    )


def submit_box(hub: Hub, period: FiscalQuarter, state: QuarterState, done: Callable[..., None]) -> None:
    """The quarter's submission: when and by whom, or the button that submits it once every value is in.

    A quarter the secretariat returned says so with its comment, and can be submitted again."""
    if state.submitted:
        when = fmt.when(state.submitted_at)
        st.success(md("reporting.submitted", period=fmt.period(period), when=when, who=fmt.person(state.submitted_by)))
        if state.status in (SubmissionStatus.CONFIRMED, SubmissionStatus.SUPERSEDED):
            st.caption(md("signoff.state_line", status=label(state.status), comment=state.comment or "–"))
        return
    if state.status is SubmissionStatus.RETURNED:
        st.warning(md("signoff.returned_notice", period=fmt.period(period), comment=state.comment or "–"))
    ready = state.targets > 0 and state.entered >= state.targets
    st.caption(md("reporting.not_submitted", period=fmt.period(period), entered=state.entered, total=state.targets))
    allowed = allows(actor(), Permission.ENTER_PROGRESS, region_id=hub.region_id, hub_id=hub.id)
    caption = md("reporting.submit", period=fmt.period(period), hub=hub.code)
    if st.button(caption, disabled=not (ready and allowed), help=t("reporting.submit_help"), icon=":material/send:"):
        if runtime.write(submit_quarter, hub_id=hub.id, period=period) is not None:
            done("reporting.submitted_now", period=fmt.period(period), hub=hub.code)
