"""PDCA: one hub's cycle: plan with action items, do, check against the numbers, act; stage moves; export."""

import streamlit as st

from hubdash import ui
from hubdash.domain.enums import PdcaStage
from hubdash.domain.periods import current_quarter
from hubdash.domain.permissions import Permission, allows
from hubdash.exports import pdca as pdca_export
from hubdash.exports.names import file_name
from hubdash.services import pdca
from hubdash.ui import pdca as pdca_ui
from hubdash.ui import pdca_actions

region_id = ui.require_region()
ui.page_title("pdca.title")
ui.show_flash()

hubs = ui.read(pdca.region_hub_cycles, region_id=region_id)
if not hubs:
    st.info(ui.t("pdca.no_hubs"))
    st.stop()
left, right = st.columns(2)
by_id = {h.hub_id: h for h in hubs}
hub = by_id[
    left.selectbox(
        ui.t("col.hub"),
        list(by_id),
        format_func=lambda i: ui.fmt.coded(by_id[i].code, by_id[i].name),
        placeholder=ui.t("common.choose"),
    )
]
can_edit = allows(ui.actor(), Permission.EDIT_PDCA, region_id=region_id, hub_id=hub.hub_id)
with right:
    cycle_id = pdca_ui.cycle_picker(hub, can_edit=can_edit, now=pdca.cycle_start(current_quarter(), hub.cadence))
if cycle_id is None:
    st.info(ui.t("pdca.no_cycle"))
    st.stop()
detail = ui.read(pdca.cycle_detail, cycle_id=cycle_id)
cycle = detail.cycle
editable = can_edit and cycle.stage is not PdcaStage.CLOSED
st.markdown(
    f"**{ui.t('col.core_institution')}**: {ui.literal(detail.core_institution or '–')} · {ui.label(hub.cadence)}"
)
st.markdown(" → ".join(f"**[{ui.label(s)}]**" if s is cycle.stage else ui.label(s) for s in PdcaStage))
if can_edit:
    following = pdca.next_period(cycle)
    pdca_ui.stage_moves(cycle, None if following in [p for _, p, _ in hub.cycles] else following)
pdca_ui.sections(detail, editable=editable)

st.subheader(ui.t("pdca.actions"))
choices = ui.read(pdca.action_choices, hub_id=hub.hub_id)
changed = pdca_actions.action_table(detail, choices, editable=editable, key=f"actions_{cycle.id}_{cycle.version}")
if editable:
    if changed and st.button(ui.t("pdca.save_actions", count=len(changed)), icon=":material/save:"):
        if ui.write(pdca.update_actions, cycle_id=cycle.id, actions=changed):
            ui.flash("pdca.actions_saved", count=len(changed))
            st.rerun()
    pdca_actions.add_action_form(cycle, choices, first=not detail.actions)

pdca_ui.history(detail)
st.subheader(ui.t("pdca.comments"))
for comment in detail.comments:
    st.caption(f"{ui.literal(ui.fmt.person(comment.author_name))} · {ui.fmt.when(comment.created_at)}")
    ui.show(comment.body)
if allows(ui.actor(), Permission.COMMENT, region_id=region_id):
    with st.form(f"comment_{cycle.id}", clear_on_submit=True):
        body = st.text_area(ui.t("pdca.comment"))
        if st.form_submit_button(ui.t("pdca.post_comment")) and ui.write(
            pdca.add_comment, cycle_id=cycle.id, body=body
        ):
            st.rerun()

display = ui.display()
name = [hub.code, ui.t("files.pdca_record"), ui.fmt.fiscal_year(cycle.fiscal_year)]


def record() -> pdca.HubYearRecord:
    found = ui.read(pdca.hub_year_record, hub_id=hub.hub_id, fiscal_year=cycle.fiscal_year)
    assert found is not None  # the hub of the cycle on the page
    return found


a, b = st.columns(2)  # the files are made when clicked, not on every run of the page
a.download_button(
    ui.t("pdca.export_xlsx"),
    lambda: pdca_export.xlsx(record(), display),
    file_name(*name, ext="xlsx"),
    icon=":material/download:",
)
b.download_button(
    ui.t("pdca.export_markdown"),
    lambda: pdca_export.markdown(record(), display),
    file_name(*name, ext="md"),
    icon=":material/download:",
)
