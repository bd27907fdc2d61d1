"""History of the vision: every revision, a highlighted diff between any two, and restoring an old one."""

import pandas as pd
import streamlit as st

from hubdash import ui
from hubdash.domain.permissions import Permission, allows
from hubdash.domain.vision_parts import PartKey
from hubdash.domain.vision_text import diff_markdown
from hubdash.services import vision as svc
from hubdash.ui.vision import part_name

region_id = ui.require_region()
ui.page_title("vision_history.title")
revisions = ui.read(svc.revision_history, region_id=region_id)
if not revisions:
    st.info(ui.t("vision.empty"))
    st.stop()


def note(r: svc.RevisionLine) -> str:
    if r.restored_from_number:
        return ui.t("vision_history.restored_from", number=r.restored_from_number)
    return ui.t("vision_history.from_idea") if r.idea_id else ""


st.dataframe(
    pd.DataFrame(
        {
            ui.t("col.revision"): [r.number for r in revisions],
            ui.t("col.when"): [ui.fmt.when(r.created_at) for r in revisions],
            ui.t("col.author"): [r.author_name for r in revisions],
            ui.t("col.reason"): [r.reason for r in revisions],
            ui.t("vision_history.changed"): [
                ", ".join(part_name(PartKey(k)) for k in r.changed_parts) for r in revisions
            ],
            ui.t("vision_history.note"): [note(r) for r in revisions],
        }
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(ui.t("vision_history.compare"))
numbers = [r.number for r in revisions]
left, right = st.columns(2)
old = left.selectbox(ui.t("vision_history.old"), numbers, index=min(1, len(numbers) - 1), key="diff_old")
new = right.selectbox(ui.t("vision_history.new"), numbers, index=0, key="diff_new")
changes = ui.read(svc.compare_revisions, region_id=region_id, old=min(old, new), new=max(old, new))
if not changes:
    st.caption(ui.t("vision_history.no_changes"))
for change in changes:
    with st.container(border=True):
        st.markdown(f"**{ui.literal(part_name(change.part_key))}**")
        if any(s.op != "equal" for s in change.title):
            st.markdown(diff_markdown(change.title))
        st.markdown(diff_markdown(change.body))

if not allows(ui.actor(), Permission.RESTORE, region_id=region_id):
    st.stop()
st.subheader(ui.t("vision_history.restore"))
with st.form("restore"):
    number = st.selectbox(ui.t("col.revision"), numbers[1:] or numbers)
    reason = st.text_input(ui.t("vision.reason"))
    if st.form_submit_button(ui.t("vision_history.restore_button")):
        restored = ui.write(svc.restore_revision, region_id=region_id, number=number, reason=reason)
        if restored:
            st.success(ui.md("vision_history.restored", number=restored.number, old=number))
