"""The text field of the vision's editor: a Streamlit custom component (v2) that sends the text while it is typed.

Its HTML, CSS and JavaScript travel over the app's own connection (nothing from another host). The text reaches
the server at least every SEND_EVERY_MS while the person types, and at once when the field is left, Ctrl+Enter is
pressed or the tab is hidden; `on_change` keeps it as a draft, so a reload or a sleeping laptop loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from hubdash.services.vision import PartText
from hubdash.ui.session import t

ASSETS = Path(__file__).parent / "assets"
_COMPONENT = st.components.v2.component(
    "hubdash_draft_editor",
    html="""
<div class="hd-editor">
  <div class="hd-title-row">
    <label class="hd-title-label" for="hd-title"></label>
    <input id="hd-title" class="hd-title" type="text" maxlength="300">
  </div>
  <label class="hd-body-label" for="hd-body"></label>
  <textarea id="hd-body" class="hd-body"></textarea>
  <div class="hd-foot"><span class="hd-hint"></span><span class="hd-status" aria-live="polite"></span></div>
</div>
""",
    css=(ASSETS / "draft_editor.css").read_text(encoding="utf-8"),
    js=(ASSETS / "draft_editor.js").read_text(encoding="utf-8"),
)
SEND_EVERY_MS = 1500


def draft_field(
    key: str, text: PartText, *, seq: int, with_title: bool, kept: str | None, on_change: Callable[[], None]
) -> None:
    """The title (for a goal) and body fields showing `text`, replaced in the browser only when `seq` changes;
    `kept`: when the draft was last kept, shown under the field."""
    _COMPONENT(
        key=key,
        data={
            "seq": seq,
            "title": text.title if with_title else None,
            "body": text.body,
            "labels": {
                "title": t("vision.goal_title"),
                "body": t("vision_journeys.body"),
                "hint": t("vision_journeys.body_hint"),
                "typing": t("vision_journeys.draft_typing"),
                "idle": t("vision_journeys.draft_auto"),
            },
            "saved": t("vision_journeys.draft_kept", when=kept) if kept else "",
            "delay": SEND_EVERY_MS,
            "rows": 12,
        },
        on_text_change=on_change,
    )


def sent_text(key: str) -> PartText | None:
    """What the field last sent (None before it sent anything)."""
    sent = (st.session_state.get(key) or {}).get("text")
    if not isinstance(sent, dict):
        return None
    return PartText(str(sent.get("body") or ""), str(sent.get("title") or ""))
