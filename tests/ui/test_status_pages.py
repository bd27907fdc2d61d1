"""AppTest of issue 14's parts of the pages, on the sample region: the submit box, the profile proposal, the
roll-up rule and the national summary, and a report of every region built with a progress display."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from hubdash import i18n

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HUBDASH_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def _run(page: str, lang: str = "en", **state: object) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=90)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def test_the_progress_page_says_who_submitted_the_quarter_and_offers_the_next_one() -> None:
    at = _run("progress.py")
    assert not at.exception, at.exception
    assert any("FY2026 Q2 was submitted on 2026-10-21" in s.value and "Ryo Suzuki" in s.value for s in at.success)
    at.selectbox[1].select_index(0).run()  # FY2026 Q3: nothing entered yet
    assert any("FY2026 Q3 is not submitted yet: 0 of 10 indicators entered." in c.value for c in at.caption)
    [submit] = [b for b in at.button if b.label.startswith("Submit FY2026 Q3")]
    assert submit.disabled


# Widgets whose labels come from the catalogue are driven in Japanese: AppTest formats their options outside the
# script run, in the default language.


def test_the_indicators_page_proposes_a_profile_from_past_years_and_fills_it_in() -> None:
    at = _run("indicators.py", "ja", **{"indicators-tab": i18n.t("indicators.targets", "ja")})  # the open tab
    assert not at.exception, at.exception
    # K01 for the whole region: the sum of H1 and H2, FY2023 to FY2025
    [proposal] = [i.value for i in at.info if "過去の実績からの提案" in i.value]
    assert "15 / 36 / 61 / 100 %（2023年度〜2025年度の完了した3年度の平均）" in proposal
    use = i18n.t("profile.use", "ja")
    assert next(c for c in at.checkbox if c.label == use).value is False  # the region-wide K01 has no profile
    next(b for b in at.button if b.label == i18n.t("profile.use_proposal", "ja")).click().run()
    assert not at.exception, at.exception
    assert next(c for c in at.checkbox if c.label == use).value is True
    quarters = [i18n.t(key, "ja") for key in ("profile.q1", "profile.q2", "profile.q3", "profile.q4")]
    assert [next(n for n in at.number_input if n.label == q).value for q in quarters] == [15, 36, 61, 100]


def test_the_home_page_writes_the_roll_up_rule_under_the_goals() -> None:
    at = _run("home.py", "ja")
    assert not at.exception, at.exception
    assert any("集計ルール" in c.value for c in at.caption)
    assert any("2026年度 第2四半期時点（すべての拠点の提出がそろった最新の四半期）" in c.value for c in at.caption)


def test_the_executive_summary_of_every_region_opens_with_the_national_summary_and_builds_its_report() -> None:
    at = _run("executive.py", "ja")
    at.button_group[0].set_value("all").run()
    assert not at.exception, at.exception
    assert [h.value for h in at.header][:2] == ["全国の概況", "地域ごとの詳細"]
    assert any("1地域の拠点の目標値29件のうち **69 %** が順調です。" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == i18n.t("reports.build", "ja")).click().run()
    assert not at.exception, at.exception
    assert any(s.label.startswith("レポートができました（") for s in at.status)
