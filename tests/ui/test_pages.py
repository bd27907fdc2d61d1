"""AppTest smoke tests: every page renders the sample region, in Japanese and English, with no exception."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from hubdash import i18n

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.name for p in (ROOT / "app_pages").glob("*.py"))


@pytest.fixture(autouse=True)
def fresh_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test gets its own empty database and no cached engine or reads from an earlier test."""
    monkeypatch.setenv("HUBDASH_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def _run(path: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    at.session_state["lang"] = lang
    return at.run()


def test_there_are_pages_for_every_part_of_the_product() -> None:
    assert {
        "home.py",
        "vision.py",
        "indicators.py",
        "progress.py",
        "pdca.py",
        "dashboard.py",
        "executive.py",
        "audit.py",
    } <= set(PAGES)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_sample_region(page: str, lang: str) -> None:
    at = _run(f"app_pages/{page}", lang)
    assert not at.exception, at.exception
    assert at.title, "every page has a title"
    if page != "home.py":
        assert at.title[0].value == i18n.t(f"{page.removesuffix('.py')}.title", lang)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_home_shows_the_sample_region_overview(lang: str) -> None:
    at = _run("app_pages/home.py", lang)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[i18n.t("home.hubs", lang)] == "3"
    assert int(metrics[i18n.t("home.goals", lang)]) >= 4
    assert metrics[i18n.t("home.latest_quarter", lang)] == {"ja": "2026年度 第2四半期", "en": "FY2026 Q2"}[lang]
    on_track = metrics[f"● {i18n.t('status.on_track', lang)}"]
    assert int(on_track) > 0


def test_app_starts_with_navigation_and_open_mode_notice() -> None:
    at = _run("main.py", "ja")
    assert not at.exception, at.exception
    assert any(i18n.t("accounts.open_mode", "ja") in w.value for w in at.sidebar.warning)
    assert at.sidebar.selectbox[0].label == i18n.t("app.region", "ja")
