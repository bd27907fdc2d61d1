"""The signed-in person's to-do list on the home page (and an outside expert's on the verification page), each
item with a link to the page where it is done; and the language their reminder e-mails are written in."""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from hubdash.domain.enums import Role
from hubdash.domain.periods import JST
from hubdash.services.reminders import remember_language
from hubdash.services.todo import todo
from hubdash.ui import identity, runtime
from hubdash.ui.session import language, t
from hubdash.ui.text import literal, md, message

SHOWN = 12  # items listed; the rest are counted
PAGES = {
    "progress": "app_pages/progress.py",
    "signoff": "app_pages/signoff.py",
    "pdca": "app_pages/pdca.py",
    "endorsements": "app_pages/endorsements.py",
    "verification": "app_pages/verification.py",
}
LANGUAGE_KEY = "hubdash_reminder_language"


def _keep_language() -> None:
    # The language a person uses hubdash in is the one their reminders are written in; kept once per change.
    lang = language()
    if st.session_state.get(LANGUAGE_KEY) != lang:
        _, problem = runtime.attempt(remember_language, keep_cache=True, language=lang)
        if problem is None:
            st.session_state[LANGUAGE_KEY] = lang


def todo_list(region_id: int | None) -> None:
    """What the signed-in person has to do (in the region they look at), with links; nothing for a viewer."""
    who = identity.actor()
    if who.role in (Role.VIEWER, Role.WORKSHOP_PARTICIPANT):
        return
    if not who.open_mode:
        _keep_language()
    today = datetime.now(JST).date()
    items = runtime.read(todo, actor=who, today=today, region_id=region_id)
    with st.container(border=True, key="todo"):
        st.markdown(f"**{t('todo.heading')}**")
        if not items:
            st.caption(t("todo.nothing"))
            return
        for item in items[:SHOWN]:
            try:
                st.page_link(page=PAGES[item.page], label=message(item.message), icon=":material/chevron_right:")
            except StreamlitPageNotFoundError:  # a page this person's navigation does not hold (or a lone page)
                st.markdown(f"- {message(item.message)}")
            if item.note:
                st.caption(f"{t('todo.comment')}: {literal(item.note)}")
        if len(items) > SHOWN:
            st.caption(md("todo.more", count=len(items) - SHOWN))
