"""Effect verification (効果検証) of a fiscal year: the KPI table filled from the data with the region's ratings, the
council's ratings and decided courses, outside experts' opinions and the answers, publication and corrections."""

import streamlit as st

from hubdash import ui
from hubdash.domain.enums import Role, VerificationStage
from hubdash.domain.permissions import Permission, allows
from hubdash.services import verification as service
from hubdash.ui import todo as todo_ui
from hubdash.ui import verification as verification_ui
from hubdash.ui import verification_experts, verification_files, verification_table

region_id = verification_ui.require_reader()
ui.page_title("verification.title")
ui.show_flash()
who = ui.actor()
if who.role is Role.OUTSIDE_EXPERT:
    todo_ui.todo_list(None)

line = verification_ui.year_picker(region_id)
if line is None:
    st.stop()
if line.verification_id is None:
    verification_ui.start(region_id, line)
    st.stop()
if not allows(who, Permission.READ_VERIFICATION, region_id=region_id, verification_id=line.verification_id):
    st.warning(ui.t("accounts.page_not_for_you"))
    st.stop()

record = ui.read(service.verification_record, actor=who, verification_id=line.verification_id)
editable = verification_ui.can_edit(region_id) and record.stage is not VerificationStage.PUBLISHED
verification_ui.stage_line(record)
verification_ui.history_note(record)
if verification_ui.can_edit(region_id):
    verification_ui.stage_moves(record)

tabs = [
    ui.t("verification.tab_table"),
    ui.t("verification.tab_experts", count=len(record.opinions)),
    ui.t("verification.tab_publication"),
]
if verification_ui.can_edit(region_id):
    tabs.append(ui.t("verification.tab_scale"))
shown = st.tabs(tabs, key=f"verification_tabs_{record.verification_id}")

with shown[0]:
    verification_table.kpi_table(record)
    if editable:
        st.subheader(ui.t("verification.decide"))
        verification_table.target_form(record)
        st.subheader(ui.t("verification.decide_hub"))
        verification_table.hub_form(record)

with shown[1]:
    st.subheader(ui.t("verification.experts"))
    verification_experts.experts(record, editable=editable)
    st.subheader(ui.t("verification.opinions"))
    verification_experts.opinion_form(record)
    verification_experts.opinions(record, can_answer=editable)

with shown[2]:
    verification_files.downloads(record, line.published)
    verification_files.actions(record)

if len(shown) > 3:
    with shown[3]:
        verification_files.scale_settings(region_id)
