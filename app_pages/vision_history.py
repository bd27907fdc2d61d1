"""History of the vision: every revision, a highlighted diff between any two, and restoring an old one."""

import streamlit as st

from hubdash import ui
from hubdash.domain.permissions import Permission, allows
from hubdash.services import vision as svc
from hubdash.ui import vision_history as history_ui

region_id = ui.require_region()
ui.page_title("vision_history.title")
ui.show_flash()
revisions = ui.read(svc.revision_history, region_id=region_id)
if not revisions:
    st.info(ui.t("vision.empty"))
    st.stop()

history_ui.table(revisions)

st.subheader(ui.t("vision_history.compare"))
by_number = {r.number: r for r in revisions}
numbers = list(by_number)
left, right = st.columns(2)
choose = {"format_func": lambda n: history_ui.option(by_number[n]), "placeholder": ui.t("common.choose")}
old = left.selectbox(ui.t("vision_history.old"), numbers, index=min(1, len(numbers) - 1), key="diff_old", **choose)
new = right.selectbox(ui.t("vision_history.new"), numbers, index=0, key="diff_new", **choose)
if old is not None and new is not None:
    older, newer = min(old, new), max(old, new)
    history_ui.changes(ui.read(svc.compare_revisions, region_id=region_id, old=older, new=newer), older, newer)

if not allows(ui.actor(), Permission.RESTORE, region_id=region_id):
    st.stop()
st.subheader(ui.t("vision_history.restore"))
with st.form("restore"):
    number = st.selectbox(ui.t("col.revision"), numbers[1:] or numbers, **choose)
    reason = st.text_input(ui.t("vision.reason"), placeholder=ui.t("vision.reason_hint"))
    if st.form_submit_button(ui.t("vision_history.restore_button")) and number is not None:
        restored = ui.write(svc.restore_revision, region_id=region_id, number=number, reason=reason)
        if restored:
            ui.flash("vision_history.restored", number=restored.number, old=number)
            st.rerun()
