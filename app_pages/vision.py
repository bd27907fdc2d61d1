"""Vision: the shared statement, goals and sector commitments, edited in place and live; comments; export."""

import streamlit as st

from hubdash import ui
from hubdash.domain.permissions import Permission
from hubdash.exports import vision as export
from hubdash.exports.names import file_name
from hubdash.services import vision as svc
from hubdash.ui import vision as vision_ui

region_id = ui.require_region(participants=True)
ui.page_title("vision.title")
editing = vision_ui.editing()


@st.fragment(run_every=3)
@ui.guarded
def live_vision() -> None:
    me = ui.actor()
    vision = ui.read_fresh(svc.current_vision, region_id=region_id)
    if editing or st.session_state.pop("vision_was_editing", False):
        ui.write(svc.touch_presence, keep_cache=True, region_id=region_id, part_keys=list(editing))
        st.session_state["vision_was_editing"] = bool(editing)
    live = {
        "others": ui.read_fresh(svc.editors_now, region_id=region_id, exclude_key=me.key),
        "drafts": ui.read_fresh(svc.my_drafts, region_id=region_id, user_key=me.key),
        "comments": ui.read_fresh(svc.vision_comments, region_id=region_id),
        "indicators": ui.read(svc.goal_indicators, region_id=region_id),
    }
    if vision.latest_revision:
        latest = vision.latest_revision
        when = ui.fmt.when(latest.created_at)
        st.caption(ui.md("vision.revision_line", number=latest.number, author=latest.author_name, when=when))
    vision_ui.part(region_id, svc.STATEMENT, vision, live)
    st.subheader(ui.t("vision.goals"))
    for goal in vision.goals:
        vision_ui.part(region_id, svc.goal_key(goal.code), vision, live)
    new_goal = svc.goal_key(ui.read_fresh(svc.next_goal_code, region_id=region_id))
    if new_goal in editing:
        vision_ui.part(region_id, new_goal, vision, live)  # saved with base version 0, it creates the goal
    elif vision_ui.may(Permission.EDIT_VISION, region_id) and st.button(
        ui.t("vision.add_goal"), key="add-goal", icon=":material/add:"
    ):
        editing[new_goal] = 0
        st.rerun(scope="fragment")
    st.subheader(ui.t("vision.commitments"))
    for sector in svc.Sector:
        vision_ui.part(region_id, svc.commitment_key(sector), vision, live)


live_vision()

display = ui.display()
name = [ui.region_name(region_id), ui.t("files.vision")]
left, right = st.columns(2)
# the files are made when clicked, not on every run of the page
left.download_button(
    ui.t("vision.export_markdown"),
    lambda: export.to_markdown(ui.read(svc.vision_document, region_id=region_id), display),
    file_name(*name, ext="md"),
)
right.download_button(
    ui.t("vision.export_docx"),
    lambda: export.to_docx(ui.read(svc.vision_document, region_id=region_id), display),
    file_name(*name, ext="docx"),
)
