"""Vision: the shared statement, goals and sector commitments, edited in place and live; comments; export."""

import time

import streamlit as st

from hubdash import ui
from hubdash.domain.permissions import Permission
from hubdash.exports import vision as export
from hubdash.exports.names import file_name
from hubdash.services import vision as svc
from hubdash.ui import vision as vision_ui
from hubdash.ui import vision_editor, vision_live

region_id = ui.require_region(participants=True)
ui.page_title("vision.title")
PRESENCE_EVERY = 10  # seconds between "still editing" heartbeats (others see an editor for svc.PRESENCE_SECONDS)


def heartbeat() -> None:
    """Tell the others which parts this person edits: at once when that changes, else every PRESENCE_EVERY."""
    keys = sorted(vision_ui.editing())
    last_keys, last_at = st.session_state.get("vision_presence", ([], 0.0))
    if keys != last_keys or (keys and time.monotonic() - last_at > PRESENCE_EVERY):
        ui.write(svc.touch_presence, keep_cache=True, region_id=region_id, part_keys=keys)
        st.session_state["vision_presence"] = (keys, time.monotonic())


@st.fragment
@ui.guarded
def content() -> None:
    heartbeat()
    version = vision_live.follow(region_id, presence=True)
    vision = vision_live.read(version, svc.current_vision, region_id=region_id)
    coverage = vision_live.read(version, svc.coverage, region_id=region_id)
    live = vision_ui.Live(
        vision,
        coverage,
        others=version.editors(),
        drafts=ui.read_fresh(svc.my_drafts, region_id=region_id, user_key=ui.actor().key),
        comments=vision_live.read(version, svc.vision_comments, region_id=region_id),
        indicators=ui.read(svc.goal_indicators, region_id=region_id),
    )
    if vision.latest_revision:
        latest = vision.latest_revision
        when = ui.fmt.when(latest.created_at)
        st.caption(ui.md("vision.revision_line", number=latest.number, author=latest.author_name, when=when))
    if coverage.basis is not None:
        total = len(coverage.rows)
        st.caption(
            ui.md("vision_journeys.coverage_line", endorsed=coverage.endorsed, total=total, number=coverage.basis)
        )
    vision_ui.part(region_id, svc.STATEMENT, live)
    st.subheader(ui.t("vision.goals"))
    for goal in vision.goals:
        vision_ui.part(region_id, svc.goal_key(goal.code), live)
    new_goal = svc.goal_key(vision_live.read(version, svc.next_goal_code, region_id=region_id))
    if new_goal in vision_ui.editing():
        vision_ui.part(region_id, new_goal, live)  # saved with base version 0, it creates the goal
    elif vision_ui.may(Permission.EDIT_VISION, region_id) and st.button(
        ui.t("vision.add_goal"), key="add-goal", icon=":material/add:"
    ):
        vision_editor.start(new_goal, 0, svc.PartText(""))
        st.rerun(scope="fragment")
    st.subheader(ui.t("vision.commitments"))
    for sector in svc.Sector:
        vision_ui.part(region_id, svc.commitment_key(sector), live)


content()
vision_live.ticker(heartbeat)

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
