"""Who is using this browser session: their language, time zone and identity."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from uuid import uuid4

import streamlit as st

from hubdash import i18n
from hubdash.domain.permissions import OPEN_MODE_ADMIN, Actor
from hubdash.fmt import Display, zone
from hubdash.text import escape

LANG_KEY = "lang"
PARTICIPANT_KEY = "participant"


def language() -> str:
    """The language of this browser session (chosen, else HUBDASH_LANG, else the browser's, else ja)."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.resolve_language(st.context.locale)
    return str(st.session_state[LANG_KEY])


def display() -> Display:
    """How this session reads: its language and the browser's time zone (Japan's when unknown)."""
    return Display(language(), zone(st.context.timezone))


def t(key: str, **values: object) -> str:
    """Translated UI text in the session's language."""
    return display().t(key, **values)


def label(member: StrEnum) -> str:
    """Translated name of an enum member."""
    return i18n.label(member, language())


def language_switch() -> None:
    """The 日本語 / English switch in the sidebar."""
    current = language()
    choice = st.sidebar.segmented_control(
        t("app.language"),
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGE_NAMES.__getitem__,
        default=current,
        key="language_switch",
    )
    if choice and choice != current:
        st.session_state[LANG_KEY] = choice
        st.rerun()


def participant() -> tuple[str, str]:
    """This browser's own (key, name): two browsers are two people for drafts, presence and votes.

    Kept in the URL (?who=&as=) as well, so that a reload keeps the same participant and drafts.
    """
    found = st.session_state.get(PARTICIPANT_KEY)
    if found is None:
        key, name = st.query_params.get("who", ""), st.query_params.get("as", "")
        found = (key if key.isalnum() and len(key) <= 32 else uuid4().hex[:16], name.strip()[:80])
        st.session_state[PARTICIPANT_KEY] = found
    for param, value in zip(("who", "as"), found, strict=True):
        if value and st.query_params.get(param) != value:
            st.query_params[param] = value
    return (str(found[0]), str(found[1]))


def participant_name_input() -> None:
    """A sidebar field where a workshop participant types their name once."""
    key, name = participant()
    typed = st.sidebar.text_input(t("vision.your_name"), value=name, max_chars=80, key="participant_name")
    if typed.strip() != name:
        st.session_state[PARTICIPANT_KEY] = (key, typed.strip()[:80])
        participant()


def actor() -> Actor:
    """Who is using this session: until sign-in exists, the local open-mode administrator (as this participant)."""
    key, name = participant()
    return replace(OPEN_MODE_ADMIN, name=name or OPEN_MODE_ADMIN.name, username=f"open:{key}")


def actor_badge() -> None:
    """Tell the user, in the sidebar, who they act as."""
    who = actor()
    if who.open_mode:
        st.sidebar.warning(t("app.open_mode"), icon=":material/lock_open:")
    else:
        st.sidebar.caption(t("app.signed_in_as", name=escape(who.name), role=label(who.role)))
