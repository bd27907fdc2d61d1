"""Presentation mode for the projector: the vision, goals, endorsement coverage, top ideas and the join code, on one
screen, large and live."""

import streamlit as st

from hubdash import ui
from hubdash.services import vision as svc
from hubdash.services import workshop
from hubdash.ui import presentation as show
from hubdash.ui import vision_live

region_id = ui.require_region(participants=True)
show.style()
title, leave = st.columns([6, 1], vertical_alignment="center")
with title:
    ui.page_title("presentation.title")
if leave.button(ui.t("vision_journeys.leave_presentation"), icon=":material/close:", type="tertiary"):
    st.switch_page("app_pages/vision.py")  # back to the pages with navigation

version = vision_live.follow(region_id)
vision = vision_live.read(version, svc.current_vision, region_id=region_id)
coverage = vision_live.read(version, svc.coverage, region_id=region_id)
current = vision_live.read(version, workshop.current_workshop, region_id=region_id)
board = vision_live.read(version, workshop.ideas_board, region_id=region_id, voter_key="", limit=show.IDEAS_SHOWN)
joining = current is not None and current.is_open and bool(current.join_code)

columns = st.columns([6, 4, 3] if joining else [3, 2], gap="large")
with columns[0], st.container(key="pres-left"):
    show.statement(vision)
    if not joining:
        show.goals(vision, columns=2)
with columns[1], st.container(key="pres-middle"):
    show.coverage(coverage)
    show.top_ideas(board)
if joining and current is not None:
    with columns[2], st.container(key="pres-right"):  # the goals go under the join code, the statement gets room
        show.join(current)
        show.goals(vision, columns=1)
vision_live.ticker()
