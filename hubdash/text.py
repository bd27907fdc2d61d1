"""User text made inert: the one renderer of the Markdown people write in hubdash (vision, comments, ideas, PDCA).

Built on markdown-it-py (CommonMark) with raw HTML off. It keeps what a council needs (paragraphs, emphasis,
lists, headings, quotes, code) and links to http/https addresses, each shown with its address so that nobody
is misled about where it goes. Nothing in user text can make a reader's browser load anything: an image
becomes a link, raw HTML shows as text, any other link (javascript:, data:, a relative path) stays text.
`to_html` is sanitised once more with nh3 (ammonia); `to_markdown` writes the same structure back as
Markdown, for the exported .md files, with every character of user text escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import cache
from html import escape as html_escape
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

SCHEMES = ("http", "https")
# What the page may show of rendered user text: no <img>, <iframe>, <style>, <form>; a link's href, a list's start.
TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "code"}
TAGS |= {"pre", "hr", "a"}
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
LINK_REL = "noopener noreferrer nofollow"
# Escaped anywhere: what starts emphasis, code, links, HTML, entities, tables, strike-through, and Streamlit's
# :directives[], :emoji: and $math$. Escaped at the start of a line: what starts a list, heading or rule.
_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~:$#])")
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+(?=[.)]))", re.M)


def safe_url(url: str) -> bool:
    """An http(s) address with a host: the only link user text may make."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SCHEMES and bool(parts.netloc) and not any(c in url for c in "\\\x00\n\r\t")


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.validateLink = safe_url  # type: ignore[method-assign]  # markdown-it-py's documented hook
    return parser


def _tokens(source: str) -> list[Token]:
    return _parser().parse(source or "")


def escape(value: object) -> str:
    """Text that Markdown (CommonMark and Streamlit's) shows literally: every special character escaped."""
    text = _SPECIAL.sub(r"\\\1", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    text = _LINE_START.sub(
        lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2)), text
    )
    return text.replace("\n", "  \n")


# ---- HTML -----------------------------------------------------------------------------------------------------


def _link_html(href: str, label: str) -> str:
    anchor = f'<a href="{html_escape(href)}">{label}</a>'
    shown = html_escape(href)
    return anchor if label == shown else f"{anchor} ({shown})"


def _inline_html(children: Sequence[Token]) -> str:
    out: list[str] = []
    links: list[tuple[str, int]] = []  # href and where its label starts in `out`
    for tok in children:
        if tok.type == "text":
            out.append(html_escape(tok.content))
        elif tok.type == "code_inline":
            out.append(f"<code>{html_escape(tok.content)}</code>")
        elif tok.type == "softbreak":
            out.append("\n")
        elif tok.type == "hardbreak":
            out.append("<br>")
        elif tok.type in ("em_open", "strong_open"):
            out.append(f"<{tok.tag}>")
        elif tok.type in ("em_close", "strong_close"):
            out.append(f"</{tok.tag}>")
        elif tok.type == "link_open":
            links.append((str(tok.attrGet("href") or ""), len(out)))
        elif tok.type == "link_close" and links:
            href, start = links.pop()
            label = "".join(out[start:])
            del out[start:]
            out.append(_link_html(href, label))
        elif tok.type == "image":  # never loaded: a link to the picture, named by its description
            href = str(tok.attrGet("src") or "")
            out.append(_link_html(href, html_escape(tok.content or href)))
        else:
            out.append(html_escape(tok.content))
    return "".join(out)


def _html(tokens: Sequence[Token]) -> str:
    out: list[str] = []
    for tok in tokens:
        if tok.type == "inline":
            out.append(_inline_html(tok.children or []))
        elif tok.type == "ordered_list_open" and tok.attrGet("start") not in (None, 1):
            out.append(f'<ol start="{int(tok.attrGet("start") or 1)}">')
        elif tok.type in ("paragraph_open", "paragraph_close"):
            if not tok.hidden:  # a tight list's items hold their text without paragraphs
                out.append("<p>" if tok.nesting == 1 else "</p>\n")
        elif tok.type in ("code_block", "fence"):
            out.append(f"<pre><code>{html_escape(tok.content)}</code></pre>\n")
        elif tok.type == "hr":
            out.append("<hr>\n")
        elif tok.nesting == 1:
            out.append(f"<{tok.tag}>")
        elif tok.nesting == -1:
            out.append(f"</{tok.tag}>\n")
    return "".join(out)


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html, tags=tags, attributes=ATTRIBUTES, url_schemes=set(SCHEMES), link_rel=LINK_REL, strip_comments=True
    )


def to_html(source: str) -> str:
    """User Markdown as HTML that loads nothing and runs nothing (sanitised by nh3 as well)."""
    return _clean(_html(_tokens(source)), TAGS)


# ---- diff -------------------------------------------------------------------------------------------------------

