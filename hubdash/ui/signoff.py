"""The quarterly sign-off page's parts: whether the region waits for the sign-off, the quarters waiting for the
secretariat (confirm, or return with a comment), and every submission with its history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hubdash.domain.enums import SubmissionStatus
from hubdash.services import signoff
from hubdash.services.region_settings import RegionSettings, set_confirmed_only
from hubdash.ui import fmt, runtime
from hubdash.ui.session import label, t
from hubdash.ui.tables import row_px_to_fit, table
from hubdash.ui.text import flash, literal, md


def setting(settings: RegionSettings, *, editable: bool) -> None:
    """The region's choice: do summaries count a quarter complete only once it is confirmed?"""
    chosen = st.toggle(
        t("signoff.confirmed_only"), settings.confirmed_only, disabled=not editable, key="confirmed_only"
    )
    st.caption(t("signoff.confirmed_only_help"))
    if editable and chosen != settings.confirmed_only:
        if runtime.write(
            set_confirmed_only, region_id=settings.region_id, confirmed_only=chosen, version=settings.version
        ):
            flash("signoff.setting_saved")
            st.rerun()


def waiting(lines: list[signoff.SubmissionLine], *, editable: bool) -> None:
    """The quarters waiting for the secretariat: pick one, then confirm it or return it with a comment."""
    if not lines:
        st.success(t("signoff.nothing_waiting"), icon=":material/task_alt:")
        return
    submissions(lines)
    if not editable:
        return
    by_id = {line.submission_id: line for line in lines}
    picked = st.selectbox(
        t("signoff.pick"),
        list(by_id),
        index=None,
        format_func=lambda i: f"{by_id[i].hub_code} {by_id[i].hub_name} · {fmt.period(by_id[i].period)}",
        placeholder=t("common.choose"),
        key="signoff_pick",
    )
    if picked is None:
        return
    line = by_id[picked]
    with st.form(f"signoff_{line.submission_id}_{line.version}"):
        comment = st.text_area(t("signoff.comment"), placeholder=t("signoff.comment_hint"))
        confirm, give_back = st.columns(2)
        if confirm.form_submit_button(t("signoff.confirm"), type="primary", icon=":material/verified:"):
            if runtime.write(
                signoff.confirm_quarter, submission_id=line.submission_id, version=line.version, comment=comment
            ):
                flash("signoff.confirmed", hub=line.hub_code, period=fmt.period(line.period))
                st.rerun()
        if give_back.form_submit_button(t("signoff.return"), icon=":material/undo:"):
            if runtime.write(
                signoff.return_quarter, submission_id=line.submission_id, version=line.version, comment=comment
            ):
                flash("signoff.returned", hub=line.hub_code, period=fmt.period(line.period))
                st.rerun()


def submissions_frame(lines: list[signoff.SubmissionLine]) -> pd.DataFrame:
    """Submissions with their status, who submitted and who reviewed them."""
    return pd.DataFrame(
        {
            t("col.hub"): [fmt.coded(line.hub_code, line.hub_name) for line in lines],
            t("col.period"): [fmt.period(line.period) for line in lines],
            t("col.status"): [label(line.status) for line in lines],
            t("signoff.submitted_by"): [f"{fmt.when(line.submitted_at)} · {line.submitted_by}" for line in lines],
            t("signoff.reviewed_by"): [
                f"{fmt.when(line.reviewed_at)} · {line.reviewed_by}" if line.reviewed_at else "–" for line in lines
            ],
            t("signoff.comment"): [line.comment or "–" for line in lines],
        }
    )


def submissions(lines: list[signoff.SubmissionLine]) -> None:
    """The submissions with every column in view at 1400 px, names and comments read whole."""
    frame = submissions_frame(lines)
    widths = dict(zip(frame.columns, (275, 125, 80, 200, 150, 110), strict=True))
    table(
        frame,
        column_config={c: st.column_config.Column(width=w) for c, w in widths.items()},
        row_height=row_px_to_fit(frame, widths),
    )


def history(lines: list[signoff.SubmissionLine]) -> None:
    """Every submission of the region and, opened, its steps."""
    submissions(lines)
    with st.expander(t("signoff.history")):
        for line in lines:
            if len(line.history) < 2 and line.status is SubmissionStatus.SUBMITTED:
                continue  # submitted once and nothing since: the table says it all
            st.markdown(md("signoff.history_heading", hub=line.hub_code, period=fmt.period(line.period)))
            for step in line.history:
                text = (
                    f"{fmt.when(step.changed_at)} · {literal(step.changed_by_name or '–')} · **{label(step.status)}**"
                )
                st.markdown(text + (f" · {literal(step.comment)}" if step.comment else ""))
