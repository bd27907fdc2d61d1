"""User text on the page: the one way text a person typed reaches an element that Streamlit renders as Markdown.

Streamlit renders Markdown in st.markdown, st.caption, alerts, titles and widget labels (images and links
included), so user text never goes there as it is. The convention, checked by tests/security/test_user_text.py:
such an element gets catalogue text (`t("key")`), a literal in the code, or text made here:

- `show(text)`: user Markdown (vision, comments, ideas, PDCA text) rendered by hubdash.text to sanitised HTML,
  shown with st.html, which Streamlit does not read as Markdown;
- `md("key", **values)`: catalogue text whose values (names, titles, codes) show literally;
- `literal(value)`: any value shown literally; `message(error)`: a user error with its values literal.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from hubdash import i18n
from hubdash.domain.errors import Message, UserError
from hubdash.text import diff_html, escape, to_html
from hubdash.ui.session import display, t


def show(source: str | None, *, container: Any = None, empty: str | None = None) -> None:
    """User Markdown, rendered inert (no images, no HTML, http(s) links with their address); `empty`: a
    catalogue key shown instead when there is no text."""
    where = st if container is None else container
    html = to_html(source or "")
    if html.strip():
        where.html(html)
    elif empty:
        where.markdown(t(empty))


# Additions and deletions that read on a projector: strong colours, underlined or struck through, not colour alone.
DIFF_STYLE = """<style>
.hd-diff ins { background: #a6e3b0; color: #0b3d17; text-decoration: underline 2px; font-weight: 600; }
.hd-diff del { background: #f6b9b9; color: #5c0a0a; text-decoration: line-through 2px; }
.hd-diff ins, .hd-diff del { padding: 0 0.15em; border-radius: 0.2em; }
.hd-diff p:last-child, .hd-diff ul:last-child, .hd-diff ol:last-child { margin-bottom: 0; }
</style>"""


def show_diff(old: str, new: str, *, columns: tuple[Any, Any], keys: tuple[str, str]) -> None:
    """Two versions of user Markdown side by side, each rendered as show() renders it: in the first column the
    old one with its deletions struck through, in the second the new one with its additions marked."""
    for where, key, html in zip(columns, keys, diff_html(old, new), strict=True):
        box = where.container(key=key)
        if html.strip():
            box.html(f'{DIFF_STYLE}<div class="hd-diff">{html}</div>')
        else:
            box.caption(t("vision.not_written"))


def md(key: str, /, **values: object) -> str:
    """Catalogue text for st.markdown and friends, with every value shown literally."""
    lang = display().lang
    return i18n.t(key, lang, **{k: escape(i18n.shown(v, lang)) for k, v in values.items()})


def literal(value: object) -> str:
    """Any value (a name, a title, a code) as Markdown that shows it as written."""
    return escape(value)


def message(problem: UserError | Message) -> str:
    """A user error (or message) in the user's language, its values shown literally."""
    found = problem.message if isinstance(problem, UserError) else problem
    return md(found.key, **found.values)


FLASH_KEY = "flash"


def flash(key: str, /, **values: object) -> None:
    """Catalogue text (values literal) to show as a success on the next run, after st.rerun()."""
    st.session_state[FLASH_KEY] = md(key, **values)


def show_flash() -> None:
    """The success message a write before the last rerun left, if any."""
    if done := st.session_state.pop(FLASH_KEY, None):
        st.success(done, icon=":material/check_circle:")


def css_string(text: str) -> str:
    """Text as a CSS string literal for a style's `content` (quoted; its quotes, backslashes and angle brackets
    escaped, so that it cannot end the string or the style)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace(">", "\\3E ")
    return f'"{escaped}"'