# Rendered HTML in pieces: a tag, an entity, a Latin word, a run of white space, or any other single character (so
# that Japanese compares by character and English by word, as hubdash.domain.vision_text does).
_PIECE = re.compile(
    r"<[^>]*>|&#?\w+;|[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+(?:['’\-][A-Za-z0-9]+)*|\s+|.", re.S
)


def _marked(pieces: list[str], changed: list[bool], tag: str) -> str:
    # wrap each run of changed text in <tag>, never across a tag of the rendering, so the HTML stays well formed
    out: list[str] = []
    inside = False
    for piece, mark in zip(pieces, changed, strict=True):
        is_tag = piece.startswith("<")
        if inside and (is_tag or not mark):
            out.append(f"</{tag}>")
            inside = False
        if mark and not is_tag and not inside and piece.strip():
            out.append(f"<{tag}>")
            inside = True
        out.append(piece)
    if inside:
        out.append(f"</{tag}>")
    return "".join(out)


def diff_html(old: str, new: str) -> tuple[str, str]:
    """Two versions of user Markdown, each rendered as to_html renders it: the old one with what the new one no
    longer has in <del>, the new one with what it adds in <ins>."""
    a, b = _PIECE.findall(to_html(old)), _PIECE.findall(to_html(new))
    gone, added = [False] * len(a), [False] * len(b)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            gone[i1:i2] = [True] * (i2 - i1)
            added[j1:j2] = [True] * (j2 - j1)
    return _clean(_marked(a, gone, "del"), TAGS | {"del"}), _clean(_marked(b, added, "ins"), TAGS | {"ins"})


# ---- Markdown ---------------------------------------------------------------------------------------------------


def _inline_markdown(children: Sequence[Token]) -> str:
    out: list[str] = []
    for tok in children:
        if tok.type == "text":
            out.append(escape(tok.content))
        elif tok.type == "code_inline":
            out.append(escape(tok.content))  # shown as text: a code span could hold a backtick run of any length
        elif tok.type == "softbreak":
            out.append("\n")
        elif tok.type == "hardbreak":
            out.append("  \n")
        elif tok.type in ("em_open", "em_close"):
            out.append("_")
        elif tok.type in ("strong_open", "strong_close"):
            out.append("**")
        elif tok.type == "link_open":
            out.append("[")
        elif tok.type == "link_close":
            out.append("]")
            href = str(_matching_href(children, tok))
            out.append(f"(<{href}>) \\({escape(href)}\\)" if href else "")
        elif tok.type == "image":
            href = str(tok.attrGet("src") or "")
            out.append(f"[{escape(tok.content or href)}](<{href}>) \\({escape(href)}\\)")
        else:
            out.append(escape(tok.content))
    return "".join(out)


def _matching_href(children: Sequence[Token], closing: Token) -> str:
    depth = 0
    for tok in reversed(children[: children.index(closing)]):
        if tok.type == "link_close":
            depth += 1
        elif tok.type == "link_open":
            if depth == 0:
                href = str(tok.attrGet("href") or "")
                return href if safe_url(href) and not any(c in href for c in "<> ") else ""
            depth -= 1
    return ""


def to_markdown(source: str) -> str:
    """User Markdown written back as Markdown of the same structure, all text escaped (for exported files)."""
    lines: list[str] = []
    prefixes: list[str] = []  # what each line of the open lists and quotes starts with
    counters: list[int | None] = []  # the next number of each open list (None: a bullet list)
    marker = ""  # a list item's marker, waiting for the item's first line
    heading = ""

    def emit(texts: list[str]) -> None:
        nonlocal marker
        indent = "".join(prefixes)
        for text in texts:
            lead = indent[: len(indent) - len(marker)] + marker if marker else indent
            lines.append(lead + text)
            marker = ""

    for tok in _tokens(source):
        if tok.type == "heading_open":
            heading = "#" * int(tok.tag[1]) + " "
        elif tok.type == "inline":
            emit(
                [
                    heading + line if n == 0 else line
                    for n, line in enumerate(_inline_markdown(tok.children or []).split("\n"))
                ]
            )
            heading = ""
        elif tok.type in ("paragraph_close", "heading_close") and not tok.hidden:
            emit([""])
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            counters.append(int(tok.attrGet("start") or 1) if tok.type == "ordered_list_open" else None)
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            counters.pop()
            emit([""])
        elif tok.type == "list_item_open":
            number = counters[-1]
            marker = "- " if number is None else f"{number}. "
            if number is not None:
                counters[-1] = number + 1
            prefixes.append(" " * len(marker))
        elif tok.type == "list_item_close":
            prefixes.pop()
        elif tok.type == "blockquote_open":
            prefixes.append("> ")
        elif tok.type == "blockquote_close":
            prefixes.pop()
            emit([""])
        elif tok.type in ("code_block", "fence"):
            emit(["    " + line for line in tok.content.rstrip("\n").split("\n")] + [""])
        elif tok.type == "hr":
            emit(["---", ""])
    return re.sub(r"\n(?:[ >]*\n){2,}", "\n\n", "\n".join(line.rstrip() for line in lines)).strip("\n")
