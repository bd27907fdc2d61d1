"""PDCA: one hub's cycle: plan with action items, do, check against the numbers, act; stage moves; export."""

import streamlit as st

from hubdash import ui
from hubdash.domain.enums import FutureCourse, PdcaStage
from hubdash.domain.periods import current_quarter
from hubdash.domain.permissions import Permission, allows
from hubdash.exports import pdca as pdca_export
from hubdash.services import pdca

region_id = ui.require_region()
ui.page_title("pdca.title")
lang = ui.language()

hubs = ui.read(pdca.region_hub_cycles, region_id=region_id)
if not hubs:
    st.info(ui.t("pdca.no_hubs"))
    st.stop()
left, right = st.columns(2)
by_id = {h.hub_id: h for h in hubs}
hub = by_id[left.selectbox(ui.t("col.hub"), list(by_id), format_func=lambda i: f"{by_id[i].code} {by_id[i].name}")]
can_edit = allows(ui.actor(), Permission.EDIT_PDCA, region_id=region_id, hub_id=hub.hub_id)
now = pdca.cycle_start(current_quarter(), hub.cadence)
if can_edit and now not in [p for _, p, _ in hub.cycles]:
    if st.button(ui.t("pdca.open_current", period=ui.period_label(now)), icon=":material/add:"):
        if opened := ui.write(pdca.open_cycle, hub_id=hub.hub_id, period=now):
            st.session_state[f"pdca_cycle_{hub.hub_id}"] = opened.id
            st.rerun()
if not hub.cycles:
    st.info(ui.t("pdca.no_cycle"))
    st.stop()
cycle_id = right.selectbox(
    ui.t("col.period"),
    [c for c, _, _ in hub.cycles],
    format_func=lambda c: next(f"{ui.period_label(p)} · {ui.label(s)}" for i, p, s in hub.cycles if i == c),
    key=f"pdca_cycle_{hub.hub_id}",
)
detail = ui.read(pdca.cycle_detail, cycle_id=cycle_id)
cycle = detail.cycle
editable = can_edit and cycle.stage is not PdcaStage.CLOSED
st.markdown(f"**{ui.t('col.core_institution')}**: {detail.core_institution or '–'} · {ui.label(hub.cadence)}")
st.markdown(" → ".join(f"**[{ui.label(s)}]**" if s is cycle.stage else ui.label(s) for s in PdcaStage))

# --- stage moves ------------------------------------------------------------------------------------
if can_edit:
    here = list(PdcaStage).index(cycle.stage)
    if here + 1 < len(PdcaStage):
        nxt = list(PdcaStage)[here + 1]
        if st.button(ui.t("pdca.move_forward", stage=ui.label(nxt)), type="primary", icon=":material/arrow_forward:"):
            if ui.write(pdca.move_stage, cycle_id=cycle.id, version=cycle.version, to_stage=nxt):
                st.rerun()
    if here > 0:
        with st.expander(ui.t("pdca.move_back")), st.form("pdca_back"):
            back = st.selectbox(ui.t("col.stage"), list(PdcaStage)[:here][::-1], format_func=ui.label)
            reason = st.text_input(ui.t("col.reason"))
            if st.form_submit_button(ui.t("pdca.move_back_button")):
                if ui.write(pdca.move_stage, cycle_id=cycle.id, version=cycle.version, to_stage=back, reason=reason):
                    st.rerun()

