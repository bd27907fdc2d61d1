"""The vision page's parts: one part of the vision with its text (or editor), who else edits it, and comments."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from hubdash.domain.permissions import Permission, allows
from hubdash.domain.vision_parts import STATEMENT, PartKey
from hubdash.models import Comment
from hubdash.services import vision as svc
from hubdash.ui import fmt, runtime, vision_editor
from hubdash.ui.identity import actor
from hubdash.ui.session import label, t
from hubdash.ui.text import literal, md, show
from hubdash.ui.vision_editor import editing

__all__ = ["Live", "editing", "may", "part", "part_name"]
COMMENT_FORMS_KEY = "vision_comment_forms"  # part -> how many comments this session posted there (a fresh form each)


def may(permission: Permission, region_id: int) -> bool:
    """Whether the signed-in person may do this in the region (the service checks again)."""
    return allows(actor(), permission, region_id=region_id)


def part_name(key: PartKey, vision: svc.Vision | None = None) -> str:
    """How a part is called on the page: the vision, a goal (code and title) or a sector."""
    if key == STATEMENT:
        return t("vision.statement")
    if key.sector is not None:
        return label(key.sector)
    if vision is None:
        return key.goal_code
    text, _ = svc.part_text(vision, key)
    return f"{key.goal_code}　{text.title}"


@dataclass(frozen=True)
class Live:
    """What every part of the page shows besides its own text, read once per run."""

    vision: svc.Vision
    coverage: svc.Coverage
    others: dict[PartKey, list[str]] = field(default_factory=dict)
    drafts: dict[PartKey, svc.Draft] = field(default_factory=dict)
    comments: dict[PartKey, list[Comment]] = field(default_factory=dict)
    indicators: dict[str, list[svc.GoalIndicator]] = field(default_factory=dict)


def _comments(region_id: int, key: PartKey, comments: list[Comment]) -> None:
    still_open = [c for c in comments if c.resolved_at is None]
    place = f"comment:{key}"
    heading = t("vision.comments", open=len(still_open), total=len(comments))
    with st.expander(heading, expanded=place in vision_editor.problems()):  # open while it shows a refusal
        for c in comments:
            show(c.body)
            resolved = md("vision.resolved_by", name=c.resolved_by_name) if c.resolved_at else ""
            st.caption(f"{literal(c.author_name)} · {fmt.when(c.created_at)} {resolved}")
            resolvable = c.resolved_at is None and may(Permission.RESOLVE_COMMENT, region_id)
            if resolvable and st.button(t("vision.resolve"), key=f"resolve-{c.id}"):
                runtime.write(svc.resolve_comment, comment_id=c.id)
                st.rerun(scope="fragment")
        if not may(Permission.COMMENT, region_id):
            return
        forms: dict[str, int] = st.session_state.setdefault(COMMENT_FORMS_KEY, {})
        number = forms.get(key, 0)
        vision_editor.show_problem(place)
        with st.form(f"comment-{key}-{number}", border=False):
            body = st.text_area(t("vision.new_comment"), height=80, key=f"comment-body-{key}-{number}")
            if st.form_submit_button(t("vision.post_comment")):
                done, problem = runtime.attempt(svc.add_comment, region_id=region_id, subject=key, body=body)
                vision_editor.problems().pop(place, None)
                if problem is not None:
                    vision_editor.problems()[place] = problem
                else:
                    forms[key] = number + 1  # a fresh, empty form; a refused comment keeps its text
                st.rerun(scope="fragment")


def part(region_id: int, key: PartKey, live: Live) -> None:
    """One part of the vision in its box: its text (or editor), who else edits it, indicators and comments."""
    text, version = svc.part_text(live.vision, key)
    with st.container(border=True, key=f"part-{key.replace(':', '-')}"):
        st.markdown(f"**{literal(part_name(key, live.vision))}**")
        if live.others.get(key):
            st.caption(md("vision.also_editing", names=", ".join(live.others[key])))
        if key in editing():
            allowed = version > 0 and live.vision.latest_revision is not None
            vision_editor.editor(region_id, key, endorsed=live.coverage.endorsed, editorial_allowed=allowed)
        else:
            if saved := vision_editor.saved_message(key):
                st.success(md(saved[0], number=saved[1]), icon=":material/check_circle:")
            show(text.body, empty="vision.not_written")
            for ind in live.indicators.get(key.goal_code, []):
                st.caption(f"{literal(fmt.coded(ind.code, ind.name))}: {fmt.status(ind.status)}")
            draft = live.drafts.get(key)
            if draft is not None:
                st.info(t("vision.draft_waiting"))
            if may(Permission.EDIT_VISION, region_id) and st.button(t("vision.edit"), key=f"edit-{key}"):
                if draft is not None:
                    vision_editor.start(key, draft.base_version, draft.text)
                else:
                    vision_editor.start(key, version, text)
                st.rerun(scope="fragment")
        _comments(region_id, key, live.comments.get(key, []))
