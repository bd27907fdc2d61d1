"""Vision: the shared statement, goals and sector commitments, edited in place and live; comments; export."""

import streamlit as st

from hubdash import ui
from hubdash.domain.vision_text import diff, diff_markdown, safe_markdown
from hubdash.exports import vision as export
from hubdash.services import vision as svc

region_id = ui.require_region()
ui.page_title("vision.title")
ui.participant_name_input()
editing: dict[str, int] = st.session_state.setdefault("vision_editing", {})  # part -> base version
conflicts: dict[str, svc.Conflict] = st.session_state.setdefault("vision_conflicts", {})


def heading(key: str, vision: svc.Vision) -> str:
    if key == svc.STATEMENT:
        return ui.t("vision.statement")
    if key.startswith(svc.GOAL_PREFIX):
        text, _ = svc.part_text(vision, key)
        return f"{key.removeprefix(svc.GOAL_PREFIX)}　{text.title}"
    return ui.label(svc.Sector(key.removeprefix(svc.COMMITMENT_PREFIX)))


def keep_draft(key: str) -> None:
    ui.write(
        svc.save_draft,
        keep_cache=True,
        region_id=region_id,
        part_key=key,
        base_version=editing[key],
        body=st.session_state[f"body-{key}"],
        title=st.session_state.get(f"title-{key}", ""),
    )


def stop_editing(key: str) -> None:
    for state in (f"body-{key}", f"title-{key}", f"reason-{key}"):
        st.session_state.pop(state, None)
    editing.pop(key, None)
    conflicts.pop(key, None)


def editor(key: str, current: svc.PartText, draft: svc.Draft | None) -> None:
    if f"body-{key}" not in st.session_state:
        start = draft.text if draft else current
        st.session_state[f"body-{key}"], st.session_state[f"title-{key}"] = start.body, start.title
    conflict = conflicts.get(key)
    if conflict:
        st.warning(ui.t("vision.conflict", name=conflict.saved_by, number=conflict.saved_revision))
        theirs, mine = st.columns(2)
        with theirs.container(border=True, key=f"theirs-{key}"):
            st.caption(ui.t("vision.theirs", name=conflict.saved_by))
            st.markdown(safe_markdown(f"**{conflict.theirs.title}**\n\n{conflict.theirs.body}".strip("*\n")))
        with mine.container(border=True, key=f"mine-{key}"):
            st.caption(ui.t("vision.mine"))
            st.markdown(diff_markdown(diff(conflict.theirs.body, conflict.mine.body)))
        if st.button(ui.t("vision.take_theirs"), key=f"take-{key}"):
            st.session_state[f"body-{key}"], st.session_state[f"title-{key}"] = (
                conflict.theirs.body,
                conflict.theirs.title,
            )
            keep_draft(key)
            st.rerun(scope="fragment")
    if key.startswith(svc.GOAL_PREFIX):
        st.text_input(ui.t("vision.goal_title"), key=f"title-{key}", on_change=keep_draft, args=(key,))
    st.text_area(ui.t("vision.text"), key=f"body-{key}", height=160, on_change=keep_draft, args=(key,))
    reason = st.text_input(ui.t("vision.reason"), key=f"reason-{key}", placeholder=ui.t("vision.reason_hint"))
    save, cancel, _ = st.columns([1, 1, 4])
    if save.button(ui.t("vision.save"), key=f"save-{key}", type="primary"):
        result = ui.write(
            svc.save_part,
            region_id=region_id,
            part_key=key,
            body=st.session_state[f"body-{key}"],
            title=st.session_state.get(f"title-{key}", ""),
            base_version=editing[key],
            reason=reason,
        )
        if result and result.revision:
            stop_editing(key)
            st.rerun()
        if result and result.conflict:
            conflicts[key], editing[key] = result.conflict, result.conflict.current_version
            keep_draft(key)
            st.rerun(scope="fragment")
    if cancel.button(ui.t("vision.cancel"), key=f"cancel-{key}"):
        ui.write(svc.discard_draft, keep_cache=True, region_id=region_id, part_key=key)
        stop_editing(key)
        st.rerun(scope="fragment")


