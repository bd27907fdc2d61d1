"""Endorsements (賛同): which sectors and organisations endorse the current revision of the vision, and endorsing."""

import streamlit as st

from hubdash import charts, ui
from hubdash.domain.permissions import Permission, allows
from hubdash.services import vision as svc
from hubdash.ui import endorsements as endorsements_ui

region_id = ui.require_region()
ui.page_title("endorsements.title")
vision = ui.read(svc.current_vision, region_id=region_id)
if vision.latest_revision is None:
    st.info(ui.t("vision.empty"))
    st.stop()

coverage = ui.read(svc.endorsement_coverage, region_id=region_id)
endorsed = sum(row.is_current for row in coverage)
st.metric(ui.md("vision.endorsed_current", number=vision.latest_revision.number), f"{endorsed} / {len(coverage)}")
chart = charts.endorsement_coverage(endorsements_ui.coverage_frame(svc.sector_coverage(coverage)), ui.language())
st.altair_chart(chart.chart, width="stretch")
st.dataframe(endorsements_ui.endorsement_table(coverage), hide_index=True, width="stretch")

who = ui.actor()
# a council member endorses for their own organisation; an administrator for any
names = {
    r.organisation_id: r.organisation
    for r in coverage
    if allows(who, Permission.ENDORSE, region_id=region_id, organisation_id=r.organisation_id)
}
if not names:
    st.stop()
with st.form("endorse", border=True):
    st.markdown(f"**{ui.md('endorsements.heading', number=vision.latest_revision.number)}**")
    org = st.selectbox(ui.t("col.organisation"), options=list(names), format_func=names.__getitem__)
    person = st.text_input(ui.t("col.person"), value="" if who.open_mode else who.name)
    comment = st.text_input(ui.t("endorsements.comment"))
    if st.form_submit_button(ui.t("endorsements.endorse"), type="primary") and org is not None:
        if ui.write(svc.endorse, region_id=region_id, organisation_id=org, person_name=person, comment=comment):
            st.rerun()
