"""Presentation mode for the projector: the vision, goals, endorsement coverage and top ideas, large and live."""

import streamlit as st

from hubdash import charts, ui
from hubdash.services import vision as svc
from hubdash.services import workshop
from hubdash.ui import endorsements as endorsements_ui
from hubdash.ui import workshop as workshop_ui

region_id = ui.require_region(participants=True)
# static styling only (no user text): large type for the projector (collapse the sidebar by its arrow)
st.html(
    """<style>
    [data-testid="stMain"] .stMarkdown p, [data-testid="stMain"] .stMarkdown li { font-size: 1.7rem; line-height: 1.6; }
    [data-testid="stMain"] h1 { font-size: 3rem; }
    [data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 2.2rem; }
    </style>"""
)
ui.page_title("presentation.title")


@st.fragment(run_every=5)
@ui.guarded
def live() -> None:
    open_now = ui.read_fresh(workshop.current_workshop, region_id=region_id)
    if open_now is not None and open_now.is_open:  # the room joins first: the code and its QR code on top
        with st.container(border=True):
            workshop_ui.join_panel(open_now, large=True)
    vision = ui.read_fresh(svc.current_vision, region_id=region_id)
    if vision.statement:
        ui.show(vision.statement.body)
    st.subheader(ui.t("vision.goals"))
    for row in range(0, len(vision.goals), 3):
        for column, goal in zip(st.columns(3), vision.goals[row : row + 3], strict=False):
            with column.container(border=True):
                st.markdown(f"**{ui.literal(goal.code)}　{ui.literal(goal.title)}**")
    coverage, ideas = st.columns(2)
    rows = ui.read_fresh(svc.endorsement_coverage, region_id=region_id)
    with coverage:
        st.subheader(ui.t("vision.endorsements"))
        endorsed = sum(r.is_current for r in rows)
        st.markdown(ui.md("presentation.endorsed", endorsed=endorsed, total=len(rows)))
        view = charts.endorsement_coverage(endorsements_ui.coverage_frame(svc.sector_coverage(rows)), ui.language())
        st.altair_chart(view.chart, width="stretch")
    board = ui.read_fresh(workshop.ideas_board, region_id=region_id, voter_key="", limit=5)
    with ideas:
        st.subheader(ui.t("presentation.top_ideas"))
        for idea in board.ideas:
            with st.container(horizontal=True, gap="small"):
                st.markdown(ui.md("presentation.votes", votes=idea.votes), width="content")
                ui.show(idea.body)


live()
