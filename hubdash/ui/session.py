"""How this browser session reads: its language and time zone (who it is: hubdash.ui.identity)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

import streamlit as st

from hubdash import i18n
from hubdash.fmt import Display, zone

LANG_KEY = "lang"


def language() -> str:
    """The language of this browser session (chosen, else HUBDASH_LANG, else the browser's, else ja)."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.resolve_language(st.context.locale)
    return str(st.session_state[LANG_KEY])


@lru_cache(maxsize=64)
def _display(lang: str, timezone: str | None) -> Display:
    return Display(lang, zone(timezone))


def display() -> Display:
    """How this session reads: its language and the browser's time zone (Japan's when unknown)."""
    return _display(language(), st.context.timezone)


@lru_cache(maxsize=len(i18n.LANGUAGES))
def _reader(lang: str) -> Display:
    return Display(lang)  # catalogue text depends on the language only, not the time zone


def t(key: str, **values: object) -> str:
    """Translated UI text in the session's language."""
    return _reader(language()).t(key, **values)


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
