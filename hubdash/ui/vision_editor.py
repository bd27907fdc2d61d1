"""The editor of one part of the vision: the text kept as a draft while it is typed, the reason, editorial or
substantive, saving (a conflict shown side by side), and messages that stay until the person acts."""

from __future__ import annotations

import streamlit as st

from hubdash.domain.errors import EditConflict, UserError
from hubdash.domain.vision_parts import PartKey
from hubdash.models import utcnow
from hubdash.services import vision as svc
from hubdash.ui import fmt, runtime
from hubdash.ui.session import t
from hubdash.ui.text import md, show_diff
from hubdash.ui.vision_draft import draft_field, sent_text

# while typing, the draft reaches the server at least this often

EDITING_KEY = "vision_editing"  # part -> the version its editor started from
TEXT_KEY = "vision_text"  # part -> the text as last typed (what Save saves)
SEQ_KEY = "vision_text_seq"  # raised whenever the page replaces an editor's text
DRAFT_AT_KEY = "vision_draft_at"  # part -> when its draft was last kept
CONFLICTS_KEY = "vision_conflicts"  # part -> the conflict its last save ran into
PROBLEMS_KEY = "vision_problems"  # place -> the refusal shown there until the person acts again
SAVED_KEY = "vision_saved"  # the last save's confirmation: (part, catalogue key, revision number)


def _state(name: str) -> dict[str, object]:
    found: dict[str, object] = st.session_state.setdefault(name, {})
    return found


def editing() -> dict[PartKey, int]:
    """The parts this session is editing, with the version each editor started from."""
    found: dict[PartKey, int] = st.session_state.setdefault(EDITING_KEY, {})
    return found


def problems() -> dict[str, UserError]:
    """Refusals by place (a part, a part's comment form): shown on every run until the person acts there again."""
    found: dict[str, UserError] = st.session_state.setdefault(PROBLEMS_KEY, {})
    return found


def show_problem(place: str) -> None:
    """The refusal kept for this place, if any."""
    if place in problems():
        runtime.show_error(problems()[place])


def saved_message(key: PartKey) -> tuple[str, int] | None:
    """The confirmation of this part's last save in this session (until another part is saved or edited): its
    catalogue key and the revision's number."""
    saved = st.session_state.get(SAVED_KEY)
    return (saved[1], saved[2]) if saved and saved[0] == key else None


def _set_text(key: PartKey, text: svc.PartText) -> None:
    _state(TEXT_KEY)[key] = text
    st.session_state[SEQ_KEY] = int(st.session_state.get(SEQ_KEY, 0)) + 1


def start(key: PartKey, base_version: int, text: svc.PartText) -> None:
    """Open the editor of a part on this text (its draft, or the saved text) and the version it started from."""
    editing()[key] = base_version
    _set_text(key, text)
    st.session_state.pop(SAVED_KEY, None)


def stop(key: PartKey) -> None:
    """Close the editor of a part and forget its state in this session."""
    for name in (TEXT_KEY, DRAFT_AT_KEY, CONFLICTS_KEY):
        _state(name).pop(key, None)
    problems().pop(key, None)
    st.session_state.pop(f"reason-{key}", None)
    st.session_state.pop(f"editorial-{key}", None)
    editing().pop(key, None)


def _text(key: PartKey) -> svc.PartText:
    found = _state(TEXT_KEY).get(key)
    return found if isinstance(found, svc.PartText) else svc.PartText("")


def _keep_draft(region_id: int, key: PartKey) -> None:
    base_version = editing().get(key)
    if base_version is None:
        return  # the editor was closed (saved or cancelled) before this change arrived
    text = _text(key)
    _, problem = runtime.attempt(
        svc.save_draft,
        keep_cache=True,
        region_id=region_id,
        part_key=key,
        base_version=base_version,
        body=text.body,
        title=text.title,
    )
    if problem is None:
        _state(DRAFT_AT_KEY)[key] = fmt.when(utcnow())
        problems().pop(key, None)
    else:
        problems()[key] = problem


@runtime.guarded
def _typed(region_id: int, key: PartKey) -> None:
    sent = sent_text(f"editor-{key}")
    if key not in editing() or sent is None:
        return
    _state(TEXT_KEY)[key] = sent
    _keep_draft(region_id, key)


def _conflict_view(region_id: int, key: PartKey, conflict: EditConflict) -> None:
    st.warning(md("vision.conflict", name=conflict.saved_by, number=conflict.saved_revision))
    theirs: svc.PartText = conflict.theirs
    mine = _text(key)
    left, right = st.columns(2)
    left.caption(md("vision.theirs", name=conflict.saved_by))
    right.caption(t("vision.mine"))
    if theirs.title or mine.title:
        show_diff(theirs.title, mine.title, columns=(left, right), keys=(f"theirs-title-{key}", f"mine-title-{key}"))
    show_diff(theirs.body, mine.body, columns=(left, right), keys=(f"theirs-{key}", f"mine-{key}"))
    if st.button(t("vision.take_theirs"), key=f"take-{key}"):
        _set_text(key, theirs)
        _keep_draft(region_id, key)
        st.rerun(scope="fragment")


def _save(region_id: int, key: PartKey, reason: str, editorial: bool) -> None:
    problems().pop(key, None)
    text = _text(key)
    revision, problem = runtime.attempt(
        svc.save_part,
        region_id=region_id,
        part_key=key,
        body=text.body,
        title=text.title,
        base_version=editing()[key],
        reason=reason,
        editorial=editorial,
    )
    if isinstance(problem, EditConflict):
        _state(CONFLICTS_KEY)[key], editing()[key] = problem, problem.current_version or 0
        _keep_draft(region_id, key)
        st.rerun(scope="fragment")
    if problem is not None:
        problems()[key] = problem
        st.rerun(scope="fragment")
    if revision is not None:
        stop(key)
        done = "vision_journeys.saved_editorial" if editorial else "vision_journeys.saved"
        st.session_state[SAVED_KEY] = (key, done, revision.number)
        st.rerun()


def editor(region_id: int, key: PartKey, *, endorsed: int, editorial_allowed: bool) -> None:
    """The editor of a part, opened with start(): title and body, reason, editorial or not, save and cancel."""
    conflict = _state(CONFLICTS_KEY).get(key)
    if isinstance(conflict, EditConflict):
        _conflict_view(region_id, key, conflict)
    show_problem(key)
    kept = _state(DRAFT_AT_KEY).get(key)
    draft_field(
        f"editor-{key}",
        _text(key),
        seq=int(st.session_state.get(SEQ_KEY, 0)),
        with_title=key.is_goal,
        kept=str(kept) if kept else None,
        on_change=lambda: _typed(region_id, key),
    )
    reason = st.text_input(t("vision.reason"), key=f"reason-{key}", placeholder=t("vision.reason_hint"))
    editorial = editorial_allowed and st.checkbox(
        t("vision_journeys.editorial"), key=f"editorial-{key}", help=t("vision_journeys.editorial_help")
    )
    if editorial:
        st.caption(md("vision_journeys.editorial_keeps", count=endorsed))
    elif endorsed:
        st.warning(md("vision_journeys.renew_warning", count=endorsed), icon=":material/warning:")
    save, cancel = st.columns([1, 1], width=320)
    if save.button(t("vision.save"), key=f"save-{key}", type="primary", width="stretch"):
        _save(region_id, key, reason, editorial)
    if cancel.button(t("vision.cancel"), key=f"cancel-{key}", width="stretch"):
        runtime.write(svc.discard_draft, keep_cache=True, region_id=region_id, part_key=key)
        stop(key)
        st.rerun(scope="fragment")
