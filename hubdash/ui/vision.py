"""The vision pages' parts: one part of the vision with its editor and comments, endorsement tables."""

from __future__ import annotations

from typing import Any

import streamlit as st

from hubdash.domain.errors import EditConflict
from hubdash.domain.permissions import Permission, allows
from hubdash.domain.vision_parts import STATEMENT, PartKey
from hubdash.domain.vision_text import diff, diff_markdown
from hubdash.models import Comment
from hubdash.services import vision as svc
from hubdash.ui import fmt, runtime
from hubdash.ui.identity import actor
from hubdash.ui.session import label, t
from hubdash.ui.text import literal, md, show

EDITING_KEY = "vision_editing"  # part -> the version its editor started from
CONFLICTS_KEY = "vision_conflicts"  # part -> the conflict its last save ran into


def may(permission: Permission, region_id: int) -> bool:
    """Whether the signed-in person may do this in the region (the service checks again)."""
    return allows(actor(), permission, region_id=region_id)


def editing() -> dict[PartKey, int]:
    """The parts this session is editing, with the version each editor started from."""
    found: dict[PartKey, int] = st.session_state.setdefault(EDITING_KEY, {})
    return found


def _conflicts() -> dict[PartKey, EditConflict]:
    found: dict[PartKey, EditConflict] = st.session_state.setdefault(CONFLICTS_KEY, {})
    return found


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


@runtime.guarded
def _keep_draft(region_id: int, key: PartKey) -> None:
    base_version = editing().get(key)
    if base_version is None or f"body-{key}" not in st.session_state:
        return  # the editor was closed (saved or cancelled) before this change arrived
    runtime.write(
        svc.save_draft,
        keep_cache=True,
        region_id=region_id,
        part_key=key,
        base_version=base_version,
        body=st.session_state[f"body-{key}"],
        title=st.session_state.get(f"title-{key}", ""),
    )


def _stop_editing(key: PartKey) -> None:
    for state in (f"body-{key}", f"title-{key}", f"reason-{key}"):
        st.session_state.pop(state, None)
    editing().pop(key, None)
    _conflicts().pop(key, None)


def _conflict_view(region_id: int, key: PartKey, conflict: EditConflict) -> None:
    st.warning(md("vision.conflict", name=conflict.saved_by, number=conflict.saved_revision))
    theirs_text: svc.PartText = conflict.theirs
    mine_text: svc.PartText = conflict.mine
    theirs, mine = st.columns(2)
    with theirs.container(border=True, key=f"theirs-{key}"):
        st.caption(md("vision.theirs", name=conflict.saved_by))
        if theirs_text.title:
            st.markdown(f"**{literal(theirs_text.title)}**")
        show(theirs_text.body)
    with mine.container(border=True, key=f"mine-{key}"):
        st.caption(t("vision.mine"))
        st.markdown(diff_markdown(diff(theirs_text.body, mine_text.body)))
    if st.button(t("vision.take_theirs"), key=f"take-{key}"):
        st.session_state[f"body-{key}"], st.session_state[f"title-{key}"] = theirs_text.body, theirs_text.title
        _keep_draft(region_id, key)
        st.rerun(scope="fragment")


def _editor(region_id: int, key: PartKey, current: svc.PartText, draft: svc.Draft | None) -> None:
    if f"body-{key}" not in st.session_state:
        start = draft.text if draft else current
        st.session_state[f"body-{key}"], st.session_state[f"title-{key}"] = start.body, start.title
    conflict = _conflicts().get(key)
    if conflict:
        _conflict_view(region_id, key, conflict)
    if key.is_goal:
        st.text_input(t("vision.goal_title"), key=f"title-{key}", on_change=_keep_draft, args=(region_id, key))
    st.text_area(t("vision.text"), key=f"body-{key}", height=160, on_change=_keep_draft, args=(region_id, key))
    reason = st.text_input(t("vision.reason"), key=f"reason-{key}", placeholder=t("vision.reason_hint"))
    save, cancel, _ = st.columns([1, 1, 4])
    if save.button(t("vision.save"), key=f"save-{key}", type="primary"):
        revision, problem = runtime.attempt(
            svc.save_part,
            region_id=region_id,
            part_key=key,
            body=st.session_state[f"body-{key}"],
            title=st.session_state.get(f"title-{key}", ""),
            base_version=editing()[key],
            reason=reason,
        )
        if isinstance(problem, EditConflict):
            _conflicts()[key], editing()[key] = problem, problem.current_version or 0
            _keep_draft(region_id, key)
            st.rerun(scope="fragment")
        elif problem is not None:
            runtime.show_error(problem)
        if revision is not None:
            _stop_editing(key)
            st.rerun()
    if cancel.button(t("vision.cancel"), key=f"cancel-{key}"):
        runtime.write(svc.discard_draft, keep_cache=True, region_id=region_id, part_key=key)
        _stop_editing(key)
        st.rerun(scope="fragment")


def _comments(region_id: int, key: PartKey, comments: list[Comment]) -> None:
    still_open = [c for c in comments if c.resolved_at is None]
    with st.expander(t("vision.comments", open=len(still_open), total=len(comments))):
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
        with st.form(f"comment-{key}", clear_on_submit=True, border=False):
            body = st.text_area(t("vision.new_comment"), height=80)
            if st.form_submit_button(t("vision.post_comment")):
                runtime.write(svc.add_comment, region_id=region_id, subject=key, body=body)


def part(region_id: int, key: PartKey, vision: svc.Vision, live: dict[str, Any]) -> None:
    """One part of the vision in its box: its text (or editor), who else edits it, indicators and comments."""
    text, version = svc.part_text(vision, key)
    drafts, others = live["drafts"], live["others"]
    with st.container(border=True, key=f"part-{key.replace(':', '-')}"):
        st.markdown(f"**{literal(part_name(key, vision))}**")
        if others.get(key):
            st.caption(md("vision.also_editing", names=", ".join(others[key])))
        if key in editing():
            _editor(region_id, key, text, drafts.get(key))
        else:
            show(text.body, empty="vision.not_written")
            for ind in live["indicators"].get(key.goal_code, []):
                st.caption(f"{literal(fmt.coded(ind.code, ind.name))}: {fmt.status(ind.status)}")
            if key in drafts:
                st.info(t("vision.draft_waiting"))
            if may(Permission.EDIT_VISION, region_id) and st.button(t("vision.edit"), key=f"edit-{key}"):
                editing()[key] = drafts[key].base_version if key in drafts else version
                st.rerun(scope="fragment")
        _comments(region_id, key, live["comments"].get(key, []))
