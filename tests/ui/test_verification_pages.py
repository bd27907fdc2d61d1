"""The effect verification, sign-off and home pages as each person sees them (password mode, real signed cookies,
see tests/ui/test_identity.py): an outside expert sees only the verification they are invited to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

import pytest
import streamlit as st
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from hubdash import db, i18n
from hubdash.domain.enums import ExpertSector, Role, VerificationStage
from hubdash.domain.permissions import SYSTEM
from hubdash.models import Hub, Region, User
from hubdash.seed.sample import load_sample
from hubdash.services import accounts, region_settings, users, verification
from hubdash.ui import runtime, tokens

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long test password"


@pytest.fixture
def people(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The English sample with FY2025's verification under review, one expert invited; everyone's signed cookie."""
    monkeypatch.setenv("HUBDASH_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("HUBDASH_AUTH", "password")
    monkeypatch.setenv("HUBDASH_LANG", "en")
    monkeypatch.setattr("streamlit.runtime.state.session_state_proxy._mock_session_state", None)
    st.cache_resource.clear()
    st.cache_data.clear()
    with db.session_scope(runtime.engine()) as s:
        load_sample(session=s, actor=SYSTEM, lang="en")
        region = s.exec(select(Region)).one()
        first_hub = s.exec(select(Hub).order_by(Hub.code)).first()
        assert region.id is not None and first_hub is not None and first_hub.id is not None
        for name, role, hubs in (
            ("viewer", Role.VIEWER, ()),
            ("manager", Role.HUB_MANAGER, (first_hub.id,)),
            ("council", Role.COUNCIL_MEMBER, ()),
            ("expert", Role.OUTSIDE_EXPERT, ()),
            ("stranger", Role.OUTSIDE_EXPERT, ()),
        ):
            data = users.UserInput(name, name.title(), role, None, region.id, None, hubs)
            users.add_user(session=s, actor=SYSTEM, data=data, password=PASSWORD)
        opened = verification.open_verification(session=s, actor=SYSTEM, region_id=region.id, fiscal_year=2025)
        expert = s.exec(select(User).where(User.username == "expert")).one()
        verification.invite_expert(
            session=s, actor=SYSTEM, verification_id=opened.id, user_id=expert.id, organisation="University",
            sector=ExpertSector.ACADEMIA,
        )  # fmt: skip
        verification.move_stage(
            session=s, actor=SYSTEM, verification_id=opened.id, version=opened.version,
            to_stage=VerificationStage.REVIEW,
        )  # fmt: skip
        region_settings.set_confirmed_only(session=s, actor=SYSTEM, region_id=region.id, confirmed_only=True, version=0)
    cookies = {}
    for name in ("viewer", "manager", "council", "expert", "stranger"):
        with db.session_scope(runtime.engine()) as s:
            started = accounts.sign_in(session=s, login=name, password=PASSWORD).started
            assert started is not None
            cookies[name] = tokens.signed(started.token)
    yield cookies
    st.cache_resource.clear()
    st.cache_data.clear()


def _run(page: str, cookie: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.session_state["lang"] = "en"
    with patch("hubdash.ui.identity._session_cookie", return_value=cookie):
        return at.run()


def _t(key: str, **values: object) -> str:
    return i18n.t(key, "en", **values)


def test_the_council_sees_the_table_of_every_outcome_target_and_the_stage_moves(people: dict[str, str]) -> None:
    at = _run("app_pages/verification.py", people["council"])
    assert not at.exception, at.exception
    assert at.title[0].value == _t("verification.title")
    table = at.dataframe[0].value
    assert len(table) == 20 and "K14 Sales from hub products" in set(table[_t("col.indicator")])
    labels = {b.label for b in at.button}
    assert _t("verification.move_forward", stage=_t("verification_stage.decided")) in labels
    [picker] = [s for s in at.selectbox if s.label == _t("verification.pick_target")]
    region_wide = f"K14 Sales from hub products ({_t('verification.region_wide')}) · "
    assert any(o.startswith(region_wide) for o in picker.options), picker.options  # beside the hubs' own
    assert any(o.startswith("K14 Sales from hub products (H1) · ") for o in picker.options), picker.options


def test_an_invited_expert_sees_the_verification_and_an_opinion_form_and_nothing_else(people: dict[str, str]) -> None:
    at = _run("app_pages/verification.py", people["expert"])
    assert not at.exception, at.exception
    assert _t("verification.col_opinion") in [a.label for a in at.text_area]
    assert _t("verification.start", year="FY2025") not in {b.label for b in at.button}
    assert not any(b.label.startswith(_t("verification.move_forward", stage="")[:5]) for b in at.button)
    home = _run("app_pages/home.py", people["expert"])
    assert [w.value for w in home.warning] == [_t("accounts.page_not_for_you")]
    navigation = _run("main.py", people["expert"])
    assert not navigation.exception, navigation.exception
    assert navigation.title[0].value == _t("verification.title")  # the expert's first page


def test_an_expert_not_invited_sees_no_verification(people: dict[str, str]) -> None:
    at = _run("app_pages/verification.py", people["stranger"])
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [_t("verification.no_years")]
    assert not at.dataframe


def test_a_viewer_reads_without_controls(people: dict[str, str]) -> None:
    at = _run("app_pages/verification.py", people["viewer"])
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == 20
    assert not at.text_area and _t("verification.pick_target") not in [s.label for s in at.selectbox]
    signoff = _run("app_pages/signoff.py", people["viewer"])
    assert not signoff.exception and signoff.toggle[0].disabled


def test_the_home_page_lists_each_persons_to_do(people: dict[str, str]) -> None:
    council = _run("app_pages/home.py", people["council"])
    assert not council.exception, council.exception
    texts = [m.value for m in council.markdown]  # a page run alone has no navigation: the items are plain lines
    # the region signs off and nothing is confirmed: every hub's submitted quarters wait for the secretariat
    assert _t("todo.heading") in " ".join(texts) and sum("waits for confirmation" in t for t in texts) == 12
    assert _t("todo.more", count=30) in [c.value for c in council.caption]
    manager = _run("app_pages/home.py", people["manager"])
    assert any("was due on" in m.value for m in manager.markdown)
    viewer = _run("app_pages/home.py", people["viewer"])
    assert not any(_t("todo.heading") in m.value for m in viewer.markdown)
