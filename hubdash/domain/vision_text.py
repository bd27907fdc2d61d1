"""Pure text helpers of the vision: a diff that works for Japanese and English, shown as escaped Markdown.

User Markdown itself is rendered by hubdash.text (markdown-it-py), not here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

# A Latin word (with digits, apostrophes, hyphens inside) is one token; every other character,
# CJK included, is a token of its own, so Japanese diffs by character and English by word.
_TOKEN = re.compile(r"[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+(?:['’\-][A-Za-z0-9]+)*|\s+|.", re.S)

Op = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both versions, only in the new one, or only in the old one."""

    op: Op
    text: str


def tokens(text: str) -> list[str]:
    """Words for Latin script, single characters for Japanese, whitespace runs kept."""
    return _TOKEN.findall(text)


def diff(old: str, new: str) -> list[Segment]:
    """The changes from old to new as equal / delete / insert segments (adjacent ones merged)."""
    a, b = tokens(old), tokens(new)
    segments: list[Segment] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return segments


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows literally (every special character backslash-escaped)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def diff_markdown(segments: list[Segment]) -> str:
    """Segments as Streamlit Markdown: deletions struck through on red, insertions on green, all text escaped."""
    out: list[str] = []
    for seg in segments:
        # a highlight cannot span lines: highlight each line's piece on its own
        pieces = seg.text.split("\n")
        rendered = []
        for piece in pieces:
            if not piece.strip() or seg.op == "equal":
                rendered.append(escape_markdown(piece))
            elif seg.op == "delete":
                rendered.append(f":red-background[~~{escape_markdown(piece)}~~]")
            else:
                rendered.append(f":green-background[{escape_markdown(piece)}]")
        out.append("  \n".join(rendered))
    return "".join(out)
