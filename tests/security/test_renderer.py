"""The one renderer of user Markdown (hubdash.text): what a council needs renders, nothing loads or runs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from hubdash.text import diff_html, escape, safe_url, to_html, to_markdown

BEACON = "http://127.0.0.1:9"
ATTACKS = [
    f"![x]({BEACON}/img.png)",
    f'<img src="{BEACON}/img.png" onerror="alert(1)">',
    f"<iframe src='{BEACON}/frame'></iframe>",
    f"<link rel=prefetch href='{BEACON}/prefetch'>",
    f"<style>body{{background:url({BEACON}/css.png)}}</style>",
    f"<video poster='{BEACON}/poster.png'></video>",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click]( JavaScript:alert(1))",
    "[e](&#106;avascript:alert(1))",
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[r]\n\n[r]: javascript:alert(1)",
    f"[r]\n\n[r]: {BEACON}/ref.png",
    "<javascript:alert(1)>",
    f"![ref][p]\n\n[p]: {BEACON}/ref-image.png",
    "[rel](/relative/path)",
]
# Markdown as a permissive viewer (or Streamlit, which reads GFM) would read it: raw HTML on.
PERMISSIVE = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _loads_or_runs(html: str) -> list[str]:
    """Tags and attributes that load or run something, and links that are not http(s) (escaped text is not HTML)."""
    found = []
    for tag, attributes in re.findall(r"<([a-zA-Z][^\s/>]*)([^>]*)>", html):
        if tag.lower() in {"img", "script", "iframe", "style", "link", "video", "audio", "object", "embed", "svg"}:
            found.append(tag)
        found += re.findall(r"(?:^|\s)(on\w+|src|srcset|poster|style|formaction)\s*=", attributes, re.I)
        found += [h for h in re.findall(r'href\s*=\s*"([^"]*)"', attributes) if not safe_url(h)]
    return found


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_attack_loads_nothing_and_stays_readable(attack: str) -> None:
    html = to_html(attack)
    assert _loads_or_runs(html) == []
    assert _loads_or_runs(PERMISSIVE.render(to_markdown(attack))) == []
    assert re.sub(r"<[^>]+>", "", html).strip(), "the text is still shown"


def test_what_a_council_needs_renders() -> None:
    html = to_html("# 目標\n\n**重要** と _強調_\n\n- 一つ\n- 二つ\n\n1. first\n2. second\n\n> 引用\n\n`code`")
    for tag in ("<h1>", "<strong>", "<em>", "<ul>", "<ol>", "<li>", "<blockquote>", "<code>"):
        assert tag in html


def test_a_link_shows_its_address_and_a_picture_is_only_a_link() -> None:
    html = to_html("[site](https://example.org/a) and ![logo](https://example.org/logo.png)")
    assert '<a href="https://example.org/a" rel="noopener noreferrer nofollow">site</a> (https://example.org/a)' in html
    assert "<img" not in html and ">logo</a> (https://example.org/logo.png)" in html


def test_html_shows_as_text() -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in to_html("<script>alert(1)</script>")


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_no_text_makes_the_renderer_load_or_run_anything(text: str) -> None:
    assert _loads_or_runs(to_html(text)) == []
    assert _loads_or_runs(PERMISSIVE.render(to_markdown(text))) == []


MARKUP = st.text(alphabet="![]()<>*_#-+=`~|:$&\\/.1 \n\tahjsvx:", max_size=120)


@given(MARKUP)
@settings(max_examples=500, deadline=None)
def test_markdown_made_of_markup_characters_loads_nothing(text: str) -> None:
    assert _loads_or_runs(to_html(text)) == []
    assert _loads_or_runs(PERMISSIVE.render(to_markdown(text))) == []


@given(st.one_of(st.text(max_size=200), MARKUP))
@settings(max_examples=500, deadline=None)
def test_escaped_text_is_never_markup(text: str) -> None:
    html = PERMISSIVE.render(escape(text))
    tags = set(re.findall(r"</?([a-z0-9]+)", html))
    assert tags <= {"p", "br", "pre", "code"}, html


def test_a_diff_renders_both_versions_as_the_vision_is_rendered_with_the_changes_marked() -> None:
    old, new = diff_html(
        "**地域**の大学と企業が連携する。\n\n- 人材\n- 資金",
        "**地域**の大学と金融機関が連携する。\n\n- 人材\n- 設備\n- 資金",
    )
    assert old == to_html("**地域**の大学と企業が連携する。\n\n- 人材\n- 資金").replace("企業", "<del>企業</del>")
    assert "<strong>地域</strong>の大学と<ins>金融機関</ins>が連携する。" in new
    assert "<li><ins>設備</ins></li>" in new
    assert "**" not in old + new and "- " not in old + new  # Markdown is rendered, never shown raw
    english_old, english_new = diff_html("We build bridges.", "We build *strong* bridges.")
    assert "<del>" not in english_old and "<em><ins>strong</ins></em>" in english_new


@given(st.one_of(st.text(max_size=150), MARKUP), st.one_of(st.text(max_size=150), MARKUP))
@settings(max_examples=300, deadline=None)
def test_no_diff_loads_or_runs_anything_and_each_side_keeps_its_text(old: str, new: str) -> None:
    marked_old, marked_new = diff_html(old, new)
    for marked, plain in ((marked_old, to_html(old)), (marked_new, to_html(new))):
        assert _loads_or_runs(marked) == []
        assert re.sub(r"</?(ins|del)>", "", marked) == plain
