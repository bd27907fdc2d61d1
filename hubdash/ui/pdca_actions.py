"""A PDCA cycle's action items on the page: the table (editable for its managers), adding one, and the items
carried in from the previous cycle, whose due dates the hub manager confirms or sets anew."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from hubdash.domain.enums import ActionStatus, PdcaStage
from hubdash.exports.pdca import ACTION_COLUMNS, action_frame
from hubdash.models import ActionItem, PdcaCycle
from hubdash.services import pdca
from hubdash.ui import runtime
from hubdash.ui.session import display, label, t
from hubdash.ui.tables import height, table
from hubdash.ui.text import flash, literal

# the date pickers take any date, so that the service, not the widget, says what is wrong with one
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def _day(value: object) -> date | None:
    """A due date from the editor (a date, a Timestamp, or blank)."""
    if value is None or value is pd.NaT or value != value:  # blank, NaT or NaN
        return None
    if isinstance(value, datetime):  # Timestamp too
        return value.date()
    return value if isinstance(value, date) else None


def default_due(cycle: PdcaCycle) -> date:
    """The due date a new item starts with: the end of its cycle, or of the next cycle for an Act improvement
    (which is carried into it)."""
    last = pdca.cycle_quarters(cycle)[-1]
    if cycle.stage is PdcaStage.ACT:
        last = pdca.next_period(cycle) + len(pdca.cycle_quarters(cycle)) - 1
    return last.end_date


def _as_input(item: ActionItem, *, due: date | None) -> pdca.ActionInput:
    return pdca.ActionInput(
        title=item.title,
        owner_organisation_id=item.owner_organisation_id,
        due_date=due,
        indicator_ids=tuple(item.indicator_ids),
        status=item.status,
        evidence=item.evidence,
        action_id=item.id,
        version=item.version,
    )


def action_table(
    detail: pdca.CycleDetail, choices: pdca.ActionChoices, *, editable: bool, key: str
) -> list[pdca.ActionInput]:
    """A cycle's action items as a table (editable for its managers); returns the rows the user changed."""
    owner_of = {name: oid for oid, name in choices.organisations.items()}
    status_of = {label(s): s for s in ActionStatus}
    items = [a.item for a in detail.actions]
    codes = {i: name.split(" ")[0] for i, name in choices.indicators.items()}
    frame = action_frame(detail.actions, codes, display())
    # pixel widths that keep all seven columns in view at 1400 px
    columns = {
        "title": st.column_config.TextColumn(t(ACTION_COLUMNS["title"]), required=True, width=270),
        "owner": st.column_config.SelectboxColumn(t(ACTION_COLUMNS["owner"]), options=list(owner_of), width=165),
        "due": st.column_config.DateColumn(t(ACTION_COLUMNS["due"]), format="YYYY/MM/DD", width=100),
        "status": st.column_config.SelectboxColumn(
            t(ACTION_COLUMNS["status"]), options=list(status_of), required=True, width=80
        ),
        "evidence": st.column_config.TextColumn(t(ACTION_COLUMNS["evidence"]), width=150),
        "origin": st.column_config.TextColumn(t(ACTION_COLUMNS["origin"]), width=85),
        "indicators": st.column_config.TextColumn(t(ACTION_COLUMNS["indicators"]), width=75),
    }
    if not items:
        st.caption(t("pdca.no_actions"))
        return []
    if not editable:
        table(frame, column_config=columns)
        return []
    edited = st.data_editor(
        frame,
        column_config=columns,
        disabled=["origin", "indicators"],
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        height=height(len(items)),
        placeholder="–",
        key=key,
    )
    return [
        pdca.ActionInput(
            title=str(row.title or ""),
            owner_organisation_id=owner_of.get(str(row.owner)),
            due_date=_day(row.due),
            indicator_ids=tuple(item.indicator_ids),
            status=status_of[str(row.status)],
            evidence=str(row.evidence or ""),
            action_id=item.id,
            version=item.version,
        )
        for item, row, old in zip(items, edited.itertuples(), frame.itertuples(), strict=True)
        if row[1:] != old[1:]
    ]


def add_action_form(cycle: PdcaCycle, choices: pdca.ActionChoices, *, first: bool = False) -> None:
    """The form that adds an action item (an Act improvement while the cycle is at Act); a refused one keeps
    what was typed."""
    heading = "pdca.add_act_item" if cycle.stage is PdcaStage.ACT else "pdca.add_action"
    keys = {name: f"new_action_{name}_{cycle.id}" for name in ("title", "owner", "due", "indicators")}
    # open while the cycle is at Act, and for a cycle's first item
    with st.expander(t(heading), expanded=first or cycle.stage is PdcaStage.ACT), st.form(f"add_{cycle.id}"):
        title = st.text_input(t("col.action"), key=keys["title"])
        left, right = st.columns(2)
        owner = left.selectbox(
            t("col.owner"),
            list(choices.organisations),
            index=None,
            format_func=choices.organisations.__getitem__,
            placeholder=t("common.choose"),
            key=keys["owner"],
        )
        due = right.date_input(
            t("col.due"),
            value=default_due(cycle),  # an empty date field reads "yyyy / mm / dd" whatever the language
            min_value=EARLIEST,
            max_value=LATEST,
            format="YYYY/MM/DD",
            help=t("pdca.due_default_help"),
            key=keys["due"],
        )
        indicators = st.multiselect(
            t("col.indicators"),
            list(choices.indicators),
            format_func=choices.indicators.__getitem__,
            placeholder=t("common.choose"),
            select_all=False,  # its "Select all" row is Streamlit's own English
            key=keys["indicators"],
        )
        if st.form_submit_button(t(heading), icon=":material/add:"):
            new = pdca.ActionInput(
                title=title, owner_organisation_id=owner, due_date=due, indicator_ids=tuple(indicators)
            )
            if runtime.write(pdca.add_action, cycle_id=cycle.id, action=new):
                for name in keys.values():
                    st.session_state.pop(name, None)
                flash("pdca.action_added", title=title.strip())
                st.rerun()


def carried_in(detail: pdca.CycleDetail, *, editable: bool) -> None:
    """The items carried in from the previous cycle; those that arrived without a due date get one here."""
    carried = [a for a in detail.actions if a.item.carried_from_id is not None]
    if not carried:
        return
    st.markdown(f"**{t('pdca.carried_in')}**")
    undated = [a.item for a in carried if a.item.due_date is None]
    lines = [
        f"- {literal(a.item.title)} ({label(a.item.origin)} · {literal(a.owner)} · "
        f"{literal(a.item.due_date) if a.item.due_date else t('pdca.no_due_date')})"
        for a in carried
    ]
    st.markdown("\n".join(lines))
    if not (editable and undated):
        return
    with st.form(f"redate_{detail.cycle.id}"):
        st.warning(t("pdca.carried_need_dates", count=len(undated)))
        dates = {
            item.id: st.date_input(
                literal(item.title),
                value=default_due(detail.cycle),
                min_value=EARLIEST,
                max_value=LATEST,
                format="YYYY/MM/DD",
                key=f"redate_{item.id}",
            )
            for item in undated
        }
        if st.form_submit_button(t("pdca.save_due_dates"), icon=":material/event:"):
            changes = [_as_input(item, due=dates[item.id]) for item in undated if isinstance(dates[item.id], date)]
            saved = runtime.write(pdca.update_actions, cycle_id=detail.cycle.id, actions=changes) if changes else None
            if saved:
                flash("pdca.due_dates_saved", count=saved)
                st.rerun()
