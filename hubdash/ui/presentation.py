"""Presentation mode's parts: one 1920x1080 screen without navigation, in type read from the back of a room."""

from __future__ import annotations

import altair as alt
import streamlit as st

from hubdash import charts
from hubdash.exports.qr import qr_svg
from hubdash.models import Workshop
from hubdash.services import vision as svc
from hubdash.services.workshop import Board
from hubdash.ui.endorsements import coverage_frame
from hubdash.ui.session import language, t
from hubdash.ui.text import literal, md, show
from hubdash.ui.workshop import join_url

# Static styling only (no user text): the page is the projector's whole screen. Sidebar, header and toolbar go;
# each box keeps to its share of the screen (long texts are cut at the box's edge rather than scrolled).
STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2.2rem 0.5rem; max-width: 100%; }
[data-testid="stMain"] h1 { font-size: 2.2rem; padding: 0; }
[data-testid="stMain"] h3 { font-size: 1.8rem; padding: 0.2rem 0; }
.st-key-pres-left, .st-key-pres-middle, .st-key-pres-right { flex: none; height: calc(100vh - 6.5rem); }
[data-testid="stLayoutWrapper"]:has(> .st-key-pres-statement),
[data-testid="stLayoutWrapper"]:has(> .st-key-pres-ideas),
[data-testid="stLayoutWrapper"]:has(> .st-key-pres-goals) { flex: 0 1 auto; min-height: 0; }
.st-key-pres-statement, .st-key-pres-ideas { flex: 0 1 auto; min-height: 0; overflow: hidden; padding-bottom: 2em;
  mask-image: linear-gradient(to bottom, #000 calc(100% - 2em), transparent); }
.st-key-pres-coverage, .st-key-pres-join { flex: none; }
.st-key-pres-goals { flex: 0 1 auto; min-height: 0; overflow: hidden; }
.st-key-pres-statement p, .st-key-pres-statement li { font-size: clamp(1.3rem, 1.55vw, 2rem); line-height: 1.5; }
.st-key-pres-goals p { font-size: clamp(1.1rem, 1.25vw, 1.6rem); line-height: 1.45; }
.st-key-pres-coverage p { font-size: clamp(1.15rem, 1.3vw, 1.6rem); }
.st-key-pres-ideas p, .st-key-pres-ideas li { font-size: clamp(1.1rem, 1.2vw, 1.45rem); line-height: 1.35; }
.st-key-pres-ideas .stMarkdownBadge { font-size: 1.05rem !important; }
.st-key-pres-ideas [class*="st-key-pres-idea-text-"] > div:first-child {
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.st-key-pres-join p { font-size: 1.5rem; }
.st-key-pres-join .st-key-pres-code p { font-size: 4.5rem; font-weight: 700; letter-spacing: 0.12em; line-height: 1.1; }
.st-key-pres-join [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
</style>"""


def style() -> None:
    """The projector's styling (static, no user text)."""
    st.html(STYLE)


IDEAS_SHOWN = 5


def statement(vision: svc.Vision) -> None:
    """The vision statement, as high as its column allows (a longer text fades out at the bottom)."""
    with st.container(key="pres-statement"):
        show(vision.statement.body if vision.statement else "", empty="vision.not_written")


def goals(vision: svc.Vision, columns: int) -> None:
    """The goals' codes and titles, read down `columns` columns."""
    with st.container(key="pres-goals"):
        st.subheader(t("vision.goals"))
        per_column = -(-len(vision.goals) // columns)
        shares = [vision.goals[n : n + per_column] for n in range(0, len(vision.goals), per_column or 1)]
        for column, share in zip(st.columns(columns), shares, strict=False):
            lines = [f"**{literal(goal.code)}**　{literal(goal.title)}" for goal in share]
            column.markdown("  \n".join(lines))


def coverage(found: svc.Coverage) -> None:
    """How many council organisations endorse the current content, overall and by sector."""
    st.subheader(t("vision.endorsements"))
    with st.container(key="pres-coverage"):
        st.markdown(md("presentation.endorsed", endorsed=found.endorsed, total=len(found.rows), number=found.basis))
        view = charts.endorsement_coverage(coverage_frame(found.sectors), language())
        large = charts.projected(view.chart, 20).properties(height=alt.Step(26))
        st.altair_chart(large, width="stretch", theme=None)  # Streamlit's theme would set its own small type


def top_ideas(board: Board) -> None:
    """The workshop's ideas with the most votes, each with its votes and its mark once adopted."""
    st.subheader(t("presentation.top_ideas"))
    with st.container(key="pres-ideas"):
        if not board.ideas:
            st.markdown(t("vision_journeys.no_ideas"))
        for idea in board.ideas[:IDEAS_SHOWN]:
            with st.container(horizontal=True, gap="medium", vertical_alignment="top"):
                with st.container(width=110, gap=None):
                    st.markdown(md("presentation.votes", votes=idea.votes))
                    if idea.adopted_at:
                        st.badge(t("ideas.adopted"), icon=":material/check_circle:", color="green")
                show(idea.body, container=st.container(key=f"pres-idea-text-{idea.id}"))


def join(workshop: Workshop) -> None:
    """The join code in letters the room can read, its QR code and the link."""
    if not workshop.is_open or not workshop.join_code:
        return
    url = join_url(workshop.join_code)
    with st.container(key="pres-join", border=True):
        st.markdown(t("ideas.join_code"))
        st.container(key="pres-code").markdown(literal(workshop.join_code))
        st.image(qr_svg(url), caption=t("ideas.join_scan"), width=240)
        st.caption(md("ideas.join_how", url=url))
