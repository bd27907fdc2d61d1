"""The PDCA page's parts: stage moves, the four sections, the action-item table, history and comments."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from hubdash.domain.enums import ActionStatus, FutureCourse, PdcaStage
from hubdash.exports.pdca import ACTION_COLUMNS, FIELD_KEYS, action_frame, check_frame
from hubdash.models import PdcaCycle
from hubdash.services import pdca
from hubdash.ui import fmt, runtime
from hubdash.ui.session import display, label, t
from hubdash.ui.text import literal, md, show

SECTIONS: dict[PdcaStage, list[str]] = {
    PdcaStage.PLAN: ["objectives"],
    PdcaStage.DO: ["do_summary"],
    PdcaStage.CHECK: ["check_evaluation", "external_opinion"],
    PdcaStage.ACT: ["act_summary"],
}


def stage_moves(cycle: PdcaCycle) -> None:
    """Move the cycle one stage on, or back to an earlier stage with a reason."""
    stages = list(PdcaStage)
    here = stages.index(cycle.stage)
    if here + 1 < len(stages):
        following = stages[here + 1]
        if st.button(t("pdca.move_forward", stage=label(following)), type="primary", icon=":material/arrow_forward:"):
            if runtime.write(pdca.move_stage, cycle_id=cycle.id, version=cycle.version, to_stage=following):
                st.rerun()
    if here > 0:
        with st.expander(t("pdca.move_back")), st.form("pdca_back"):
            back = st.selectbox(t("col.stage"), stages[:here][::-1], format_func=label)
            reason = st.text_input(t("col.reason"))
            if st.form_submit_button(t("pdca.move_back_button")):
                if runtime.write(
                    pdca.move_stage, cycle_id=cycle.id, version=cycle.version, to_stage=back, reason=reason
                ):
                    st.rerun()


def _read_only(cycle: PdcaCycle, stage: PdcaStage) -> None:
    for name in SECTIONS[stage]:
        st.markdown(f"**{t(FIELD_KEYS[name])}**")
        show(getattr(cycle, name), empty="common.dash")
    if stage is PdcaStage.CHECK:
        rating = md("pdca.effect_rating", rating=cycle.effect_rating) if cycle.effect_rating else "–"
        course = label(cycle.future_course) if cycle.future_course else "–"
        st.caption(f"{rating} · {t(FIELD_KEYS['future_course'])}: {course}")


def _section_form(cycle: PdcaCycle, stage: PdcaStage) -> None:
    with st.form(f"pdca_{stage.value}"):
        values: dict[str, object] = {
            n: st.text_area(t(FIELD_KEYS[n]), getattr(cycle, n), key=f"{n}_{cycle.id}") for n in SECTIONS[stage]
        }
        if stage is PdcaStage.CHECK:
            values["effect_rating"] = st.segmented_control(
                t(FIELD_KEYS["effect_rating"]), [1, 2, 3, 4], default=cycle.effect_rating, key=f"rating_{cycle.id}"
            )
            courses = [None, *FutureCourse]
            values["future_course"] = st.selectbox(
                t(FIELD_KEYS["future_course"]),
                courses,
                index=courses.index(cycle.future_course),
                format_func=lambda c: label(c) if c else "–",
                key=f"course_{cycle.id}",
            )
        if st.form_submit_button(t("pdca.save"), icon=":material/save:"):
            changes = pdca.CycleChanges(**values)  # type: ignore[arg-type]  # the widgets above give each field its type
            if runtime.write(pdca.update_cycle, cycle_id=cycle.id, version=cycle.version, changes=changes):
                st.rerun()


def sections(detail: pdca.CycleDetail, *, editable: bool) -> None:
    """The Plan, Do, Check and Act tabs: their text (a form when editable), carried-in items and the Check table."""
    cycle = detail.cycle
    tabs = dict(zip(SECTIONS, st.tabs([label(s) for s in SECTIONS]), strict=True))
    for stage in SECTIONS:
        with tabs[stage]:
            carried = [a for a in detail.actions if a.item.carried_from_id is not None]
            if stage is PdcaStage.PLAN and carried:
                st.markdown(f"**{t('pdca.carried_in')}**")
                lines = [f"- {literal(a.item.title)} ({label(a.item.origin)} · {literal(a.owner)})" for a in carried]
                st.markdown("\n".join(lines))
            if stage is PdcaStage.CHECK:
                st.dataframe(check_frame(detail.check, display()), hide_index=True, width="stretch")
                st.caption(t("pdca.check_caption", period=fmt.period(detail.last_quarter)))
            if editable:
                _section_form(cycle, stage)
            else:
                _read_only(cycle, stage)


def _day(value: object) -> date | None:
    """A due date from the editor (a date, a Timestamp, or blank)."""
    if value is None or value is pd.NaT or value != value:  # blank, NaT or NaN
        return None
    if isinstance(value, datetime):  # Timestamp too
        return value.date()
    return value if isinstance(value, date) else None


def action_table(
    detail: pdca.CycleDetail, choices: pdca.ActionChoices, *, editable: bool, key: str
) -> list[pdca.ActionInput]:
    """A cycle's action items as a table (editable for its managers); returns the rows the user changed."""
    owner_of = {name: oid for oid, name in choices.organisations.items()}
    status_of = {label(s): s for s in ActionStatus}
    items = [a.item for a in detail.actions]
    codes = {i: name.split(" ")[0] for i, name in choices.indicators.items()}
    frame = action_frame(detail.actions, codes, display())
    columns = {
        "title": st.column_config.TextColumn(t(ACTION_COLUMNS["title"]), required=True),
        "owner": st.column_config.SelectboxColumn(t(ACTION_COLUMNS["owner"]), options=list(owner_of)),
        "due": st.column_config.DateColumn(t(ACTION_COLUMNS["due"])),
        "status": st.column_config.SelectboxColumn(t(ACTION_COLUMNS["status"]), options=list(status_of), required=True),
        "evidence": st.column_config.TextColumn(t(ACTION_COLUMNS["evidence"])),
        "origin": st.column_config.TextColumn(t(ACTION_COLUMNS["origin"])),
        "indicators": st.column_config.TextColumn(t(ACTION_COLUMNS["indicators"])),
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


def add_action_form(cycle: PdcaCycle, choices: pdca.ActionChoices) -> None:
    """The form that adds an action item (an Act improvement while the cycle is at Act)."""
    heading = "pdca.add_act_item" if cycle.stage is PdcaStage.ACT else "pdca.add_action"
    with (
        st.expander(t(heading), expanded=cycle.stage is PdcaStage.ACT),
        st.form(f"add_{cycle.id}", clear_on_submit=True),
    ):
        title = st.text_input(t("col.action"))
        left, right = st.columns(2)
        owner = left.selectbox(
            t("col.owner"), list(choices.organisations), index=None, format_func=choices.organisations.__getitem__
        )
        due = right.date_input(t("col.due"), value=None)
        indicators = st.multiselect(
            t("col.indicators"), list(choices.indicators), format_func=choices.indicators.__getitem__
        )
        if st.form_submit_button(t(heading), icon=":material/add:"):
            new = pdca.ActionInput(
                title=title, owner_organisation_id=owner, due_date=due, indicator_ids=tuple(indicators)
            )
            if runtime.write(pdca.add_action, cycle_id=cycle.id, action=new):
                st.rerun()


def history(detail: pdca.CycleDetail) -> None:
    """Every stage move of the cycle: when, who, from and to, and why."""
    with st.expander(t("pdca.history")):
        for change in detail.history:
            moved = label(change.from_stage) + " → " if change.from_stage else ""
            who = literal(change.changed_by_name or "–")
            st.markdown(f"{fmt.when(change.changed_at)} · {who} · {moved}**{label(change.to_stage)}**")
            if change.reason:
                st.caption(literal(change.reason))
