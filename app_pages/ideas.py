"""Ideas board (付箋) of a vision workshop: post, vote within a fixed budget, adopt into the vision."""

import streamlit as st

from hubdash import ui
from hubdash.domain.permissions import Permission, allows
from hubdash.services import vision as vision_svc
from hubdash.services import workshop as svc
from hubdash.ui import ideas as ideas_ui
from hubdash.ui import vision_live
from hubdash.ui import workshop as workshop_ui

region_id = ui.require_region(participants=True)
ui.page_title("ideas.title")
ui.show_flash()
version = vision_live.follow(region_id)
vision = vision_live.read(version, vision_svc.current_vision, region_id=region_id)
goals = {g.id: f"{g.code}　{g.title}" for g in vision.goals}

workshop = vision_live.read(version, svc.current_workshop, region_id=region_id)
workshop_ui.facilitator(region_id, workshop)
if workshop is None:
    st.info(ui.t("ideas.no_workshop"))
    vision_live.ticker()
    st.stop()
st.subheader(ui.literal(workshop.title))
if not workshop.is_open:
    st.caption(ui.t("ideas.closed"))

if workshop.is_open and allows(ui.actor(), Permission.POST_IDEA, region_id=region_id, workshop_id=workshop.id):
    posted = int(st.session_state.get("ideas_posted", 0))  # a fresh form after each post; a refused one keeps its text
    with st.form(f"post_idea-{posted}"):
        body = st.text_area(ui.t("ideas.new_idea"), max_chars=1000, height=100, key=f"idea-body-{posted}")
        goal = st.selectbox(
            ui.t("col.goal"),
            [None, *goals],
            format_func=lambda g: goals.get(g, ui.t("common.none")),
            key=f"idea-goal-{posted}",
        )
        if st.form_submit_button(ui.t("ideas.post"), type="primary"):
            if ui.write(svc.post_idea, workshop_id=workshop.id, body=body, goal_id=goal):
                ui.flash("vision_journeys.posted")
                st.session_state["ideas_posted"] = posted + 1
                st.rerun()


SHOWN = 50  # a projector-sized board; the rest on request


@st.fragment
@ui.guarded
def board() -> None:
    me = ui.actor()
    limit = None if st.toggle(ui.t("ideas.show_all", count=SHOWN), key="ideas_all") else SHOWN
    now = vision_live.follow(region_id)
    found = vision_live.read(now, svc.ideas_board, region_id=region_id, voter_key=me.key, limit=limit)
    budget = found.workshop.votes_per_participant if found.workshop else 0
    voting = found.workshop is not None and found.workshop.is_open
    voting = voting and allows(me, Permission.VOTE_IDEA, region_id=region_id, workshop_id=found.workshop.id)
    targets = None
    if allows(me, Permission.FACILITATE_WORKSHOP, region_id=region_id):
        targets = ideas_ui.targets_of([g.code for g in vision.goals], {g.code: g.title for g in vision.goals})
    if voting:
        st.caption(ui.md("ideas.votes_left", left=found.votes_left, budget=budget))
    ideas_ui.show_problem()
    for idea in found.ideas:
        ideas_ui.card(idea, voting=voting, votes_left=found.votes_left, targets=targets)


board()
vision_live.ticker()
