"""Endorsements (賛同): which sectors and organisations endorse the current content of the vision, and endorsing."""

import streamlit as st

from hubdash import charts, ui
from hubdash.domain.permissions import Permission, allows
from hubdash.services import vision as svc
from hubdash.ui import endorsements as endorsements_ui

region_id = ui.require_region()
ui.page_title("endorsements.title")
ui.show_flash()
coverage = ui.read(svc.coverage, region_id=region_id)
if coverage.latest is None or coverage.basis is None:
    st.info(ui.t("vision.empty"))
    st.stop()

st.metric(ui.md("vision.endorsed_current", number=coverage.basis), f"{coverage.endorsed} / {len(coverage.rows)}")
if coverage.latest != coverage.basis:
    st.caption(ui.md("vision_journeys.editorial_since", basis=coverage.basis, latest=coverage.latest))
chart = charts.endorsement_coverage(endorsements_ui.coverage_frame(coverage.sectors), ui.language())
st.altair_chart(chart.chart, width="stretch")
endorsements_ui.endorsement_table(coverage)

who = ui.actor()
# a council member endorses for their own organisation; an administrator for any
names = {
    r.organisation_id: r.organisation
    for r in coverage.rows
    if allows(who, Permission.ENDORSE, region_id=region_id, organisation_id=r.organisation_id)
}
if not names:
    st.stop()
form = int(st.session_state.get("endorse_form", 0))  # a fresh, empty form after each endorsement
with st.form(f"endorse-{form}", border=True):
    st.markdown(f"**{ui.md('endorsements.heading', number=coverage.latest)}**")
    org = st.selectbox(
        ui.t("col.organisation"), list(names), format_func=names.__getitem__, placeholder=ui.t("common.choose")
    )
    person = st.text_input(ui.t("col.person"), value="" if who.open_mode else who.name, key=f"endorse-person-{form}")
    comment = st.text_input(ui.t("endorsements.comment"), key=f"endorse-comment-{form}")
    if st.form_submit_button(ui.t("endorsements.endorse"), type="primary") and org is not None:
        done = ui.write(svc.endorse, region_id=region_id, organisation_id=org, person_name=person, comment=comment)
        if done:
            ui.flash("vision_journeys.endorsed_done", organisation=names[org], number=coverage.latest)
            st.session_state["endorse_form"] = form + 1
            st.rerun()