# --- the four sections ----------------------------------------------------------------------------
SECTIONS = {
    PdcaStage.PLAN: ["objectives"],
    PdcaStage.DO: ["do_summary"],
    PdcaStage.CHECK: ["check_evaluation", "external_opinion"],
    PdcaStage.ACT: ["act_summary"],
}
tabs = dict(zip(SECTIONS, st.tabs([ui.label(s) for s in SECTIONS]), strict=True))
for stage, fields in SECTIONS.items():
    with tabs[stage]:
        carried = [a for a in detail.actions if a.item.carried_from_id is not None]
        if stage is PdcaStage.PLAN and carried:
            st.markdown(f"**{ui.t('pdca.carried_in')}**")
            st.markdown("\n".join(f"- {a.item.title} ({ui.label(a.item.origin)} · {a.owner})" for a in carried))
        if stage is PdcaStage.CHECK:
            st.dataframe(pdca_export.check_frame(detail.check, lang), hide_index=True, width="stretch")
            st.caption(ui.t("pdca.check_caption", period=ui.period_label(detail.last_quarter)))
        if not editable:
            for name in fields:
                st.markdown(f"**{ui.t(pdca_export.FIELD_KEYS[name])}**")
                st.markdown(getattr(cycle, name) or "–")
            if stage is PdcaStage.CHECK:
                rating = ui.t("pdca.effect_rating", rating=cycle.effect_rating) if cycle.effect_rating else "–"
                course = ui.label(cycle.future_course) if cycle.future_course else "–"
                st.caption(f"{rating} · {ui.t(pdca_export.FIELD_KEYS['future_course'])}: {course}")
            continue
        with st.form(f"pdca_{stage.value}"):
            values = {
                n: st.text_area(ui.t(pdca_export.FIELD_KEYS[n]), getattr(cycle, n), key=f"{n}_{cycle.id}")
                for n in fields
            }
            if stage is PdcaStage.CHECK:
                values["effect_rating"] = st.segmented_control(
                    ui.t(pdca_export.FIELD_KEYS["effect_rating"]),
                    [1, 2, 3, 4],
                    default=cycle.effect_rating,
                    key=f"rating_{cycle.id}",
                )
                values["future_course"] = st.selectbox(
                    ui.t(pdca_export.FIELD_KEYS["future_course"]),
                    [None, *FutureCourse],
                    index=[None, *FutureCourse].index(cycle.future_course),
                    format_func=lambda c: ui.label(c) if c else "–",
                    key=f"course_{cycle.id}",
                )
            if st.form_submit_button(ui.t("pdca.save"), icon=":material/save:"):
                changes = pdca.CycleChanges(**values)
                if ui.write(pdca.update_cycle, cycle_id=cycle.id, version=cycle.version, changes=changes):
                    st.rerun()

# --- action items ----------------------------------------------------------------------------------
st.subheader(ui.t("pdca.actions"))
choices = ui.read(pdca.action_choices, hub_id=hub.hub_id)
changed = ui.action_table(detail, choices, editable=editable, key=f"actions_{cycle.id}_{cycle.version}")
if editable:
    if changed and st.button(ui.t("pdca.save_actions", count=len(changed)), icon=":material/save:"):
        if ui.write(pdca.update_actions, cycle_id=cycle.id, actions=changed):
            st.rerun()
    heading = "pdca.add_act_item" if cycle.stage is PdcaStage.ACT else "pdca.add_action"
    with (
        st.expander(ui.t(heading), expanded=cycle.stage is PdcaStage.ACT),
        st.form(f"add_{cycle.id}", clear_on_submit=True),
    ):
        title = st.text_input(ui.t("col.action"))
        a, b = st.columns(2)
        owner = a.selectbox(
            ui.t("col.owner"), list(choices.organisations), index=None, format_func=choices.organisations.__getitem__
        )
        due = b.date_input(ui.t("col.due"), value=None)
        indicators = st.multiselect(
            ui.t("col.indicators"), list(choices.indicators), format_func=choices.indicators.__getitem__
        )
        if st.form_submit_button(ui.t(heading), icon=":material/add:"):
            new = pdca.ActionInput(
                title=title, owner_organisation_id=owner, due_date=due, indicator_ids=tuple(indicators)
            )
            if ui.write(pdca.add_action, cycle_id=cycle.id, action=new):
                st.rerun()

# --- history, comments, export ---------------------------------------------------------------------
with st.expander(ui.t("pdca.history")):
    for change in detail.history:
        moved = f"{ui.label(change.from_stage)} → " if change.from_stage else ""
        st.markdown(
            f"{ui.when(change.changed_at)} · {change.changed_by_name or '–'} · {moved}**{ui.label(change.to_stage)}**"
        )
        if change.reason:
            st.caption(change.reason)
st.subheader(ui.t("pdca.comments"))
for comment in detail.comments:
    st.caption(f"{comment.author_name} · {ui.when(comment.created_at)}")
    st.markdown(comment.body)
if allows(ui.actor(), Permission.COMMENT, region_id=region_id):
    with st.form(f"comment_{cycle.id}", clear_on_submit=True):
        body = st.text_area(ui.t("pdca.comment"))
        if st.form_submit_button(ui.t("pdca.post_comment")) and ui.write(
            pdca.add_comment, cycle_id=cycle.id, body=body
        ):
            st.rerun()
name = f"pdca-{hub.code}-FY{cycle.fiscal_year}"


def record() -> pdca.HubYearRecord | None:
    return ui.read(pdca.hub_year_record, hub_id=hub.hub_id, fiscal_year=cycle.fiscal_year)


a, b = st.columns(2)  # the files are made when clicked, not on every run of the page
a.download_button(
    ui.t("pdca.export_xlsx"), lambda: pdca_export.xlsx(record(), lang), f"{name}.xlsx", icon=":material/download:"
)
b.download_button(
    ui.t("pdca.export_markdown"), lambda: pdca_export.markdown(record(), lang), f"{name}.md", icon=":material/download:"
)