def comments_of(key: str, comments: list) -> None:
    open_ = [c for c in comments if c.resolved_at is None]
    with st.expander(ui.t("vision.comments", open=len(open_), total=len(comments))):
        for c in comments:
            st.markdown(safe_markdown(c.body))
            note = ui.t("vision.resolved_by", name=c.resolved_by_name) if c.resolved_at else ""
            st.caption(f"{c.author_name} · {ui.when(c.created_at)} {note}")
            if c.resolved_at is None and st.button(ui.t("vision.resolve"), key=f"resolve-{c.id}"):
                ui.write(svc.resolve_comment, comment_id=c.id)
                st.rerun(scope="fragment")
        with st.form(f"comment-{key}", clear_on_submit=True, border=False):
            body = st.text_area(ui.t("vision.new_comment"), height=80)
            if st.form_submit_button(ui.t("vision.post_comment")):
                ui.write(svc.add_comment, region_id=region_id, subject=key, body=body)


def part(key: str, vision: svc.Vision, live: dict) -> None:
    text, version = svc.part_text(vision, key)
    drafts, others = live["drafts"], live["others"]
    with st.container(border=True, key=f"part-{key.replace(':', '-')}"):
        st.markdown(f"**{safe_markdown(heading(key, vision))}**")
        if others.get(key):
            st.caption(ui.t("vision.also_editing", names=", ".join(others[key])))
        if key in editing:
            editor(key, text, drafts.get(key))
        else:
            st.markdown(safe_markdown(text.body) if text.body else ui.t("vision.not_written"))
            for ind in live["indicators"].get(key.removeprefix(svc.GOAL_PREFIX), []):
                st.caption(f"{ind.code} {ind.name}: {ui.status_text(ind.status)}")
            if key in drafts:
                st.info(ui.t("vision.draft_waiting"))
            if st.button(ui.t("vision.edit"), key=f"edit-{key}"):
                editing[key] = drafts[key].base_version if key in drafts else version
                st.rerun(scope="fragment")
        comments_of(key, live["comments"].get(key, []))


@st.fragment(run_every=3)
def live_vision() -> None:
    me = ui.actor()
    vision = ui.read_fresh(svc.current_vision, region_id=region_id)
    if editing or st.session_state.pop("vision_was_editing", False):
        ui.write(svc.touch_presence, keep_cache=True, region_id=region_id, part_keys=list(editing))
        st.session_state["vision_was_editing"] = bool(editing)
    live = {
        "others": ui.read_fresh(svc.editors_now, region_id=region_id, exclude_key=me.key),
        "drafts": ui.read_fresh(svc.my_drafts, region_id=region_id, user_key=me.key),
        "comments": ui.read_fresh(svc.vision_comments, region_id=region_id),
        "indicators": ui.read(svc.goal_indicators, region_id=region_id),
    }
    if vision.latest_revision:
        latest = vision.latest_revision
        when = ui.when(latest.created_at)
        st.caption(ui.t("vision.revision_line", number=latest.number, author=latest.author_name, when=when))
    part(svc.STATEMENT, vision, live)
    st.subheader(ui.t("vision.goals"))
    for goal in vision.goals:
        part(svc.goal_key(goal.code), vision, live)
    new_goal = svc.goal_key(ui.read_fresh(svc.next_goal_code, region_id=region_id))
    if new_goal in editing:
        part(new_goal, vision, live)  # saved with base version 0, it creates the goal
    elif st.button(ui.t("vision.add_goal"), key="add-goal", icon=":material/add:"):
        editing[new_goal] = 0
        st.rerun(scope="fragment")
    st.subheader(ui.t("vision.commitments"))
    for sector in svc.Sector:
        part(svc.commitment_key(sector), vision, live)


live_vision()

lang = ui.language()
left, right = st.columns(2)
# the files are made when clicked, not on every run of the page
left.download_button(
    ui.t("vision.export_markdown"),
    lambda: export.to_markdown(ui.read(svc.vision_document, region_id=region_id), lang),
    "vision.md",
)
right.download_button(
    ui.t("vision.export_docx"),
    lambda: export.to_docx(ui.read(svc.vision_document, region_id=region_id), lang),
    "vision.docx",
)
