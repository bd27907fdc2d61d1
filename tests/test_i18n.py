"""The ja/en catalogues: complete, non-empty, and every key used somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hubdash import i18n
from hubdash.domain.enums import I18N_PREFIX

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "app.py",
    ROOT / "main.py",
    *sorted((ROOT / "app_pages").glob("*.py")),
    *sorted((ROOT / "hubdash").rglob("*.py")),
]


def _enum_keys() -> set[str]:
    return {f"{prefix}.{member.value}" for enum, prefix in I18N_PREFIX.items() for member in enum}


def test_both_languages_have_the_same_keys() -> None:
    ja, en = i18n.catalogue("ja"), i18n.catalogue("en")
    assert sorted(set(ja) - set(en)) == [], "keys missing in en.yaml"
    assert sorted(set(en) - set(ja)) == [], "keys missing in ja.yaml"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_text_is_empty(lang: str) -> None:
    empty = [k for k, v in i18n.catalogue(lang).items() if not v.strip()]
    assert empty == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_enum_member_has_a_label(lang: str) -> None:
    assert sorted(_enum_keys() - set(i18n.catalogue(lang))) == []


def test_every_key_is_used_and_every_used_key_exists() -> None:
    source = "\n".join(path.read_text(encoding="utf-8") for path in SOURCES)
    literals = set(re.findall(r"""["']([a-z_]+\.[a-z_0-9]+)["']""", source))
    catalogue = set(i18n.catalogue("ja"))
    unused = sorted(catalogue - literals - _enum_keys())
    assert unused == [], f"keys in the catalogue that no code uses: {unused}"
    # catalogue keys passed to t(), page_title(), an error, a message or a file problem
    key = r"""["']([a-z_]+\.[a-z_0-9]+)["']"""
    called = set(re.findall(r"(?:\bt|page_title|Error|Denied|Conflict|Found|Message)\(\s*" + key, source))
    called |= set(re.findall(r"\bproblem\([^()]*?" + key, source))
    assert "progress.not_a_number" in called and "vision.error_goal_title" in called, "the patterns still find keys"
    missing = sorted(called - catalogue)
    assert missing == [], f"keys used in code but missing from the catalogue: {missing}"


def test_placeholders_match_between_languages() -> None:
    ja, en = i18n.catalogue("ja"), i18n.catalogue("en")
    for key in ja:
        assert set(re.findall(r"{(\w+)}", ja[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_language_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(i18n.ENV_LANG, raising=False)
    assert i18n.resolve_language("en-US") == "en"
    assert i18n.resolve_language("ja-JP") == "ja"
    assert i18n.resolve_language("fr-FR") == "ja"
    assert i18n.resolve_language(None) == "ja"
    monkeypatch.setenv(i18n.ENV_LANG, "en")
    assert i18n.resolve_language("ja-JP") == "en"


def test_placeholders_are_filled() -> None:
    assert i18n.t("vision.revision_line", "en", number=3, author="Sato", when="2025-01-01") == (
        "Revision 3 · Sato · 2025-01-01"
    )
