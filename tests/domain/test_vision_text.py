"""The vision's pure text helpers: a diff for Japanese and English, shown as escaped Markdown."""

from __future__ import annotations

from hubdash.domain.vision_text import diff, diff_markdown, tokens


def test_japanese_diffs_by_character_and_english_by_word() -> None:
    assert tokens("大学と企業") == ["大", "学", "と", "企", "業"]
    assert tokens("joint research") == ["joint", " ", "research"]
    assert [(s.op, s.text) for s in diff("The region shares one vision.", "The region writes one vision.")] == [
        ("equal", "The region "),
        ("delete", "shares"),
        ("insert", "writes"),
        ("equal", " one vision."),
    ]
    assert [(s.op, s.text) for s in diff("県と大学", "県と高専と大学")] == [
        ("equal", "県"),
        ("insert", "と高専"),
        ("equal", "と大学"),
    ]


def test_diff_markdown_highlights_and_escapes() -> None:
    rendered = diff_markdown(diff("a *b*", "a [x](javascript:alert(1))"))
    assert ":red-background[~~" in rendered and ":green-background[" in rendered
    assert "](javascript" not in rendered  # escaped: shows as text, never a link
    assert "\\*" in rendered
