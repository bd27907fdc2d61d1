"""The PDCA page's parts: picking a cycle, stage moves, the four sections and the stage history."""

from __future__ import annotations

import streamlit as st

from hubdash.domain.enums import FutureCourse, PdcaStage
from hubdash.domain.periods import FiscalQuarter
from hubdash.exports.pdca import FIELD_KEYS, check_frame
from hubdash.models import PdcaCycle, id_of
from hubdash.services import pdca
from hubdash.ui import fmt, runtime
from hubdash.ui.pdca_actions import carried_in
from hubdash.ui.session import display, label, t
from hubdash.ui.tables import table
from hubdash.ui.text import flash, literal, md, show

SECTIONS: dict[PdcaStage, list[str]] = {
    PdcaStage.PLAN: ["objectives"],
    PdcaStage.DO: ["do_summary"],
    PdcaStage.CHECK: ["check_evaluation", "external_opinion"],
    PdcaStage.ACT: ["act_summary"],
}
SELECTED_KEY = "pdca_selected"  # hub id -> the cycle the page shows


def _select(hub_id: int, cycle_id: int) -> None:
    st.session_state.setdefault(SELECTED_KEY, {})[hub_id] = cycle_id


def cycle_picker(hub: pdca.HubCycles, *, can_edit: bool, now: FiscalQuarter) -> int | None:
    """The period box of a hub (it stays on the cycle the user works on), and opening the current period."""
    if can_edit and now not in [p for _, p, _ in hub.cycles]:
        if st.button(t("pdca.open_current", period=fmt.period(now)), icon=":material/add:"):
            if opened := runtime.write(pdca.open_cycle, hub_id=hub.hub_id, period=now):
                _select(hub.hub_id, id_of(opened))
                flash("pdca.opened", period=fmt.period(now))
                st.rerun()
    if not hub.cycles:
        return None
    ids = [c for c, _, _ in hub.cycles]
    names = {c: f"{fmt.period(p)} · {label(s)}" for c, p, s in hub.cycles}
    wanted = st.session_state.get(SELECTED_KEY, {}).get(hub.hub_id)
    # no widget key: when a stage or a new cycle changes the labels, the box is rebuilt on the chosen cycle
    chosen: int = st.selectbox(
        t("col.period"),
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        format_func=names.__getitem__,
        placeholder=t("common.choose"),
    )
    _select(hub.hub_id, chosen)
    return chosen


def _move(cycle: PdcaCycle, to_stage: PdcaStage, reason: str = "") -> None:
    done = runtime.write(pdca.move_stage, cycle_id=cycle.id, version=cycle.version, to_stage=to_stage, reason=reason)
    if done is not None:
        _select(done.hub_id, id_of(done))
        flash("pdca.moved", stage=label(to_stage))
        st.rerun()


def stage_moves(cycle: PdcaCycle, following: FiscalQuarter | None) -> None:
    """Move the cycle one stage on, back to an earlier stage with a reason, or (closed) open the next cycle.

    `following`: the period of the next cycle when it does not exist yet.
    """
    stages = list(PdcaStage)
    here = stages.index(cycle.stage)
    if here + 1 < len(stages):
        onward = stages[here + 1]
        if st.button(t("pdca.move_forward", stage=label(onward)), type="primary", icon=":material/arrow_forward:"):
            _move(cycle, onward)
    elif following is not None:
        st.info(t("pdca.closed_next", period=fmt.period(following)))
        if st.button(t("pdca.open_next", period=fmt.period(following)), type="primary", icon=":material/add:"):
            if opened := runtime.write(pdca.open_cycle, hub_id=cycle.hub_id, period=following):
                _select(cycle.hub_id, id_of(opened))
                flash("pdca.opened", period=fmt.period(following))
                st.rerun()
    if here > 0:
        with st.expander(t("pdca.move_back")), st.form("pdca_back"):
            back = st.selectbox(t("col.stage"), stages[:here][::-1], format_func=label, placeholder=t("common.choose"))
            reason = st.text_input(t("col.reason"))
            if st.form_submit_button(t("pdca.move_back_button")):
                _move(cycle, back, reason)


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
                placeholder=t("common.choose"),
            )
        if st.form_submit_button(t("pdca.save"), icon=":material/save:"):
            changes = pdca.CycleChanges(**values)  # type: ignore[arg-type]  # the widgets above give each field its type
            if runtime.write(pdca.update_cycle, cycle_id=cycle.id, version=cycle.version, changes=changes):
                flash("pdca.saved")
                st.rerun()


def sections(detail: pdca.CycleDetail, *, editable: bool) -> None:
    """The Plan, Do, Check and Act tabs, opening on the cycle's stage: text (a form when editable), carried-in
    items and the Check table."""
    cycle = detail.cycle
    opened_on = PdcaStage.ACT if cycle.stage is PdcaStage.CLOSED else cycle.stage
    stage_names = [label(s) for s in SECTIONS]
    # keyed by the stage: when the cycle moves on, the tabs open on its new stage
    shown = st.tabs(stage_names, default=label(opened_on), key=f"pdca_tabs_{cycle.id}_{cycle.stage}")
    tabs = dict(zip(SECTIONS, shown, strict=True))
    for stage in SECTIONS:
        with tabs[stage]:
            if stage is PdcaStage.PLAN:
                carried_in(detail, editable=editable)
            if stage is PdcaStage.CHECK:
                table(check_frame(detail.check, display()))
                st.caption(t("pdca.check_caption", period=fmt.period(detail.last_quarter)))
            if editable:
                _section_form(cycle, stage)
            else:
                _read_only(cycle, stage)


def history(detail: pdca.CycleDetail) -> None:
    """Every stage move of the cycle: when, who, from and to, and why."""
    with st.expander(t("pdca.history")):
        for change in detail.history:
            moved = label(change.from_stage) + " → " if change.from_stage else ""
            who = literal(fmt.person(change.changed_by_name))
            st.markdown(f"{fmt.when(change.changed_at)} · {who} · {moved}**{label(change.to_stage)}**")
            if change.reason:
                st.caption(literal(change.reason))
