"""The ideas board's facilitator controls and the join code (with its QR code) that participants scan."""

from __future__ import annotations

import os
from urllib.parse import quote, urlsplit

import streamlit as st

from hubdash.domain.permissions import Permission, allows
from hubdash.exports.qr import qr_svg
from hubdash.models import Workshop
from hubdash.services import participants as participant_service
from hubdash.services import workshop as workshop_service
from hubdash.ui import runtime
from hubdash.ui.identity import actor
from hubdash.ui.session import label, t
from hubdash.ui.text import literal, md

ENV_PUBLIC_URL = "HUBDASH_PUBLIC_URL"


def join_url(code: str) -> str:
    """The link in the QR code: HUBDASH_PUBLIC_URL, else the address this browser uses, + /workshop/join?code=."""
    base = os.environ.get(ENV_PUBLIC_URL, "").strip().rstrip("/")
    if not base:
        here = urlsplit(st.context.url or "")
        prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
        base = f"{here.scheme or 'http'}://{here.netloc or 'localhost'}" + (f"/{prefix}" if prefix else "")
    return f"{base}/workshop/join?code={quote(code)}"


def join_panel(workshop: Workshop, *, large: bool = False) -> None:
    """The join code in large letters, its QR code and the link, for the room."""
    if not workshop.is_open or not workshop.join_code:
        return
    url = join_url(workshop.join_code)
    text, code = st.columns([3, 2] if large else [2, 1])
    text.markdown(f"### {t('ideas.join_code')}")
    text.markdown(f"# {literal(workshop.join_code)}")
    text.caption(md("ideas.join_how", url=url))
    code.image(qr_svg(url), caption=t("ideas.join_scan"), width=260 if large else 160)


def facilitator(region_id: int, workshop: Workshop | None) -> None:
    """Open a workshop (a fresh join code), show its code and participants, close it."""
    who = actor()
    if not allows(who, Permission.FACILITATE_WORKSHOP, region_id=region_id):
        return
    with st.expander(t("ideas.facilitator"), expanded=workshop is not None and workshop.is_open):
        if workshop is not None and workshop.is_open:
            join_panel(workshop)
            people = runtime.read_fresh(participant_service.workshop_participants, actor=who, workshop_id=workshop.id)
            st.caption(t("ideas.participants", count=len(people)))
            if people:
                st.markdown(literal(" · ".join(f"{p.name} ({p.organisation}, {label(p.sector)})" for p in people)))
            if st.button(t("ideas.close_workshop"), key="close-workshop", icon=":material/lock:"):
                if runtime.write(participant_service.close_workshop, workshop_id=workshop.id):
                    st.rerun()
        with st.form("workshop"):
            title = st.text_input(t("ideas.workshop_title"))
            votes = st.number_input(t("ideas.votes_per_participant"), 1, workshop_service.MAX_VOTES, 5)
            if st.form_submit_button(t("ideas.open_workshop")):
                done = runtime.write(
                    workshop_service.open_workshop, region_id=region_id, title=title, votes_per_participant=int(votes)
                )
                if done:
                    st.rerun()
