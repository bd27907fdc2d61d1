"""Pure text helpers of the vision: a diff that works for Japanese and English, and inert Markdown."""

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


_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
# A link destination's scheme part: everything before the first / ? # ) or space.
_LINK_DEST = re.compile(r"\]\(\s*([^/?#)\s]*)")
_REFERENCE_DEF = re.compile(r"^(\s{0,3})\[([^\]]+)\]:\s*([^/?#\s]*)", re.M)
_SAFE_SCHEME = re.compile(r"(?:https?|mailto):", re.I)


def _unsafe(head: str) -> bool:
    # a scheme (or an entity that could spell one) other than http(s)/mailto
    return (":" in head or "&" in head or "\\" in head) and not _SAFE_SCHEME.match(head)


def _inert(text: str) -> str:
    # "<" starts raw HTML and autolinks: escaped, it shows as itself.
    text = text.replace("<", "\\<")
    # a link to a script URL keeps its words but stops being a link
    text = _LINK_DEST.sub(lambda m: "]\\(" + m.group(1) if _unsafe(m.group(1)) else m.group(0), text)
    return _REFERENCE_DEF.sub(
        lambda m: m.group(1) + "\\" + m.group(0).lstrip() if _unsafe(m.group(3)) else m.group(0), text
    )


def safe_markdown(text: str) -> str:
    """User text as Markdown in which HTML tags and javascript:/data: links show as text and do nothing.

    Rendered by st.markdown with HTML disabled as well; this makes tags visible instead of dropped and
    keeps script links from being clickable. Code spans and fenced code are left as written.
    """
    out: list[str] = []
    fenced = False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            out.append(line)
            continue
        if fenced:
            out.append(line)
            continue
        last = 0
        pieces = []
        for match in _CODE_SPAN.finditer(line):
            pieces.append(_inert(line[last : match.start()]))
            pieces.append(match.group(0))
            last = match.end()
        pieces.append(_inert(line[last:]))
        out.append("".join(pieces))
    return "".join(out)
