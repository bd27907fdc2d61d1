"""Ideas board (付箋) of a vision workshop: post, vote within a fixed budget, adopt into the vision."""

import streamlit as st

from hubdash import ui
from hubdash.domain.permissions import Permission, allows
from hubdash.services import vision as vision_svc
from hubdash.services import workshop as svc
from hubdash.ui import workshop as workshop_ui

region_id = ui.require_region(participants=True)
ui.page_title("ideas.title")
vision = ui.read(vision_svc.current_vision, region_id=region_id)
goals = {g.id: f"{g.code}　{g.title}" for g in vision.goals}
targets = {vision_svc.STATEMENT: ui.t("vision.statement")} | {vision_svc.goal_key(g.code): g.code for g in vision.goals}

board = ui.read_fresh(svc.ideas_board, region_id=region_id, voter_key=ui.actor().key)
workshop_ui.facilitator(region_id, board.workshop)
if board.workshop is None:
    st.info(ui.t("ideas.no_workshop"))
    st.stop()
workshop = board.workshop
st.subheader(ui.literal(workshop.title))
if not workshop.is_open:
    st.caption(ui.t("ideas.closed"))

if workshop.is_open and allows(ui.actor(), Permission.POST_IDEA, region_id=region_id, workshop_id=workshop.id):
    with st.form("post_idea", clear_on_submit=True):
        body = st.text_area(ui.t("ideas.new_idea"), max_chars=1000, height=80)
        goal = st.selectbox(ui.t("col.goal"), [None, *goals], format_func=lambda g: goals.get(g, ui.t("common.none")))
        if st.form_submit_button(ui.t("ideas.post"), type="primary"):
            ui.write(svc.post_idea, workshop_id=workshop.id, body=body, goal_id=goal)


SHOWN = 50  # a projector-sized board; the rest on request


@st.fragment(run_every=5)
@ui.guarded
def live_board() -> None:
    me = ui.actor()
    limit = None if st.toggle(ui.t("ideas.show_all", count=SHOWN), key="ideas_all") else SHOWN
    board = ui.read_fresh(svc.ideas_board, region_id=region_id, voter_key=me.key, limit=limit)
    budget = board.workshop.votes_per_participant if board.workshop else 0
    voting = board.workshop is not None and board.workshop.is_open
    voting = voting and allows(me, Permission.VOTE_IDEA, region_id=region_id, workshop_id=board.workshop.id)
    adopting = allows(me, Permission.FACILITATE_WORKSHOP, region_id=region_id)
    if voting:
        st.caption(ui.md("ideas.votes_left", left=board.votes_left, budget=budget))
    for idea in board.ideas:
        with st.container(border=True, key=f"idea-{idea.id}"):
            text, votes = st.columns([6, 1])
            ui.show(idea.body, container=text)
            tag = ui.literal(f"{idea.goal_code} · ") if idea.goal_code else ""
            adopted = ui.t("ideas.adopted") if idea.adopted_at else ""
            text.caption(f"{tag}{ui.literal(idea.author_name)} {adopted}")
            if idea.voters:
                text.caption(ui.md("ideas.voted_by", names=", ".join(idea.voters)))
            votes.metric(ui.t("ideas.votes"), idea.votes)
            if voting and idea.voted_by_me:
                if votes.button(ui.t("ideas.unvote"), key=f"unvote-{idea.id}"):
                    ui.write(svc.unvote, idea_id=idea.id)
                    st.rerun(scope="fragment")
            elif voting and votes.button(ui.t("ideas.vote"), key=f"vote-{idea.id}", disabled=board.votes_left == 0):
                ui.write(svc.vote, idea_id=idea.id)
                st.rerun(scope="fragment")
            if adopting and idea.adopted_at is None:
                with text.popover(ui.t("ideas.adopt")):
                    into = st.selectbox(
                        ui.t("ideas.adopt_into"), list(targets), format_func=targets.__getitem__, key=f"into-{idea.id}"
                    )
                    if st.button(ui.t("ideas.adopt"), key=f"adopt-{idea.id}", type="primary"):
                        reason = ui.t("ideas.adopt_reason", idea=idea.body[:40])
                        if ui.write(svc.adopt_idea, idea_id=idea.id, part_key=into, reason=reason):
                            st.rerun()


live_board()
