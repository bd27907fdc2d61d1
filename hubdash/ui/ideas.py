"""The ideas board's cards: a sticky note with its votes, its mark once adopted, voting and adopting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from hubdash.domain.vision_parts import STATEMENT, PartKey
from hubdash.services import workshop as svc
from hubdash.services.workshop import IdeaCard
from hubdash.ui import runtime
from hubdash.ui.session import t
from hubdash.ui.text import flash, literal, md, show

PROBLEM_KEY = "ideas_problem"  # a refused vote, shown above the board until the next vote


def _act(fn: Callable[..., object], **kwargs: Any) -> None:
    _, st.session_state[PROBLEM_KEY] = runtime.attempt(fn, **kwargs)
    st.rerun(scope="fragment")


def show_problem() -> None:
    """The last refused vote, if any."""
    if problem := st.session_state.get(PROBLEM_KEY):
        runtime.show_error(problem)


def adopted_label(idea: IdeaCard) -> str:
    """Where an adopted idea went, for its badge: the vision statement or a goal, and the revision."""
    if not idea.adopted_at:
        return ""
    if not idea.adopted_into or idea.adopted_revision is None:
        return t("ideas.adopted")
    key = PartKey(idea.adopted_into)
    return md("vision_journeys.adopted_into", part=key.goal_code or t("vision.statement"), number=idea.adopted_revision)


def _adopt(idea: IdeaCard, targets: dict[PartKey, str]) -> None:
    default = svc.adopt_target(idea.goal_code, [k.goal_code for k in targets if k.is_goal])
    with st.popover(t("ideas.adopt"), icon=":material/playlist_add:"):
        into = st.selectbox(
            t("ideas.adopt_into"),
            list(targets),
            index=list(targets).index(default) if default in targets else 0,
            format_func=targets.__getitem__,
            key=f"into-{idea.id}",
        )
        editorial = st.checkbox(
            t("vision_journeys.adopt_editorial"), key=f"editorial-{idea.id}", help=t("vision_journeys.editorial_help")
        )
        if st.button(t("ideas.adopt"), key=f"adopt-{idea.id}", type="primary"):
            reason = t("ideas.adopt_reason", idea=idea.body[:40])
            done = runtime.write(svc.adopt_idea, idea_id=idea.id, part_key=into, reason=reason, editorial=editorial)
            if done:
                flash("vision_journeys.adopted_done", part=targets[into], number=done.number)
                st.rerun()


def card(idea: IdeaCard, *, voting: bool, votes_left: int, targets: dict[PartKey, str] | None) -> None:
    """One idea in its box; `targets` (where it may be adopted) only for the facilitator."""
    with st.container(border=True, key=f"idea-{idea.id}"):
        text, votes = st.columns([6, 1])
        if idea.adopted_at:
            text.badge(adopted_label(idea), icon=":material/check_circle:", color="green")
        show(idea.body, container=text)
        tag = literal(f"{idea.goal_code} · ") if idea.goal_code else ""
        text.caption(f"{tag}{literal(idea.author_name)}")
        if idea.voters:
            text.caption(md("ideas.voted_by", names=", ".join(idea.voters)))
        votes.metric(t("ideas.votes"), idea.votes)
        if voting and idea.voted_by_me:
            if votes.button(t("ideas.unvote"), key=f"unvote-{idea.id}"):
                _act(svc.unvote, idea_id=idea.id)
        elif voting and votes.button(t("ideas.vote"), key=f"vote-{idea.id}", disabled=votes_left == 0):
            _act(svc.vote, idea_id=idea.id)
        if targets and idea.adopted_at is None:
            with text:
                _adopt(idea, targets)


def targets_of(goal_codes: list[str], titles: dict[str, str]) -> dict[PartKey, str]:
    """Where ideas may be adopted: the vision statement and each active goal (code and title)."""
    found = {STATEMENT: t("vision.statement")}
    found |= {PartKey.goal(code): f"{code}　{titles.get(code, '')}".strip() for code in goal_codes}
    return found
