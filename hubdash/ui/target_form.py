"""The target form of the indicators page: baseline, target, periods, tolerance, milestones and the quarterly
profile of a flow target (typed by hand, or filled in from the profile proposed from the hub's past years)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from hubdash.domain.enums import Accumulation
from hubdash.domain.periods import FiscalQuarter, current_quarter
from hubdash.domain.profiles import ProfileProposal, percents
from hubdash.models import Target
from hubdash.ui import fmt
from hubdash.ui.session import label, t
from hubdash.ui.text import md

MILESTONE_FY, MILESTONE_VALUE = "fy", "value"
QUARTER_KEYS = {1: "profile.q1", 2: "profile.q2", 3: "profile.q3", 4: "profile.q4"}


def target_form(existing: Target | None, *, is_flow: bool, profile_key: str) -> dict[str, Any]:
    """The fields of a target (inside the caller's st.form), prefilled from `existing`; TargetInput keywords."""
    this_year = current_quarter().fiscal_year
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
            format_func=fmt.period,
            placeholder=t("common.choose"),
        ),
        "target_value": left.number_input(t("col.target"), value=existing.target_value if existing else 0.0),
        "target_period": right.selectbox(
            t("col.target_period"),
            quarters,
            quarters.index(deadline) if deadline in quarters else 0,
            format_func=fmt.period,
            placeholder=t("common.choose"),
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
        placeholder=t("common.choose"),
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
    milestones = sorted((existing.milestones or {}).items()) if existing else []
    frame = pd.DataFrame(
        {MILESTONE_FY: [int(fy) for fy, _ in milestones], MILESTONE_VALUE: [float(v) for _, v in milestones]},
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
        int(fy): float(value) for fy, value in edited.dropna()[[MILESTONE_FY, MILESTONE_VALUE]].itertuples(index=False)
    }
    values["profile"] = _profile_fields(existing, is_flow=is_flow, key=profile_key)
    return values


def _profile_fields(existing: Target | None, *, is_flow: bool, key: str) -> tuple[float, ...] | None:
    """The quarterly profile: on or off (the linear path), and the shares by the end of Q1..Q3 in percent."""
    state = st.session_state
    start = percents(existing.profile if existing else None)
    state.setdefault(f"{key}_on", bool(existing and existing.profile))
    for n in (1, 2, 3):
        state.setdefault(f"{key}_q{n}", start[n - 1])
    st.markdown(f"**{t('profile.title')}**")
    st.caption(t("profile.help"))
    seasonal = st.checkbox(t("profile.use"), key=f"{key}_on", disabled=not is_flow)
    columns = st.columns(4)
    shares = [
        columns[n - 1].number_input(t(QUARTER_KEYS[n]), min_value=0, max_value=100, step=1, key=f"{key}_q{n}")
        for n in (1, 2, 3)
    ]
    columns[3].number_input(t(QUARTER_KEYS[4]), value=100, disabled=True, key=f"{key}_q4")
    if not (is_flow and seasonal):
        return None
    return (*(share / 100 for share in shares), 1.0)


def proposal_box(proposal: ProfileProposal | None, key: str) -> None:
    """The profile read off the hub's own past years, with how many it rests on, and a button that fills it in."""
    if proposal is None:
        st.caption(t("profile.no_proposal"))
        return
    shares = " / ".join(str(p) for p in percents(proposal.profile))
    first, last = fmt.fiscal_year(proposal.fiscal_years[0]), fmt.fiscal_year(proposal.fiscal_years[-1])
    st.info(
        md("profile.proposal", shares=shares, years=proposal.years, first=first, last=last), icon=":material/insights:"
    )
    st.button(t("profile.use_proposal"), on_click=_accept, args=(key, percents(proposal.profile)), key=f"{key}_accept")


def _accept(key: str, shares: tuple[int, int, int, int]) -> None:
    # runs before the next script run, so the form's fields start from the proposal
    st.session_state[f"{key}_on"] = True
    for n in (1, 2, 3):
        st.session_state[f"{key}_q{n}"] = shares[n - 1]
